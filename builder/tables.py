"""The Arrow schemas of the build tables and their reading and writing (docs/tables.md).

Tables travel between stages as pandas DataFrames; on disk they are Parquet files written
with these explicit schemas, so types never depend on what pandas infers.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from builder.errors import UsageError
from builder.files import write_parquet_atomic

NON_SUBSTANTIVE = pa.struct([("code", pa.int64()), ("label", pa.string()), ("kind", pa.string())])

SCHEMAS: dict[str, pa.Schema] = {
    "questions": pa.schema([
        ("question_id", pa.string()),
        ("source", pa.string()),
        ("survey", pa.string()),
        ("wave", pa.string()),
        ("year_start", pa.int64()),
        ("year_end", pa.int64()),
        ("source_file", pa.string()),
        ("variable", pa.string()),
        ("question", pa.string()),
        ("options", pa.list_(pa.string())),
        ("option_codes", pa.list_(pa.int64())),
        ("ordinal", pa.list_(pa.float64())),
        ("scale_type", pa.string()),
        ("non_substantive", pa.list_(NON_SUBSTANTIVE)),
        ("flags", pa.list_(pa.string())),
    ]),
    "distributions": pa.schema([
        ("question_id", pa.string()),
        ("country_code", pa.string()),
        ("country", pa.string()),
        ("sample_frame", pa.string()),
        ("source_country", pa.string()),
        ("probabilities", pa.list_(pa.float64())),
        ("dont_know_share", pa.float64()),
        ("refused_share", pa.float64()),
        ("dk_refused_share", pa.float64()),
        ("no_answer_share", pa.float64()),
        ("n", pa.int64()),
        ("n_asked", pa.int64()),
        ("effective_n", pa.float64()),
        ("weight_variable", pa.string()),
    ]),
    "sources": pa.schema([
        ("path", pa.string()),
        ("sha256", pa.string()),
        ("source", pa.string()),
        ("survey", pa.string()),
        ("wave", pa.string()),
        ("year_start", pa.int64()),
        ("year_end", pa.int64()),
        ("rows", pa.int64()),
        ("columns", pa.int64()),
        ("reader", pa.string()),
        ("catalog", pa.string()),
        ("catalog_sha256", pa.string()),
        ("country_variable", pa.string()),
        ("weight_variable", pa.string()),
        ("rows_dropped_no_weight", pa.int64()),
        ("synthetic", pa.bool_()),
        ("ingested_at", pa.timestamp("us", tz="UTC")),
    ]),
}

INGEST_TABLES = ("questions", "distributions", "sources")
BUILD_ID_KEY = b"builder.build_id"


def to_arrow(name: str, frame: pd.DataFrame, build_id: str | None = None) -> pa.Table:
    schema = SCHEMAS[name]
    table = pa.Table.from_pandas(frame[schema.names], schema=schema, preserve_index=False)
    if build_id:
        table = table.replace_schema_metadata({BUILD_ID_KEY: build_id.encode()})
    return table


def table_path(build_dir: Path, name: str) -> Path:
    return Path(build_dir) / f"{name}.parquet"


def write_table(build_dir: Path, name: str, frame: pd.DataFrame, build_id: str | None = None) -> Path:
    path = table_path(build_dir, name)
    write_parquet_atomic(path, to_arrow(name, frame, build_id))
    return path


def read_table(build_dir: Path, name: str) -> pd.DataFrame:
    path = table_path(build_dir, name)
    if not path.is_file():
        raise UsageError(f"no {name} table; run `builder ingest` first", file=path)
    try:
        table = pq.read_table(path)
    except (OSError, pa.ArrowInvalid) as error:
        raise UsageError(f"unreadable Parquet file ({error})", file=path) from None
    frame = table.to_pandas()
    for field in table.schema:
        # pandas turns an integer column holding nulls into floats (sample sizes of the
        # GlobalOpinionQA release are null): keep it integer, with pandas' nullable Int64.
        if pa.types.is_integer(field.type) and frame[field.name].dtype.kind == "f":
            frame[field.name] = frame[field.name].astype("Int64")
    return frame


def build_id_of(path: Path) -> str | None:
    metadata = pq.read_schema(path).metadata or {}
    value = metadata.get(BUILD_ID_KEY)
    return value.decode() if value else None


def write_json(path: Path, payload: object) -> None:
    from builder.files import write_text_atomic

    write_text_atomic(path, json.dumps(payload, indent=2, ensure_ascii=False, default=str) + "\n")
