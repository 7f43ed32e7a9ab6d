"""Publishing a release to a target: the decisions, the same for the Hub (hub.py) and a folder (local.py).

    prepare_release   reads the target (tags, the previous release's record, the files at the
                      head), checks the version and makes the plan; changes nothing
    publish_release   carries the plan out: one commit (or folder update), then the tag

Versioning rules (docs/publishing.md):
- the version must be above every release already tagged;
- a tag never moves: pushing an existing version again is "already published" (exit 0) when
  the tag holds exactly these files, and refused otherwise;
- a new version whose data equals the latest release's is "nothing to publish": a version
  names a dataset, and a second name for the same data would only make an empty changelog.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from builder.errors import UsageError
from builder.publish.inputs import Build
from builder.publish.plan import Plan, make_plan
from builder.publish.release import RELEASE_FILE, read_record
from builder.publish.repo import release_files
from builder.publish.versions import Version, released_versions

PUBLISH, ALREADY_PUBLISHED, NOTHING_TO_PUBLISH = "publish", "already published", "nothing to publish"


@dataclass(frozen=True)
class Published:
    revision: str  # the commit (Hub) or version folder (local) the tag names
    committed: bool  # False when the head already held the files and only the tag was added


class Target(Protocol):
    """Where releases go. A revision is whatever the target names a snapshot by (a commit oid, a folder)."""

    name: str

    def release_tags(self) -> dict[str, str]:
        """Every tag -> the revision it names (empty when the target does not exist yet)."""

    def head(self) -> str | None:
        """The revision new files go on top of; None when there is nothing yet."""

    def file_ids(self, revision: str) -> dict[str, str]:
        """path -> content id (sha256, or git blob sha1) of every file at `revision`."""

    def read_file(self, revision: str, path: str) -> bytes | None:
        """A file's bytes at `revision`, None when it is not there."""

    def publish(self, files: dict[str, bytes], plan: Plan, head: str | None, tag: str, message: str,
                description: str) -> Published:
        """Apply `plan` on top of `head` in one step, then tag the result `tag`."""


@dataclass(frozen=True)
class Release:
    version: Version
    status: str  # PUBLISH, ALREADY_PUBLISHED or NOTHING_TO_PUBLISH
    files: dict[str, bytes]
    record: dict  # release.json of `files`, parsed
    plan: Plan
    head: str | None
    previous_tag: str | None
    same_as: str | None = None  # the tag already holding this content (not PUBLISH)


def prepare_release(target: Target, build: Build, version: Version, template: Path,
                    repo_id: str | None = None) -> Release:
    tags = target.release_tags()
    versions = released_versions(tags)
    exists = version.tag in tags
    if not exists and versions and version < versions[-1]:
        raise UsageError(f"{version} is below the latest release {versions[-1].tag}: "
                         f"a new version must be above it", variable="--version")
    previous = max((v for v in versions if v < version), default=None)
    previous_tag = previous.tag if previous else None
    previous_record = _record_at(target, tags[previous_tag]) if previous_tag else None
    files = release_files(build, version, template, previous=previous_record, previous_tag=previous_tag,
                          repo_id=repo_id)
    record = read_record(files[RELEASE_FILE], RELEASE_FILE)

    if exists:
        at_tag = make_plan(files, target.file_ids(tags[version.tag]))
        if at_tag.empty:
            return Release(version, ALREADY_PUBLISHED, files, record, at_tag, tags[version.tag], previous_tag, version.tag)
        latest = versions[-1].tag
        raise UsageError(f"{version.tag} is already published on {target.name} with other content "
                         f"({len(at_tag.added) + len(at_tag.changed) + len(at_tag.deleted)} file(s) differ); "
                         f"a tag never moves: publish a version above {latest}", variable="--version")
    head = target.head()
    if previous_record and previous_record["data_sha256"] == record["data_sha256"]:
        return Release(version, NOTHING_TO_PUBLISH, files, record, Plan(), head, previous_tag, previous_tag)
    plan = make_plan(files, target.file_ids(head) if head else {})
    return Release(version, PUBLISH, files, record, plan, head, previous_tag)


def _record_at(target: Target, revision: str) -> dict | None:
    content = target.read_file(revision, RELEASE_FILE)
    return read_record(content, f"{target.name}@{revision}/{RELEASE_FILE}") if content is not None else None


def publish_release(target: Target, release: Release, message: str | None = None) -> Published:
    if release.status != PUBLISH:
        raise ValueError(f"nothing to do for a release with status {release.status!r}")
    return target.publish(release.files, release.plan, release.head, release.version.tag,
                          message or f"Release {release.version.tag}", change_summary(release.record))


def change_summary(record: dict) -> str:
    """One line for the commit description: what changed since the previous release."""
    changes = record["changelog"]
    if changes is None:  # the first release, or one after a release without a record
        return f"Version {record['version']}."
    counts = [f"{len(changes['questions_added'])} question(s) added", f"{len(changes['questions_removed'])} removed",
              f"{len(changes['questions_changed'])} changed", f"{len(changes['countries_added'])} country(ies) added",
              f"{len(changes['countries_removed'])} removed"]
    return f"Version {record['version']}, against {changes['against']}: " + ", ".join(counts) + "."
