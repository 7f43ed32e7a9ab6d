"""Curated (official / human) translation files: CSV and JSON, keyed by question_id or by source text."""

from __future__ import annotations

import json

import pytest

from builder.errors import UsageError
from builder.translate.curated import import_curated, read_curated_file
from builder.translate.memory import CuratedEntry, TranslationMemory


def test_csv_with_both_keyings(tmp_path):
    path = tmp_path / "human.csv"
    path.write_text(
        "\ufeffquestion_id,language,question,options,source,translation\n"
        'wvs7.Q1,ru,"Насколько важен Бог\nв вашей жизни?","[""Очень"", ""Совсем нет""]",,\n'
        "wvs7.Q2,zh-hans,只有问题,,,\n"
        ",tr,,,Yes,Evet\n", encoding="utf-8")
    assert read_curated_file(path) == [
        CuratedEntry("ru", "Насколько важен Бог\nв вашей жизни?", question_id="wvs7.Q1", field="question"),
        CuratedEntry("ru", '["Очень", "Совсем нет"]', question_id="wvs7.Q1", field="options"),
        CuratedEntry("zh-Hans", "只有问题", question_id="wvs7.Q2", field="question"),
        CuratedEntry("tr", "Evet", source_text="Yes"),
    ]


def test_json_with_default_language(tmp_path):
    path = tmp_path / "official.json"
    path.write_text(json.dumps([
        {"question_id": "wvs7.Q1", "options": ["Очень", "Совсем нет"]},
        {"source": "No", "translation": "Нет", "language": "ru-RU"},
    ], ensure_ascii=False), encoding="utf-8")
    assert read_curated_file(path, default_language="ru") == [
        CuratedEntry("ru", '["Очень", "Совсем нет"]', question_id="wvs7.Q1", field="options"),
        CuratedEntry("ru-RU", "Нет", source_text="No"),
    ]
    with TranslationMemory(tmp_path / "memory.sqlite") as memory:
        assert import_curated(memory, path, "official", default_language="ru") == {
            "added": 2, "updated": 0, "unchanged": 0}
        assert set(memory.curated_entries(["ru"])["origin"]) == {str(path)}


@pytest.mark.parametrize("name, content, message", [
    ("a.csv", "question_id,question\nwvs7.Q1,Вопрос\n", "record 1: no language"),
    ("a.csv", "language,source\nru,Yes\n", "record 1: needs question_id"),
    ("a.csv", "question_id,language,options\nwvs7.Q1,ru,Да\n", "record 1: options must be a JSON list"),
    ("a.csv", "question_id,language,question\nwvs7.Q1,xx,Q\n", "record 1: 'xx' is not a valid BCP 47"),
    ("a.json", '[{"question_id": "q.1", "language": "ru", "options": ["Да", ""]}]', "non-empty strings"),
    ("a.json", '{"question_id": "q.1"}', "expected a JSON list of objects"),
    ("a.json", "[{", "invalid JSON at line 1"),
    ("a.txt", "", "must be a .csv or .json file"),
])
def test_bad_files_name_the_file_and_record(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(UsageError, match=message) as error:
        read_curated_file(path)
    assert str(error.value).startswith(str(path))


def test_missing_file(tmp_path):
    with pytest.raises(UsageError, match="curated translations file not found"):
        read_curated_file(tmp_path / "absent.csv")
