"""Semantic versions and release tags (builder/publish/versions.py)."""

from __future__ import annotations

import pytest

from builder.errors import UsageError
from builder.publish.versions import Version, parse_version, released_versions, version_of_tag


def test_versions_parse_and_name_their_tag():
    assert parse_version("1.2.0") == Version(1, 2, 0)
    assert parse_version("v1.2.0") == Version(1, 2, 0)
    assert parse_version("2.0.0-rc.1").pre == ("rc", "1")
    assert parse_version("1.2.0").tag == "v1.2.0" and str(parse_version("2.0.0-rc.1")) == "2.0.0-rc.1"


@pytest.mark.parametrize("text", ["1.2", "1.2.0.0", "01.2.0", "1.2.x", "", "latest", "1.2.0+build.5", "1.2.0-", "1.2.0-01"])
def test_anything_else_is_refused_in_one_line(text):
    with pytest.raises(UsageError) as refused:
        parse_version(text)
    assert "--version" in str(refused.value) and "\n" not in str(refused.value)


def test_ordering_follows_semver():
    ordered = ["0.9.0", "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2",
               "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.0.1", "1.2.0", "1.10.0", "2.0.0"]
    versions = [parse_version(text) for text in ordered]
    assert sorted(reversed(versions)) == versions


def test_only_release_tags_count():
    assert version_of_tag("v1.0.0") == Version(1, 0, 0)
    assert version_of_tag("1.0.0") is None and version_of_tag("vnext") is None
    assert [str(v) for v in released_versions(["v1.10.0", "latest", "v1.2.0", "v1.2.0-rc.1", "experiment"])] == \
        ["1.2.0-rc.1", "1.2.0", "1.10.0"]
