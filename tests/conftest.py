"""Shared fixtures: a throwaway project with the bundled sample, and a CLI runner in it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from tests.support.cli import run_builder

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the project's settings and raw/ folder (manifest, catalogs, synthetic sample)
    in a temporary folder, made the current directory, so commands can write and break freely."""
    root = tmp_path / "project"
    root.mkdir()
    shutil.copy(REPO / "builder.yaml", root / "builder.yaml")
    (root / "raw").mkdir()
    shutil.copy(REPO / "raw" / "manifest.yaml", root / "raw" / "manifest.yaml")
    for folder in ("catalogs", "sample", "translations"):
        if (REPO / "raw" / folder).is_dir():
            shutil.copytree(REPO / "raw" / folder, root / "raw" / folder)
    monkeypatch.chdir(root)
    return root


@pytest.fixture
def builder_cli():
    """Run `builder ARGS...` in-process in the current directory; returns exit code and output."""
    return run_builder


def build_snapshot(build_dir: Path) -> dict[str, bytes]:
    """Every file of a build folder and its bytes, to show a failed run changed nothing."""
    return {str(path.relative_to(build_dir)): path.read_bytes() for path in sorted(build_dir.rglob("*")) if path.is_file()}
