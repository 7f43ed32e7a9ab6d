"""Schema of build/questions.parquet: one row per question."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from schemas.checks import finite_numbers, is_list, is_null

SOURCES = ["pew_gas", "wvs", "goqa"]
SCALE_TYPES = ["ordinal", "nominal", "binary"]
NON_SUBSTANTIVE_KINDS = {"dont_know", "refused", "dk_refused", "no_answer"}
QUESTION_ID = r"^[a-z][a-z0-9_]*\.[A-Za-z0-9][A-Za-z0-9_]*$"


def _options_ok(options) -> bool:
    return (
        is_list(options)
        and len(options) >= 2
        and all(isinstance(option, str) and option.strip() for option in options)
        and len(set(options)) == len(options)
    )


def _codes_ok(codes) -> bool:
    return is_null(codes) or (is_list(codes) and len(set(int(code) for code in codes)) == len(codes))


def _ordinal_ok(ordinal) -> bool:
    return is_null(ordinal) or (is_list(ordinal) and finite_numbers([value for value in ordinal if not is_null(value)]))


def _non_substantive_ok(entries) -> bool:
    return is_list(entries) and all(
        isinstance(entry, dict) and entry.get("label") and entry.get("kind") in NON_SUBSTANTIVE_KINDS for entry in entries
    )


def _aligned(frame, column: str):
    """Codes and ordinal positions, where present, have one entry per option."""
    aligned = [is_null(values) or len(values) == len(options) for values, options in zip(frame[column], frame["options"])]
    return pd.Series(aligned, index=frame.index, dtype=bool)


questions_schema = pa.DataFrameSchema(
    {
        "question_id": pa.Column(str, pa.Check.str_matches(QUESTION_ID), unique=True),
        "source": pa.Column(str, pa.Check.isin(SOURCES)),
        "survey": pa.Column(str, pa.Check.str_matches(r"^[a-z][a-z0-9_]*$")),
        "wave": pa.Column(str, pa.Check.str_length(min_value=1)),
        "year_start": pa.Column(int, pa.Check.in_range(1900, 2100)),
        "year_end": pa.Column(int, pa.Check.in_range(1900, 2100)),
        "source_file": pa.Column(str, pa.Check.str_length(min_value=1)),
        "variable": pa.Column(str, nullable=True),
        "question": pa.Column(str, pa.Check(lambda s: s.str.strip().str.len() > 0, error="question is empty")),
        "options": pa.Column(object, pa.Check(_options_ok, element_wise=True, error="needs >= 2 distinct non-empty options")),
        "option_codes": pa.Column(object, pa.Check(_codes_ok, element_wise=True, error="option codes must be unique"), nullable=True),
        "ordinal": pa.Column(object, pa.Check(_ordinal_ok, element_wise=True, error="ordinal positions must be finite or null"), nullable=True),
        "scale_type": pa.Column(str, pa.Check.isin(SCALE_TYPES)),
        "non_substantive": pa.Column(object, pa.Check(_non_substantive_ok, element_wise=True, error="each needs a label and a known kind")),
        "flags": pa.Column(object, pa.Check(is_list, element_wise=True, error="flags must be a list")),
    },
    checks=[
        pa.Check(lambda frame: frame["year_start"] <= frame["year_end"], error="year_start after year_end"),
        pa.Check(lambda frame: _aligned(frame, "option_codes"), error="option_codes not aligned with options"),
        pa.Check(lambda frame: _aligned(frame, "ordinal"), error="ordinal not aligned with options"),
    ],
    strict=True,
    name="questions",
)
