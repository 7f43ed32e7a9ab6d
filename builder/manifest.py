"""The manifest: which raw files to ingest, how to read them, and their pinned checksums.

`raw/manifest.yaml` holds a list `files:`; each entry names a raw file and its catalog (paths
relative to the manifest's folder), the survey it belongs to and its sha256. Ingest refuses a
file whose checksum no longer matches; `builder ingest --repin` records the new checksum.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from builder.errors import DataError, UsageError
from builder.files import read_yaml, sha256_file, write_text_atomic

READER_FORMATS = {".sav": "sav", ".zsav": "sav", ".dta": "dta", ".csv": "csv", ".tsv": "csv", ".txt": "csv"}
READER_OPTIONS = {"format", "encoding", "delimiter"}
ENTRY_KEYS = {
    "path", "source", "survey", "wave", "years", "catalog", "sha256", "weight", "country",
    "reader", "missing_weight", "synthetic", "note",
}
REQUIRED_KEYS = ("path", "source", "survey", "wave", "years")  # catalog: for microdata (ingest checks)
SURVEY_ID = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass
class ManifestEntry:
    """One raw file to ingest."""

    manifest_path: Path
    path: str  # as written in the manifest, relative to its folder; the provenance key
    source: str  # adapter name: pew_gas, wvs, ...
    survey: str  # survey id, the prefix of every question_id from this file
    wave: str
    year_start: int
    year_end: int
    catalog: str | None  # None for a source that carries its own options (the GlobalOpinionQA release)
    sha256: str | None = None
    weight: str | None = None  # weight variable; None = the adapter's default names
    country: str | None = None  # country variable; None = the adapter's default names
    reader: dict = field(default_factory=dict)
    missing_weight: str | None = None  # "drop" or "error"; None = the adapter's policy
    synthetic: bool = False

    @property
    def file(self) -> Path:
        return (self.manifest_path.parent / self.path).resolve()

    @property
    def catalog_file(self) -> Path | None:
        return (self.manifest_path.parent / self.catalog).resolve() if self.catalog else None

    @property
    def format(self) -> str:
        return self.reader.get("format") or READER_FORMATS.get(Path(self.path).suffix.lower(), "")


def _years(value: object, where: str, manifest: Path) -> tuple[int, int]:
    years = value if isinstance(value, list) else [value]
    if not years or not all(isinstance(year, int) and 1900 <= year <= 2100 for year in years):
        raise UsageError(f"{where}: years must be a year or a list of years, got {value!r}", file=manifest)
    return min(years), max(years)


def _entry(raw: object, index: int, manifest: Path, known_sources: set[str]) -> ManifestEntry:
    where = f"files[{index}]"
    if not isinstance(raw, dict):
        raise UsageError(f"{where}: expected a mapping", file=manifest)
    if "path" in raw:
        where = f"files[{index}] ({raw['path']})"
    unknown = sorted(set(raw) - ENTRY_KEYS)
    if unknown:
        raise UsageError(f"{where}: unknown key(s) {', '.join(unknown)}", file=manifest)
    missing = [key for key in REQUIRED_KEYS if key not in raw]
    if missing:
        raise UsageError(f"{where}: missing key(s) {', '.join(missing)}", file=manifest)
    if raw["source"] not in known_sources:
        raise UsageError(
            f"{where}: unknown source {raw['source']!r} (known: {', '.join(sorted(known_sources))})", file=manifest
        )
    if not SURVEY_ID.match(str(raw["survey"])):
        raise UsageError(f"{where}: survey {raw['survey']!r} must be lower_snake_case", file=manifest)
    reader = raw.get("reader") or {}
    if not isinstance(reader, dict) or set(reader) - READER_OPTIONS:
        raise UsageError(f"{where}: reader options must be among {', '.join(sorted(READER_OPTIONS))}", file=manifest)
    if raw.get("missing_weight") not in (None, "drop", "error"):
        raise UsageError(f"{where}: missing_weight must be 'drop' or 'error'", file=manifest)
    year_start, year_end = _years(raw["years"], where, manifest)
    entry = ManifestEntry(
        manifest_path=manifest,
        path=str(raw["path"]),
        source=raw["source"],
        survey=str(raw["survey"]),
        wave=str(raw["wave"]),
        year_start=year_start,
        year_end=year_end,
        catalog=str(raw["catalog"]) if raw.get("catalog") else None,
        sha256=(str(raw["sha256"]).lower() if raw.get("sha256") else None),
        weight=raw.get("weight"),
        country=raw.get("country"),
        reader=dict(reader),
        missing_weight=raw.get("missing_weight"),
        synthetic=bool(raw.get("synthetic", False)),
    )
    if entry.format not in ("sav", "dta", "csv"):
        raise UsageError(f"{where}: cannot tell the file format; set reader: {{format: sav|dta|csv}}", file=manifest)
    return entry


def load_manifest(path: Path, known_sources: set[str]) -> list[ManifestEntry]:
    path = Path(path).resolve()
    raw = read_yaml(path)
    if not isinstance(raw, dict) or not isinstance(raw.get("files"), list):
        raise UsageError("expected a mapping with a list 'files:'", file=path)
    entries = [_entry(item, index, path, known_sources) for index, item in enumerate(raw["files"])]
    seen: dict[str, str] = {}
    for entry in entries:
        if entry.survey in seen:
            raise UsageError(
                f"survey id {entry.survey!r} is used by both {seen[entry.survey]} and {entry.path}", file=path
            )
        seen[entry.survey] = entry.path
    return entries


def verify_checksum(entry: ManifestEntry) -> str:
    """Return the file's sha256, or raise if it is missing or differs from the pinned one."""
    if not entry.file.is_file():
        raise UsageError("file not found (listed in the manifest)", file=entry.file)
    actual = sha256_file(entry.file)
    if entry.sha256 is None:
        raise DataError(
            f"no sha256 pinned in {entry.manifest_path.name}; check the file, then run `builder ingest --repin`",
            file=entry.file,
        )
    if actual != entry.sha256:
        raise DataError(
            f"checksum mismatch: the manifest pins {entry.sha256[:12]}..., the file is {actual[:12]}...; "
            "if the file was replaced on purpose, run `builder ingest --repin`",
            file=entry.file,
        )
    return actual


def repin(manifest_path: Path, entries: list[ManifestEntry]) -> list[str]:
    """Write each file's current sha256 into the manifest, keeping its comments and layout.

    Returns the paths whose checksum changed. Only `sha256:` lines are touched (or added after
    the entry's `path:` line), so a curated manifest keeps its comments.
    """
    lines = Path(manifest_path).read_text(encoding="utf-8").splitlines(keepends=True)
    changed = []
    for entry in entries:
        if not entry.file.is_file():
            raise UsageError("file not found (listed in the manifest)", file=entry.file)
        actual = sha256_file(entry.file)
        if actual == entry.sha256:
            continue
        changed.append(entry.path)
        path_line = next(
            (i for i, line in enumerate(lines) if re.match(rf"^\s*(?:-\s+)?path:\s*['\"]?{re.escape(entry.path)}['\"]?\s*$", line)),
            None,
        )
        if path_line is None:
            raise UsageError(f"cannot find the line 'path: {entry.path}' to repin", file=manifest_path)
        indent = len(lines[path_line]) - len(lines[path_line].lstrip(" -"))
        block_end = _block_end(lines, path_line, indent)
        sha_line = next((i for i in range(path_line + 1, block_end) if re.match(r"^\s*sha256:", lines[i])), None)
        new_line = f"{' ' * indent}sha256: {actual}\n"
        if sha_line is None:
            lines.insert(path_line + 1, new_line)
        else:
            lines[sha_line] = new_line
    if changed:
        write_text_atomic(manifest_path, "".join(lines))
    return changed


def _block_end(lines: list[str], path_line: int, indent: int) -> int:
    """Index just past the manifest entry whose `path:` key is on `path_line`.

    The entry ends at the next list item (`- `) or the next line indented less than its keys.
    """
    for i in range(path_line + 1, len(lines)):
        stripped = lines[i].lstrip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.startswith("- ") or len(lines[i]) - len(stripped) < indent:
            return i
    return len(lines)
