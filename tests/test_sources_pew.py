"""The Pew adapter on the synthetic wave: every distribution equals the one computed by hand
from the generator's respondents and weights, and every trap of the real files is handled."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from builder.ingest import run_ingest
from builder.synthetic import pew
from tests.expected import PEW_COUNTRIES, assert_matches, expected_rows


@pytest.fixture(scope="module")
def sample():
    return pew.pew_sample()


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    repo = Path(__file__).resolve().parents[1]
    return run_ingest(repo / "raw" / "manifest.yaml", None)


def country_of(sample):
    return lambda code: PEW_COUNTRIES[sample.country_labels[int(code)]]


@pytest.mark.parametrize("item", pew.ITEMS, ids=lambda item: item.variable)
def test_every_item_matches_the_hand_computed_distribution(built, sample, item):
    expected = expected_rows(sample, item, country_of(sample), item.countries)
    assert expected, "the sample must give every item at least one country"
    assert_matches(built.distributions, f"pew_gas_synthetic.{item.variable}", expected)


def test_country_comes_from_the_label_with_sample_frames_split_out(built):
    rows = built.distributions[built.distributions["question_id"] == "pew_gas_synthetic.fav_us"]
    by_source = dict(zip(rows["source_country"], zip(rows["country_code"], rows["country"], rows["sample_frame"])))
    assert by_source["India (Old national sample)"] == ("IND", "India", "old_national")
    assert by_source["India (Current national sample)"] == ("IND", "India", "current_national")
    assert by_source["Angola (Non-national sample)"] == ("AGO", "Angola", "non_national")
    assert by_source["S. Korea"] == ("KOR", "South Korea", "national")
    assert by_source["Britain"] == ("GBR", "United Kingdom", "national")
    # A windows-1252 label in a file that declares its encoding.
    assert by_source["Côte d’Ivoire"] == ("CIV", "Côte d'Ivoire", "national")


def test_oversample_rows_without_weight_are_dropped_and_counted(built, sample):
    report = built.report["files"][0]
    assert report["rows_dropped_no_weight"] == {"Britain": 5, "India (Current national sample)": 15}
    source = built.sources.set_index("path").loc["sample/pew_gas_synthetic.sav"]
    assert source["rows_dropped_no_weight"] == 20
    assert source["rows"] == len(sample.responses)
    uk = built.distributions[(built.distributions["question_id"] == "pew_gas_synthetic.Q1") & (built.distributions["country_code"] == "GBR")]
    weighted = sample.responses[(sample.responses["Country"] == 12) & sample.responses["WEIGHT"].notna()]
    assert uk["n_asked"].item() == weighted["Q1"].isin([1, 2, 8, 9]).sum()


def test_user_missing_refusals_are_read_not_lost(built, sample):
    """religion declares 98/99 as SPSS user-missing: they must be counted as DK/refused."""
    rows = built.distributions[built.distributions["question_id"] == "pew_gas_synthetic.religion"]
    assert (rows["refused_share"] > 0).any() and (rows["dont_know_share"] > 0).any()
    counted = sample.responses[sample.responses["WEIGHT"].notna()]["religion"].isin([98, 99]).sum()
    assert (rows["n_asked"] - rows["n"]).sum() == counted


def test_codes_8_and_9_are_real_answers_in_a_long_list(built):
    question = built.questions.set_index("question_id").loc["pew_gas_synthetic.religion"]
    assert list(question["option_codes"])[-2:] == [8, 9]
    assert question["options"][-1] == "Jehovah's Witness (VOL)"
    assert [entry["code"] for entry in question["non_substantive"]] == [98, 99]


def test_follow_up_question_counts_only_those_asked(built, sample):
    rows = built.distributions[built.distributions["question_id"] == "pew_gas_synthetic.Q2"]
    weighted = sample.responses[sample.responses["WEIGHT"].notna()]
    assert rows["n_asked"].sum() == (weighted["Q1"] == 1).sum()
    assert "depends_on_previous" in built.questions.set_index("question_id").loc["pew_gas_synthetic.Q2", "flags"]


def test_country_specific_items_have_one_country_and_bilingual_labels_are_recognised(built):
    for variable, country in (("Q84MEX", "MEX"), ("Q84IDN", "IDN")):
        rows = built.distributions[built.distributions["question_id"] == f"pew_gas_synthetic.{variable}"]
        assert rows["country_code"].tolist() == [country]
        assert rows["dont_know_share"].item() + rows["refused_share"].item() > 0
        question = built.questions.set_index("question_id").loc[f"pew_gas_synthetic.{variable}"]
        assert [entry["kind"] for entry in question["non_substantive"]] == ["dont_know", "refused"]
        assert "country_specific" in question["flags"]


def test_non_substantive_codes_missing_from_the_catalog_come_from_file_labels(built):
    """The catalog lists no DK/REF codes for `ladder`; the file's labels "DK"/"REF" say what they are."""
    classified = built.report["files"][0]["classified_from_file_labels"]
    assert {(c["variable"], c["code"], c["as"]) for c in classified} == {("ladder", 98, "dont_know"), ("ladder", 99, "refused")}
    question = built.questions.set_index("question_id").loc["pew_gas_synthetic.ladder"]
    assert [(e["code"], e["label"], e["kind"]) for e in question["non_substantive"]] == [(98, "DK", "dont_know"), (99, "REF", "refused")]


def test_question_text_battery_placeholders_and_scale(built):
    questions = built.questions.set_index("question_id")
    assert questions.loc["pew_gas_synthetic.CONF_A", "question"] == (
        "How much confidence do you have in each of the following to do the right thing regarding world affairs: the U.S. president"
    )
    # The catalog's full text, not the truncated variable label.
    assert questions.loc["pew_gas_synthetic.Q1", "question"].endswith("with the way things are going in our country today?")
    assert "placeholder" in questions.loc["pew_gas_synthetic.Q1", "flags"]
    assert "placeholder" in questions.loc["pew_gas_synthetic.threat_example", "flags"]
    china = questions.loc["pew_gas_synthetic.fav_china"]
    assert list(china["ordinal"]) == [1.0, 2.0, 2.5, 3.0, 4.0]
    assert list(china["option_codes"]) == [1, 2, 5, 3, 4]
    assert china["scale_type"] == "ordinal"
    assert questions.loc["pew_gas_synthetic.Q1", "scale_type"] == "binary"
    assert questions.loc["pew_gas_synthetic.religion", "ordinal"] is None
    assert all("synthetic" in flags for flags in questions["flags"])


def test_probabilities_sum_to_one_and_effective_n_is_bounded(built):
    sums = built.distributions["probabilities"].map(np.sum)
    assert np.allclose(sums, 1.0, atol=1e-12)
    assert (built.distributions["effective_n"] <= built.distributions["n"] + 1e-9).all()
