"""The `goqa` config round-trips: parsing it with the release parser gives back exactly the
numbers of the distributions table, and ingesting it as a release rebuilds the same tables."""

from __future__ import annotations

import csv

import numpy as np
import pandas as pd

from builder import tables
from builder.goqa_format import parse_options, parse_selections
from builder.publish.configs import goqa_configs
from builder.publish.inputs import read_build


def test_goqa_config_parses_back_to_the_distributions(project, builder_cli):
    assert builder_cli("ingest").exit_code == 0
    build = read_build(project / "build")
    (config,) = goqa_configs(build)
    rows = config.splits["train"]
    questions = tables.read_table(project / "build", "questions").sort_values("question_id").reset_index(drop=True)
    distributions = tables.read_table(project / "build", "distributions")
    assert len(rows) == len(questions)
    for row, question in zip(rows, questions.itertuples()):
        assert row["question"] == question.question
        assert parse_options(row["options"]) == list(question.options)
        assert row["source"] == {"pew_gas": "GAS", "wvs": "WVS"}[question.source]
        selections = parse_selections(row["selections"])
        cells = distributions[distributions["question_id"] == question.question_id]
        assert len(selections) == len(cells)
        for cell in cells.itertuples():
            suffix = {"national": "", "old_national": " (Old national sample)", "current_national": " (Current national sample)",
                      "non_national": " (Non-national sample)"}[cell.sample_frame]
            assert selections[cell.country + suffix] == list(cell.probabilities)  # exactly, not approximately
