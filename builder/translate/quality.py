"""Quality flags for translated strings, and the optional back-translation similarity.

Flags are computed per string (the question and each option), then collected per row:

- `empty`: the translation is blank where the English is not.
- `identical_to_source`: a string with letters came back unchanged (untranslated). Strings
  without letters ("10", "____") are copied on purpose and never flagged.
- `length_ratio`: for English strings of at least `MIN_LENGTH_FOR_RATIO` characters, the
  character-length ratio translation/English is outside the bounds for the target script.
  Chinese, Japanese and Korean need far fewer characters than English, hence their own bounds.
- `placeholder_lost`: a placeholder of the English ("____", "[INSERT ...]", ...) is missing
  from the translation.

These are heuristics to point a reviewer at rows, not verdicts.
"""

from __future__ import annotations

import difflib
import re

import langcodes
import pandas as pd

FLAGS = ("empty", "identical_to_source", "length_ratio", "placeholder_lost")
MIN_LENGTH_FOR_RATIO = 20
COMPACT_SCRIPTS = {"Hans", "Hant", "Hani", "Jpan", "Kore", "Hira", "Kana"}
RATIO_BOUNDS_COMPACT = (0.12, 1.2)  # English -> Chinese is typically 0.25-0.45 characters per character
RATIO_BOUNDS_OTHER = (0.4, 3.0)


def ratio_bounds(language: str) -> tuple[float, float]:
    script = langcodes.Language.get(language).maximize().script
    return RATIO_BOUNDS_COMPACT if script in COMPACT_SCRIPTS else RATIO_BOUNDS_OTHER


def string_flags(strings: pd.DataFrame) -> pd.Series:
    """A list of flags for each string. Columns used: english, translation, language, translatable, placeholder_ok."""
    english = strings["english"].str.strip()
    translation = strings["translation"].fillna("").str.strip()
    empty = (translation == "") & (english != "")
    identical = strings["translatable"] & (translation == english) & ~empty

    bounds = strings["language"].map({language: ratio_bounds(language) for language in strings["language"].unique()})
    low = bounds.map(lambda pair: pair[0]).astype(float)
    high = bounds.map(lambda pair: pair[1]).astype(float)
    english_length = english.str.len()
    ratio = translation.str.len() / english_length.where(english_length > 0)
    long_enough = english_length >= MIN_LENGTH_FOR_RATIO
    odd_length = long_enough & ~empty & ((ratio < low) | (ratio > high))

    lost = ~strings["placeholder_ok"].astype(bool)
    flag_columns = pd.DataFrame({"empty": empty, "identical_to_source": identical,
                                 "length_ratio": odd_length, "placeholder_lost": lost})
    # One pass over the boolean frame: for each row, the names of the true columns.
    return flag_columns.apply(lambda row: [name for name in FLAGS if row[name]], axis=1)


def placeholders_kept(translation: str, placeholders: tuple[str, ...] | list[str]) -> bool:
    """True when each English placeholder occurs in the translation at least as often (curated text)."""
    needed: dict[str, int] = {}
    for placeholder in placeholders:
        needed[placeholder] = needed.get(placeholder, 0) + 1
    return all(translation.count(placeholder) >= count for placeholder, count in needed.items())


_WORDS = re.compile(r"\w+")


def similarity(english: str, back_translation: str) -> float:
    """How close a back-translation is to the English: difflib ratio over lower-cased words, in [0, 1]."""
    left = _WORDS.findall(english.lower())
    right = _WORDS.findall(back_translation.lower())
    if not left and not right:
        return 1.0
    return round(difflib.SequenceMatcher(None, left, right, autojunk=False).ratio(), 4)
