"""Release versions: semantic versions `MAJOR.MINOR.PATCH[-PRERELEASE]`, tagged `v` + version.

Ordering follows semver.org (section 11): numbers compare numerically; a pre-release sorts
before its release (1.0.0-rc.1 < 1.0.0); pre-release fields compare numerically when both are
numbers, else as text, numbers first; more fields win when all shared ones are equal.
Build metadata (`+...`) is refused: it does not order, so two tags could name one version.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import total_ordering

from builder.errors import UsageError

_SEMVER = re.compile(
    r"(?P<major>0|[1-9]\d*)\.(?P<minor>0|[1-9]\d*)\.(?P<patch>0|[1-9]\d*)"
    r"(?:-(?P<pre>(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)(?:\.(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*))*))?"
)


@total_ordering
@dataclass(frozen=True)
class Version:
    major: int
    minor: int
    patch: int
    pre: tuple[str, ...] = ()

    def __str__(self) -> str:
        core = f"{self.major}.{self.minor}.{self.patch}"
        return f"{core}-{'.'.join(self.pre)}" if self.pre else core

    @property
    def tag(self) -> str:
        return f"v{self}"

    def _key(self) -> tuple:
        # A release (no pre-release) sorts after all of its pre-releases.
        pre = tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in self.pre)
        return (self.major, self.minor, self.patch, not self.pre, pre)

    def __lt__(self, other: Version) -> bool:
        return self._key() < other._key()


def parse_version(text: str) -> Version:
    """`1.2.0` (a leading `v` is accepted) -> Version; anything else is a one-line UsageError."""
    match = _SEMVER.fullmatch(str(text).strip().removeprefix("v"))
    if not match:
        raise UsageError(f"{text!r} is not a semantic version MAJOR.MINOR.PATCH (e.g. 1.2.0 or 1.2.0-rc.1)",
                         variable="--version")
    pre = tuple(match["pre"].split(".")) if match["pre"] else ()
    return Version(int(match["major"]), int(match["minor"]), int(match["patch"]), pre)


def version_of_tag(tag: str) -> Version | None:
    """The version a release tag names (`v1.2.0`), or None for a tag that is not a release."""
    if not tag.startswith("v"):
        return None
    try:
        return parse_version(tag[1:])
    except UsageError:
        return None


def released_versions(tags) -> list[Version]:
    """The release versions among `tags`, oldest first; other tags are ignored."""
    return sorted(version for version in map(version_of_tag, tags) if version is not None)
