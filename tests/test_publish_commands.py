"""`builder push` options (commands.py); the publishing itself is in test_publish_hub.py and test_publish_local.py."""

from __future__ import annotations

import shutil

import pytest

from tests.support.publish_build import ingested_project, release_project, run_push  # noqa: F401 - fixtures


@pytest.mark.parametrize("args, message", [
    (["--version", "1.0.0", "--repo-id", "tester/x", "--to", "dist"], "give --repo-id or --to, not both"),
    (["--version", "1.0.0"], "say where to publish: --repo-id ORG/NAME (or publish.repo_id in builder.yaml), or --to DIR"),
    (["--version", "1.0.0", "--to", "dist", "--private"], "--private and --branch apply to the Hub only"),
    (["--version", "1.0.0", "--to", "dist", "--branch", "dev"], "--private and --branch apply to the Hub only"),
    (["--version", "one", "--to", "dist"], "--version: 'one' is not a semantic version"),
])
def test_conflicting_or_missing_options_are_one_line_usage_errors(release_project, args, message):
    result = run_push(*args)
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ") and message in result.stderr and result.stderr.count("\n") == 1
    assert not (release_project / "dist").exists()


def test_a_version_is_required(release_project):
    result = run_push("--to", "dist")
    assert result.exit_code == 2 and "Missing option '--version'" in result.stderr


def test_a_missing_build_is_named(release_project):
    shutil.rmtree(release_project / "build")
    result = run_push("--version", "1.0.0", "--to", "dist")
    assert result.exit_code == 2 and result.stderr == "error: build: no build folder; run `builder ingest` first\n"


def test_build_dir_option(release_project):
    shutil.move(release_project / "build", release_project / "elsewhere")
    result = run_push("--version", "1.0.0", "--to", "dist", "--build-dir", "elsewhere")
    assert result.exit_code == 0, result.output
    assert (release_project / "dist" / "versions" / "v1.0.0" / "release.json").is_file()


def test_help_lists_the_options(release_project):
    result = run_push("--help")
    for option in ("--version", "--repo-id", "--to", "--build-dir", "--dry-run", "--private", "--branch", "--message"):
        assert option in result.stdout
