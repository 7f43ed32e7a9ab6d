"""A local folder as a release target: the repo's files, plus every version kept in a folder of its own.

    DIR/README.md, LICENSE.md, release.json, data/...   the latest release: load_dataset(DIR, "en")
    DIR/versions/v1.0.0/...                             each release, complete and never changed:
    DIR/versions/v1.1.0/...                             load_dataset(DIR / "versions/v1.0.0", "en")

A folder per version rather than a git repo with tags: an earlier version loads offline with
`load_dataset` and nothing else (no git, no checkout), and the folder can be copied or served
as it is. The cost is disk space (a release is a few megabytes).

Same order as on the Hub: the top-level files are updated first (the commit), the version folder
comes last and appears in one rename (the tag). A run that fails in between leaves no version
folder, and running it again finishes the job.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from builder.errors import UsageError, display_path
from builder.files import sha256_file, write_bytes_atomic
from builder.publish.plan import Plan
from builder.publish.push import Published
from builder.publish.release import RELEASE_FILE
from builder.publish.repo import is_owned
from builder.publish.versions import version_of_tag

VERSIONS = "versions"
LATEST = "."  # the revision name of the top-level files


class FolderTarget:
    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.name = display_path(folder)

    def release_tags(self) -> dict[str, str]:
        if self.folder.exists() and not self.folder.is_dir():
            raise UsageError("is a file, not a folder", file=self.folder)
        versions = self.folder / VERSIONS
        if not versions.is_dir():
            if self.folder.is_dir() and any(self.folder.iterdir()) and not (self.folder / RELEASE_FILE).is_file():
                raise UsageError("is not empty and holds no release; choose a new or empty folder", file=self.folder)
            return {}
        return {path.name: f"{VERSIONS}/{path.name}" for path in sorted(versions.iterdir())
                if path.is_dir() and version_of_tag(path.name) is not None}

    def head(self) -> str | None:
        return LATEST if (self.folder / RELEASE_FILE).is_file() else None

    def file_ids(self, revision: str) -> dict[str, str]:
        """sha256 of the release's files at `revision` (files it does not own are not listed)."""
        root = self.folder / revision
        if not root.is_dir():
            return {}
        ids = {}
        for path in sorted(root.rglob("*")):
            relative = path.relative_to(root).as_posix()
            if path.is_file() and is_owned(relative):
                ids[relative] = sha256_file(path)
        return ids

    def read_file(self, revision: str, path: str) -> bytes | None:
        file = self.folder / revision / path
        return file.read_bytes() if file.is_file() else None

    def publish(self, files: dict[str, bytes], plan: Plan, head: str | None, tag: str, message: str,
                description: str) -> Published:
        try:
            for path in plan.added + plan.changed:
                write_bytes_atomic(self.folder / path, files[path])
            for path in plan.deleted:
                (self.folder / path).unlink(missing_ok=True)
                _remove_empty_parents(self.folder / path, stop=self.folder)
            self._save_version(files, tag)
        except OSError as error:
            raise UsageError(f"cannot write the release ({error.strerror or error}); run the same command again "
                             "to finish it", file=self.folder) from None
        return Published(f"{VERSIONS}/{tag}", committed=not plan.empty)

    def _save_version(self, files: dict[str, bytes], tag: str) -> None:
        """Write the whole release into a temporary folder, then rename it to versions/<tag> in one step."""
        versions = self.folder / VERSIONS
        versions.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{tag}.", dir=versions))
        try:
            for path, content in files.items():
                (staging / path).parent.mkdir(parents=True, exist_ok=True)
                (staging / path).write_bytes(content)
            staging.chmod(0o755)  # mkdtemp makes it private; a release is for everyone who can read DIR
            os.rename(staging, versions / tag)  # fails rather than replace an existing version
        finally:
            shutil.rmtree(staging, ignore_errors=True)


def _remove_empty_parents(path: Path, stop: Path) -> None:
    folder = path.parent
    while folder != stop and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
