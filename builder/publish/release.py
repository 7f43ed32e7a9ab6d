"""`release.json`: what a published version holds, and the changelog against the one before.

The record lists, per question, content hashes of what is published about it (the question,
its countries' answers, its translations) and its countries; per data file, its sha256. The
next release reads the previous record back from the repo to write its changelog, and compares
`data_sha256` to tell whether anything changed at all. Nothing in it comes from the clock, so
equal builds give equal records.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict

from builder import __version__
from builder.errors import DataError
from builder.publish.configs import Config
from builder.publish.datafiles import DataFile
from builder.publish.inputs import Build
from builder.publish.versions import Version

RELEASE_FILE = "release.json"
RECORD_FORMAT = 1


def canonical_json(value) -> str:
    """JSON with sorted keys and no spaces: one text per value, whatever the dict order."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def sha256_of(value) -> str:
    return hashlib.sha256(canonical_json(value).encode("utf-8")).hexdigest()


def question_fingerprints(build: Build) -> dict[str, dict]:
    """question_id -> hashes of its published parts, and its country codes."""
    translations: dict[str, list[dict]] = defaultdict(list)
    for row in build.translations:
        translations[row["question_id"]].append({name: row[name] for name in
                                                 ("language", "question", "options", "method", "provider", "flags")})
    fingerprints = {}
    for question in sorted(build.questions, key=lambda q: q["question_id"]):
        question_id = question["question_id"]
        translated = sorted(translations[question_id], key=lambda row: row["language"])
        fingerprints[question_id] = {
            "question_sha256": sha256_of(question),
            "selections_sha256": sha256_of(build.selections[question_id]),
            "translations_sha256": sha256_of(translated) if translated else None,
            "countries": sorted({selection["country_code"] for selection in build.selections[question_id]}),
        }
    return fingerprints


def data_sha256(files: dict[str, dict]) -> str:
    """One hash over the data files' paths and contents: equal exactly when the data is equal."""
    return sha256_of({path: entry["sha256"] for path, entry in files.items()})


def release_record(build: Build, configs: list[Config], version: Version, data_files: dict[str, DataFile],
                   previous: dict | None, previous_tag: str | None) -> dict:
    """The record of this release. `previous` is the record of `previous_tag`, the release before it
    (None for the first release, or when that release has no record)."""
    files = {path: {"sha256": hashlib.sha256(file.content).hexdigest(), "size": len(file.content)}
             for path, file in sorted(data_files.items())}
    record = {
        "format": RECORD_FORMAT,
        "version": str(version),
        "tag": version.tag,
        "previous_version": previous_tag.removeprefix("v") if previous_tag else None,
        "build_id": build.build_id,
        "builder_version": __version__,
        "synthetic": build.synthetic,
        "configs": {config.name: {split: len(rows) for split, rows in config.splits.items()} for config in configs},
        "languages": build.languages,
        "countries": dict(sorted({row["country_code"]: row["country"] for row in build.distributions}.items())),
        "data_sha256": data_sha256(files),
        "files": files,
        "questions": question_fingerprints(build),
    }
    record["changelog"] = changelog(previous, record) if previous else None
    return record


def changelog(previous: dict, current: dict) -> dict:
    """Questions added, removed and changed (and what changed), countries and languages added and removed."""
    before, after = previous["questions"], current["questions"]
    changed = []
    for question_id in sorted(before.keys() & after.keys()):
        old, new = before[question_id], after[question_id]
        parts = [part for part in ("question", "selections", "translations")
                 if old[f"{part}_sha256"] != new[f"{part}_sha256"]]
        if parts:
            changed.append({
                "question_id": question_id,
                "changed": parts,
                "countries_added": sorted(set(new["countries"]) - set(old["countries"])),
                "countries_removed": sorted(set(old["countries"]) - set(new["countries"])),
            })
    countries_before, countries_after = previous["countries"], current["countries"]
    return {
        "against": previous["version"],
        "questions_added": sorted(after.keys() - before.keys()),
        "questions_removed": sorted(before.keys() - after.keys()),
        "questions_changed": changed,
        "countries_added": {code: countries_after[code] for code in sorted(countries_after.keys() - countries_before.keys())},
        "countries_removed": {code: countries_before[code] for code in sorted(countries_before.keys() - countries_after.keys())},
        "languages_added": sorted(set(current["languages"]) - set(previous["languages"])),
        "languages_removed": sorted(set(previous["languages"]) - set(current["languages"])),
    }


def record_json(record: dict) -> bytes:
    return (json.dumps(record, indent=2, ensure_ascii=False, sort_keys=False) + "\n").encode("utf-8")


def read_record(content: bytes, where: str) -> dict:
    """A release record read back from a repo; a record this code cannot read is a DataError."""
    try:
        record = json.loads(content)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise DataError(f"{RELEASE_FILE} is not valid JSON ({error})", file=where) from None
    if not isinstance(record, dict) or record.get("format") != RECORD_FORMAT:
        raise DataError(f"{RELEASE_FILE} has an unknown format (expected format {RECORD_FORMAT})", file=where)
    return record
