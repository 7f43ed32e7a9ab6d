"""release.json: the record of a release and the changelog against the previous one (release.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from builder.errors import DataError
from builder.publish.inputs import read_build
from builder.publish.release import RELEASE_FILE, changelog, read_record
from builder.publish.repo import release_files
from builder.publish.versions import parse_version
from tests.support.publish_build import (  # noqa: F401 - pytest fixtures
    change_build, expected_changelog, ingested_project, release_project,
)

TEMPLATE = Path(__file__).resolve().parents[1] / "dataset_card.md"


def record_of(files: dict[str, bytes]) -> dict:
    return read_record(files[RELEASE_FILE], RELEASE_FILE)


def test_the_record_describes_the_release(release_project):
    files = release_files(read_build(release_project / "build"), parse_version("1.0.0"), TEMPLATE)
    record = record_of(files)
    assert record["version"] == "1.0.0" and record["tag"] == "v1.0.0" and record["previous_version"] is None
    assert record["changelog"] is None and record["synthetic"] is True
    assert record["configs"]["en"] == {"pew_gas": 11, "wvs": 7} and record["languages"] == ["ru", "zh-Hans"]
    assert set(record["files"]) == {path for path in files if path.startswith("data/")}
    assert len(record["questions"]) == 18 and len(record["countries"]) == 11
    assert record["questions"]["wvs7_synthetic.Q171"]["countries"] == ["ARG", "GBR", "KOR", "TWN", "XNI"]
    assert "ingested_at" not in files[RELEASE_FILE].decode()


def test_the_changelog_lists_exactly_what_changed(release_project):
    build_dir = release_project / "build"
    v1 = record_of(release_files(read_build(build_dir), parse_version("1.0.0"), TEMPLATE))
    change_build(build_dir)
    v11 = record_of(release_files(read_build(build_dir), parse_version("1.1.0"), TEMPLATE, previous=v1,
                                  previous_tag="v1.0.0"))

    assert v11["previous_version"] == "1.0.0"
    assert v11["changelog"] == expected_changelog()
    assert v11["data_sha256"] != v1["data_sha256"]


def test_translations_and_languages_are_in_the_changelog(release_project):
    build_dir = release_project / "build"
    v1 = record_of(release_files(read_build(build_dir), parse_version("1.0.0"), TEMPLATE))
    later = dict(v1, questions={**v1["questions"]}, languages=["ru", "tr"], version="1.0.1")
    later["questions"]["wvs7_synthetic.Q1"] = {**v1["questions"]["wvs7_synthetic.Q1"], "translations_sha256": "x"}
    changes = changelog(v1, later)
    assert changes["languages_added"] == ["tr"] and changes["languages_removed"] == ["zh-Hans"]
    assert changes["questions_changed"] == [{"question_id": "wvs7_synthetic.Q1", "changed": ["translations"],
                                             "countries_added": [], "countries_removed": []}]


def test_equal_builds_have_equal_records(release_project):
    build = read_build(release_project / "build")
    assert release_files(build, parse_version("1.0.0"), TEMPLATE)[RELEASE_FILE] == \
        release_files(build, parse_version("1.0.0"), TEMPLATE)[RELEASE_FILE]


@pytest.mark.parametrize("content, message", [(b"{not json", "not valid JSON"),
                                              (json.dumps({"format": 99}).encode(), "unknown format")])
def test_an_unreadable_record_is_a_one_line_error(content, message):
    with pytest.raises(DataError, match=message):
        read_record(content, "tester/x@v1.0.0/release.json")
