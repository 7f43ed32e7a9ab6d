"""The in-memory storage behind the Hub emulator: repos, commits, refs and file contents.

No HTTP here, only the rules the emulator serves: what a revision resolves to, which files a
commit holds, how files are listed, and which uploads the Hub stores with git LFS.
Each commit is a full snapshot (path -> file) plus its parent, so an old tag keeps resolving to
the old content however many commits follow it.
"""

from __future__ import annotations

import fnmatch
import hashlib
import itertools
import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import cached_property

# The Hub writes a .gitattributes like this one (abridged) in the first commit of every new repo;
# its `filter=lfs` patterns decide which uploads are stored with git LFS.
DEFAULT_GITATTRIBUTES = "".join(
    f"{pattern} filter=lfs diff=lfs merge=lfs -text\n"
    for pattern in (
        "*.7z *.arrow *.avro *.bin *.bz2 *.ckpt *.feather *.ftz *.gz *.h5 *.joblib *.lfs.* *.lz4 "
        "*.mds *.mlmodel *.model *.msgpack *.npy *.npz *.onnx *.ot *.parquet *.pb *.pickle *.pkl "
        "*.pt *.pth *.rar *.safetensors *.tar *.tar.* *.tflite *.tgz *.wasm *.xz *.zip *.zst "
        "*tfevents* *.mp3 *.ogg *.wav *.flac *.jpg *.jpeg *.png *.webp *.gif *.mp4"
    ).split()
)

# Larger files always go to LFS, whatever .gitattributes says.
LFS_SIZE_THRESHOLD = 10 * 1024 * 1024

_commit_counter = itertools.count()  # keeps two otherwise identical commits apart


def git_blob_oid(content: bytes) -> str:
    """The sha1 git gives a blob: what the Hub reports as a file's `oid` / `blobId`."""
    return hashlib.sha1(b"blob %d\0" % len(content) + content).hexdigest()


def now() -> datetime:
    return datetime.now(timezone.utc)


def iso(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass(frozen=True)
class StoredFile:
    """One file of a commit. LFS files are stored whole here; git would hold only their pointer."""

    content: bytes
    is_lfs: bool

    @property
    def size(self) -> int:
        return len(self.content)

    @cached_property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()

    @cached_property
    def lfs_pointer(self) -> bytes:
        return f"version https://git-lfs.github.com/spec/v1\noid sha256:{self.sha256}\nsize {self.size}\n".encode()

    @cached_property
    def git_oid(self) -> str:
        # As in git, the blob of an LFS file is its pointer, not its content.
        return git_blob_oid(self.lfs_pointer if self.is_lfs else self.content)

    @property
    def etag(self) -> str:
        """What `resolve` sends as ETag: sha256 for LFS files, git sha1 otherwise (as the Hub does)."""
        return self.sha256 if self.is_lfs else self.git_oid

    def lfs_info(self) -> dict | None:
        if not self.is_lfs:
            return None
        return {"oid": self.sha256, "size": self.size, "pointerSize": len(self.lfs_pointer)}


@dataclass(frozen=True)
class Commit:
    oid: str
    parent: str | None
    title: str
    description: str
    author: str
    date: datetime
    files: dict[str, StoredFile]


@dataclass
class Repo:
    repo_id: str  # "namespace/name"
    private: bool
    created_at: datetime = field(default_factory=now)
    commits: dict[str, Commit] = field(default_factory=dict)
    branches: dict[str, str] = field(default_factory=dict)  # name -> commit oid
    tags: dict[str, str] = field(default_factory=dict)  # name -> commit oid
    lfs_objects: dict[str, bytes] = field(default_factory=dict)  # sha256 -> content, from LFS uploads

    @property
    def namespace(self) -> str:
        return self.repo_id.split("/")[0]

    def resolve(self, revision: str) -> Commit | None:
        """A branch, a tag, a full commit oid, or refs/heads/<b> and refs/tags/<t>, as on the Hub."""
        if revision.startswith("refs/heads/"):
            oid = self.branches.get(revision.removeprefix("refs/heads/"))
        elif revision.startswith("refs/tags/"):
            oid = self.tags.get(revision.removeprefix("refs/tags/"))
        else:
            oid = self.branches.get(revision) or self.tags.get(revision) or revision
        return self.commits.get(oid) if oid else None

    def add_commit(self, branch: str, files: dict[str, StoredFile], title: str, description: str, author: str) -> Commit:
        """Record a new snapshot on top of `branch` (created if missing) and move the branch to it."""
        parent = self.branches.get(branch)
        date = now()
        fingerprint = json.dumps(
            [parent, sorted((path, f.git_oid) for path, f in files.items()), title, description, iso(date)]
            + [next(_commit_counter)]
        )
        oid = hashlib.sha1(fingerprint.encode()).hexdigest()
        commit = Commit(oid, parent, title, description, author, date, dict(files))
        self.commits[oid] = commit
        self.branches[branch] = oid
        return commit

    def history(self, commit: Commit) -> list[Commit]:
        """`commit` and its ancestors, newest first."""
        chain = [commit]
        while chain[-1].parent is not None:
            chain.append(self.commits[chain[-1].parent])
        return chain

    def last_commit_touching(self, commit: Commit, path: str) -> Commit:
        """The newest commit in the history of `commit` that changed `path` (a file or a folder)."""
        def version(c: Commit) -> list:
            return sorted((p, f.git_oid) for p, f in c.files.items() if p == path or p.startswith(path + "/"))

        history = self.history(commit)
        for newer, older in zip(history, history[1:]):
            if version(newer) != version(older):
                return newer
        return history[-1]


def lfs_patterns(files: dict[str, StoredFile]) -> list[str]:
    gitattributes = files.get(".gitattributes")
    if gitattributes is None:
        return []
    lines = gitattributes.content.decode(errors="replace").splitlines()
    return [line.split()[0] for line in lines if "filter=lfs" in line.split()[1:]]


def should_use_lfs(path: str, sample: bytes, size: int, files: dict[str, StoredFile]) -> bool:
    """The Hub's preupload decision: .gitattributes patterns, large files, and binary content go to LFS."""
    name = path.rsplit("/", 1)[-1]
    for pattern in lfs_patterns(files):
        # A pattern without a slash matches the file name at any depth, as in .gitattributes.
        if fnmatch.fnmatch(path if "/" in pattern else name, pattern):
            return True
    return size >= LFS_SIZE_THRESHOLD or b"\x00" in sample


def folder_oid(files: dict[str, StoredFile], folder: str) -> str:
    """A stable id for a folder's content (a stand-in for the git tree sha1)."""
    listing = sorted((p, f.git_oid) for p, f in files.items() if p.startswith(folder + "/"))
    return hashlib.sha1(json.dumps(listing).encode()).hexdigest()


def folders_of(files: dict[str, StoredFile]) -> set[str]:
    return {"/".join(path.split("/")[:depth]) for path in files for depth in range(1, path.count("/") + 1)}


def list_tree(files: dict[str, StoredFile], folder: str, recursive: bool) -> list[tuple[str, str]] | None:
    """(kind, path) pairs under `folder` ("" is the root), kind being "file" or "directory".

    Without `recursive`, only the direct children. None when `folder` does not exist.
    """
    all_folders = folders_of(files)
    if folder and folder not in all_folders:
        return None
    prefix = folder + "/" if folder else ""

    def wanted(path: str) -> bool:
        return path.startswith(prefix) and (recursive or "/" not in path[len(prefix):])

    entries = [("directory", d) for d in all_folders if wanted(d)] + [("file", p) for p in files if wanted(p)]
    return sorted(entries, key=lambda entry: entry[1])


def path_kind(files: dict[str, StoredFile], path: str) -> str | None:
    if path in files:
        return "file"
    if path in folders_of(files):
        return "directory"
    return None
