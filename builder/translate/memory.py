"""The translation memory: a SQLite file that makes translation reproducible and resumable.

Two tables, because the two kinds of entry are keyed differently:

- `machine_translations`: a cache of provider answers keyed by (provider, source language,
  target language, exact text sent). The text is stored as sent (placeholders masked) and
  the answer as received, so the cache is a faithful record of the provider's I/O. One row is
  committed per completed call: Ctrl-C or a crash loses only the calls in flight.
- `curated_translations`: official and human translations imported from files, keyed either
  by (question_id, field) or by the English source text. They are not tied to a provider.

Language columns hold normalised BCP 47 tags, not provider codes, so the key does not change
when a provider's code list does. `created_at` is ISO 8601 UTC and is what the table's
`translated_at` reports, so a rebuild from the memory gives identical rows.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable

import pandas as pd

from builder.errors import UsageError

MEMORY_FILE_NAME = "translation_memory.sqlite"
CURATED_METHODS = ("official", "human")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS machine_translations (
    provider         TEXT NOT NULL,
    source_language  TEXT NOT NULL,
    target_language  TEXT NOT NULL,
    source_text      TEXT NOT NULL,   -- exactly as sent: placeholders masked
    translation      TEXT NOT NULL,   -- exactly as received
    provider_version TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    PRIMARY KEY (provider, source_language, target_language, source_text)
);
CREATE TABLE IF NOT EXISTS curated_translations (
    method           TEXT NOT NULL CHECK (method IN ('official', 'human')),
    target_language  TEXT NOT NULL,
    question_id      TEXT NOT NULL,   -- '' when keyed by source text
    field            TEXT NOT NULL,   -- 'question' or 'options' (a JSON list); '' when keyed by source text
    source_text      TEXT NOT NULL,   -- English text when keyed by source text, else ''
    translation      TEXT NOT NULL,
    origin           TEXT NOT NULL,   -- the file it was imported from
    created_at       TEXT NOT NULL,
    PRIMARY KEY (method, target_language, question_id, field, source_text)
);
"""


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


def memory_path(cache_dir: Path) -> Path:
    return Path(cache_dir) / MEMORY_FILE_NAME


@dataclass(frozen=True)
class CuratedEntry:
    """One curated string: keyed by (question_id, field) when question_id is set, else by source_text."""

    language: str
    translation: str
    question_id: str = ""
    field: str = ""
    source_text: str = ""


class TranslationMemory:
    """Open (creating if needed) the memory at `path`. Use from one thread; close when done."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._db = sqlite3.connect(self.path, timeout=30)
            self._db.execute("PRAGMA journal_mode=WAL")  # readers never block the writer
            self._db.execute("PRAGMA synchronous=NORMAL")  # durable across a process crash
            self._db.executescript(_SCHEMA)
        except sqlite3.DatabaseError as error:
            raise UsageError(f"cannot open the translation memory ({error})", file=self.path) from None

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> "TranslationMemory":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # Machine translations --------------------------------------------------------------------

    def machine_entries(self, provider: str, source_language: str, target_languages: Iterable[str]) -> pd.DataFrame:
        """Cached answers of `provider` for these languages: target_language, source_text, translation, ..."""
        targets = list(target_languages)
        marks = ",".join("?" * len(targets))
        query = (
            "SELECT target_language, source_text, translation, provider_version, created_at "
            f"FROM machine_translations WHERE provider = ? AND source_language = ? AND target_language IN ({marks})"
        )
        return pd.read_sql_query(query, self._db, params=[provider, source_language, *targets])

    def put_machine(self, provider: str, source_language: str, target_language: str, source_text: str,
                    translation: str, provider_version: str, created_at: str | None = None) -> None:
        """Store one provider answer and commit at once (replacing an older answer on --refresh)."""
        with self._db:
            self._db.execute(
                "INSERT OR REPLACE INTO machine_translations VALUES (?, ?, ?, ?, ?, ?, ?)",
                (provider, source_language, target_language, source_text, translation, provider_version,
                 created_at or utc_now()),
            )

    # Curated translations --------------------------------------------------------------------

    def curated_entries(self, target_languages: Iterable[str]) -> pd.DataFrame:
        """All curated entries for these languages: method, target_language, question_id, field, source_text, ..."""
        targets = list(target_languages)
        marks = ",".join("?" * len(targets))
        query = (
            "SELECT method, target_language, question_id, field, source_text, translation, origin, created_at "
            f"FROM curated_translations WHERE target_language IN ({marks})"
        )
        return pd.read_sql_query(query, self._db, params=targets)

    def put_curated(self, entries: Iterable[CuratedEntry], method: str, origin: str) -> dict[str, int]:
        """Import curated entries in one transaction; idempotent.

        An entry whose translation is unchanged keeps its `created_at`, so importing the same
        file before every run changes nothing. Returns counts: added, updated, unchanged.
        """
        if method not in CURATED_METHODS:
            raise UsageError(f"method must be one of {', '.join(CURATED_METHODS)}, not {method!r}", variable="--method")
        counts = {"added": 0, "updated": 0, "unchanged": 0}
        now = utc_now()
        with self._db:
            for entry in entries:
                key = (method, entry.language, entry.question_id, entry.field, entry.source_text)
                row = self._db.execute(
                    "SELECT translation FROM curated_translations WHERE method = ? AND target_language = ? "
                    "AND question_id = ? AND field = ? AND source_text = ?", key,
                ).fetchone()
                if row is not None and row[0] == entry.translation:
                    counts["unchanged"] += 1
                    continue
                counts["added" if row is None else "updated"] += 1
                self._db.execute(
                    "INSERT OR REPLACE INTO curated_translations VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (*key[:5], entry.translation, origin, now),
                )
        return counts

    def counts(self) -> dict[str, int]:
        machine = self._db.execute("SELECT COUNT(*) FROM machine_translations").fetchone()[0]
        curated = self._db.execute("SELECT COUNT(*) FROM curated_translations").fetchone()[0]
        return {"machine": machine, "curated": curated}
