"""`builder translate` and `builder translate import` through click, in a throwaway project.

The command is registered on a tiny group built like the real CLI (builder.cli._Group, which
turns BuilderError into one line and an exit code); wiring it into `builder` itself is one
line in builder/cli.py.
"""

from __future__ import annotations

import json

import click
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from builder.cli import _Group
from builder.tables import BUILD_ID_KEY
from builder.translate.commands import translate
from builder.translate.memory import TranslationMemory
from builder.translate.table import read_translations
from builder.translate.validation import translations_failures
from tests.support.libretranslate_server import libre_server  # noqa: F401 - pytest fixture

SECRET = "sk-CLI-SECRET-777"
QUESTIONS = pd.DataFrame([
    {"question_id": "wvs7.Q164", "question": "How important is God in your life?", "options": ["Very", "Not at all"]},
    {"question_id": "pew_gas_2019.direction", "question": "Is (survey country) heading in the right direction?",
     "options": ["Yes", "No"]},
])


@click.group(cls=_Group)
@click.pass_context
def cli(ctx: click.Context) -> None:
    ctx.ensure_object(dict)


cli.add_command(translate)


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A project folder: builder.yaml, build/questions.parquet, one human-translations file."""
    (tmp_path / "builder.yaml").write_text(
        "translate:\n"
        "  languages: [ru, tr]\n"
        "  provider: libre\n"
        "  curated:\n"
        "    - {path: raw/translations/human.csv, method: human}\n"
        "  workers: 2\n"
        "  requests_per_second: 0\n"
        "  retry_base_seconds: 0.001\n", encoding="utf-8")
    (tmp_path / "build").mkdir()
    table = pa.Table.from_pandas(QUESTIONS, preserve_index=False).replace_schema_metadata({BUILD_ID_KEY: b"b-42"})
    pq.write_table(table, tmp_path / "build" / "questions.parquet")
    (tmp_path / "raw" / "translations").mkdir(parents=True)
    (tmp_path / "raw" / "translations" / "human.csv").write_text(
        "question_id,language,question,options\n"
        'wvs7.Q164,ru,Насколько важен Бог в вашей жизни?,"[""Очень"", ""Совсем нет""]"\n'
        'wvs7.Q164,tr,Tanrı hayatınızda ne kadar önemli?,"[""Çok"", ""Hiç""]"\n'
        'pew_gas_2019.direction,ru,(survey country) движется в правильном направлении?,"[""Да"", ""Нет""]"\n'
        'pew_gas_2019.direction,tr,(survey country) doğru yönde mi ilerliyor?,"[""Evet"", ""Hayır""]"\n',
        encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    for name in ("BUILDER_TRANSLATE_PROVIDER", "LIBRETRANSLATE_URL", "LIBRETRANSLATE_API_KEY", "DEEPL_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def invoke(*args: str):
    return CliRunner().invoke(cli, ["translate", *args])


def test_offline_build_from_shipped_human_translations(project):
    result = invoke("--offline")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("wrote build/translations.parquet: 4 rows (ru, tr); libre: "
                                    "2 language(s), 12 curated strings, 0 cached, 0 sent, 0 failed")
    rows = read_translations(project / "build" / "translations.parquet")
    assert (rows["method"] == "human").all() and rows["provider"].isna().all()
    direction = rows.set_index(["question_id", "language"]).loc[("pew_gas_2019.direction", "tr")]
    assert direction["question"] == "(survey country) doğru yönde mi ilerliyor?" and list(direction["flags"]) == []
    metadata = pq.read_schema(project / "build" / "translations.parquet").metadata
    assert metadata[BUILD_ID_KEY] == b"b-42"  # the questions' build id: validate can match them
    assert translations_failures(rows, {"questions": QUESTIONS}) == []


def test_import_then_translate_with_a_provider(project, libre_server, monkeypatch):
    monkeypatch.setenv("LIBRETRANSLATE_URL", libre_server.url)
    (project / "official.json").write_text(json.dumps([{"source": "Yes", "translation": "Ja"}]), encoding="utf-8")
    result = invoke("import", "official.json", "--method", "official", "--lang", "de")
    assert result.exit_code == 0 and result.output == "imported official.json as official: 1 added, 0 updated, " \
                                                      "0 unchanged\n"
    result = invoke("--lang", "de,ru")
    assert result.exit_code == 0, result.output
    rows = read_translations(project / "build" / "translations.parquet").set_index(["question_id", "language"])
    assert rows.loc[("pew_gas_2019.direction", "de"), "options"].tolist() == ["Ja", "[de] No"]
    assert rows.loc[("pew_gas_2019.direction", "ru"), "method"] == "human"
    assert libre_server.total_translated == 5  # de: 2 questions + "Very", "Not at all", "No"; ru is curated


@pytest.mark.parametrize("args, env, message", [
    (["--lang", "xx"], {}, "error: --lang: 'xx' is not a valid BCP 47 language tag (examples: zh-Hans, ru, tr)\n"),
    (["--provider", "deepl"], {}, "error: --provider: provider deepl needs the environment variable DEEPL_API_KEY\n"),
    (["--provider", "deepl", "--lang", "zh-Hant"], {"DEEPL_API_KEY": SECRET},
     "error: --lang: language 'zh-Hant' is not supported by provider 'deepl'\n"),
    ([], {}, "error: --provider: provider libre needs the environment variable LIBRETRANSLATE_URL "
             "(the LibreTranslate server, e.g. http://localhost:5000/)\n"),
])
def test_bad_input_is_one_line_and_exit_2(project, monkeypatch, args, env, message):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    result = invoke(*args)
    assert (result.exit_code, result.output) == (2, message)
    assert not (project / "build" / "translations.parquet").exists()


def test_unsupported_language_stops_before_any_call(project, libre_server, monkeypatch):
    monkeypatch.setenv("LIBRETRANSLATE_URL", libre_server.url)
    libre_server.languages = ["en", "ru"]
    result = invoke("--lang", "ru,ja")
    assert (result.exit_code, result.output) == (2, "error: --lang: language 'ja' is not supported by provider "
                                                    "'libre'\n")
    assert not libre_server.attempts


def test_failing_provider_keeps_the_previous_table_and_the_memory(project, libre_server, monkeypatch):
    monkeypatch.setenv("LIBRETRANSLATE_URL", libre_server.url)
    assert invoke("--offline").exit_code == 0
    previous = (project / "build" / "translations.parquet").read_bytes()
    libre_server.fail(500, times=10**6, text="No")

    result = invoke("--lang", "de")

    assert result.exit_code == 1
    assert result.output == ("error: translation incomplete: libre: 1 language(s), 0 curated strings, 0 cached, "
                             "5 sent, 1 failed; first error: libre: server error (HTTP 500) (after 5 attempts); "
                             "translated strings are kept in the translation memory, rerun to continue\n")
    assert (project / "build" / "translations.parquet").read_bytes() == previous
    with TranslationMemory(project / "cache" / "translation_memory.sqlite") as memory:
        assert len(memory.machine_entries("libre", "en", ["de"])) == 5


def test_offline_with_missing_strings(project):
    result = invoke("--offline", "--lang", "de")
    assert result.exit_code == 1
    assert result.output.startswith("error: --offline: 6 distinct string(s) (translate) have no translation")


def test_keys_never_appear_in_output_logs_or_files(project, libre_server, monkeypatch, caplog):
    import logging

    caplog.set_level(logging.DEBUG)
    monkeypatch.setenv("LIBRETRANSLATE_URL", libre_server.url)
    monkeypatch.setenv("LIBRETRANSLATE_API_KEY", SECRET)
    libre_server.api_key = "another-key"
    refused = invoke("--lang", "de")
    assert refused.exit_code == 1 and "authorization refused (HTTP 403)" in refused.output
    libre_server.api_key = SECRET
    accepted = invoke("--lang", "de", "--backtranslate")
    assert accepted.exit_code == 0, accepted.output

    assert SECRET not in refused.output + accepted.output + caplog.text
    for path in [*project.joinpath("cache").iterdir(), *project.joinpath("build").iterdir()]:
        assert SECRET.encode() not in path.read_bytes()


def test_stale_translations_are_reported_by_the_validate_hook(project):
    assert invoke("--offline").exit_code == 0
    rows = read_translations(project / "build" / "translations.parquet")
    changed = QUESTIONS.assign(question=["How important is religion in your life?", QUESTIONS.loc[1, "question"]])
    failures = translations_failures(rows, {"questions": changed})
    assert [(f.table, f.check, f.question_id, f.value[:3]) for f in failures] == [
        ("translations", "source_sha256_current", "wvs7.Q164", "ru:"),
        ("translations", "source_sha256_current", "wvs7.Q164", "tr:")]
