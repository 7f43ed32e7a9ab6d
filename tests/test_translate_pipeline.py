"""translate_questions end to end: the real deep-translator LibreTranslate client, the loopback
server counting every call, and a real SQLite memory in tmp_path."""

from __future__ import annotations

import pandas as pd
import pytest

from builder.errors import DataError, UsageError
from builder.translate.memory import CuratedEntry, TranslationMemory
from builder.translate.pipeline import TranslationIncomplete, translate_questions
from builder.translate.providers import LibreProvider
from builder.translate.table import read_translations, source_sha256, write_translations
from builder.translate.throttle import RetryPolicy
from tests.support.libretranslate_server import libre_server  # noqa: F401 - pytest fixture

FAVORABLE = ["Very favorable", "Somewhat favorable", "Somewhat unfavorable", "Very unfavorable"]
CONFIDENCE = ["A great deal", "Quite a lot", "Not very much", "None at all"]
LADDER = [str(number) for number in range(1, 11)]


@pytest.fixture
def questions() -> pd.DataFrame:
    """Shaped like build/questions.parquet (docs/tables.md): repeated scales, a battery, placeholders, a ladder."""
    return pd.DataFrame([
        {"question_id": "pew_gas_2019.fav_us", "options": FAVORABLE,
         "question": "Please tell me if you have a very favorable, somewhat favorable, somewhat unfavorable or "
                     "very unfavorable opinion of the United States."},
        {"question_id": "pew_gas_2019.fav_un", "options": FAVORABLE,
         "question": "Please tell me if you have a very favorable, somewhat favorable, somewhat unfavorable or "
                     "very unfavorable opinion of the United Nations."},
        {"question_id": "wvs7.Q69", "options": CONFIDENCE,
         "question": "How much confidence do you have in the following organizations: The police"},
        {"question_id": "wvs7.Q70", "options": CONFIDENCE,
         "question": "How much confidence do you have in the following organizations: The courts"},
        {"question_id": "pew_gas_2019.conf_blank", "options": ["Yes", "No"],
         "question": "Do you have confidence in ____ to do the right thing regarding world affairs?"},
        {"question_id": "pew_gas_2019.direction", "options": ["Yes", "No"],
         "question": "Is (survey country) heading in the right direction?"},
        {"question_id": "wvs7.Q164", "options": LADDER, "question": "How important is God in your life?"},
    ])


def expected_sent(questions: pd.DataFrame, languages) -> set[tuple[str, str]]:
    """Every distinct string with letters, placeholders replaced by tokens: what must reach the server."""
    texts = set(questions["question"]) | {option for options in questions["options"] for option in options}
    texts = {text.replace("____", "{{0}}").replace("(survey country)", "{{0}}") for text in texts}
    return {(language, text) for language in languages for text in texts if any(c.isalpha() for c in text)}


def provider_for(server, **env) -> LibreProvider:
    return LibreProvider({"LIBRETRANSLATE_URL": server.url, **env}, timeout=2.0, retry=RetryPolicy(base=0.001))


@pytest.fixture
def memory(tmp_path):
    with TranslationMemory(tmp_path / "cache" / "translation_memory.sqlite") as memory:
        yield memory


def test_each_distinct_string_is_sent_exactly_once(questions, libre_server, memory):
    rows, report = translate_questions(questions, ["ru", "tr"], provider_for(libre_server), memory, workers=4)

    expected = expected_sent(questions, ["ru", "tr"])
    assert set(libre_server.translated) == expected
    assert all(count == 1 for count in libre_server.translated.values())
    assert report.sent == report.unique_machine == len(expected) and report.cached == 0 and report.failed == 0
    # 7 questions x 2 languages; options keep count and order; a repeated label is translated alike
    assert len(rows) == 14 and list(rows["language"].unique()) == ["ru", "tr"]
    by_key = rows.set_index(["question_id", "language"])
    assert by_key.loc[("pew_gas_2019.fav_un", "ru"), "options"] == [f"[ru] {label}" for label in FAVORABLE]
    assert by_key.loc[("wvs7.Q164", "tr"), "options"] == LADDER  # no letters: copied, never sent
    assert (rows["method"] == "machine").all() and (rows["provider"] == "libre").all()
    fav_us = questions.iloc[0]
    assert by_key.loc[("pew_gas_2019.fav_us", "ru"), "source_sha256"] == source_sha256(fav_us["question"],
                                                                                       fav_us["options"])


def test_rebuild_from_memory_calls_nothing_and_gives_identical_rows(questions, libre_server, memory, tmp_path):
    first, _ = translate_questions(questions, ["ru"], provider_for(libre_server), memory)
    calls = sum(libre_server.attempts.values())
    second, report = translate_questions(questions, ["ru"], provider_for(libre_server), memory)
    offline, _ = translate_questions(questions, ["ru"], provider_for(libre_server), memory, offline=True)

    assert sum(libre_server.attempts.values()) == calls
    assert report.sent == 0 and report.cached == report.unique_machine > 0
    pd.testing.assert_frame_equal(first, second)
    pd.testing.assert_frame_equal(first, offline)
    write_translations(tmp_path / "a.parquet", first, "build-1")
    write_translations(tmp_path / "b.parquet", offline, "build-1")
    assert (tmp_path / "a.parquet").read_bytes() == (tmp_path / "b.parquet").read_bytes()
    assert read_translations(tmp_path / "a.parquet")["translated_at"].notna().all()


def test_refresh_asks_again(questions, libre_server, memory):
    translate_questions(questions, ["ru"], provider_for(libre_server), memory)
    libre_server.glossary[("ru", "Yes")] = "Да"
    rows, report = translate_questions(questions, ["ru"], provider_for(libre_server), memory, refresh=True)
    assert all(count == 2 for count in libre_server.translated.values())
    assert report.sent == report.unique_machine
    assert rows.set_index("question_id").loc["pew_gas_2019.direction", "options"] == ["Да", "[ru] No"]


class InterruptAfter:
    """A progress sink that presses Ctrl-C after `count` finished strings."""

    def __init__(self, count: int):
        self.count = count

    def start(self, label, total, cached):
        pass

    def advance(self, sent=0, failed=0):
        self.count -= 1
        if self.count == 0:
            raise KeyboardInterrupt

    def finish(self):
        pass


def test_resume_after_interruption_repeats_no_stored_call(questions, libre_server, memory):
    libre_server.latency = 0.02
    with pytest.raises(KeyboardInterrupt):
        translate_questions(questions, ["ru", "tr"], provider_for(libre_server), memory, workers=3,
                            progress=InterruptAfter(6))
    stored = memory.machine_entries("libre", "en", ["ru", "tr"])
    stored_keys = set(zip(stored["target_language"], stored["source_text"]))
    assert len(stored_keys) == 6  # every answer received before Ctrl-C was committed
    libre_server.latency = 0.0

    rows, report = translate_questions(questions, ["ru", "tr"], provider_for(libre_server), memory, workers=3)

    assert len(rows) == 14 and report.cached == 6
    assert all(libre_server.translated[key] == 1 for key in stored_keys)  # stored strings never sent again
    expected = expected_sent(questions, ["ru", "tr"])
    repeated = sum(libre_server.translated.values()) - len(expected)
    assert 0 <= repeated <= 3  # at most the calls in flight when interrupted (3 workers)


def test_precedence_official_over_human_over_machine(questions, libre_server, memory):
    translate_questions(questions, ["ru"], provider_for(libre_server), memory)  # machine for everything
    calls = sum(libre_server.attempts.values())
    memory.put_curated([
        CuratedEntry("ru", "Да", source_text="Yes"),
        CuratedEntry("ru", "Человеческий вопрос", question_id="pew_gas_2019.direction", field="question"),
        CuratedEntry("ru", "Вопрос о ООН", question_id="pew_gas_2019.fav_un", field="question"),
        CuratedEntry("ru", '["Очень", "Скорее да", "Скорее нет", "Совсем нет"]',
                     question_id="pew_gas_2019.fav_un", field="options"),
    ], "human", "human.csv")
    memory.put_curated([
        CuratedEntry("ru", "Официальный вопрос", question_id="pew_gas_2019.direction", field="question"),
        CuratedEntry("ru", "Официально нет", source_text="No"),
    ], "official", "official.csv")

    rows, report = translate_questions(questions, ["ru"], provider_for(libre_server), memory)
    by_id = rows.set_index("question_id")

    assert sum(libre_server.attempts.values()) == calls  # curated strings need no call
    direction = by_id.loc["pew_gas_2019.direction"]
    assert direction["question"] == "Официальный вопрос"  # official by id beats human by id
    assert direction["options"] == ["Да", "Официально нет"]  # human and official by source text beat machine
    assert direction["method"] == "human" and pd.isna(direction["provider"])  # lowest precedence in the row
    fav_un = by_id.loc["pew_gas_2019.fav_un"]
    assert fav_un["options"][0] == "Очень" and fav_un["method"] == "human"
    blank = by_id.loc["pew_gas_2019.conf_blank"]  # machine question + curated options: machine
    assert blank["options"] == ["Да", "Официально нет"] and blank["method"] == "machine"
    assert blank["provider"] == "libre"
    assert report.curated == 3 + 5 + 2  # direction: question + 2 options; fav_un: question + 4; conf_blank: 2 options


def test_curated_options_with_wrong_count_are_a_data_error(questions, libre_server, memory):
    memory.put_curated([CuratedEntry("ru", '["Да"]', question_id="pew_gas_2019.direction", field="options")],
                       "human", "raw/translations/human.csv")
    with pytest.raises(DataError, match=r"human.csv: curated human options for pew_gas_2019.direction \(ru\) "
                                        r"have 1 entries, the English has 2"):
        translate_questions(questions, ["ru"], provider_for(libre_server), memory)


def test_offline_with_missing_strings_is_an_error_and_calls_nothing(questions, libre_server, memory):
    with pytest.raises(DataError, match=r"--offline: \d+ distinct string\(s\) \(translate\) have no translation"):
        translate_questions(questions, ["ru"], provider_for(libre_server), memory, offline=True)
    assert not libre_server.attempts


def test_language_problems_stop_the_run_before_any_call(questions, libre_server, memory):
    with pytest.raises(UsageError, match="'xx-notalang' is not a valid BCP 47"):
        translate_questions(questions, ["ru", "xx-notalang"], provider_for(libre_server), memory)
    libre_server.languages = ["en", "ru"]
    with pytest.raises(UsageError, match="'tr' is not supported by provider 'libre'"):
        translate_questions(questions, ["ru", "tr"], provider_for(libre_server), memory)
    assert not libre_server.attempts


def test_permanent_failure_keeps_what_succeeded(questions, libre_server, memory):
    libre_server.fail(500, times=10**6, text="Yes")
    with pytest.raises(TranslationIncomplete) as incomplete:
        translate_questions(questions, ["ru"], provider_for(libre_server), memory, workers=2)
    report = incomplete.value.report
    assert report.failed == 1 and report.sent == report.unique_machine - 1
    assert libre_server.attempts[("ru", "Yes")] == 5
    assert str(incomplete.value).startswith(f"translation incomplete: libre: 1 language(s), 0 curated strings, "
                                            f"0 cached, {report.sent} sent, 1 failed; first error: libre: server "
                                            "error (HTTP 500) (after 5 attempts)")
    assert len(memory.machine_entries("libre", "en", ["ru"])) == report.sent

    libre_server._faults.clear()  # the outage is over: the rerun sends only the missing string
    before = sum(libre_server.translated.values())
    rows, report = translate_questions(questions, ["ru"], provider_for(libre_server), memory)
    assert sum(libre_server.translated.values()) == before + 1 and report.sent == 1 and len(rows) == 7


def test_provider_down_stops_early(questions, libre_server, memory):
    libre_server.fail(503, times=10**6)
    with pytest.raises(TranslationIncomplete) as incomplete:
        translate_questions(questions, ["ru", "tr"], provider_for(libre_server), memory, workers=2,
                            max_consecutive_failures=3)
    report = incomplete.value.report
    assert report.not_attempted > 0 and report.sent == 0
    assert report.failed + report.not_attempted <= report.unique_machine
    assert sum(libre_server.attempts.values()) <= (3 + 2 * 2) * 5  # stopped, not every string x 5 attempts


def test_placeholders_round_trip_and_losses_are_flagged(questions, libre_server, memory):
    masked_blank = "Do you have confidence in {{0}} to do the right thing regarding world affairs?"
    masked_direction = "Is {{0}} heading in the right direction?"
    libre_server.glossary[("ru", masked_blank)] = "Доверяете ли вы ｛｛ 0 ｝｝ в мировых делах?"  # full-width
    libre_server.glossary[("ru", masked_direction)] = "Движется ли страна в правильном направлении?"  # token lost

    rows, _ = translate_questions(questions, ["ru"], provider_for(libre_server), memory)
    by_id = rows.set_index("question_id")

    assert ("ru", masked_blank) in libre_server.translated  # the blank never reached the provider
    assert by_id.loc["pew_gas_2019.conf_blank", "question"] == "Доверяете ли вы ____ в мировых делах?"
    assert "placeholder_lost" not in by_id.loc["pew_gas_2019.conf_blank", "flags"]
    assert by_id.loc["pew_gas_2019.direction", "flags"] == ["placeholder_lost"]


def test_quality_flags(questions, libre_server, memory):
    long_question = questions.loc[2, "question"]
    libre_server.glossary.update({
        ("ru", "A great deal"): "A great deal",  # came back untranslated
        ("ru", "None at all"): "",  # came back empty
        ("ru", long_question): "Да",  # far too short for its English
    })
    rows, _ = translate_questions(questions, ["ru"], provider_for(libre_server), memory)
    flags = rows.set_index("question_id")["flags"]
    assert flags["wvs7.Q69"] == ["empty", "identical_to_source", "length_ratio"]
    assert flags["wvs7.Q70"] == ["empty", "identical_to_source"]
    assert flags["wvs7.Q164"] == []  # copied ladder numbers are not "identical to source"


def test_backtranslation_similarity(questions, libre_server, memory):
    question = questions.loc[6, "question"]
    libre_server.glossary[("ru", question)] = "Насколько важен Бог в вашей жизни?"
    libre_server.glossary[("en", "Насколько важен Бог в вашей жизни?")] = question
    rows, report = translate_questions(questions, ["ru"], provider_for(libre_server), memory, backtranslate=True)
    similarity = rows.set_index("question_id")["backtranslation_similarity"]
    assert similarity["wvs7.Q164"] == 1.0
    assert similarity.between(0, 1).all()
    assert ("en", "[ru] Is {{0}} heading in the right direction?") in libre_server.translated  # masked again
    assert report.sent == report.unique_machine  # back-translations are cached like the rest
    again, _ = translate_questions(questions, ["ru"], provider_for(libre_server), memory, backtranslate=True,
                                   offline=True)
    pd.testing.assert_frame_equal(rows, again)


def test_keys_never_reach_the_memory_or_the_table(questions, libre_server, memory, tmp_path):
    secret = "sk-LIBRE-SECRET-42"
    libre_server.api_key = secret
    rows, _ = translate_questions(questions, ["ru"], provider_for(libre_server, LIBRETRANSLATE_API_KEY=secret),
                                  memory)
    write_translations(tmp_path / "translations.parquet", rows)
    memory.close()
    for path in [*tmp_path.joinpath("cache").iterdir(), tmp_path / "translations.parquet"]:
        assert secret.encode() not in path.read_bytes()


def test_progress_bar_counts_cached_sent_failed(questions, libre_server, memory, capsys):
    from builder.translate.progress import RichProgress

    assert RichProgress().enabled is False  # stderr is not a terminal under pytest: no bar
    translate_questions(questions.iloc[:2], ["ru"], provider_for(libre_server), memory)  # some strings cached
    libre_server.fail(400, times=1, text="Yes")
    progress = RichProgress(enabled=True)
    with pytest.raises(TranslationIncomplete) as incomplete:
        translate_questions(questions, ["ru"], provider_for(libre_server), memory, progress=progress)
    report = incomplete.value.report
    assert (progress.cached, progress.sent, progress.failed) == (report.cached, report.sent, 1)
    assert report.cached == 6  # fav_us, fav_un and the four favorability labels
    assert f"cached {report.cached} · sent {report.sent} · failed 1" in capsys.readouterr().err
