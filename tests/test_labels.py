"""Non-substantive answers are recognised from label text, in every variant seen in real files."""

import pytest

from builder.labels import is_missing_label, non_substantive_kind

KNOWN = {
    "Don't know": "dont_know",
    "Don’t know": "dont_know",
    "DK": "dont_know",
    "Don't know (DO NOT READ)": "dont_know",
    "Don’t know (VOL)": "dont_know",
    "Tidak tahu (Don’t know)": "dont_know",
    "No sabe (Don’t know)": "dont_know",
    "Refused": "refused",
    "REF": "refused",
    "Refused (DO NOT READ)": "refused",
    "No responde (Refused)": "refused",
    "9. Refused": "refused",
    "DK/Refused": "dk_refused",
    "DK/Refused (VOL)": "dk_refused",
    "Don't know/Refused (DO NOT READ)": "dk_refused",
    "No answer": "no_answer",
}
SUBSTANTIVE = [
    "No religion, not a believer, atheist, agnostic",
    "Jehovah's Witness (VOL)",
    "Both equally (VOL)",
    "Neither favorable nor unfavorable (VOL)",
    "Very good",
    "Do not belong to a denomination",
    "Hard to say",
    "",
    None,
]


@pytest.mark.parametrize("label, kind", KNOWN.items())
def test_non_substantive_variants(label, kind):
    assert non_substantive_kind(label) == kind


@pytest.mark.parametrize("label", SUBSTANTIVE)
def test_real_answers_are_not_mistaken_for_non_substantive(label):
    assert non_substantive_kind(label) is None


@pytest.mark.parametrize(
    "label, missing",
    [
        ("Missing; Not available", True),
        ("Other missing; Multiple answers Mail (EVS)", True),
        ("Not applicable", True),
        ("Not asked in survey", True),
        ("Don't know", False),
        ("Mostly politics", False),
    ],
)
def test_missing_labels(label, missing):
    assert is_missing_label(label) is missing
