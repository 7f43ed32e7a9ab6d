"""Schema of build/translations.parquet (one row per question x language), and the checks
against the questions table that `builder validate` runs: `check_translations`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import pandera.pandas as pa

from builder.translate.quality import FLAGS
from builder.translate.table import METHODS, source_sha256
from schemas.checks import is_list, is_null


def _strings_ok(values) -> bool:
    return is_list(values) and all(isinstance(value, str) for value in values)


def _flags_ok(flags) -> bool:
    return is_list(flags) and all(flag in FLAGS for flag in flags) and list(flags) == sorted(set(flags))


def _similarity_ok(value) -> bool:
    return is_null(value) or 0.0 <= float(value) <= 1.0


translations_schema = pa.DataFrameSchema(
    {
        "question_id": pa.Column(str),
        "language": pa.Column(str, pa.Check.str_matches(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")),
        "question": pa.Column(str, pa.Check(lambda s: s.str.strip().str.len() > 0, error="question is empty")),
        "options": pa.Column(object, pa.Check(_strings_ok, element_wise=True, error="options must be a list of strings")),
        "method": pa.Column(str, pa.Check.isin(METHODS)),
        "provider": pa.Column(str, nullable=True),
        "provider_version": pa.Column(str, nullable=True),
        "source_sha256": pa.Column(str, pa.Check.str_matches(r"^[0-9a-f]{64}$")),
        "translated_at": pa.Column(pd.DatetimeTZDtype("us", "UTC"), nullable=True),
        "flags": pa.Column(object, pa.Check(_flags_ok, element_wise=True, error=f"flags: sorted, from {FLAGS}")),
        "backtranslation_similarity": pa.Column(float, pa.Check(_similarity_ok, element_wise=True,
                                                                 error="similarity in [0, 1]"), nullable=True),
    },
    unique=["question_id", "language"],
    strict=True,
    coerce=False,
)


@dataclass(frozen=True)
class Failure:
    """One problem, located: which check, which column, which row (question_id, language), what value."""

    check: str
    column: str | None
    question_id: str | None
    language: str | None
    value: object

    def __str__(self) -> str:
        where = ", ".join(part for part in (self.question_id, self.language, self.column) if part)
        return f"translations: {self.check} ({where}): {self.value!r}"


def _schema_failures(translations: pd.DataFrame) -> list[Failure]:
    try:
        translations_schema.validate(translations, lazy=True)
        return []
    except pa.errors.SchemaErrors as errors:
        cases = errors.failure_cases
    failures = []
    for case in cases.itertuples(index=False):
        index = case.index
        row = translations.loc[index] if index is not None and not is_null(index) and index in translations.index else None
        failures.append(Failure(
            check=str(case.check), column=None if is_null(case.column) else str(case.column),
            question_id=None if row is None else row["question_id"],
            language=None if row is None else row["language"],
            value=case.failure_case,
        ))
    return failures


def check_translations(translations: pd.DataFrame, questions: pd.DataFrame) -> list[Failure]:
    """Schema checks, then the checks against the current English questions:

    - `question_id_exists`: every row's question_id is in the questions table;
    - `option_count`: as many translated options as English options;
    - `source_sha256_current`: the English has not changed since the row was translated.
    An empty list means the table is valid.
    """
    failures = _schema_failures(translations)
    if failures and any(case.column in (None, "question_id", "options", "source_sha256") for case in failures):
        return failures  # the cross-table checks below need those columns sound
    english = questions.set_index("question_id")
    known = translations["question_id"].isin(english.index)
    for row in translations[~known].itertuples(index=False):
        failures.append(Failure("question_id_exists", "question_id", row.question_id, row.language, row.question_id))
    rows = translations[known]
    english_counts = rows["question_id"].map(english["options"].map(len))
    translated_counts = rows["options"].map(len)
    for row, count in zip(rows[translated_counts != english_counts].itertuples(index=False),
                          english_counts[translated_counts != english_counts]):
        failures.append(Failure("option_count", "options", row.question_id, row.language,
                                f"{len(row.options)} options, English has {count}"))
    current = pd.Series([source_sha256(question, options) for question, options in
                         zip(english["question"], english["options"])], index=english.index)
    stale = rows["source_sha256"] != rows["question_id"].map(current)
    for row in rows[stale].itertuples(index=False):
        failures.append(Failure("source_sha256_current", "source_sha256", row.question_id, row.language,
                                "the English question or options changed since translation: rerun builder translate"))
    return failures
