"""The `translations` table: its Arrow schema, `source_sha256`, and reading/writing Parquet."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from builder.errors import DataError, UsageError
from builder.files import write_parquet_atomic
from builder.tables import BUILD_ID_KEY

METHODS = ("official", "human", "machine")  # highest precedence first
QUESTIONS_FILE = "questions.parquet"
TRANSLATIONS_FILE = "translations.parquet"

TRANSLATIONS_SCHEMA = pa.schema([
    pa.field("question_id", pa.string(), nullable=False),
    pa.field("language", pa.string(), nullable=False),
    pa.field("question", pa.string(), nullable=False),
    pa.field("options", pa.list_(pa.string()), nullable=False),
    pa.field("method", pa.string(), nullable=False),
    pa.field("provider", pa.string()),
    pa.field("provider_version", pa.string()),
    pa.field("source_sha256", pa.string(), nullable=False),
    pa.field("translated_at", pa.timestamp("us", tz="UTC")),
    pa.field("flags", pa.list_(pa.string()), nullable=False),
    pa.field("backtranslation_similarity", pa.float64()),
])
COLUMNS = TRANSLATIONS_SCHEMA.names


def source_sha256(question: str, options) -> str:
    """SHA-256 (hex) of the English as translated: UTF-8 of the compact JSON object

    `{"options":[...],"question":"..."}`: keys sorted, separators "," and ":", non-ASCII kept
    as is (`ensure_ascii=False`). When the English question or any option changes, so does this.
    """
    canonical = json.dumps({"question": question, "options": [str(option) for option in options]},
                           ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def read_questions(path: Path) -> tuple[pd.DataFrame, str | None]:
    """The questions table (question_id, question, options) and its build_id, if any."""
    path = Path(path)
    if not path.is_file():
        raise UsageError("questions table not found: run `builder ingest` first", file=path)
    try:
        table = pq.read_table(path)
    except (OSError, pa.ArrowException) as error:
        raise UsageError(f"cannot read ({error})", file=path) from None
    metadata = table.schema.metadata or {}
    build_id = metadata.get(BUILD_ID_KEY)
    return table.to_pandas(), (build_id.decode() if build_id else None)


def check_questions(questions: pd.DataFrame, *, file: object = None) -> None:
    """The columns translation needs, and unique question ids."""
    missing = [name for name in ("question_id", "question", "options") if name not in questions.columns]
    if missing:
        raise DataError(f"questions table lacks column(s) {', '.join(missing)}", file=file)
    duplicated = questions["question_id"][questions["question_id"].duplicated()]
    if len(duplicated):
        raise DataError(f"duplicate question_id {duplicated.iloc[0]!r}", file=file)


def to_arrow(translations: pd.DataFrame, build_id: str | None = None) -> pa.Table:
    table = pa.Table.from_pandas(translations[COLUMNS], schema=TRANSLATIONS_SCHEMA, preserve_index=False)
    if build_id:
        table = table.replace_schema_metadata({BUILD_ID_KEY: build_id.encode()})
    return table


def write_translations(path: Path, translations: pd.DataFrame, build_id: str | None = None) -> None:
    """Write atomically: a failure leaves the previous file untouched.

    Carries the build_id of the questions it was made from, so `builder validate` can tell a
    translations table from another build.
    """
    write_parquet_atomic(Path(path), to_arrow(translations, build_id))


def read_translations(path: Path) -> pd.DataFrame:
    return pq.read_table(path).to_pandas()
