"""The release as a manifest source next to microdata: ingest, validate, publish, and a full
round trip (our `goqa` config, ingested as a release, gives back our distributions)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pandas as pd

from builder import tables
from builder.publish.configs import goqa_configs
from builder.publish.inputs import read_build
from tests.test_sources_goqa import ROWS


def add_release(project: Path, rows: list, name: str = "global_opinions.csv") -> None:
    folder = project / "raw" / "goqa"
    folder.mkdir(exist_ok=True)
    with open(folder / name, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["question", "selections", "options", "source"])
        writer.writerows(rows)
    with open(project / "raw" / "manifest.yaml", "a", encoding="utf-8") as manifest:
        manifest.write(f"\n  - path: goqa/{name}\n    source: goqa\n    survey: goqa\n    wave: '2023-06'\n    years: 2023\n")


def test_release_next_to_microdata_ingests_validates_and_publishes(project, builder_cli):
    add_release(project, ROWS)
    result = builder_cli("ingest", "--repin")
    assert result.exit_code == 0, result.output
    assert "goqa/global_opinions.csv: 9 rows, 7 questions" in result.stdout
    assert "left out rows: 1 empty_question, 1 duplicate" in result.stdout
    assert "flagged cells: 1 length_mismatch, 1 all_zero, 1 sum_off" in result.stdout
    report = json.loads((project / "build" / "ingest_report.json").read_text())
    assert report["files"][-1]["release"]["flagged_cells"]["sum_off"] == 1

    assert builder_cli("validate").exit_code == 0
    distributions = tables.read_table(project / "build", "distributions")
    release_rows = distributions[distributions["question_id"].str.startswith("goqa.")]
    assert release_rows["n"].isna().all() and str(distributions["n"].dtype) == "Int64"
    sources = tables.read_table(project / "build", "sources").set_index("survey")
    assert pd.isna(sources.loc["goqa", "catalog"]) and sources.loc["goqa", "rows"] == 9

    build = read_build(project / "build")
    (goqa,) = goqa_configs(build)
    assert len(goqa.splits["train"]) == 18 + 7
    result = builder_cli("push", "--version", "1.0.0", "--to", "dist")
    assert result.exit_code == 0, result.output
    assert (project / "dist" / "data" / "en" / "goqa-00000-of-00001.parquet").is_file()


def test_our_goqa_output_ingested_as_a_release_gives_back_our_distributions(project, builder_cli):
    assert builder_cli("ingest").exit_code == 0
    (config,) = goqa_configs(read_build(project / "build"))
    rows = [(row["question"], row["selections"], row["options"], row["source"]) for row in config.splits["train"]]
    original = tables.read_table(project / "build", "distributions")

    add_release(project, rows, "ours.csv")
    result = builder_cli("ingest", "--repin")
    assert result.exit_code == 0, result.output
    rebuilt = tables.read_table(project / "build", "distributions")
    again = rebuilt[rebuilt["question_id"].str.startswith("goqa.")]
    assert len(again) == len(original)
    key = ["country_code", "sample_frame"]
    questions = tables.read_table(project / "build", "questions").set_index("question_id")
    for question_id, cells in original.groupby("question_id"):
        text = questions.loc[question_id, "question"]
        twin = questions.index[(questions["question"] == text) & (questions["source"] == "goqa")]
        assert len(twin) == 1, question_id
        mine = cells.sort_values(key)
        theirs = again[again["question_id"] == twin[0]].sort_values(key)
        assert mine[key].values.tolist() == theirs[key].values.tolist()
        for a, b in zip(mine["probabilities"], theirs["probabilities"]):
            np.testing.assert_allclose(a, b, rtol=0, atol=1e-15)
