from builder.text import join_battery, normalise_text, placeholders, strip_question_number


def test_whitespace_collapsed_and_nfc():
    assert normalise_text("  Is  this\n\nfine?\t") == "Is this fine?"
    assert normalise_text("Cote\u0301") == "Cot\u00e9"


def test_battery_join_is_the_same_for_every_stem_ending():
    for stem in ("How much confidence do you have in...", "How much confidence do you have in:", "How much confidence do you have in …", "How much confidence do you have in"):
        assert join_battery(stem, " the police ") == "How much confidence do you have in: the police"
    assert join_battery(None, "Alone") == "Alone"


def test_question_number_removed_from_labels():
    assert strip_question_number("Q1. Now thinking") == "Now thinking"
    assert strip_question_number("q146 - Do you") == "Do you"
    assert strip_question_number("Q13A. Item") == "Item"
    assert strip_question_number("Importance of God") == "Importance of God"


def test_placeholders_detected():
    assert placeholders("In [INSERT COUNTRY-SPECIFIC EXAMPLE] and (survey country) or (dominant country in region), ____") == [
        "[INSERT COUNTRY-SPECIFIC EXAMPLE]", "(survey country)", "(dominant country in region)", "____"
    ]
    assert placeholders("No blanks here (really)") == []
