"""Placeholders survive translation: masked before sending, restored after, losses detected.

Survey questions contain slots filled in at interview time: "____", "[INSERT COUNTRY]",
"(survey country)", "(dominant country in region)". A translator would translate or drop
them, so each is replaced by a numbered token `{{0}}`, `{{1}}`, ... before sending. Tokens
made of braces and digits are left alone by the providers we use; restoring also accepts the
variants some translations produce (full-width braces, inner spaces: `｛｛ 0 ｝｝`).

The masked text is what is sent and what the translation memory is keyed by, so two
questions differing only in a placeholder's wording still share nothing they should not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Order matters only for overlap, and these patterns never overlap one another.
PLACEHOLDER = re.compile(
    r"_{3,}"                                            # blanks: ___ or longer
    r"|\[\s*INSERT\b[^\]]*\]"                           # [INSERT COUNTRY], [INSERT NAME OF PARTY]
    r"|\(\s*survey country\s*\)"
    r"|\(\s*dominant country in region\s*\)",
    re.IGNORECASE,
)
_TOKEN_IN_TRANSLATION = re.compile(r"[{｛]\s*[{｛]\s*(\d+)\s*[}｝]\s*[}｝]")
_LETTER = re.compile(r"[^\W\d_]")


def token(number: int) -> str:
    return "{{" + str(number) + "}}"


@dataclass(frozen=True)
class Masked:
    """English text with its placeholders replaced by tokens, and the originals in token order."""

    text: str
    placeholders: tuple[str, ...]


def mask(text: str) -> Masked:
    found: list[str] = []

    def replace(match: re.Match) -> str:
        found.append(match.group(0))
        return token(len(found) - 1)

    return Masked(PLACEHOLDER.sub(replace, text), tuple(found))


def restore(translation: str, placeholders: tuple[str, ...]) -> tuple[str, bool]:
    """The translation with tokens replaced by the original placeholders, and whether all came back.

    A placeholder counts as lost when its token is missing, duplicated or out of range.
    """
    seen: list[int] = []

    def replace(match: re.Match) -> str:
        number = int(match.group(1))
        if number >= len(placeholders):
            return match.group(0)
        seen.append(number)
        return placeholders[number]

    restored = _TOKEN_IN_TRANSLATION.sub(replace, translation)
    complete = sorted(seen) == list(range(len(placeholders)))
    return restored, complete


def has_placeholder(text: str) -> bool:
    return PLACEHOLDER.search(text) is not None


def needs_translation(masked_text: str) -> bool:
    """False for strings with no letters once masked ("10", "1.5", "____"): copied verbatim, never sent."""
    return _LETTER.search(_TOKEN_IN_TRANSLATION.sub("", masked_text)) is not None
