"""Per-string quality flags and the back-translation similarity."""

from __future__ import annotations

import pandas as pd

from builder.translate.quality import placeholders_kept, ratio_bounds, similarity, string_flags

LONG = "How much confidence do you have in the police?"


def flags_of(english, translation, language="ru", translatable=True, placeholder_ok=True):
    frame = pd.DataFrame({"english": [english], "translation": [translation], "language": [language],
                          "translatable": [translatable], "placeholder_ok": [placeholder_ok]})
    return string_flags(frame).iloc[0]


def test_flags():
    assert flags_of(LONG, "Насколько вы доверяете полиции?") == []
    assert flags_of(LONG, "  ") == ["empty"]
    assert flags_of(LONG, LONG) == ["identical_to_source"]
    assert flags_of("Yes", "Yes") == ["identical_to_source"]
    assert flags_of("10", "10", translatable=False) == []
    assert flags_of(LONG, "Да") == ["length_ratio"]
    assert flags_of("Yes", "Да, конечно, безусловно") == []  # short strings are not ratio-checked
    assert flags_of(LONG, "您对警察有多大信心？", language="zh-Hans") == []  # compact script bounds
    assert flags_of(LONG, "Да?", placeholder_ok=False) == ["length_ratio", "placeholder_lost"]


def test_ratio_bounds_follow_the_script():
    assert ratio_bounds("zh-Hant") == ratio_bounds("ja") == ratio_bounds("ko")
    assert ratio_bounds("ru") == ratio_bounds("tr") != ratio_bounds("zh-Hans")


def test_curated_placeholders_must_appear_verbatim():
    assert placeholders_kept("Вы доверяете ____?", ("____",))
    assert not placeholders_kept("Вы доверяете ему?", ("____",))
    assert not placeholders_kept("____", ("____", "____"))


def test_similarity():
    assert similarity("How important is God?", "how important is god") == 1.0
    assert similarity("How important is God?", "") == 0.0
    assert 0.3 < similarity("How important is God in your life?", "How important is religion in life?") < 1.0
