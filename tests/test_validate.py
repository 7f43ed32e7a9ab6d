"""`builder validate`: schemas and cross-table checks catch broken tables; exit codes and report."""

import json

import numpy as np
import pandas as pd
import pytest

from builder import tables
from builder.validate import validate_build


@pytest.fixture
def built(project, builder_cli):
    assert builder_cli("ingest").exit_code == 0
    return project / "build"


def corrupt(build_dir, name, change):
    frame = tables.read_table(build_dir, name)
    build_id = tables.build_id_of(tables.table_path(build_dir, name))
    tables.write_table(build_dir, name, change(frame), build_id)


def test_clean_build_exits_zero_and_writes_a_report(built, builder_cli):
    result = builder_cli("validate")
    assert result.exit_code == 0, result.output
    assert "valid: 18 questions, 115 distributions, 2 sources" in result.stdout
    report = json.loads((built / "validation_report.json").read_text())
    assert report["ok"] is True and report["failures"] == []


def first_row(frame, column, value):
    frame = frame.copy()
    frame.at[0, column] = value
    return frame


BREAKAGES = {
    "probabilities out of range": ("distributions", lambda f: first_row(f, "probabilities", np.array([1.5, -0.5])), "probabilities must be >= 2 finite numbers in [0, 1]", "probabilities"),
    "probabilities not summing to 1": ("distributions", lambda f: first_row(f, "probabilities", np.array([0.5, 0.4])), "sum to 1 within", "probabilities"),
    "NaN probability": ("distributions", lambda f: first_row(f, "probabilities", np.array([np.nan, 1.0])), "finite numbers", "probabilities"),
    "wrong number of probabilities": ("distributions", lambda f: first_row(f, "probabilities", np.array([0.2, 0.3, 0.5])), "one probability per option", "probabilities"),
    "share out of range": ("distributions", lambda f: first_row(f, "refused_share", 1.5), "in_range", "refused_share"),
    "n below one": ("distributions", lambda f: first_row(f, "n", 0), "greater_than_or_equal_to(1)", "n"),
    "effective n above n asked": ("distributions", lambda f: first_row(f, "effective_n", 10_000.0), "effective_n greater than n_asked", None),
    "invalid country code": ("distributions", lambda f: first_row(f, "country_code", "NIR"), "not an ISO 3166-1 alpha-3 code", "country_code"),
    "unknown question": ("distributions", lambda f: first_row(f, "question_id", "nowhere.q1"), "question exists", "question_id"),
    "duplicate question id": ("questions", lambda f: first_row(f, "question_id", f.at[1, "question_id"]), "field_uniqueness", "question_id"),
    "one option": ("questions", lambda f: first_row(f, "options", ["only"]), "needs >= 2 distinct non-empty options", "options"),
    "question without countries": ("questions", lambda f: pd.concat([f, f.iloc[[0]].assign(question_id="pew_gas_synthetic.extra")], ignore_index=True), "has at least one country", "question_id"),
}


@pytest.mark.parametrize("case", BREAKAGES, ids=list(BREAKAGES))
def test_each_violation_is_reported(built, builder_cli, case):
    name, change, check, column = BREAKAGES[case]
    corrupt(built, name, change)
    result = builder_cli("validate")
    assert result.exit_code == 1, result.output
    report = json.loads((built / "validation_report.json").read_text())
    failures = [f for f in report["failures"] if check in f["check"]]
    assert failures, report["failures"]
    if column:
        assert failures[0]["column"] == column
    assert "Traceback" not in result.output


def test_lazy_validation_collects_every_failure(built):
    corrupt(built, "distributions", lambda f: f.assign(refused_share=2.0, country_code="ZZZ"))
    report = validate_build(built)
    checks = {(f.column, f.question_id is not None) for f in report.failures}
    assert ("refused_share", True) in checks and ("country_code", True) in checks
    assert len(report.failures) >= 2 * 115


def test_tables_from_different_runs_are_detected(built):
    frame = tables.read_table(built, "sources")
    tables.write_table(built, "sources", frame, "another-build")
    report = validate_build(built)
    assert [f.check for f in report.failures] == ["tables come from one ingest run"]


def test_missing_build_is_a_usage_error(project, builder_cli):
    result = builder_cli("validate")
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines()[-1].startswith("error: build: no build folder")
