"""Official and human translations from files (CSV or JSON), imported into the memory.

Each record is keyed one of two ways (see docs/translation.md):

- by question: `question_id`, `language`, `question` and/or `options` (a JSON list of strings,
  same count and order as the English options);
- by source text: `language`, `source` (the exact English string), `translation`. One record
  covers that string wherever it appears (an option label such as "Very favorable").

A CSV has these as columns; a JSON file is a list of objects with the same keys (`options`
may be a real list there). `language` may be left out when the import gives a default
(`--lang`). Every problem is reported with the file and the record number.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from builder.errors import BuilderError, UsageError
from builder.files import read_text
from builder.translate.languages import normalize_tag
from builder.translate.memory import CuratedEntry, TranslationMemory


def _records(path: Path) -> list[dict]:
    text = read_text(path, encoding="utf-8-sig", missing="curated translations file not found")
    if path.suffix.lower() == ".json":
        try:
            records = json.loads(text)
        except json.JSONDecodeError as error:
            raise UsageError(f"invalid JSON at line {error.lineno}: {error.msg}", file=path) from None
        if not isinstance(records, list) or not all(isinstance(record, dict) for record in records):
            raise UsageError("expected a JSON list of objects", file=path)
        return records
    if path.suffix.lower() == ".csv":
        return list(csv.DictReader(io.StringIO(text, newline="")))
    raise UsageError("curated translations must be a .csv or .json file", file=path)


def _text(record: dict, name: str) -> str:
    value = record.get(name)
    return "" if value is None else str(value).strip()


def _options(value: object, where: str, path: Path) -> list[str]:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            raise UsageError(f"{where}: options must be a JSON list of strings", file=path) from None
    if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
        raise UsageError(f"{where}: options must be a JSON list of non-empty strings", file=path)
    return [item.strip() for item in value]


def read_curated_file(path: Path, *, default_language: str | None = None) -> list[CuratedEntry]:
    """The entries of one curated file, validated; raises UsageError naming the file and record."""
    path = Path(path)
    entries: list[CuratedEntry] = []
    for number, record in enumerate(_records(path), start=1):
        where = f"record {number}"
        raw_language = _text(record, "language") or default_language
        if not raw_language:
            raise UsageError(f"{where}: no language (add a language column or pass --lang)", file=path)
        try:
            language = normalize_tag(raw_language, option="language")
        except BuilderError as error:
            raise UsageError(f"{where}: {error.message}", file=path) from None
        question_id = _text(record, "question_id")
        if question_id:
            question, options = _text(record, "question"), record.get("options")
            if not question and options in (None, ""):
                raise UsageError(f"{where}: question {question_id} has neither question nor options", file=path)
            if question:
                entries.append(CuratedEntry(language, question, question_id=question_id, field="question"))
            if options not in (None, ""):
                as_json = json.dumps(_options(options, where, path), ensure_ascii=False)
                entries.append(CuratedEntry(language, as_json, question_id=question_id, field="options"))
        elif _text(record, "source") and _text(record, "translation"):
            entries.append(CuratedEntry(language, _text(record, "translation"), source_text=_text(record, "source")))
        else:
            raise UsageError(f"{where}: needs question_id (with question and/or options), "
                             "or source and translation", file=path)
    return entries


def import_curated(memory: TranslationMemory, path: Path, method: str, *,
                   default_language: str | None = None, origin: str | None = None) -> dict[str, int]:
    """Read one file and import it into the memory; returns counts added / updated / unchanged."""
    entries = read_curated_file(path, default_language=default_language)
    return memory.put_curated(entries, method, origin or str(path))
