"""Translated question variants for linguistic prompting (`builder translate`); see docs/translation.md.

Modules, in the order data flows through them:

- `languages`: BCP 47 tags and each provider's codes
- `providers` (over `transport` and `throttle`): deep-translator adapters with timeouts, retries, rate limits
- `memory`, `curated`: the SQLite translation memory and curated (official/human) imports
- `placeholders`, `strings`, `quality`, `assemble`: strings to translate, flags, table rows
- `pipeline`: `translate_questions`, the whole translation as one function
- `table`: the translations table schema, `source_sha256`, Parquet I/O
- `run`, `commands`, `progress`: the `builder translate` command
"""

from builder.translate.pipeline import TranslationIncomplete, TranslationReport, translate_questions
from builder.translate.table import source_sha256

__all__ = ["translate_questions", "TranslationReport", "TranslationIncomplete", "source_sha256"]
