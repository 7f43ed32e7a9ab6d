"""`builder push --to DIR`: the same repo in a local folder, every version kept (local.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import datasets
import yaml

from builder.publish import local
from tests.support.hub_client_env import hub, hub_env  # noqa: F401 - fixtures
from tests.support.publish_build import (  # noqa: F401 - fixtures
    change_build, expected_rows, ingested_project, release_project, run_push,
)

DECLARED = {"en", "ru", "zh-Hans", "long", "goqa"}
LOADER = textwrap.dedent("""\
    import json, sys, datasets
    loaded = {}
    for folder in sys.argv[1:]:
        for config in ("en", "ru", "zh-Hans", "long", "goqa"):
            splits = datasets.load_dataset(folder, config)
            loaded[f"{folder}|{config}"] = {split: {"features": data.features.to_dict(), "rows": data.to_list()}
                                            for split, data in splits.items()}
    print(json.dumps(loaded))
    """)


def load_offline(tmp_path: Path, *folders: Path) -> dict:
    """load_dataset(folder, config) in a child process that cannot reach any network."""
    env = {name: value for name, value in os.environ.items() if not name.startswith(("HF_", "HUGGINGFACE_"))}
    env |= {"HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1", "HF_HOME": str(tmp_path / "offline-home"),
            "HF_DATASETS_DISABLE_PROGRESS_BARS": "1", "HF_UPDATE_DOWNLOAD_COUNTS": "0",
            # anything that still tried the network would meet a closed port
            "HTTP_PROXY": "http://127.0.0.1:9", "HTTPS_PROXY": "http://127.0.0.1:9", "NO_PROXY": ""}
    child = subprocess.run([sys.executable, "-c", LOADER, *map(str, folders)], env=env, capture_output=True, text=True,
                           timeout=120)
    assert child.returncode == 0, child.stderr
    return json.loads(child.stdout.strip().splitlines()[-1])


def assert_holds(loaded: dict, folder: Path, rows: dict) -> None:
    from builder.publish import features, goqa_config

    declared = {"en": features.ENGLISH, "ru": features.TRANSLATED, "zh-Hans": features.TRANSLATED, "long": features.LONG,
                "goqa": goqa_config.FEATURES}
    for config in DECLARED:
        splits = loaded[f"{folder}|{config}"]
        assert set(splits) == set(rows[config])
        for split, data in splits.items():
            assert datasets.Features.from_dict(data["features"]) == declared[config]
            assert data["rows"] == rows[config][split], (folder, config, split)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_folder_loads_offline_and_keeps_earlier_versions(release_project, tmp_path):
    dist = tmp_path / "dist"
    build_dir = release_project / "build"
    v1_rows = expected_rows(build_dir)
    first = run_push("--version", "1.0.0", "--to", str(dist))
    assert first.exit_code == 0, first.output
    assert first.stdout.splitlines()[-2:] == [f"wrote {dist}", f"tagged v1.0.0: {dist / 'versions' / 'v1.0.0'}"]
    v1_files = snapshot(dist / "versions" / "v1.0.0")
    change_build(build_dir)

    second = run_push("--version", "1.1.0", "--to", str(dist))

    assert second.exit_code == 0, second.output
    assert "  change  data/en/wvs-00000-of-00001.parquet" in second.stdout.splitlines()
    assert sorted(path.name for path in (dist / "versions").iterdir()) == ["v1.0.0", "v1.1.0"]
    assert snapshot(dist / "versions" / "v1.0.0") == v1_files  # an earlier version never changes
    top = {path: content for path, content in snapshot(dist).items() if not path.startswith("versions/")}
    assert top == snapshot(dist / "versions" / "v1.1.0")  # the top is the latest version
    assert json.loads(top["release.json"])["version"] == "1.1.0"

    loaded = load_offline(tmp_path, dist, dist / "versions" / "v1.0.0")
    assert_holds(loaded, dist, expected_rows(build_dir))
    assert_holds(loaded, dist / "versions" / "v1.0.0", v1_rows)


def test_the_folder_holds_the_same_files_as_the_hub_repo(hub, hub_env, release_project, tmp_path):
    settings = yaml.safe_load((release_project / "builder.yaml").read_text())
    settings["publish"] = {"repo_id": "tester/global-opinions"}  # the repo id the card's usage examples name
    (release_project / "builder.yaml").write_text(yaml.safe_dump(settings))

    assert run_push("--version", "1.0.0", "--to", str(tmp_path / "dist")).exit_code == 0
    assert run_push("--version", "1.0.0").exit_code == 0  # --repo-id from builder.yaml

    on_hub = {path: content for path, content in hub.files("tester/global-opinions", "v1.0.0").items()
              if path != ".gitattributes"}
    assert snapshot(tmp_path / "dist" / "versions" / "v1.0.0") == on_hub


def test_publishing_again_changes_nothing(release_project, tmp_path):
    dist = tmp_path / "dist"
    run_push("--version", "1.0.0", "--to", str(dist))
    before = {path: (path.stat().st_mtime_ns, path.read_bytes()) for path in dist.rglob("*") if path.is_file()}

    again = run_push("--version", "1.0.0", "--to", str(dist))
    same_data = run_push("--version", "1.0.1", "--to", str(dist))

    assert again.exit_code == 0 and "already published" in again.stdout
    assert same_data.exit_code == 0 and "nothing to publish: the data is identical to v1.0.0" in same_data.stdout
    assert {path: (path.stat().st_mtime_ns, path.read_bytes()) for path in dist.rglob("*") if path.is_file()} == before


def test_stale_files_leave_the_top_but_stay_in_their_version(release_project, tmp_path):
    dist = tmp_path / "dist"
    run_push("--version", "1.0.0", "--to", str(dist))
    (release_project / "build" / "translations.parquet").unlink()

    result = run_push("--version", "2.0.0", "--to", str(dist))

    assert result.exit_code == 0, result.output
    assert "  delete  data/ru/pew_gas-00000-of-00001.parquet" in result.stdout.splitlines()
    assert sorted(path.name for path in (dist / "data").iterdir()) == ["en", "goqa", "long"]  # empty folders removed too
    assert (dist / "versions" / "v1.0.0" / "data" / "ru" / "wvs-00000-of-00001.parquet").is_file()


def test_a_dry_run_writes_nothing(release_project, tmp_path):
    result = run_push("--version", "1.0.0", "--to", str(tmp_path / "dist"), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "  add     release.json" in result.stdout.splitlines() and result.stdout.endswith("dry run: nothing was changed\n")
    assert not (tmp_path / "dist").exists()


def test_a_failure_half_way_leaves_no_version_and_the_same_command_finishes(release_project, tmp_path, monkeypatch):
    dist = tmp_path / "dist"

    def disk_full(self, files, tag):
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patched:  # (monkeypatch.undo() would also undo the fixture's chdir)
        patched.setattr(local.FolderTarget, "_save_version", disk_full)
        failed = run_push("--version", "1.0.0", "--to", str(dist))
    assert failed.exit_code == 2 and failed.stderr.strip().splitlines() == [
        f"error: {dist}: cannot write the release (No space left on device); run the same command again to finish it"]
    assert not (dist / "versions").exists()

    finished = run_push("--version", "1.0.0", "--to", str(dist))
    assert finished.exit_code == 0, finished.output
    # the top was written by the failed run; only the version folder (the "tag") was missing
    assert finished.stdout.splitlines()[1:] == ["  12 file(s) unchanged", f"wrote {dist}",
                                                 f"tagged v1.0.0: {dist / 'versions' / 'v1.0.0'}"]
    assert snapshot(dist / "versions" / "v1.0.0") == {p: c for p, c in snapshot(dist).items() if not p.startswith("versions/")}


def test_a_folder_that_holds_something_else_is_refused(release_project, tmp_path):
    other = tmp_path / "photos"
    other.mkdir()
    (other / "README.md").write_text("my own notes\n")
    refused = run_push("--version", "1.0.0", "--to", str(other))
    assert refused.exit_code == 2
    assert refused.stderr == f"error: {other}: is not empty and holds no release; choose a new or empty folder\n"
    assert (other / "README.md").read_text() == "my own notes\n"

    a_file = tmp_path / "file.txt"
    a_file.write_text("x")
    assert run_push("--version", "1.0.0", "--to", str(a_file)).stderr == f"error: {a_file}: is a file, not a folder\n"
