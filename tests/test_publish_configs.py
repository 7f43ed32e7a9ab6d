"""The published configs, their features and their Parquet files (configs.py, features.py, datafiles.py)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import datasets
import pyarrow.parquet as pq
import pytest

from builder.errors import DataError
from builder.ingest import run_ingest
from builder.publish import configs as configs_module
from builder.publish import features, goqa_config
from builder.publish.configs import Config, make_configs, split_by_source
from builder.publish.datafiles import write_data_files
from builder.publish.inputs import read_build
from builder.publish.repo import release_files
from builder.publish.versions import parse_version
from tests.support.publish_build import (  # noqa: F401 - pytest fixtures
    LANGUAGES, UNTRANSLATED_IN_RU, expected_rows, ingested_project, release_project, write_sample_translations,
)

TEMPLATE = Path(__file__).resolve().parents[1] / "dataset_card.md"


def test_configs_hold_exactly_the_build_rows(release_project):
    build = read_build(release_project / "build")
    configs = make_configs(build)

    assert [config.name for config in configs] == ["en", *LANGUAGES, "long", "goqa"]
    assert [config.name for config in configs if config.default] == ["en"]
    assert {config.name: config.features for config in configs} == {
        "en": features.ENGLISH, "ru": features.TRANSLATED, "zh-Hans": features.TRANSLATED, "long": features.LONG,
        "goqa": goqa_config.FEATURES}
    expected = expected_rows(release_project / "build")
    assert {config.name: config.splits for config in configs} == expected
    assert list(configs[0].splits) == ["pew_gas", "wvs"]
    # a language config leaves out the questions it has no translation for
    assert UNTRANSLATED_IN_RU not in [row["question_id"] for row in configs[1].splits["wvs"]]
    assert configs[1].rows == configs[0].rows - 1 and configs[2].rows == configs[0].rows


def test_rows_and_selections_are_sorted(release_project):
    english = make_configs(read_build(release_project / "build"))[0]
    for rows in english.splits.values():
        ids = [row["question_id"] for row in rows]
        assert ids == sorted(ids)
        for row in rows:
            keys = [(s["country_code"], s["sample_frame"]) for s in row["selections"]]
            assert keys == sorted(keys)
    india = [s for s in english.splits["pew_gas"][0]["selections"] if s["country_code"] == "IND"]
    assert [s["sample_frame"] for s in india] == ["current_national", "old_national"]  # both frames kept, apart


def test_parquet_files_carry_the_features_and_pinned_options(release_project):
    data_files = write_data_files(make_configs(read_build(release_project / "build")))
    assert sorted(data_files) == sorted([f"data/{config}/{split}-00000-of-00001.parquet"
                                         for config in ("en", *LANGUAGES, "long") for split in ("pew_gas", "wvs")]
                                        + ["data/goqa/train-00000-of-00001.parquet"])
    en_pew = data_files["data/en/pew_gas-00000-of-00001.parquet"]
    parquet = pq.ParquetFile(io.BytesIO(en_pew.content))
    schema = parquet.schema_arrow
    assert schema.remove_metadata() == features.ENGLISH.arrow_schema.remove_metadata()
    assert b"pandas" not in schema.metadata  # nothing pandas-specific (no index, no pandas version)
    assert datasets.Features.from_arrow_schema(schema) == features.ENGLISH
    assert json.loads(schema.metadata[b"huggingface"])["info"]["features"]["selections"]["_type"] == "List"
    column = parquet.metadata.row_group(0).column(0)
    assert column.compression == "ZSTD" and column.statistics is not None


def test_identical_builds_give_identical_bytes_even_when_ingested_again(release_project):
    version = parse_version("1.0.0")
    first = release_files(read_build(release_project / "build"), version, TEMPLATE)
    # A second ingest of the same raw files stamps a new sources.ingested_at: nothing published changes.
    rebuilt = release_project / "rebuilt"
    run_ingest(release_project / "raw" / "manifest.yaml", rebuilt)
    write_sample_translations(rebuilt)
    assert pq.read_table(rebuilt / "sources.parquet")["ingested_at"] != \
        pq.read_table(release_project / "build" / "sources.parquet")["ingested_at"]
    assert release_files(read_build(rebuilt), version, TEMPLATE) == first


def test_split_names_must_suit_the_hub():
    assert list(split_by_source([{"source": "wvs"}, {"source": "pew_gas"}])) == ["pew_gas", "wvs"]
    with pytest.raises(DataError, match="'pew-gas' cannot name a split"):
        split_by_source([{"source": "pew-gas"}])


def test_a_new_config_is_one_function(release_project, monkeypatch):
    """How a config is added (as `goqa` was): a function Build -> [Config], appended to CONFIG_MAKERS."""
    ids_features = datasets.Features({"question_id": datasets.Value("string"), "source": datasets.Value("string")})

    def id_configs(build):
        rows = [{"question_id": q["question_id"], "source": q["source"]}
                for q in sorted(build.questions, key=lambda q: q["question_id"])]
        return [Config("ids", "Question ids only.", ids_features, split_by_source(rows))]

    monkeypatch.setattr(configs_module, "CONFIG_MAKERS", [*configs_module.CONFIG_MAKERS, id_configs])
    made = make_configs(read_build(release_project / "build"))
    assert made[-1].name == "ids" and made[-1].rows == made[0].rows
    assert "data/ids/wvs-00000-of-00001.parquet" in write_data_files(made)

    monkeypatch.setattr(configs_module, "CONFIG_MAKERS", [*configs_module.CONFIG_MAKERS, configs_module.long_configs])
    with pytest.raises(DataError, match="two configs are named 'long'"):
        make_configs(read_build(release_project / "build"))


def test_without_translations_there_are_no_language_configs(release_project):
    (release_project / "build" / "translations.parquet").unlink()
    assert [config.name for config in make_configs(read_build(release_project / "build"))] == ["en", "long", "goqa"]
