"""The dataset card: front matter, body, LICENSE.md (card.py, dataset_card.md)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import yaml
from datasets.info import DatasetInfosDict
from datasets.utils.metadata import MetadataConfigs
from huggingface_hub import DatasetCard

from builder.errors import UsageError
from builder.publish import features, goqa_config
from builder.publish.card import find_template, size_category
from builder.publish.inputs import read_build
from builder.publish.release import RELEASE_FILE, read_record
from builder.publish.repo import release_files
from builder.publish.versions import parse_version
from tests.support.publish_build import (  # noqa: F401 - pytest fixtures
    ADDED_QUESTION, REMOVED_QUESTION, change_build, ingested_project, release_project,
)

TEMPLATE = Path(__file__).resolve().parents[1] / "dataset_card.md"
PEW_DISCLAIMER = "Pew Research Center bears no responsibility for the analyses or interpretations of the data presented here."
WVS_CITATION = ("Haerpfer, C., Inglehart, R., Moreno, A., Welzel, C., Kizilova, K., Diez-Medrano J., M. Lagos, P. Norris, "
                "E. Ponarin & B. Puranen (eds.). 2022. World Values Survey: Round Seven – Country-Pooled Datafile "
                "Version 6.0. Madrid, Spain & Vienna, Austria: JD Systems Institute & WVSA Secretariat. "
                "doi:10.14281/18241.24")


def one_line(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def v1(release_project) -> dict[str, bytes]:
    return release_files(read_build(release_project / "build"), parse_version("1.0.0"), TEMPLATE, repo_id="tester/opinions")


def test_front_matter_declares_configs_and_typed_features(v1):
    card = DatasetCard(v1["README.md"].decode())
    metadata = card.data.to_dict()
    assert metadata["license"] == "other" and metadata["license_link"] == "LICENSE.md" and metadata["license_name"]
    assert metadata["language"] == ["en", "ru", "zh"]  # ISO 639 codes; the configs keep the BCP 47 tags
    assert metadata["multilinguality"] == "translation" and metadata["size_categories"] == ["n<1K"]
    assert "machine-generated" in metadata["language_creators"] and "synthetic" in metadata["tags"]
    assert "question-answering" in metadata["task_categories"] and metadata["pretty_name"].endswith("(SYNTHETIC sample)")

    configs = MetadataConfigs.from_dataset_card_data(card.data)  # what `datasets` reads
    assert list(configs) == ["en", "ru", "zh-Hans", "long", "goqa"]
    assert MetadataConfigs.get_default_config_name(configs) == "en"
    for name, config in configs.items():
        for data_file in config["data_files"]:
            assert data_file["path"] in v1, data_file
    infos = DatasetInfosDict.from_dataset_card_data(card.data)
    assert {name: info.features for name, info in infos.items()} == {
        "en": features.ENGLISH, "ru": features.TRANSLATED, "zh-Hans": features.TRANSLATED, "long": features.LONG,
        "goqa": goqa_config.FEATURES}
    record = read_record(v1[RELEASE_FILE], RELEASE_FILE)
    assert {name: {split: info.num_examples for split, info in infos[name].splits.items()} for name in infos} == \
        record["configs"]
    assert infos["en"].download_size == sum(len(v1[f"data/en/{s}-00000-of-00001.parquet"]) for s in ("pew_gas", "wvs"))


def test_body_has_version_usage_provenance_method_and_attribution(v1, release_project):
    body = v1["README.md"].decode()
    flat = one_line(body)
    assert "**Version 1.0.0** (tag `v1.0.0`" in body and "SYNTHETIC DATA" in body
    assert 'load_dataset("tester/opinions", "en", revision="v1.0.0")' in body
    assert 'zh_hans = load_dataset("tester/opinions", "zh-Hans", revision="v1.0.0")' in body
    assert "| `en` (default) | 18 | 11 | 0 | 7 |" in body and "| `long` | 571 | 356 | 0 | 215 |" in body and "| `goqa` | 18 | 0 | 18 | 0 |" in body
    assert "First release." in body.splitlines()
    assert "18 questions, 11 countries, translated into ru, zh-Hans." in body.splitlines()
    for source in read_build(release_project / "build").sources:
        assert f"### `{source['path']}` (synthetic)" in body and source["sha256"] in body
        assert f"weight `{source['weight_variable']}`" in body and source["catalog_sha256"] in body
    assert "| `ru` | 17 | 0 | 17 | 0 |" in body and "| `zh-Hans` | 18 | 0 | 0 | 18 |" in body
    assert "Kish" in body and "renormalised over the substantive options" in body and "sample_frame" in body
    assert PEW_DISCLAIMER in flat and WVS_CITATION in flat and "2306.16388" in body
    assert "non-commercial research" in flat and "MIT" in body


def test_licence_file_repeats_the_licence_section(v1):
    licence = v1["LICENSE.md"].decode()
    assert licence.startswith("# Licence and attribution\n")
    assert one_line(licence) in one_line(v1["README.md"].decode())
    assert PEW_DISCLAIMER in one_line(licence) and WVS_CITATION in one_line(licence)
    assert "## Citation" not in licence


def test_real_builds_carry_no_synthetic_notice(release_project):
    build = read_build(release_project / "build")
    real = dataclasses.replace(build, sources=[{**source, "synthetic": False} for source in build.sources],
                               translations=[])
    files = release_files(real, parse_version("1.0.0"), TEMPLATE)
    card = files["README.md"].decode()
    assert "SYNTHETIC" not in card and "synthetic" not in yaml.safe_load(card.split("---")[1])["tags"]
    metadata = DatasetCard(card).data.to_dict()
    assert metadata["language"] == ["en"] and metadata["multilinguality"] == "monolingual"
    assert 'load_dataset("ORG/NAME", "en", revision="v1.0.0")' in card  # no repo id known: a placeholder


def test_the_changelog_is_rendered(release_project):
    build_dir = release_project / "build"
    v1 = release_files(read_build(build_dir), parse_version("1.0.0"), TEMPLATE)
    change_build(build_dir)
    body = release_files(read_build(build_dir), parse_version("1.1.0"), TEMPLATE,
                         previous=read_record(v1[RELEASE_FILE], RELEASE_FILE), previous_tag="v1.0.0")["README.md"].decode()
    lines = body.splitlines()
    assert "Compared with version 1.0.0:" in lines
    assert f"- Questions added (1): `{ADDED_QUESTION}`" in lines and f"- Questions removed (1): `{REMOVED_QUESTION}`" in lines
    start = lines.index("- Questions changed (8):")
    assert lines[start + 1:start + 4] == ["  - `pew_gas_synthetic.Q2`: question", "  - `pew_gas_synthetic.fav_china`: selections",
                                          "  - `wvs7_synthetic.Q1`: selections; countries added FRA; countries removed DEU"]
    assert lines[start + 9:start + 11] == ["- Countries added: FRA (France)", "- Countries removed: DEU (Germany)"]


def test_a_previous_release_without_record_is_said(release_project):
    body = release_files(read_build(release_project / "build"), parse_version("2.0.0"), TEMPLATE,
                         previous=None, previous_tag="v1.0.0")["README.md"].decode()
    assert "No changelog: the previous release, version 1.0.0, has no readable `release.json`." in body


def test_size_categories():
    assert [size_category(n) for n in (0, 999, 1_000, 25_000, 999_999, 5_000_000, 2 * 10**12)] == \
        ["n<1K", "n<1K", "1K<n<10K", "10K<n<100K", "100K<n<1M", "1M<n<10M", "n>1T"]


def test_template_problems_are_one_line_errors(release_project, tmp_path):
    build = read_build(release_project / "build")
    broken = tmp_path / "dataset_card.md"
    broken.write_text("# {{ no_such_variable }}\n")
    with pytest.raises(UsageError, match="cannot render the card template .*no_such_variable"):
        release_files(build, parse_version("1.0.0"), broken)
    broken.write_text("# a card without a licence section\n")
    with pytest.raises(UsageError, match="no '## Licence and attribution' section"):
        release_files(build, parse_version("1.0.0"), broken)


def test_the_project_template_wins_over_the_bundled_one(tmp_path):
    assert find_template(tmp_path) == TEMPLATE
    (tmp_path / "dataset_card.md").write_text("own\n")
    assert find_template(tmp_path) == tmp_path / "dataset_card.md"
