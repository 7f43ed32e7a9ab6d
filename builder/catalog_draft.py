"""`builder catalog draft`: a first catalog from a file's own metadata, for a curator to edit.

From SPSS/Stata variable and value labels (for a WVS CSV, from a companion .sav/.dta or a
codebook CSV with columns variable, code, label[, variable_label]) it drafts one item per
labelled variable: the question from the variable label (questionnaire number removed), the
substantive options in code order, non-substantive and not-asked codes recognised from label
text, and countries for variables answered in only some countries (country-specific items).
What it cannot know is left for the curator and marked with a `note`: full question text
where the label looks truncated, scale order and ordinal positions.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from builder import labels, readers, text
from builder.countries import UnknownCountry, resolve_country
from builder.errors import UsageError
from builder.sources import ADAPTERS

# Variables that are keys or weights, never questions (besides the adapters' own names).
KEY_VARIABLES = {"b_country_alpha", "a_year", "a_wave", "d_interview", "s018", "pwght", "s002vs", "s020", "cntry_an", "version", "doi"}
# Pew variable labels are often cut mid-word: a long label that does not end a sentence.
SENTENCE_END = re.compile(r"[.?!:)\]\"'…]\s*$")
# Routing instructions in a label mean the item depends on an earlier answer.
ROUTING = re.compile(r"\bASK (?:IF|THOSE|ONLY)\b[^:]*:\s*", re.IGNORECASE)


def read_codebook(path: Path) -> readers.FileInfo:
    """Labels from a companion .sav/.dta, or from a codebook CSV (variable, code, label[, variable_label])."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".sav", ".zsav", ".dta"):
        return readers.file_info(path, "dta" if suffix == ".dta" else "sav")
    if not path.is_file():
        raise UsageError("file not found", file=path)
    value_labels: dict[str, dict[float, str]] = {}
    variable_labels: dict[str, str] = {}
    with open(path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        if not reader.fieldnames or not {"variable", "code", "label"} <= set(reader.fieldnames):
            raise UsageError("a codebook CSV needs the columns variable, code, label", file=path)
        for line, row in enumerate(reader, start=2):
            try:
                code = float(row["code"])
            except ValueError:
                raise UsageError(f"line {line}: code {row['code']!r} is not a number", file=path, variable=row["variable"]) from None
            value_labels.setdefault(row["variable"], {})[code] = row["label"]
            if row.get("variable_label"):
                variable_labels[row["variable"]] = row["variable_label"]
    return readers.FileInfo(names=list(value_labels), value_labels=value_labels, variable_labels=variable_labels)


def _countries_answering(values: np.ndarray, not_asked: set[float], country_codes: np.ndarray) -> list[str]:
    asked = ~np.isnan(values) & ~np.isin(values, list(not_asked))
    return sorted(set(country_codes[asked].tolist()))


def draft_catalog(path: Path, source: str, *, reader_options: dict | None = None, labels_from: Path | None = None,
                  country_variable: str | None = None) -> str:
    """The draft catalog for `path` as YAML text."""
    adapter = ADAPTERS.get(source)
    if adapter is None:
        raise UsageError(f"unknown source {source!r} (known: {', '.join(sorted(ADAPTERS))})")
    path = Path(path)
    fmt = {".sav": "sav", ".zsav": "sav", ".dta": "dta"}.get(path.suffix.lower(), "csv")
    info = readers.file_info(path, fmt, reader_options)
    label_info = read_codebook(labels_from) if labels_from else info
    if not label_info.value_labels:
        raise UsageError("the file has no value labels; pass --labels-from with a companion .sav/.dta or codebook CSV", file=path)
    label_lookup = {name.casefold(): name for name in label_info.value_labels}

    country = country_variable or next((name for name in info.names if name.casefold() in {c.casefold() for c in adapter.country_candidates}), None)
    skip = {c.casefold() for c in (*adapter.country_candidates, *adapter.weight_candidates)} | KEY_VARIABLES
    candidates = [name for name in info.names if name.casefold() in label_lookup and name.casefold() not in skip]
    default_not_asked = set(adapter.code_defaults.get("not_asked", {}))
    default_non_substantive = set(adapter.code_defaults.get("non_substantive", {}))

    country_codes = None
    if country:
        raw = readers.read_columns(path, fmt, [country, *candidates], reader_options, text_columns=(country,))
        keys = adapter.country_keys(raw.columns[country], label_info.value_labels.get(label_lookup.get(country.casefold(), ""), {}) or raw.value_labels.get(country, {}), str(path), country)
        resolved = {}
        for key in pd.unique(keys):
            try:
                resolved[key] = resolve_country(key).code
            except UnknownCountry:
                resolved[key] = str(key)
        country_codes = np.array([resolved[key] for key in pd.unique(keys)], dtype=object)[pd.factorize(keys)[0]]
        all_countries = sorted(set(resolved.values()))

    items = []
    for name in candidates:
        value_labels = label_info.value_labels[label_lookup[name.casefold()]]
        options, non_substantive, not_asked = {}, {}, {}
        for code, label in sorted(value_labels.items()):
            if not float(code).is_integer():
                continue
            code = int(code)
            if code in default_not_asked or code in default_non_substantive:
                continue  # the adapter's standard codes (WVS -1..-5)
            if labels.non_substantive_kind(label):
                non_substantive[code] = label
            elif labels.is_missing_label(label):
                not_asked[code] = label
            else:
                options[code] = text.normalise_text(label)
        if len(options) < 2:
            continue
        variable_label = label_info.variable_labels.get(label_lookup[name.casefold()]) or info.variable_labels.get(name, "")
        question = text.strip_question_number(variable_label) or name
        routing = ROUTING.search(question)
        question = ROUTING.sub("", question)
        item: dict = {"variable": name, "question": question, "options": options}
        if non_substantive:
            item["non_substantive"] = non_substantive
        if not_asked:
            item["not_asked"] = not_asked
        if country_codes is not None:
            answered = _countries_answering(raw.columns[name], default_not_asked | set(not_asked), country_codes)
            if answered and len(answered) < len(all_countries) and len(answered) <= 3:
                item["countries"] = answered
        if routing:
            item["flags"] = ["depends_on_previous"]
        notes = ["check the scale order and add ordinal positions if the options form a scale"]
        if len(variable_label) >= 60 and not SENTENCE_END.search(variable_label):
            notes.insert(0, "the variable label looks truncated: write the full question")
        if text.placeholders(item["question"]):
            notes.append("the question holds a placeholder")
        item["note"] = "; ".join(notes)
        item["file_label"] = variable_label
        items.append(item)

    header = (
        f"# Draft catalog for {path.name}, made by `builder catalog draft` from the file's labels.\n"
        "# Edit before use: full question text, scale order, ordinal positions, flags. Format: docs/catalogs.md\n"
    )
    document = {"source": source, "description": f"Items of {path.name}", "items": items}
    return header + yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)
