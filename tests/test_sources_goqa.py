"""The GlobalOpinionQA release as a third source: rows hand-written in the release's exact format,
one per quirk, each reported and handled as documented."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from builder.errors import DataError
from builder.manifest import ManifestEntry
from builder.sources.goqa import question_id, read_release, tabulate_release

SD = "defaultdict(<class 'list'>, {"  # how every selections value starts in the release

ROWS = [
    # 1. A Pew row ending in DK/Refused, with the release's abbreviations and sample frames.
    ("How would you describe the current economic situation in (survey country)?",
     SD + "'Argentina': [0.1, 0.2, 0.3, 0.3, 0.1], 'S. Korea': [0.25, 0.25, 0.25, 0.2, 0.05], "
          "'Palest. ter.': [0.4, 0.3, 0.2, 0.1, 0.0], 'India (Old national sample)': [0.2, 0.2, 0.2, 0.2, 0.2]})",
     "['Very good', 'Somewhat good', 'Somewhat bad', 'Very bad', 'DK/Refused']", "GAS"),
    # 2. A WVS row with every non-substantive and missing-data label of the release.
    ("For each of the following, indicate how important it is in your life.\n\nFamily",
     SD + "'Great Britain': [0.8, 0.1, 0.02, 0.01, 0.03, 0.02, 0.01, 0.01], 'Taiwan ROC': [0.7, 0.2, 0.05, 0.0, 0.05, 0.0, 0.0, 0.0]})",
     "['Very important', 'Rather important', 'Not very important', 'Not at all important', \"Don't know\", 'No answer', "
     "'Missing; Not available', 'Other missing; Multiple answers Mail (EVS)']", "WVS"),
    # 3. An empty question.
    ("", SD + "'Mexico': [0.5, 0.5]})", "['Yes', 'No']", "GAS"),
    # 4. One country's vector is longer than the options.
    ("Do you approve?", SD + "'Mexico': [0.6, 0.4], 'Brazil': [0.5, 0.3, 0.2]})", "['Approve', 'Disapprove']", "GAS"),
    # 5. All zeros for one country.
    ("Is it a threat?", SD + "'Kenya': [0.7, 0.3], 'Nigeria': [0.0, 0.0]})", "['Yes', 'No']", "GAS"),
    # 6. A sum far from 1 (the release has one at 1.072).
    ("Is it fair?", SD + "'Japan': [0.6, 0.472], 'France': [0.5, 0.5]})", "['Fair', 'Unfair']", "GAS"),
    # 7. A ladder of floats.
    ("On which step of the ladder do you stand?", SD + "'Peru': [0.1, 0.2, 0.3, 0.4]})", "[0.0, 1.0, 2.0, 3.0]", "GAS"),
    # 8. The same question and options again: a duplicate.
    ("Do you approve?", SD + "'Chile': [0.6, 0.4]})", "['Approve', 'Disapprove']", "GAS"),
    # 9. A placeholder and mixed labels and numbers.
    ("How much do you trust [INSERT COUNTRY-SPECIFIC EXAMPLE]?", SD + "'Germany': [0.1, 0.4, 0.5]})",
     "['Not at all', 2.0, 'Completely']", "WVS"),
]


def entry(tmp_path: Path) -> ManifestEntry:
    path = tmp_path / "global_opinions.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)  # the release was written with Python's csv quoting
        writer.writerow(["question", "selections", "options", "source"])
        writer.writerows(ROWS)
    return ManifestEntry(manifest_path=tmp_path / "manifest.yaml", path="global_opinions.csv", source="goqa", survey="goqa",
                         wave="2023", year_start=2023, year_end=2023, catalog="")


@pytest.fixture
def result(tmp_path):
    e = entry(tmp_path)
    return tabulate_release(read_release(e.file), e)


def by_id(questions):
    return {q["question_id"]: q for q in questions}


def cell(distributions, qid, country):
    rows = distributions[(distributions["question_id"] == qid) & (distributions["country_code"] == country)]
    assert len(rows) == 1
    return rows.iloc[0]


def test_non_substantive_options_move_to_shares_and_the_rest_is_renormalised(result):
    questions, distributions, _ = result
    qid = question_id("GAS", "How would you describe the current economic situation in (survey country)?",
                      ["Very good", "Somewhat good", "Somewhat bad", "Very bad", "DK/Refused"])
    question = by_id(questions)[qid]
    assert question["options"] == ["Very good", "Somewhat good", "Somewhat bad", "Very bad"]
    assert question["non_substantive"] == [{"code": None, "label": "DK/Refused", "kind": "dk_refused"}]
    assert set(question["flags"]) == {"source_gas", "placeholder"}
    argentina = cell(distributions, qid, "ARG")
    np.testing.assert_allclose(argentina["probabilities"], np.array([0.1, 0.2, 0.3, 0.3]) / 0.9)
    assert argentina["dk_refused_share"] == pytest.approx(0.1)
    assert np.isnan(argentina["effective_n"]) and pd.isna(argentina["n"])  # the release has no sample sizes
    india = cell(distributions, qid, "IND")
    assert india["sample_frame"] == "old_national" and india["source_country"] == "India (Old national sample)"
    assert cell(distributions, qid, "PSE")["country"] == "Palestine"
    assert cell(distributions, qid, "KOR")["source_country"] == "S. Korea"


def test_wvs_missing_data_options_leave_every_denominator(result):
    questions, distributions, report = result
    wvs = [q for q in questions if "source_wvs" in q["flags"] and q["question"].endswith("Family")][0]
    assert wvs["question"] == "For each of the following, indicate how important it is in your life. Family"
    assert wvs["options"] == ["Very important", "Rather important", "Not very important", "Not at all important"]
    assert [(e["label"], e["kind"]) for e in wvs["non_substantive"]] == [("Don't know", "dont_know"), ("No answer", "no_answer")]
    britain = cell(distributions, wvs["question_id"], "GBR")
    np.testing.assert_allclose(britain["probabilities"], np.array([0.8, 0.1, 0.02, 0.01]) / 0.93)
    asked = 1.0 - 0.02  # missing-data fractions (0.01 + 0.01) leave the base
    assert britain["dont_know_share"] == pytest.approx(0.03 / asked) and britain["no_answer_share"] == pytest.approx(0.02 / asked)
    assert cell(distributions, wvs["question_id"], "TWN")["source_country"] == "Taiwan ROC"
    assert report["missing_data_options_dropped"] == 2


def test_each_known_problem_is_flagged_and_counted(result):
    questions, distributions, report = result
    assert report["release_rows"] == len(ROWS)
    assert report["left_out_rows"] == {"empty_question": 1, "duplicate": 1}
    assert report["flagged_cells"] == {"length_mismatch": 1, "all_zero": 1, "sum_off": 1}
    assert report["examples"]["sum_off"] == [[7, "Japan", 1.072]]  # CSV line, country, sum
    assert report["examples"]["duplicate"] == [[9, 5]]  # line 9 repeats line 5
    flags = {q["question"]: set(q["flags"]) for q in questions}
    assert "length_mismatch" in flags["Do you approve?"]
    assert "all_zero" in flags["Is it a threat?"]
    assert "sum_off" in flags["Is it fair?"]
    approve = [q for q in questions if q["question"] == "Do you approve?"][0]
    assert set(distributions.loc[distributions["question_id"] == approve["question_id"], "country_code"]) == {"MEX"}
    fair = [q for q in questions if q["question"] == "Is it fair?"][0]
    np.testing.assert_allclose(cell(distributions, fair["question_id"], "JPN")["probabilities"], [0.6 / 1.072, 0.472 / 1.072])
    assert len(questions) == len(ROWS) - 2


def test_numeric_options_are_kept_as_labels_and_flagged(result):
    questions, _, _ = result
    ladder = [q for q in questions if q["question"].startswith("On which step")][0]
    assert ladder["options"] == ["0.0", "1.0", "2.0", "3.0"] and "numeric_options" in ladder["flags"]
    mixed = [q for q in questions if q["question"].startswith("How much do you trust")][0]
    assert mixed["options"] == ["Not at all", "2.0", "Completely"] and {"numeric_options", "placeholder"} <= set(mixed["flags"])


def test_question_ids_are_stable_and_order_free(tmp_path, result):
    questions, _, _ = result
    ids = [q["question_id"] for q in questions]
    assert all(qid.startswith(("goqa.gas_", "goqa.wvs_")) and len(qid) == len("goqa.gas_") + 12 for qid in ids)
    (tmp_path / "reversed").mkdir()
    ROWS.reverse()
    try:
        e = entry(tmp_path / "reversed")
        again, _, _ = tabulate_release(read_release(e.file), e)
    finally:
        ROWS.reverse()
    assert {q["question_id"] for q in again} == set(ids)


@pytest.mark.parametrize(
    "row, message",
    [
        (("Q?", "{'Mexico': [0.5, 0.5]}", "['Yes', 'No']", "GAS"), "line 2: selections must look like defaultdict"),
        (("Q?", SD + "'Mexico': [0.5, 0.5]})", "('Yes', 'No')", "GAS"), "line 2: options must be a list"),
        (("Q?", SD + "'Atlantis': [0.5, 0.5]})", "['Yes', 'No']", "GAS"), "line 2: unknown country 'Atlantis'"),
        (("Q?", SD + "'Mexico': [0.5, 0.5]})", "['Yes', 'No']", "ATP"), "line 2: source 'ATP' is neither GAS nor WVS"),
    ],
)
def test_rows_outside_the_format_are_errors_naming_the_line(tmp_path, row, message):
    e = entry(tmp_path)
    with open(e.file, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["question", "selections", "options", "source"])
        writer.writerow(row)
    with pytest.raises(DataError, match=message) as error:
        tabulate_release(read_release(e.file), e)
    assert "global_opinions.csv" in str(error.value)
