"""Bad input: each case gives a one-line error naming the file (and variable), a non-zero exit
code, no traceback, and leaves the previous build exactly as it was."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from builder import manifest as manifest_module
from builder.sources import ADAPTERS
from builder.synthetic import wvs
from tests.conftest import build_snapshot

WVS_CSV = "sample/wvs7_synthetic.csv"
PEW_SAV = "sample/pew_gas_synthetic.sav"


@pytest.fixture
def good_build(project, builder_cli):
    """A project whose build/ holds a good build; returns its snapshot."""
    result = builder_cli("ingest")
    assert result.exit_code == 0, result.output
    return build_snapshot(project / "build")


def repin(project: Path) -> None:
    manifest = project / "raw" / "manifest.yaml"
    manifest_module.repin(manifest, manifest_module.load_manifest(manifest, set(ADAPTERS)))


def write_wvs(project: Path, mutate) -> None:
    """Rewrite the sample WVS CSV after `mutate(frame)`, and pin its new checksum."""
    frame = wvs.wvs_sample().responses.copy()
    frame = mutate(frame) if mutate else frame
    frame.to_csv(project / "raw" / WVS_CSV, sep=";", index=False, encoding="utf-8-sig", quoting=csv.QUOTE_NONNUMERIC)
    repin(project)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def assert_one_line_error(result, exit_code: int, *fragments: str) -> None:
    assert result.exit_code == exit_code, result.output
    lines = result.stderr.strip().splitlines()
    assert lines and lines[-1].startswith("error: "), result.stderr
    error_line = lines[-1]
    assert "Traceback" not in result.output
    for fragment in fragments:
        assert fragment in error_line, f"{fragment!r} not in {error_line!r}"


def with_weight(frame, country, values):
    frame.loc[frame["B_COUNTRY"] == country, "W_WEIGHT"] = values
    return frame


CASES = {
    "missing file": (lambda p: (p / "raw" / WVS_CSV).unlink(), 2, [WVS_CSV, "file not found"]),
    "checksum mismatch": (
        lambda p: (p / "raw" / WVS_CSV).write_bytes((p / "raw" / WVS_CSV).read_bytes() + b"\n"),
        1,
        [WVS_CSV, "checksum mismatch", "--repin"],
    ),
    "truncated sav": (
        lambda p: ((p / "raw" / PEW_SAV).write_bytes((p / "raw" / PEW_SAV).read_bytes()[:3000]), repin(p)),
        1,
        [PEW_SAV, "unreadable SPSS file"],
    ),
    "not a sav at all": (
        lambda p: ((p / "raw" / PEW_SAV).write_bytes(b"this is not an SPSS file\n" * 50), repin(p)),
        1,
        [PEW_SAV, "unreadable SPSS file"],
    ),
    "wrong delimiter": (
        lambda p: edit(p / "raw" / "manifest.yaml", "    catalog: catalogs/wvs7_synthetic.yaml", "    catalog: catalogs/wvs7_synthetic.yaml\n    reader: {delimiter: ','}"),
        1,
        [WVS_CSV, "one column when split on ','", "seems to use ';'"],
    ),
    "missing country column": (
        lambda p: write_wvs(p, lambda f: f.drop(columns=["B_COUNTRY"])),
        1,
        [WVS_CSV, "no country variable", "B_COUNTRY"],
    ),
    "missing weight column": (
        lambda p: write_wvs(p, lambda f: f.drop(columns=["W_WEIGHT"])),
        1,
        [WVS_CSV, "no weight variable", "W_WEIGHT"],
    ),
    "negative weights": (
        lambda p: write_wvs(p, lambda f: with_weight(f, 276, -1.0)),
        1,
        [WVS_CSV, "W_WEIGHT", "negative weights", "276"],
    ),
    "zero-sum weights": (
        lambda p: write_wvs(p, lambda f: with_weight(f, 410, 0.0)),
        1,
        [WVS_CSV, "W_WEIGHT", "weights sum to zero in 410"],
    ),
    "NaN weights": (
        lambda p: write_wvs(p, lambda f: with_weight(f, 32, np.nan)),
        1,
        [WVS_CSV, "W_WEIGHT", "have no weight", "32"],
    ),
    "code absent from the catalog": (
        lambda p: write_wvs(p, lambda f: f.assign(Q56=f["Q56"].where(f.index % 50 != 0, 7))),
        1,
        [WVS_CSV, "Q56", "code 7 is in the data", "not in the catalog wvs7_synthetic.yaml"],
    ),
    "non-integer code": (
        lambda p: write_wvs(p, lambda f: f.assign(Q56=f["Q56"].astype(float).where(f.index != 3, 1.5))),
        1,
        [WVS_CSV, "Q56", "code 1.5 is in the data (1 respondents) but not in the catalog"],
    ),
    "text in a code column": (
        lambda p: write_wvs(p, lambda f: f.assign(Q56=f["Q56"].astype(object).where(f.index != 3, "n/a"))),
        1,
        [WVS_CSV, "Q56", "cannot parse the CSV", "'n/a'"],
    ),
    "catalog names a missing variable": (
        lambda p: edit(p / "raw" / "catalogs" / "wvs7_synthetic.yaml", "- variable: Q56", "- variable: Q56X"),
        1,
        [WVS_CSV, "Q56X", "variable not found in the file"],
    ),
    "no valid answers anywhere": (
        lambda p: write_wvs(p, lambda f: f.assign(Q164=-4)),
        1,
        [WVS_CSV, "Q164", "no valid answers in any country"],
    ),
    "unknown country": (
        lambda p: write_wvs(p, lambda f: f.assign(B_COUNTRY=f["B_COUNTRY"].replace(158, 999))),
        1,
        [WVS_CSV, "B_COUNTRY", "unknown country 999"],
    ),
    "manifest YAML error": (
        lambda p: edit(p / "raw" / "manifest.yaml", "    source: wvs", "    source: [wvs"),
        2,
        ["manifest.yaml", "invalid YAML", "line "],
    ),
    "catalog YAML error": (
        lambda p: edit(p / "raw" / "catalogs" / "wvs7_synthetic.yaml", "source: wvs", "source: wvs\n  bad: : indent"),
        2,
        ["wvs7_synthetic.yaml", "invalid YAML", "line "],
    ),
    "unknown manifest key": (
        lambda p: edit(p / "raw" / "manifest.yaml", "    source: wvs", "    source: wvs\n    wieght: W_WEIGHT"),
        2,
        ["manifest.yaml", "unknown key(s) wieght"],
    ),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_bad_input_fails_cleanly_and_keeps_the_build(project, builder_cli, good_build, case):
    break_input, exit_code, fragments = CASES[case]
    break_input(project)
    result = builder_cli("ingest")
    assert_one_line_error(result, exit_code, *fragments)
    assert build_snapshot(project / "build") == good_build


def test_repin_records_the_new_checksum_and_keeps_comments(project, builder_cli):
    manifest = project / "raw" / "manifest.yaml"
    before = manifest.read_text(encoding="utf-8")
    (project / "raw" / WVS_CSV).write_bytes((project / "raw" / WVS_CSV).read_bytes() + b"\n")
    assert builder_cli("ingest").exit_code == 1
    result = builder_cli("ingest", "--repin")
    assert result.exit_code == 0, result.output
    assert f"repinned {WVS_CSV}" in result.stdout
    after = manifest.read_text(encoding="utf-8")
    changed = [(a, b) for a, b in zip(before.splitlines(), after.splitlines()) if a != b]
    assert len(changed) == 1 and changed[0][1].strip().startswith("sha256: ")
    assert [line for line in before.splitlines() if line.lstrip().startswith("#")] == [
        line for line in after.splitlines() if line.lstrip().startswith("#")
    ]


def test_repin_adds_a_missing_checksum(project, builder_cli):
    manifest = project / "raw" / "manifest.yaml"
    text = manifest.read_text(encoding="utf-8")
    pinned = next(line for line in text.splitlines() if "8eb6f1aa" in line or ("sha256" in line and text.index(line) > text.index("wvs7")))
    manifest.write_text(text.replace(pinned + "\n", ""), encoding="utf-8")
    result = builder_cli("ingest")
    assert_one_line_error(result, 1, WVS_CSV, "no sha256 pinned")
    assert builder_cli("ingest", "--repin").exit_code == 0
    assert pinned.strip() in manifest.read_text(encoding="utf-8")


def test_undeclared_legacy_encoding_needs_the_manifest_option(project, builder_cli, tmp_path):
    """A windows-1252 .sav that does not declare its encoding: a clear hint, then the option works."""
    import pyreadstat

    from builder.synthetic.savfile import rewrite_sav

    data, meta = pyreadstat.read_sav(project / "raw" / PEW_SAV, user_missing=True)
    plain = tmp_path / "plain.sav"
    pyreadstat.write_sav(data, plain, column_labels=meta.column_names_to_labels, variable_value_labels=meta.variable_value_labels,
                         missing_ranges={"religion": [98, 99]})
    rewrite_sav(plain, project / "raw" / PEW_SAV, encoding="windows-1252", declare_encoding=False)
    repin(project)
    result = builder_cli("ingest")
    assert_one_line_error(result, 1, PEW_SAV, "unreadable SPSS file", "encoding")
    edit(project / "raw" / "manifest.yaml", "    catalog: catalogs/pew_gas_synthetic.yaml", "    catalog: catalogs/pew_gas_synthetic.yaml\n    reader: {encoding: windows-1252}")
    result = builder_cli("ingest")
    assert result.exit_code == 0, result.output


def test_inverted_scales_edition_is_refused(project, builder_cli, good_build):
    """WVS ships an 'inverted scales' edition; the catalog's edition check catches it in a .sav."""
    import pyreadstat

    sav = project / "raw" / "sample" / "wvs7_synthetic.sav"
    data, meta = pyreadstat.read_sav(sav)
    labels = dict(meta.variable_value_labels)
    labels["Q1"] = {1: "Not at all important", 2: "Not very important", 3: "Rather important", 4: "Very important"}
    pyreadstat.write_sav(data, sav, variable_value_labels=labels)
    edit(project / "raw" / "manifest.yaml", "path: sample/wvs7_synthetic.csv", "path: sample/wvs7_synthetic.sav")
    repin(project)
    result = builder_cli("ingest")
    assert_one_line_error(result, 1, "wvs7_synthetic.sav", "Q1", "inverted-scales edition")
    assert build_snapshot(project / "build") == good_build
