"""The translations table in `builder validate`: adapts `schemas.translations.check_translations`
to the hook builder/validate.py offers (`EXTRA_TABLES`), which runs it when
build/translations.parquet exists.

`register()` is called when the `builder translate` command is loaded (commands.py), so the
CLI validates translations as soon as the command is registered.
"""

from __future__ import annotations

import pandas as pd

from schemas.translations import check_translations


def translations_failures(translations: pd.DataFrame, frames: dict[str, pd.DataFrame]) -> list:
    """`builder validate`'s failure rows for the translations table (language shown in `value`)."""
    from builder.validate import Failure

    failures = []
    for failure in check_translations(translations, frames["questions"]):
        value = failure.value if isinstance(failure.value, str) else repr(failure.value)
        if len(value) > 80:
            value = value[:77] + "..."
        failures.append(Failure("translations", failure.check, failure.column, failure.question_id, None,
                                f"{failure.language}: {value}" if failure.language else value))
    return failures


def register() -> None:
    from builder.validate import EXTRA_TABLES

    EXTRA_TABLES["translations"] = translations_failures
