"""Builds for the publishing tests: the bundled sample ingested once, with a small translations table,
and the edits that turn it into a "next release" with known changes.

    ingested_project   (session) a project folder: builder.yaml, raw/, build/ with four tables
    release_project    a fresh copy of it, made the current directory

`expected_rows(build_dir)` computes what each published config must hold straight from the
tables, independently of builder/publish/configs.py, so the tests compare against the tables.
"""

from __future__ import annotations

import shutil
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest


from builder import tables
from builder.ingest import run_ingest
from builder.translate.table import TRANSLATIONS_FILE, source_sha256, write_translations
from tests.support.cli import CliResult, run_builder

REPO = Path(__file__).resolve().parents[2]
LANGUAGES = ("ru", "zh-Hans")
UNTRANSLATED_IN_RU = "wvs7_synthetic.Q289"  # a language config need not hold every question


def translations_for(questions: pd.DataFrame) -> pd.DataFrame:
    """Two languages: zh-Hans machine-translated (one row flagged), ru human except one question."""
    rows = []
    for question in questions.itertuples(index=False):
        for language in LANGUAGES:
            if language == "ru" and question.question_id == UNTRANSLATED_IN_RU:
                continue
            machine = language == "zh-Hans"
            rows.append({
                "question_id": question.question_id,
                "language": language,
                "question": f"[{language}] {question.question}",
                "options": [f"[{language}] {option}" for option in question.options],
                "method": "machine" if machine else "human",
                "provider": "google" if machine else None,
                "provider_version": "deep-translator 1.11.4" if machine else None,
                "source_sha256": source_sha256(question.question, list(question.options)),
                "translated_at": pd.Timestamp("2026-01-02T03:04:05", tz="UTC"),
                "flags": ["length_ratio"] if machine and question.question_id.endswith(".Q1") else [],
                "backtranslation_similarity": None,
            })
    return pd.DataFrame(rows)


def write_sample_translations(build_dir: Path) -> None:
    questions = tables.read_table(build_dir, "questions")
    write_translations(build_dir / TRANSLATIONS_FILE, translations_for(questions),
                       tables.build_id_of(tables.table_path(build_dir, "questions")))


@pytest.fixture(scope="session")
def ingested_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("publish") / "project"
    (root / "raw").mkdir(parents=True)
    shutil.copy(REPO / "builder.yaml", root / "builder.yaml")
    shutil.copy(REPO / "raw" / "manifest.yaml", root / "raw" / "manifest.yaml")
    for folder in ("catalogs", "sample"):
        shutil.copytree(REPO / "raw" / folder, root / "raw" / folder)
    run_ingest(root / "raw" / "manifest.yaml", root / "build")
    write_sample_translations(root / "build")
    return root


@pytest.fixture
def release_project(ingested_project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "project"
    shutil.copytree(ingested_project, root)
    monkeypatch.chdir(root)
    return root


# ---- the next release: known changes --------------------------------------------------------------
REMOVED_QUESTION = "wvs7_synthetic.Q171"
ADDED_QUESTION = "pew_gas_synthetic.fav_us_again"
REWORDED_QUESTION = "pew_gas_synthetic.Q2"
RESHUFFLED_QUESTION = "pew_gas_synthetic.fav_china"  # MEX's answers change, no country change
REMOVED_COUNTRY = ("DEU", "Germany")  # dropped from every question
ADDED_COUNTRY = ("FRA", "France")  # added to one question
QUESTION_GAINING_COUNTRY = "wvs7_synthetic.Q1"


def change_build(build_dir: Path) -> None:
    """Edit a valid build into the next release's build, keeping it valid (same build_id)."""
    build_id = tables.build_id_of(tables.table_path(build_dir, "questions"))
    questions = tables.read_table(build_dir, "questions")
    distributions = tables.read_table(build_dir, "distributions")
    translations = pd.read_parquet(build_dir / TRANSLATIONS_FILE)

    questions = questions[questions["question_id"] != REMOVED_QUESTION]
    distributions = distributions[distributions["question_id"] != REMOVED_QUESTION]
    translations = translations[translations["question_id"] != REMOVED_QUESTION]

    added = questions[questions["question_id"] == "pew_gas_synthetic.fav_us"].assign(question_id=ADDED_QUESTION,
                                                                                        variable="fav_us_again")
    added_rows = distributions[distributions["question_id"] == "pew_gas_synthetic.fav_us"].assign(question_id=ADDED_QUESTION)
    questions = pd.concat([questions, added], ignore_index=True)
    distributions = pd.concat([distributions, added_rows], ignore_index=True)

    reworded = questions["question_id"] == REWORDED_QUESTION
    questions.loc[reworded, "question"] = questions.loc[reworded, "question"] + " (reworded)"
    new_text = questions.loc[reworded].iloc[0]
    translations.loc[translations["question_id"] == REWORDED_QUESTION, "source_sha256"] = source_sha256(
        new_text["question"], list(new_text["options"]))

    reshuffled = (distributions["question_id"] == RESHUFFLED_QUESTION) & (distributions["country_code"] == "MEX")
    distributions.loc[reshuffled, "probabilities"] = distributions.loc[reshuffled, "probabilities"].map(lambda p: p[::-1])

    distributions = distributions[distributions["country_code"] != REMOVED_COUNTRY[0]]
    template = distributions[(distributions["question_id"] == QUESTION_GAINING_COUNTRY)
                             & (distributions["country_code"] == "ARG")]
    gained = template.assign(country_code=ADDED_COUNTRY[0], country=ADDED_COUNTRY[1], source_country=ADDED_COUNTRY[1])
    distributions = pd.concat([distributions, gained], ignore_index=True)

    tables.write_table(build_dir, "questions", questions, build_id)
    tables.write_table(build_dir, "distributions", distributions, build_id)
    write_translations(build_dir / TRANSLATIONS_FILE, translations, build_id)


QUESTIONS_WITH_GERMANY = ["wvs7_synthetic.Q1", "wvs7_synthetic.Q164", "wvs7_synthetic.Q2", "wvs7_synthetic.Q289",
                          "wvs7_synthetic.Q33_3", "wvs7_synthetic.Q56"]


def expected_changelog() -> dict:
    """What change_build did, written out by hand."""
    changed = {
        REWORDED_QUESTION: {"changed": ["question"], "countries_added": [], "countries_removed": []},
        RESHUFFLED_QUESTION: {"changed": ["selections"], "countries_added": [], "countries_removed": []},
    }
    for question_id in QUESTIONS_WITH_GERMANY:
        changed[question_id] = {"changed": ["selections"], "countries_added": [], "countries_removed": ["DEU"]}
    changed[QUESTION_GAINING_COUNTRY]["countries_added"] = ["FRA"]
    return {
        "against": "1.0.0",
        "questions_added": [ADDED_QUESTION],
        "questions_removed": [REMOVED_QUESTION],
        "questions_changed": [{"question_id": question_id, **change} for question_id, change in sorted(changed.items())],
        "countries_added": {ADDED_COUNTRY[0]: ADDED_COUNTRY[1]},
        "countries_removed": {REMOVED_COUNTRY[0]: REMOVED_COUNTRY[1]},
        "languages_added": [],
        "languages_removed": [],
    }


# ---- what each config must hold, computed from the tables -------------------------------------------
SELECTION_COLUMNS = ["country_code", "country", "sample_frame", "source_country", "probabilities", "dont_know_share",
                     "refused_share", "dk_refused_share", "no_answer_share", "n", "n_asked", "effective_n"]


def expected_rows(build_dir: Path) -> dict[str, dict[str, list[dict]]]:
    """config -> split -> rows, from the build tables."""
    questions = sorted(pq.read_table(build_dir / "questions.parquet").to_pylist(), key=lambda q: q["question_id"])
    answers = defaultdict(list)
    for row in pq.read_table(build_dir / "distributions.parquet").to_pylist():
        answers[row["question_id"]].append({column: row[column] for column in SELECTION_COLUMNS})
    english = []
    for question in questions:
        selections = sorted(answers[question["question_id"]], key=lambda s: (s["country_code"], s["sample_frame"]))
        english.append({**question, "selections": selections})
    configs = {"en": english}
    translations_path = build_dir / TRANSLATIONS_FILE
    translations = pq.read_table(translations_path).to_pylist() if translations_path.is_file() else []
    by_id = {row["question_id"]: row for row in english}
    for language in sorted({t["language"] for t in translations}):
        configs[language] = [
            {**by_id[t["question_id"]], "question": t["question"], "options": t["options"], "language": language,
             "question_en": by_id[t["question_id"]]["question"], "options_en": by_id[t["question_id"]]["options"],
             "translation_method": t["method"], "translation_provider": t["provider"], "translation_flags": t["flags"]}
            for t in sorted(translations, key=lambda t: t["question_id"]) if t["language"] == language
        ]
    configs["long"] = [
        {"question_id": q["question_id"], "source": q["source"], "survey": q["survey"], "wave": q["wave"],
         "year_start": q["year_start"], "year_end": q["year_end"], "question": q["question"], "scale_type": q["scale_type"],
         "country_code": s["country_code"], "country": s["country"], "sample_frame": s["sample_frame"],
         "option_index": i, "option": option,
         "option_code": q["option_codes"][i] if q["option_codes"] is not None else None,
         "ordinal": q["ordinal"][i] if q["ordinal"] is not None else None,
         "probability": s["probabilities"][i], "n": s["n"], "effective_n": s["effective_n"]}
        for q in english for s in q["selections"] for i, option in enumerate(q["options"])
    ]
    result = {config: _by_source(rows) for config, rows in configs.items()}
    result["goqa"] = {"train": [_goqa_row(q) for q in english]}
    return result


GOQA_FRAMES = {"national": "", "non_national": " (Non-national sample)", "old_national": " (Old national sample)",
               "current_national": " (Current national sample)"}


def _goqa_row(question: dict) -> dict:
    """The original release's four columns, written the way its authors' code printed them."""
    selections = defaultdict(list)
    for s in question["selections"]:
        selections[s["country"] + GOQA_FRAMES[s["sample_frame"]]] = list(s["probabilities"])
    return {"question": question["question"], "selections": repr(selections), "options": repr(list(question["options"])),
            "source": {"pew_gas": "GAS", "wvs": "WVS"}[question["source"]]}


def _by_source(rows: list[dict]) -> dict[str, list[dict]]:
    splits = defaultdict(list)
    for row in rows:
        splits[row["source"]].append(row)
    return dict(splits)


# ---- the command, in this process ----------------------------------------------------------------
def run_push(*args: str) -> CliResult:
    """`builder push ARGS` through the real command line (one-line errors)."""
    return run_builder("push", *args)
