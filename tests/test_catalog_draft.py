"""`builder catalog draft`: a catalog drafted from a file's own labels is close to the curated one
and, as drafted, already loads and ingests."""

import shutil
from pathlib import Path

import yaml

from builder.catalog import load_catalog
from builder.sources.wvs import WorldValuesSurvey

REPO = Path(__file__).resolve().parents[1]


def items_by_variable(text: str) -> dict:
    return {item["variable"]: item for item in yaml.safe_load(text)["items"]}


def test_pew_draft_from_spss_labels(project, builder_cli):
    result = builder_cli("catalog", "draft", "raw/sample/pew_gas_synthetic.sav", "--source", "pew_gas")
    assert result.exit_code == 0, result.output
    items = items_by_variable(result.stdout)
    assert "Country" not in items and "WEIGHT" not in items
    religion = items["religion"]
    assert list(religion["options"])[-2:] == [8, 9]  # real answers, by their labels
    assert religion["non_substantive"] == {98: "Don't know (DO NOT READ)", 99: "Refused (DO NOT READ)"}
    assert items["Q84MEX"]["countries"] == ["MEX"] and items["Q84IDN"]["countries"] == ["IDN"]
    assert items["Q2"]["flags"] == ["depends_on_previous"]
    assert items["Q2"]["question"] == "Is that mostly because of the economy, or mostly because of politics?"
    assert "truncated" in items["Q1"]["note"] and "truncated" in items["ladder"]["note"]
    assert "truncated" not in items["religion"]["note"]
    assert items["Q84MEX"]["non_substantive"] == {8: "No sabe (Don’t know)", 9: "No responde (Refused)"}


def test_wvs_csv_draft_takes_labels_from_the_companion_sav(project, builder_cli, tmp_path):
    output = tmp_path / "draft.yaml"
    result = builder_cli("catalog", "draft", "raw/sample/wvs7_synthetic.csv", "--source", "wvs",
                         "--labels-from", "raw/sample/wvs7_synthetic.sav", "-o", str(output))
    assert result.exit_code == 0, result.output
    items = items_by_variable(output.read_text(encoding="utf-8"))
    assert set(items) == {"Q1", "Q2", "Q33_3", "Q56", "Q164", "Q289", "Q171"}
    assert list(items["Q289"]["options"])[0] == 0  # 0 is an answer
    assert "non_substantive" not in items["Q1"]  # -1/-2 are the adapter's standard codes
    # The draft is a loadable catalog as it stands.
    catalog = load_catalog(output, source_defaults=WorldValuesSurvey.code_defaults)
    assert len(catalog.items) == 7
    # Refuses to overwrite without --force.
    again = builder_cli("catalog", "draft", "raw/sample/wvs7_synthetic.csv", "--source", "wvs",
                        "--labels-from", "raw/sample/wvs7_synthetic.sav", "-o", str(output))
    assert again.exit_code == 2 and "exists; pass --force" in again.stderr


def test_codebook_csv_as_label_source(project, builder_cli, tmp_path):
    codebook = tmp_path / "codebook.csv"
    codebook.write_text(
        "variable,code,label,variable_label\n"
        "Q56,1,Better off,Standard of living\nQ56,2,Worse off,\nQ56,3,About the same,\nQ56,-1,Don't know,\n",
        encoding="utf-8",
    )
    result = builder_cli("catalog", "draft", "raw/sample/wvs7_synthetic.csv", "--source", "wvs", "--labels-from", str(codebook))
    assert result.exit_code == 0, result.output
    items = items_by_variable(result.stdout)
    assert list(items) == ["Q56"]
    assert items["Q56"]["question"] == "Standard of living"
    assert items["Q56"]["options"] == {1: "Better off", 2: "Worse off", 3: "About the same"}


def test_csv_without_labels_is_a_clear_error(project, builder_cli):
    result = builder_cli("catalog", "draft", "raw/sample/wvs7_synthetic.csv", "--source", "wvs")
    assert result.exit_code == 2
    assert "no value labels; pass --labels-from" in result.stderr
