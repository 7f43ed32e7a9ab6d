"""What publishing would change: the release's files against what the target holds now.

A target describes each of its files by one content id: the Hub gives the git blob sha1 of a
regular file and the sha256 of an LFS file, a folder gives sha256. A local file matches when
either of its own ids equals the target's.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from builder.publish.repo import is_owned


def git_blob_sha1(content: bytes) -> str:
    """The id git (and the Hub) gives a file's content."""
    return hashlib.sha1(b"blob %d\0" % len(content) + content).hexdigest()


def content_ids(content: bytes) -> set[str]:
    return {hashlib.sha256(content).hexdigest(), git_blob_sha1(content)}


@dataclass(frozen=True)
class Plan:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)  # stale files of an earlier release
    unchanged: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.added or self.changed or self.deleted)

    def lines(self) -> list[str]:
        """The plan as the CLI prints it: one line per file to change, then a count of the rest."""
        lines = [f"  {action:<7} {path}" for action, paths in (("add", self.added), ("change", self.changed),
                                                                ("delete", self.deleted)) for path in paths]
        return lines + [f"  {len(self.unchanged)} file(s) unchanged"]


def make_plan(files: dict[str, bytes], remote: dict[str, str]) -> Plan:
    """`files`: the release (path -> bytes); `remote`: the target's files (path -> content id).

    Files the release does not own (.gitattributes, anything added by hand) are never deleted.
    """
    added, changed, unchanged = [], [], []
    for path, content in sorted(files.items()):
        if path not in remote:
            added.append(path)
        elif remote[path] in content_ids(content):
            unchanged.append(path)
        else:
            changed.append(path)
    deleted = sorted(path for path in remote if is_owned(path) and path not in files)
    return Plan(added, changed, deleted, unchanged)
