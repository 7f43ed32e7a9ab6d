"""`builder ingest`: manifest + raw files + catalogs -> questions, distributions, sources.

Every file is read, checked and tabulated in memory first; the tables are written only when
all files succeeded, each atomically, so a failed run leaves the previous build as it was.
"""

from __future__ import annotations

import hashlib
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pandas as pd

from builder import __version__, labels, manifest as manifest_module, tables, text
from builder.catalog import Catalog, CatalogItem, load_catalog
from builder.errors import DataError, UsageError
from builder.files import sha256_file
from builder.labels import KINDS
from builder.manifest import ManifestEntry
from builder.sources import ADAPTERS, Survey, goqa
from builder.tabulate import ItemCounts, UnknownCodes, tabulate_item

SHARE_COLUMNS = [f"{kind}_share" for kind in KINDS]
TABULATION_THREADS = min(4, os.cpu_count() or 1)
SOURCES = set(ADAPTERS) | {goqa.SOURCE}  # every `source:` a manifest entry may name


@dataclass
class FileResult:
    questions: list[dict]
    distributions: list[pd.DataFrame]
    source: dict
    report: dict


@dataclass
class IngestResult:
    build_id: str
    questions: pd.DataFrame
    distributions: pd.DataFrame
    sources: pd.DataFrame
    report: dict = field(default_factory=dict)
    repinned: list[str] = field(default_factory=list)


def _resolve_unknown_codes(item: CatalogItem, error: UnknownCodes, file_labels: dict, entry: ManifestEntry, catalog: Catalog) -> tuple[CatalogItem, list[dict]]:
    """Classify codes the catalog misses from the file's own labels (DK/Refused by label text).

    Anything that is not recognisably non-substantive or missing is an error: a real answer the
    catalog forgot would otherwise vanish from the distribution.
    """
    non_substantive, not_asked, classified = dict(item.non_substantive), dict(item.not_asked), []
    for code, count in zip(error.codes, error.counts):
        label = file_labels.get(code) or file_labels.get(int(code)) if float(code).is_integer() else file_labels.get(code)
        kind = labels.non_substantive_kind(label)
        if kind:
            non_substantive[int(code)] = (text.normalise_text(label), kind)
        elif labels.is_missing_label(label):
            not_asked[int(code)] = label
        else:
            described = f" ({label!r})" if label else ""
            raise DataError(
                f"code {code:g}{described} is in the data ({count} respondents) but not in the catalog {catalog.path.name}",
                file=entry.file,
                variable=item.variable,
            )
        classified.append({"variable": item.variable, "code": int(code), "label": label, "as": kind or "not_asked"})
    return replace(item, non_substantive=non_substantive, not_asked=not_asked), classified


def _label_mismatches(item: CatalogItem, file_labels: dict) -> list[str]:
    """Catalog option labels that differ from the file's: a hint of a wrong catalog or edition."""
    if not file_labels:
        return []
    fold = lambda label: text.normalise_text(label).casefold()  # noqa: E731
    return [
        f"{item.variable} code {option.code}: catalog {option.label!r}, file {file_labels[option.code]!r}"
        for option in item.options
        if option.code in file_labels and fold(file_labels[option.code]) != fold(option.label)
    ]


def _check_editions(catalog: Catalog, survey: Survey, entry: ManifestEntry) -> None:
    for check in catalog.edition_checks:
        found = survey.file_labels.get(check.variable, {}).get(check.code)
        if found is None and survey.entry.format == "csv":
            continue  # a CSV has no labels to check
        if found is None or text.normalise_text(found).casefold() != text.normalise_text(check.label).casefold():
            raise DataError(
                f"code {check.code} is labelled {found!r}, the catalog expects {check.label!r} "
                "(is this the inverted-scales edition?)",
                file=entry.file,
                variable=check.variable,
            )


def _question_row(item: CatalogItem, entry: ManifestEntry) -> dict:
    ordinal = [option.ordinal for option in item.options]
    return {
        "question_id": f"{entry.survey}.{item.item_id}",
        "source": entry.source,
        "survey": entry.survey,
        "wave": entry.wave,
        "year_start": entry.year_start,
        "year_end": entry.year_end,
        "source_file": entry.path,
        "variable": item.variable,
        "question": item.question,
        "options": [option.label for option in item.options],
        "option_codes": item.option_codes,
        "ordinal": ordinal if any(value is not None for value in ordinal) else None,
        "scale_type": item.scale_type,
        "non_substantive": [
            {"code": code, "label": label, "kind": kind} for code, (label, kind) in sorted(item.non_substantive.items())
        ],
        "flags": sorted(set(item.flags) | ({"synthetic"} if entry.synthetic else set())),
    }


def _tabulate_items(survey: Survey, items: list[CatalogItem]) -> list[ItemCounts | UnknownCodes]:
    """Every item's counts, or the UnknownCodes it raised, in catalog order.

    Items are independent, and most of the work (code conversion, lookups, Arrow columns to
    numpy) releases the GIL, so a few threads use the cores the reader used before them.
    """
    squared_weights = survey.weights * survey.weights
    survey.groups.row  # computed once here, not raced for by the threads

    def one(item: CatalogItem) -> ItemCounts | UnknownCodes:
        try:
            return tabulate_item(survey.codes[item.variable], survey.groups, survey.weights, item, squared_weights)
        except UnknownCodes as error:
            return error

    with ThreadPoolExecutor(max_workers=TABULATION_THREADS) as pool:
        return list(pool.map(one, items))


def ingest_file(entry: ManifestEntry, sha256: str) -> FileResult:
    """One raw file: the release's own format, or microdata read through its adapter and catalog."""
    if entry.source == goqa.SOURCE:
        return ingest_release_file(entry, sha256)
    if entry.catalog is None:
        raise UsageError(f"no catalog: a {entry.source} file needs one (docs/catalogs.md)", file=entry.manifest_path, variable=entry.path)
    return ingest_survey_file(entry, sha256)


def ingest_release_file(entry: ManifestEntry, sha256: str) -> FileResult:
    """The GlobalOpinionQA release (builder/sources/goqa.py): its rows are distributions already."""
    frame = goqa.read_release(entry.file)
    questions, distributions, release = goqa.tabulate_release(frame, entry)
    if not questions:
        raise DataError("no usable rows in the release", file=entry.file)
    report = {
        "path": entry.path, "survey": entry.survey, "warnings": [], "classified_from_file_labels": [],
        "rows": len(frame), "columns": len(frame.columns), "questions": len(questions),
        "countries": distributions[["country_code", "sample_frame"]].drop_duplicates().shape[0],
        "rows_dropped_no_weight": {}, "release": release,
    }
    source = {
        "path": entry.path, "sha256": sha256, "source": entry.source, "survey": entry.survey, "wave": entry.wave,
        "year_start": entry.year_start, "year_end": entry.year_end, "rows": len(frame), "columns": len(frame.columns),
        "reader": f"pandas.read_csv {pd.__version__}", "catalog": None, "catalog_sha256": None,
        "country_variable": "selections", "weight_variable": None, "rows_dropped_no_weight": 0, "synthetic": entry.synthetic,
    }
    return FileResult(questions, [distributions], source, report)


def ingest_survey_file(entry: ManifestEntry, sha256: str) -> FileResult:
    adapter = ADAPTERS[entry.source]
    catalog = load_catalog(entry.catalog_file, source_defaults=adapter.code_defaults)
    if catalog.source and catalog.source != entry.source:
        raise UsageError(f"catalog is for source {catalog.source!r}, the manifest says {entry.source!r}", file=entry.catalog)
    survey = adapter.read(entry, catalog)
    _check_editions(catalog, survey, entry)

    questions, distributions = [], []
    report = {"path": entry.path, "survey": entry.survey, "warnings": [], "classified_from_file_labels": [], "cells_without_substantive_answers": 0, "answers_outside_listed_countries": 0}
    for item, counts in zip(catalog.items, _tabulate_items(survey, catalog.items)):
        file_labels = survey.file_labels[item.variable]
        if isinstance(counts, UnknownCodes):
            item, classified = _resolve_unknown_codes(item, counts, file_labels, entry, catalog)
            report["classified_from_file_labels"] += classified
            counts = tabulate_item(survey.codes[item.variable], survey.groups, survey.weights, item)
        if len(counts.group) == 0:
            raise DataError("no valid answers in any country", file=entry.file, variable=item.variable)
        report["warnings"] += _label_mismatches(item, file_labels)
        report["cells_without_substantive_answers"] += counts.groups_without_answers
        report["answers_outside_listed_countries"] += counts.ignored_answers
        question = _question_row(item, entry)
        questions.append(question)
        distributions.append((question["question_id"], counts))

    dropped = sum(survey.dropped_no_weight.values())
    report.update({
        "rows": survey.n_rows,
        "columns": survey.n_columns,
        "questions": len(questions),
        "countries": len(survey.groups),
        "rows_dropped_no_weight": survey.dropped_no_weight,
    })
    source = {
        "path": entry.path,
        "sha256": sha256,
        "source": entry.source,
        "survey": entry.survey,
        "wave": entry.wave,
        "year_start": entry.year_start,
        "year_end": entry.year_end,
        "rows": survey.n_rows,
        "columns": survey.n_columns,
        "reader": survey.reader,
        "catalog": entry.catalog,
        "catalog_sha256": sha256_file(entry.catalog_file),
        "country_variable": survey.country_variable,
        "weight_variable": survey.weight_variable,
        "rows_dropped_no_weight": dropped,
        "synthetic": entry.synthetic,
    }
    return FileResult(questions, [_distributions_frame(distributions, survey)] if distributions else [], source, report)


def _distributions_frame(items: list[tuple[str, ItemCounts]], survey: Survey) -> pd.DataFrame:
    """The distributions rows of one file, as one frame built from whole arrays.

    A file has hundreds of items (WVS7: ~600): a small DataFrame per item and a concat of them
    all cost more than the tabulation itself (benchmarks/ingest_bench.py), so the per-item
    results are concatenated column by column and the country columns taken by group index.
    """
    countries, group = survey.groups.countries, np.concatenate([counts.group for _, counts in items])

    def per_row(values_per_group: list[str]) -> np.ndarray:
        return np.array(values_per_group, dtype=object)[group]

    def stacked(name: str) -> np.ndarray:
        return np.concatenate([getattr(counts, name) for _, counts in items])

    shares = stacked("shares")
    return pd.DataFrame({
        "question_id": np.repeat(np.array([question_id for question_id, _ in items], dtype=object), [len(counts.group) for _, counts in items]),
        "country_code": per_row([country.code for country in countries]),
        "country": per_row([country.name for country in countries]),
        "sample_frame": per_row([country.sample_frame for country in countries]),
        "source_country": per_row(survey.groups.source_keys),
        # One array per row, each a view of its item's probability matrix (rows differ in length).
        "probabilities": [row for _, counts in items for row in counts.probabilities],
        **{name: shares[:, i] for i, name in enumerate(SHARE_COLUMNS)},
        "n": stacked("n"),
        "n_asked": stacked("n_asked"),
        "effective_n": stacked("effective_n"),
        "weight_variable": survey.weight_variable,
    })


def build_id_for(sources: list[dict]) -> str:
    """A content id of the inputs: same files, catalogs and builder version -> same id."""
    digest = hashlib.sha256(__version__.encode())
    for source in sorted(sources, key=lambda s: s["path"]):
        digest.update(f"{source['path']}\0{source['sha256']}\0{source['catalog_sha256']}\0".encode())
    return digest.hexdigest()[:16]


def run_ingest(manifest_path: Path, build_dir: Path | None, *, repin: bool = False, on_file=None) -> IngestResult:
    """Ingest every file of the manifest; write the tables to `build_dir` unless it is None."""
    entries = manifest_module.load_manifest(manifest_path, SOURCES)
    if not entries:
        raise UsageError("the manifest lists no files", file=manifest_path)
    repinned = manifest_module.repin(manifest_path, entries) if repin else []
    if repinned:
        entries = manifest_module.load_manifest(manifest_path, SOURCES)

    results = []
    for entry in entries:
        sha256 = manifest_module.verify_checksum(entry)
        if on_file:
            on_file(entry)
        results.append(ingest_file(entry, sha256))

    ingested_at = pd.Timestamp(datetime.now(timezone.utc)).floor("us")
    questions = pd.DataFrame([row for result in results for row in result.questions])
    distributions = pd.concat([frame for result in results for frame in result.distributions], ignore_index=True)
    sources = pd.DataFrame([{**result.source, "ingested_at": ingested_at} for result in results])
    duplicated = questions["question_id"][questions["question_id"].duplicated()]
    if len(duplicated):
        raise DataError(f"question_id {duplicated.iloc[0]!r} is produced twice", file=manifest_path)
    build_id = build_id_for([result.source for result in results])
    report = {
        "build_id": build_id,
        "ingested_at": ingested_at.isoformat(),
        "questions": len(questions),
        "distributions": len(distributions),
        "files": [result.report for result in results],
    }
    if build_dir is not None:
        for name, frame in (("questions", questions), ("distributions", distributions), ("sources", sources)):
            tables.write_table(build_dir, name, frame, build_id)
        tables.write_json(Path(build_dir) / "ingest_report.json", report)
    return IngestResult(build_id, questions, distributions, sources, report, repinned)
