"""schemas/translations.py: the Pandera schema and check_translations against the questions."""

from __future__ import annotations

import pandas as pd

from builder.translate.table import read_translations, source_sha256, write_translations
from schemas.translations import Failure, check_translations

QUESTIONS = pd.DataFrame([
    {"question_id": "wvs7.Q1", "question": "Is work important?", "options": ["Yes", "No"]},
    {"question_id": "wvs7.Q2", "question": "Is family important?", "options": ["Very", "Rather", "Not"]},
])


def translations(tmp_path) -> pd.DataFrame:
    """A valid table, round-tripped through Parquet so the dtypes are those of the real file."""
    rows = pd.DataFrame([{
        "question_id": question_id, "language": "ru", "question": f"[ru] {question}",
        "options": [f"[ru] {option}" for option in options], "method": "machine", "provider": "libre",
        "provider_version": "deep-translator 1.11.4 LibreTranslator",
        "source_sha256": source_sha256(question, options),
        "translated_at": pd.Timestamp("2026-01-01", tz="UTC"), "flags": [], "backtranslation_similarity": 0.5,
    } for question_id, question, options in QUESTIONS.itertuples(index=False)])
    write_translations(tmp_path / "t.parquet", rows)
    return read_translations(tmp_path / "t.parquet")


def test_valid_table_passes(tmp_path):
    assert check_translations(translations(tmp_path), QUESTIONS) == []


def test_schema_failures_are_located(tmp_path):
    bad = translations(tmp_path)
    bad.loc[0, "method"] = "guessed"
    bad.at[1, "flags"] = ["zzz"]
    bad.loc[1, "backtranslation_similarity"] = 1.5
    failures = check_translations(bad, QUESTIONS)
    assert {(f.column, f.question_id, f.language) for f in failures} == {
        ("method", "wvs7.Q1", "ru"), ("flags", "wvs7.Q2", "ru"), ("backtranslation_similarity", "wvs7.Q2", "ru")}


def test_duplicate_rows_fail(tmp_path):
    table = translations(tmp_path)
    failures = check_translations(pd.concat([table, table.iloc[[0]]], ignore_index=True), QUESTIONS)
    assert failures and all(f.question_id in (None, "wvs7.Q1") for f in failures)


def test_cross_table_checks(tmp_path):
    table = translations(tmp_path)
    table.loc[0, "question_id"] = "wvs7.Q9"
    table.at[1, "options"] = ["[ru] Very", "[ru] Rather"]
    assert check_translations(table, QUESTIONS) == [
        Failure("question_id_exists", "question_id", "wvs7.Q9", "ru", "wvs7.Q9"),
        Failure("option_count", "options", "wvs7.Q2", "ru", "2 options, English has 3"),
    ]
    changed = QUESTIONS.assign(options=[["Yes", "No"], ["Very", "Rather", "Not at all"]])
    stale = check_translations(translations(tmp_path), changed)
    assert [(f.check, f.question_id) for f in stale] == [("source_sha256_current", "wvs7.Q2")]
    assert str(stale[0]).startswith("translations: source_sha256_current (wvs7.Q2, ru, source_sha256)")
