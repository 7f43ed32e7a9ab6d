"""The published GlobalOpinionQA release (`global_opinions.csv`, source `goqa`) as typed tables.

The release has no microdata: each row already holds per-country fractions over its options.
This adapter parses them without `eval` (builder/goqa_format.py), maps every country key
through the shared country table (an unknown key is an error, never a guess), moves the
non-substantive options ("DK/Refused", "Don't know", "No answer") into the non-substantive
shares, drops the missing-data options ("Missing; Not available", "Other missing; ...") from
every denominator, and renormalises the substantive distribution, as ingest does for microdata.

Known problems of the release are reported, not silently fixed: each becomes a flag on the
question and a count in the ingest report; what cannot be represented is left out and counted.

Question ids are `goqa.<gas|wvs>_<hash>`, the hash being the first 12 hex digits of the
sha256 of the normalised question text and the options (docs/goqa.md), so they are stable
across rebuilds and do not depend on row order.
"""

from __future__ import annotations

import hashlib
from collections import Counter

import numpy as np
import pandas as pd

from builder import labels, text
from builder.countries import UnknownCountry, resolve_country
from builder.errors import DataError, UsageError
from builder.goqa_format import FormatError, parse_options, parse_selections
from builder.labels import KINDS
from builder.manifest import ManifestEntry

SOURCE = "goqa"  # the manifest's `source:` for the release
COLUMNS = ["question", "selections", "options", "source"]
RELEASE_SOURCES = {"GAS": "gas", "WVS": "wvs"}
# Rows whose fractions sum further than this from 1 are flagged `sum_off` (the release's
# vectors normally sum to 0.997-1.003 because of rounding).
SUM_TOLERANCE = 0.01
SHARE_COLUMNS = [f"{kind}_share" for kind in KINDS]


def question_id(source: str, question: str, options: list) -> str:
    """`goqa.<gas|wvs>_<12 hex>`: sha256 of the normalised question, a unit separator, and the
    options' Python reprs joined by record separators."""
    payload = question + "\x1f" + "\x1e".join(repr(option) for option in options)
    return f"goqa.{RELEASE_SOURCES[source]}_{hashlib.sha256(payload.encode('utf-8')).hexdigest()[:12]}"


def read_release(path) -> pd.DataFrame:
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except FileNotFoundError:
        raise UsageError("file not found", file=path) from None
    except (pd.errors.ParserError, UnicodeDecodeError) as error:
        raise DataError(f"not the release's CSV ({str(error).splitlines()[0]})", file=path) from None
    missing = [column for column in COLUMNS if column not in frame.columns]
    if missing:
        raise DataError(f"missing column(s) {', '.join(missing)}; expected {', '.join(COLUMNS)}", file=path)
    return frame


class _Problems:
    """Counts and examples of what the release gets wrong, for the ingest report."""

    def __init__(self):
        self.counts: Counter = Counter()
        self.examples: dict[str, list] = {}

    def add(self, problem: str, example: object) -> None:
        self.counts[problem] += 1
        self.examples.setdefault(problem, [])
        if len(self.examples[problem]) < 10:
            self.examples[problem].append(example)


def _classify_options(options: list) -> tuple[list[int], dict[int, str], list[int]]:
    """Indexes of substantive options, non-substantive ones (with kind), and missing-data ones."""
    substantive, non_substantive, missing = [], {}, []
    for index, option in enumerate(options):
        label = option if isinstance(option, str) else None
        if label and labels.non_substantive_kind(label):
            non_substantive[index] = labels.non_substantive_kind(label)
        elif label and labels.is_missing_label(label):
            missing.append(index)
        else:
            substantive.append(index)
    return substantive, non_substantive, missing


def _country_rows(qid: str, line: int, selections: dict, n_options: int, substantive: list[int],
                  non_substantive: dict[int, str], missing: list[int], entry: ManifestEntry,
                  problems: _Problems, flags: set) -> list[dict]:
    rows = []
    for key, values in selections.items():
        try:
            country = resolve_country(key)
        except UnknownCountry:
            raise DataError(f"line {line}: unknown country {key!r}; add it to builder/data/countries.yaml",
                            file=entry.file, variable="selections") from None
        values = np.asarray(values, dtype=np.float64)
        where = (line, key)
        if len(values) != n_options:
            problems.add("length_mismatch", where)
            flags.add("length_mismatch")
            continue
        if (values < 0).any():
            problems.add("negative_value", where)
            flags.add("negative_value")
            continue
        if not values.any():
            problems.add("all_zero", where)
            flags.add("all_zero")
            continue
        if abs(values.sum() - 1.0) > SUM_TOLERANCE:
            problems.add("sum_off", (*where, round(float(values.sum()), 6)))
            flags.add("sum_off")
        substantive_total = values[substantive].sum()
        if substantive_total <= 0:
            problems.add("no_substantive_answers", where)
            continue
        asked_total = values.sum() - values[missing].sum()
        shares = {column: 0.0 for column in SHARE_COLUMNS}
        for index, kind in non_substantive.items():
            shares[f"{kind}_share"] += values[index] / asked_total
        rows.append({
            "question_id": qid,
            "country_code": country.code,
            "country": country.name,
            "sample_frame": country.sample_frame,
            "source_country": key,
            "probabilities": values[substantive] / substantive_total,
            **shares,
        })
    return rows


def tabulate_release(frame: pd.DataFrame, entry: ManifestEntry) -> tuple[list[dict], pd.DataFrame, dict]:
    """Questions rows, distributions, and the problem report of a release file."""
    problems = _Problems()
    questions, distributions, seen = [], [], {}
    for position, row in enumerate(frame.itertuples(index=False)):
        line = position + 2  # the CSV's line number: header on line 1 (no quoted newlines in the release)
        if row.source not in RELEASE_SOURCES:
            raise DataError(f"line {line}: source {row.source!r} is neither GAS nor WVS", file=entry.file, variable="source")
        try:
            options = parse_options(row.options)
        except FormatError as error:
            raise DataError(f"line {line}: {error}", file=entry.file, variable="options") from None
        try:
            selections = parse_selections(row.selections)
        except FormatError as error:
            raise DataError(f"line {line}: {error}", file=entry.file, variable="selections") from None
        question = text.normalise_text(row.question)
        if not question:
            problems.add("empty_question", line)
            continue
        substantive, non_substantive, missing = _classify_options(options)
        if len(substantive) < 2:
            problems.add("fewer_than_two_options", line)
            continue
        qid = question_id(row.source, question, options)
        if qid in seen:
            problems.add("duplicate", (line, seen[qid]))
            continue
        seen[qid] = line
        flags = {f"source_{RELEASE_SOURCES[row.source]}"}
        if any(not isinstance(options[index], str) for index in substantive):
            flags.add("numeric_options")
        if text.placeholders(question):
            flags.add("placeholder")
        rows = _country_rows(qid, line, selections, len(options), substantive, non_substantive, missing, entry, problems, flags)
        if not rows:
            problems.add("no_usable_country", line)
            continue
        labels_of = [str(option) for option in options]
        questions.append({
            "question_id": qid,
            "source": SOURCE,
            "survey": entry.survey,
            "wave": entry.wave,
            "year_start": entry.year_start,
            "year_end": entry.year_end,
            "source_file": entry.path,
            "variable": None,
            "question": question,
            "options": [labels_of[index] for index in substantive],
            "option_codes": None,
            "ordinal": None,
            "scale_type": "binary" if len(substantive) == 2 else "nominal",
            "non_substantive": [{"code": None, "label": labels_of[index], "kind": kind} for index, kind in non_substantive.items()],
            "flags": sorted(flags),
        })
        distributions.extend(rows)
        for index in missing:
            problems.add("missing_data_option_dropped", (line, labels_of[index]))
    table = pd.DataFrame(distributions)
    table = table.assign(n=pd.array([None] * len(table), dtype="Int64"), n_asked=pd.array([None] * len(table), dtype="Int64"),
                         effective_n=np.nan, weight_variable=None)
    report = {
        "release_rows": len(frame),
        "questions": len(questions),
        "left_out_rows": {problem: problems.counts[problem] for problem in ("empty_question", "fewer_than_two_options", "duplicate", "no_usable_country") if problems.counts[problem]},
        "flagged_cells": {problem: problems.counts[problem] for problem in ("length_mismatch", "negative_value", "all_zero", "sum_off", "no_substantive_answers") if problems.counts[problem]},
        "missing_data_options_dropped": problems.counts["missing_data_option_dropped"],
        "sum_tolerance": SUM_TOLERANCE,
        "examples": {problem: [list(e) if isinstance(e, tuple) else e for e in examples] for problem, examples in problems.examples.items()},
    }
    return questions, table, report
