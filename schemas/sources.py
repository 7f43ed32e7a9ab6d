"""Schema of build/sources.parquet: one row per raw file ingested."""

from __future__ import annotations

import pandera.pandas as pa

from schemas.questions import SOURCES

sources_schema = pa.DataFrameSchema(
    {
        "path": pa.Column(str, unique=True),
        "sha256": pa.Column(str, pa.Check.str_matches(r"^[0-9a-f]{64}$")),
        "source": pa.Column(str, pa.Check.isin(SOURCES)),
        "survey": pa.Column(str, unique=True),
        "wave": pa.Column(str),
        "year_start": pa.Column(int, pa.Check.in_range(1900, 2100)),
        "year_end": pa.Column(int, pa.Check.in_range(1900, 2100)),
        "rows": pa.Column(int, pa.Check.ge(1)),
        "columns": pa.Column(int, pa.Check.ge(1)),
        "reader": pa.Column(str),
        "catalog": pa.Column(str, nullable=True),
        "catalog_sha256": pa.Column(str, pa.Check.str_matches(r"^[0-9a-f]{64}$"), nullable=True),
        "country_variable": pa.Column(str, nullable=True),
        "weight_variable": pa.Column(str, nullable=True),
        "rows_dropped_no_weight": pa.Column(int, pa.Check.ge(0)),
        "synthetic": pa.Column(bool),
        "ingested_at": pa.Column("datetime64[us, UTC]"),
    },
    strict=True,
    name="sources",
)
