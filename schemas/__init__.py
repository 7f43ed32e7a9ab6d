"""Pandera schemas of the build tables, one module per table (docs/tables.md).

`SCHEMAS` maps a table name to its DataFrameSchema; `builder validate` runs each lazily and
adds the checks that span tables (builder/validate.py).
"""

from schemas.distributions import distributions_schema
from schemas.questions import questions_schema
from schemas.sources import sources_schema

SCHEMAS = {
    "questions": questions_schema,
    "distributions": distributions_schema,
    "sources": sources_schema,
}

__all__ = ["SCHEMAS", "distributions_schema", "questions_schema", "sources_schema"]
