"""Recognise non-substantive answers (don't know, refused, no answer) from label text.

Survey files mark "Don't know" and "Refused" with codes that differ between items (8/9 on
short scales, 98/99 on long lists) while 8 and 9 can be real answers in long lists, so the
label text, never the code, decides. The variants below were all seen in Pew and WVS files:
curly apostrophes, abbreviations, "(VOL)" / "(DO NOT READ)" suffixes and bilingual labels
such as "No responde (Refused)" or "Tidak tahu (Don’t know)".
"""

from __future__ import annotations

import re
import unicodedata

DONT_KNOW = "dont_know"
REFUSED = "refused"
DK_REFUSED = "dk_refused"
NO_ANSWER = "no_answer"
KINDS = (DONT_KNOW, REFUSED, DK_REFUSED, NO_ANSWER)

# Interviewer instructions appended to a label; they say nothing about its meaning.
_INSTRUCTION_SUFFIX = re.compile(r"\s*[\(\[]\s*(?:vol\.?|volunteered|do not read|don't read|dnr)\s*[\)\]]\s*$")
_PARENTHESISED = re.compile(r"[\(\[]([^\(\)\[\]]+)[\)\]]")

_PHRASES = {
    DONT_KNOW: {"don't know", "dont know", "do not know", "dk", "don't know/no opinion", "dk/no opinion"},
    REFUSED: {"refused", "ref", "refusal", "refused to answer", "declined", "declined to answer"},
    DK_REFUSED: {
        "dk/refused", "dk/ref", "dk/rf", "dk/ref.", "don't know/refused", "dk / refused",
        "don't know / refused", "dk/na", "don't know/no answer", "dk/no answer",
    },
    NO_ANSWER: {"no answer", "na", "n/a", "not answered"},
}
_KIND_BY_PHRASE = {phrase: kind for kind, phrases in _PHRASES.items() for phrase in phrases}


def _normalise(label: str) -> str:
    text = unicodedata.normalize("NFKC", label).lower()
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
    text = re.sub(r"\s+", " ", text).strip()
    # Drop leading answer codes such as "9. Refused" or "-1 Don't know".
    text = re.sub(r"^-?\d+\s*[.:)-]?\s+", "", text)
    while True:
        stripped = _INSTRUCTION_SUFFIX.sub("", text).strip()
        if stripped == text:
            break
        text = stripped
    return text.rstrip(" .")


def non_substantive_kind(label: str | None) -> str | None:
    """The kind of non-substantive answer a value label denotes, or None for a real answer.

    >>> non_substantive_kind("Don’t know (DO NOT READ)")
    'dont_know'
    >>> non_substantive_kind("No responde (Refused)")
    'refused'
    >>> non_substantive_kind("Jehovah's Witness (VOL)") is None
    True
    """
    if not label:
        return None
    text = _normalise(label)
    if text in _KIND_BY_PHRASE:
        return _KIND_BY_PHRASE[text]
    # Bilingual labels carry the English meaning in parentheses: "Tidak tahu (Don't know)".
    for inner in _PARENTHESISED.findall(text):
        inner = _normalise(inner)
        if inner in _KIND_BY_PHRASE:
            return _KIND_BY_PHRASE[inner]
    return None


# Labels of codes that mean "not asked" or "missing": excluded from every denominator.
_MISSING = re.compile(
    r"^(?:other missing|missing|not applicable|inapplicable|not asked|no asked|"
    r"item not included|not available|system missing)\b"
)


def is_missing_label(label: str | None) -> bool:
    """True for labels such as 'Missing; Not available', 'Not asked in survey' or
    'Other missing; Multiple answers Mail (EVS)': the respondent gave no answer to count."""
    return bool(label) and bool(_MISSING.match(_normalise(label)))
