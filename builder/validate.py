"""`builder validate`: every build table against its Pandera schema, plus the checks that span
tables. Validation is lazy: it collects every failure, never stopping at the first.

A failure is one row of the report: table, check, column, question_id, country, value.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable

import pandas as pd
import pandera.errors

from builder import tables
from builder.errors import UsageError
from schemas import SCHEMAS

# Optional tables and the function checking each against the others; registered by the stage
# that writes the table (translate adds "translations"), so validation grows with the pipeline.
EXTRA_TABLES: dict[str, Callable[[pd.DataFrame, dict[str, pd.DataFrame]], list["Failure"]]] = {}


@dataclass
class Failure:
    table: str
    check: str
    column: str | None = None
    question_id: str | None = None
    country: str | None = None
    value: str | None = None


@dataclass
class ValidationReport:
    build_dir: str
    rows: dict[str, int] = field(default_factory=dict)
    failures: list[Failure] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures

    def to_dict(self) -> dict:
        return {"build_dir": self.build_dir, "ok": self.ok, "rows": self.rows, "failures": [asdict(f) for f in self.failures]}


def _short(value: object, limit: int = 80) -> str:
    text = repr(value.tolist() if hasattr(value, "tolist") else value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _row_key(frame: pd.DataFrame, index: object) -> tuple[str | None, str | None]:
    if index is None or pd.isna(index) or index not in frame.index:
        return None, None
    row = frame.loc[index]
    question_id = row.get("question_id") if "question_id" in frame else None
    country = row.get("country_code") if "country_code" in frame else None
    return question_id, country


def schema_failures(name: str, frame: pd.DataFrame) -> list[Failure]:
    """Run one table's schema lazily and turn Pandera's failure cases into report rows."""
    try:
        SCHEMAS[name].validate(frame, lazy=True)
        return []
    except pandera.errors.SchemaErrors as errors:
        cases = errors.failure_cases
    failures = []
    for case in cases.itertuples(index=False):
        index = case.index
        question_id, country = _row_key(frame, index)
        failures.append(Failure(name, str(case.check), str(case.column) if case.column is not None else None, question_id, country, _short(case.failure_case)))
    return failures


def cross_table_failures(questions: pd.DataFrame, distributions: pd.DataFrame) -> list[Failure]:
    failures = []
    option_count = dict(zip(questions["question_id"], questions["options"].map(len)))
    known = distributions["question_id"].isin(option_count.keys())
    for row in distributions[~known].itertuples():
        failures.append(Failure("distributions", "question exists", "question_id", row.question_id, row.country_code, row.question_id))
    lengths = distributions["probabilities"].map(len)
    expected = distributions["question_id"].map(option_count)
    mismatched = known & (lengths != expected)
    for question_id, country, length, wanted in zip(
        distributions.loc[mismatched, "question_id"], distributions.loc[mismatched, "country_code"], lengths[mismatched], expected[mismatched]
    ):
        failures.append(Failure("distributions", "one probability per option", "probabilities", question_id, country, f"{length} values for {int(wanted)} options"))
    without = ~questions["question_id"].isin(distributions["question_id"])
    for question_id in questions.loc[without, "question_id"]:
        failures.append(Failure("questions", "has at least one country", "question_id", question_id, None, question_id))
    return failures


def validate_build(build_dir: Path) -> ValidationReport:
    build_dir = Path(build_dir)
    if not build_dir.is_dir():
        raise UsageError("no build folder; run `builder ingest` first", file=build_dir)
    report = ValidationReport(build_dir=str(build_dir))
    frames = {name: tables.read_table(build_dir, name) for name in tables.INGEST_TABLES}
    build_ids = {name: tables.build_id_of(tables.table_path(build_dir, name)) for name in frames}
    if len(set(build_ids.values())) > 1:
        report.failures.append(Failure("build", "tables come from one ingest run", "build_id", value=_short(build_ids)))
    for name, frame in frames.items():
        report.rows[name] = len(frame)
        report.failures += schema_failures(name, frame)
    report.failures += cross_table_failures(frames["questions"], frames["distributions"])
    for name, check in EXTRA_TABLES.items():
        if tables.table_path(build_dir, name).is_file():
            frame = tables.read_table(build_dir, name)
            report.rows[name] = len(frame)
            report.failures += check(frame, frames)
    return report
