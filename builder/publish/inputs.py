"""The build tables a release is made from, validated first.

Rows are read as plain Python dicts (pyarrow's `to_pylist`): lists stay lists and nulls stay
None, so what is published is exactly what the tables hold, with no pandas conversions between.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pyarrow.parquet as pq

from builder import tables
from builder.errors import DataError
from builder.publish.features import SELECTION
from builder.translate.table import TRANSLATIONS_FILE
from builder.translate.validation import register as register_translation_checks
from builder.validate import validate_build


@dataclass(frozen=True)
class Build:
    folder: Path
    build_id: str
    questions: list[dict]
    distributions: list[dict]
    sources: list[dict]
    translations: list[dict] = field(default_factory=list)  # empty until `builder translate` has run

    @property
    def synthetic(self) -> bool:
        return any(source["synthetic"] for source in self.sources)

    @property
    def languages(self) -> list[str]:
        return sorted({row["language"] for row in self.translations})

    @cached_property  # used by several configs and the release record: grouped once
    def selections(self) -> dict[str, list[dict]]:
        """question_id -> its countries' answers (the published `selections` records), sorted by
        (country_code, sample_frame)."""
        grouped: dict[str, list[dict]] = defaultdict(list)
        for row in self.distributions:
            grouped[row["question_id"]].append({name: row[name] for name in SELECTION})
        for records in grouped.values():
            records.sort(key=lambda record: (record["country_code"], record["sample_frame"]))
        return dict(grouped)


def check_build(build_dir: Path) -> None:
    """Refuse to publish a build `builder validate` would reject (translations included)."""
    register_translation_checks()  # validate build/translations.parquet too, when it exists
    report = validate_build(Path(build_dir))
    if not report.ok:
        first = report.failures[0]
        where = ", ".join(part for part in (first.table, first.question_id, first.column) if part)
        raise DataError(f"the build has {len(report.failures)} validation failure(s), first: {first.check} ({where}); "
                        "run `builder validate` for the report; nothing was published", file=build_dir)


def read_build(build_dir: Path) -> Build:
    """The build tables as rows. Call `check_build` first: this assumes they are valid."""
    build_dir = Path(build_dir)
    rows = {name: pq.read_table(tables.table_path(build_dir, name)).to_pylist() for name in tables.INGEST_TABLES}
    translations_path = build_dir / TRANSLATIONS_FILE
    translations = pq.read_table(translations_path).to_pylist() if translations_path.is_file() else []
    build_id = tables.build_id_of(tables.table_path(build_dir, "questions")) or ""
    return Build(build_dir, build_id, rows["questions"], rows["distributions"], rows["sources"], translations)
