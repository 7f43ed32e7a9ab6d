"""The SQLite translation memory: durable per call, WAL, idempotent curated imports."""

from __future__ import annotations

import sqlite3

import pytest

from builder.errors import UsageError
from builder.translate.memory import CuratedEntry, TranslationMemory


def test_each_answer_is_committed_at_once(tmp_path):
    path = tmp_path / "memory.sqlite"
    with TranslationMemory(path) as memory:
        memory.put_machine("libre", "en", "ru", "Yes", "Да", "deep-translator 1.11.4 LibreTranslator")
        # A second connection (another process after a crash) already sees it: nothing waits for close().
        other = sqlite3.connect(path)
        assert other.execute("SELECT translation FROM machine_translations").fetchall() == [("Да",)]
        assert other.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        other.close()


def test_machine_entries_are_keyed_by_provider_languages_and_exact_text(tmp_path):
    with TranslationMemory(tmp_path / "memory.sqlite") as memory:
        memory.put_machine("libre", "en", "ru", "Yes", "Да", "v1", created_at="2026-01-01T00:00:00.000000+00:00")
        memory.put_machine("libre", "en", "ru", "Yes ", "Да ", "v1")
        memory.put_machine("google", "en", "ru", "Yes", "Ага", "v1")
        memory.put_machine("libre", "en", "tr", "Yes", "Evet", "v1")
        memory.put_machine("libre", "en", "ru", "Yes", "Да!", "v2")  # --refresh replaces
        entries = memory.machine_entries("libre", "en", ["ru"])
        assert sorted(zip(entries["source_text"], entries["translation"], entries["provider_version"])) == [
            ("Yes", "Да!", "v2"), ("Yes ", "Да ", "v1")]
        assert memory.counts() == {"machine": 4, "curated": 0}


def test_curated_import_is_idempotent_and_keeps_created_at(tmp_path):
    entries = [CuratedEntry("ru", "Да", source_text="Yes"),
               CuratedEntry("ru", "Вопрос", question_id="wvs7.Q1", field="question")]
    with TranslationMemory(tmp_path / "memory.sqlite") as memory:
        assert memory.put_curated(entries, "human", "a.csv") == {"added": 2, "updated": 0, "unchanged": 0}
        first = memory.curated_entries(["ru"]).sort_values("translation").reset_index(drop=True)
        assert memory.put_curated(entries, "human", "a.csv") == {"added": 0, "updated": 0, "unchanged": 2}
        again = memory.curated_entries(["ru"]).sort_values("translation").reset_index(drop=True)
        assert first.equals(again)
        changed = [CuratedEntry("ru", "Да!", source_text="Yes")]
        assert memory.put_curated(changed, "human", "a.csv") == {"added": 0, "updated": 1, "unchanged": 0}
        assert memory.put_curated(changed, "official", "b.csv") == {"added": 1, "updated": 0, "unchanged": 0}
        with pytest.raises(UsageError, match="method must be one of official, human"):
            memory.put_curated(changed, "machine", "c.csv")


def test_a_corrupt_memory_is_a_usage_error(tmp_path):
    path = tmp_path / "memory.sqlite"
    path.write_bytes(b"not a database" * 100)
    with pytest.raises(UsageError, match="cannot open the translation memory"):
        TranslationMemory(path)
