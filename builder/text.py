"""Question text normalisation and placeholder detection."""

from __future__ import annotations

import re
import unicodedata

# Blanks and placeholders seen in Pew and WVS wording; kept verbatim, flagged `placeholder`.
PLACEHOLDER = re.compile(
    r"_{3,}"
    r"|\[\s*INSERT[^\]]*\]"
    r"|\((?:survey country|dominant country in region)\)",
    re.IGNORECASE,
)
# A questionnaire number in front of a variable label: "Q1.", "Q13A.", "q146 -".
_QUESTION_NUMBER = re.compile(r"^\s*[A-Za-z]{0,3}\d+[A-Za-z]{0,3}\s*[.:)\-]\s+")
_STEM_END = re.compile(r"[\s.…:]+$")


def normalise_text(text: str | None) -> str:
    """NFC, every run of whitespace (newlines included) to one space, trimmed."""
    if text is None:
        return ""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", str(text))).strip()


def join_battery(stem: str | None, item: str) -> str:
    """One battery item as `"<stem>: <item>"`, the same way for every survey."""
    item = normalise_text(item)
    stem = normalise_text(stem)
    if not stem:
        return item
    return f"{_STEM_END.sub('', stem)}: {item}"


def strip_question_number(label: str) -> str:
    """'Q1. Now thinking about ...' -> 'Now thinking about ...' (variable labels only)."""
    return _QUESTION_NUMBER.sub("", normalise_text(label), count=1)


def placeholders(text: str) -> list[str]:
    return PLACEHOLDER.findall(text or "")
