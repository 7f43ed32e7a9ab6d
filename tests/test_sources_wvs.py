"""The WVS adapter on the synthetic wave 7 file: hand-computed distributions, identical tables
from the CSV, SPSS and Stata versions of the same data, and the other WVS layouts."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pyreadstat
import pytest

from builder.files import sha256_file
from builder.ingest import run_ingest
from builder.synthetic import wvs
from tests.expected import WVS_COUNTRIES, assert_matches, expected_rows

REPO = Path(__file__).resolve().parents[1]


def write_manifest(folder: Path, data_file: str, *, survey: str = "wvs7_synthetic", extra: str = "") -> Path:
    manifest = folder / "manifest.yaml"
    manifest.write_text(
        "files:\n"
        f"  - path: {data_file}\n"
        "    source: wvs\n"
        f"    survey: {survey}\n"
        "    wave: '7'\n"
        "    years: [2017, 2022]\n"
        "    catalog: catalog.yaml\n"
        "    synthetic: true\n"
        f"    sha256: {sha256_file(folder / data_file)}\n" + extra,
        encoding="utf-8",
    )
    return manifest


def ingest_copy(tmp_path: Path, data_file: Path):
    """Ingest `data_file` with the sample's WVS catalog, from a folder of its own."""
    folder = tmp_path / f"project_{data_file.stem}_{data_file.suffix.lstrip('.')}"
    folder.mkdir()
    shutil.copy(data_file, folder / data_file.name)
    shutil.copy(REPO / "raw" / "catalogs" / "wvs7_synthetic.yaml", folder / "catalog.yaml")
    return run_ingest(write_manifest(folder, data_file.name), None)


@pytest.fixture(scope="module")
def sample():
    return wvs.wvs_sample()


@pytest.fixture(scope="module")
def from_csv(tmp_path_factory):
    return ingest_copy(tmp_path_factory.mktemp("csv"), REPO / "raw" / "sample" / "wvs7_synthetic.csv")


@pytest.mark.parametrize("item", wvs.ITEMS, ids=lambda item: item.variable)
def test_every_item_matches_the_hand_computed_distribution(from_csv, sample, item):
    expected = expected_rows(sample, item, lambda code: (WVS_COUNTRIES[code], "national"))
    assert_matches(from_csv.distributions, f"wvs7_synthetic.{item.variable}", expected)


def comparable(result):
    """The tables without what names the file itself (path, reader, checksum, time)."""
    questions = result.questions.drop(columns=["source_file"])
    return questions, result.distributions


def assert_same_tables(left, right):
    for a, b in zip(comparable(left), comparable(right)):
        pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True), check_exact=True)


def test_spss_reading_gives_identical_tables(tmp_path, from_csv):
    from_sav = ingest_copy(tmp_path, REPO / "raw" / "sample" / "wvs7_synthetic.sav")
    assert_same_tables(from_csv, from_sav)
    assert from_sav.sources["reader"].item().startswith("pyreadstat.read_sav")


def test_stata_reading_gives_identical_tables(tmp_path, from_csv, sample):
    data = sample.responses
    labels = {item.variable: item.file_value_labels for item in sample.items}
    dta = tmp_path / "wvs7_synthetic.dta"
    pyreadstat.write_dta(data, dta, variable_value_labels=labels)
    from_dta = ingest_copy(tmp_path, dta)
    assert_same_tables(from_csv, from_dta)


def test_comma_separated_pooled_csv_without_bom_gives_identical_tables(tmp_path, from_csv, sample):
    pooled = tmp_path / "pooled.csv"
    sample.responses.to_csv(pooled, index=False)
    assert_same_tables(from_csv, ingest_copy(tmp_path, pooled))


def test_zero_is_an_answer_and_scales_follow_the_catalog_order(from_csv):
    questions = from_csv.questions.set_index("question_id")
    assert list(questions.loc["wvs7_synthetic.Q289", "option_codes"])[0] == 0
    assert questions.loc["wvs7_synthetic.Q289", "options"][0] == "Do not belong to a denomination"
    assert list(questions.loc["wvs7_synthetic.Q33_3", "options"]) == ["Agree", "Neither", "Disagree"]
    assert list(questions.loc["wvs7_synthetic.Q33_3", "option_codes"]) == [1, 3, 2]
    assert list(questions.loc["wvs7_synthetic.Q56", "ordinal"]) == [1.0, 2.0, 3.0]
    kinds = [(e["code"], e["kind"]) for e in questions.loc["wvs7_synthetic.Q1", "non_substantive"]]
    assert kinds == [(-2, "no_answer"), (-1, "dont_know")]


def test_question_not_asked_in_a_country_has_no_row_there(from_csv):
    rows = from_csv.distributions[from_csv.distributions["question_id"] == "wvs7_synthetic.Q171"]
    assert "DEU" not in set(rows["country_code"])
    assert len(rows) == len(WVS_COUNTRIES) - 1


def test_northern_ireland_gets_its_documented_code(from_csv):
    rows = from_csv.distributions[from_csv.distributions["country_code"] == "XNI"]
    assert set(rows["country"]) == {"Northern Ireland"} and len(rows) == len(wvs.ITEMS)
    assert set(rows["source_country"]) == {"909"}


@pytest.mark.parametrize(
    "country, weight",
    [("S003", "S017"), ("cntry", "gwght")],
    ids=["time-series", "evs-wvs-joint"],
)
def test_time_series_and_joint_file_layouts(tmp_path, from_csv, sample, country, weight):
    """Only the names of the country and weight variables differ: same tables."""
    renamed = sample.responses.drop(columns=["B_COUNTRY_ALPHA"]).rename(columns={"B_COUNTRY": country, "W_WEIGHT": weight})
    path = tmp_path / "layout.csv"
    renamed.to_csv(path, index=False)
    result = ingest_copy(tmp_path, path)
    assert result.sources["country_variable"].item() == country
    assert result.sources["weight_variable"].item() == weight
    pd.testing.assert_frame_equal(
        result.distributions.drop(columns=["weight_variable"]), from_csv.distributions.drop(columns=["weight_variable"]), check_exact=True
    )


def test_codes_written_as_decimals_give_identical_tables(tmp_path, from_csv, sample):
    """Some exports write whole codes as "1.0": read as decimals, the tables are the same."""
    decimals = tmp_path / "decimals.csv"
    sample.responses.astype({item.variable: float for item in sample.items}).to_csv(decimals, index=False)
    assert "1.0" in decimals.read_text().splitlines()[1]
    result = ingest_copy(tmp_path, decimals)
    assert result.sources["reader"].item().endswith("codes as decimals")
    assert_same_tables(from_csv, result)
