"""Catalog parsing: defaults, scale order, kinds from label text, and one-line errors."""

from pathlib import Path

import pytest

from builder.catalog import load_catalog
from builder.errors import UsageError
from builder.sources.wvs import WorldValuesSurvey

REPO = Path(__file__).resolve().parents[1]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "catalog.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_sample_catalogs_load():
    wvs = load_catalog(REPO / "raw/catalogs/wvs7_synthetic.yaml", source_defaults=WorldValuesSurvey.code_defaults)
    q289 = next(item for item in wvs.items if item.variable == "Q289")
    assert q289.option_codes[0] == 0
    assert q289.non_substantive == {-1: ("Don't know", "dont_know"), -2: ("No answer", "no_answer")}
    assert set(q289.not_asked) == {-3, -4, -5}
    assert wvs.edition_checks[0].label == "Very important"


def test_item_options_override_defaults_and_kinds_come_from_labels(tmp_path):
    catalog = load_catalog(write(tmp_path, """
source: wvs
defaults:
  non_substantive: {8: Don't know, 9: Refused}
items:
  - variable: long_list
    question: Which one?
    options: {1: A, 8: No religion, 9: "Jehovah's Witness (VOL)"}
    non_substantive: {98: "No sabe (Don’t know)", 99: {label: Sin dato, kind: no_answer}}
"""))
    item = catalog.items[0]
    assert item.option_codes == [1, 8, 9]
    assert item.non_substantive == {98: ("No sabe (Don’t know)", "dont_know"), 99: ("Sin dato", "no_answer")}
    assert item.scale_type == "nominal"


ERRORS = {
    "unknown item key": ("items:\n  - variable: q\n    question: Q?\n    options: {1: a, 2: b}\n    colour: red\n", "q: unknown key(s) colour"),
    "one option": ("items:\n  - variable: q\n    question: Q?\n    options: {1: a}\n", "q: needs at least two substantive options"),
    "ordinal length": ("items:\n  - variable: q\n    question: Q?\n    options: {1: a, 2: b}\n    ordinal: [1]\n", "q: ordinal must list one position"),
    "unknown kind": ("items:\n  - variable: q\n    question: Q?\n    options: {1: a, 2: b}\n    non_substantive: {9: Whatever}\n", "cannot tell what kind of non-substantive answer 'Whatever'"),
    "no question": ("items:\n  - variable: q\n    options: {1: a, 2: b}\n", "q: no question text"),
    "bad country": ("items:\n  - variable: q\n    question: Q?\n    options: {1: a, 2: b}\n    countries: [Mexico]\n", "q: countries ['Mexico'] are not ISO"),
    "duplicate": ("items:\n  - {variable: q, question: 'Q', options: {1: a, 2: b}}\n  - {variable: Q, question: 'Q', options: {1: a, 2: b}}\n", "listed twice"),
    "non-integer code": ("items:\n  - variable: q\n    question: Q?\n    options: {1.5: a, 2: b}\n", "code 1.5 is not an integer"),
    "yaml": ("items:\n  - variable: [q\n", "invalid YAML"),
}


@pytest.mark.parametrize("case", ERRORS, ids=list(ERRORS))
def test_catalog_errors_name_the_file_and_item(tmp_path, case):
    text, message = ERRORS[case]
    with pytest.raises(UsageError) as error:
        load_catalog(write(tmp_path, text))
    assert message in str(error.value)
    assert "catalog.yaml" in str(error.value)
