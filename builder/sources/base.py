"""What every survey adapter shares: finding the country and weight variables, reading the
needed columns once, checking weights, and grouping respondents by country and sample frame."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from builder import readers
from builder.catalog import Catalog
from builder.countries import UnknownCountry, resolve_country
from builder.errors import DataError
from builder.manifest import ManifestEntry
from builder.tabulate import Groups


@dataclass
class Survey:
    """One raw file, read: everything tabulation needs, keyed by catalog variable name."""

    entry: ManifestEntry
    codes: Mapping[str, np.ndarray]  # converted on each lookup for CSV (readers.ArrowColumns): look up once per item
    file_labels: dict[str, dict[float, str]]  # the file's own value labels (empty for CSV)
    groups: Groups
    weights: np.ndarray
    country_variable: str
    weight_variable: str
    n_rows: int
    n_columns: int
    reader: str
    dropped_no_weight: dict[str, int] = field(default_factory=dict)  # country -> rows


@dataclass
class ReadPlan:
    country_variable: str
    weight_variable: str
    item_columns: dict[str, str]  # catalog variable -> the file's spelling
    columns: list[str]  # everything to read, each once: country, weight, items

    @property
    def text_columns(self) -> tuple[str, ...]:
        return (self.country_variable,)  # Pew CSVs may spell countries out

    @property
    def code_columns(self) -> tuple[str, ...]:
        return tuple(self.item_columns.values())  # whole-number answer codes (int32 from a CSV)


class Adapter:
    """Base adapter; subclasses set the names and policies of their survey family."""

    name = ""
    country_candidates: tuple[str, ...] = ()
    weight_candidates: tuple[str, ...] = ()
    missing_weight = "error"  # what a row without a weight means: "drop" (oversample) or "error"
    code_defaults: dict = {}  # catalog defaults every file of this family shares

    def country_keys(self, values: np.ndarray, value_labels: dict, file: str, variable: str) -> np.ndarray:
        """The raw country key (label or code) of every respondent."""
        raise NotImplementedError

    def _pick(self, configured: str | None, candidates: tuple[str, ...], names: list[str], entry: ManifestEntry, what: str) -> str:
        wanted = [configured] if configured else list(candidates)
        folded = {name.casefold(): name for name in names}
        for candidate in wanted:
            if candidate.casefold() in folded:
                return folded[candidate.casefold()]
        raise DataError(
            f"no {what} variable (looked for {', '.join(wanted)}); name it with `{what}:` in the manifest",
            file=entry.file,
            variable=configured,
        )

    def plan(self, entry: ManifestEntry, catalog: Catalog) -> ReadPlan:
        """The columns to read, as the file spells them (also used by benchmarks/ingest_bench.py)."""
        info = readers.file_info(entry.file, entry.format, entry.reader)
        country_variable = self._pick(entry.country, self.country_candidates, info.names, entry, "country")
        weight_variable = self._pick(entry.weight, self.weight_candidates, info.names, entry, "weight")
        item_columns = readers.match_columns([item.variable for item in catalog.items], info.names, entry.file)
        wanted = list(dict.fromkeys([country_variable, weight_variable, *item_columns.values()]))
        return ReadPlan(country_variable, weight_variable, item_columns, wanted)

    def read(self, entry: ManifestEntry, catalog: Catalog) -> Survey:
        plan = self.plan(entry, catalog)
        country_variable, weight_variable, item_columns = plan.country_variable, plan.weight_variable, plan.item_columns
        raw = readers.read_columns(entry.file, entry.format, plan.columns, entry.reader,
                                   text_columns=plan.text_columns, code_columns=plan.code_columns)

        keys = self.country_keys(raw.columns[country_variable], raw.value_labels.get(country_variable, {}), entry.file, country_variable)
        weights = raw.columns[weight_variable]
        if weights.dtype == object:
            raise DataError("weights are not numeric", file=entry.file, variable=weight_variable)
        counted, dropped = self.check_weights(weights, keys, entry, weight_variable)
        groups = group_countries(keys, counted, entry, country_variable)
        return Survey(
            entry=entry,
            codes=readers.ColumnView(raw.columns, {item.variable: item_columns[item.variable] for item in catalog.items}),
            file_labels={item.variable: raw.value_labels.get(item_columns[item.variable], {}) for item in catalog.items},
            groups=groups,
            weights=np.nan_to_num(weights, nan=0.0),
            country_variable=country_variable,
            weight_variable=weight_variable,
            n_rows=raw.n_rows,
            n_columns=raw.n_columns,
            reader=raw.reader,
            dropped_no_weight=dropped,
        )

    def check_weights(self, weights: np.ndarray, keys: np.ndarray, entry: ManifestEntry, variable: str) -> tuple[np.ndarray, dict]:
        """Rows to count; rows without a weight are dropped (and counted) or refused, per policy."""
        policy = entry.missing_weight or self.missing_weight
        missing = np.isnan(weights)
        if np.isinf(weights).any():
            raise DataError("infinite weights", file=entry.file, variable=variable)
        dropped: dict[str, int] = {}
        if missing.any():
            by_country = Counter(keys[missing].tolist())
            if policy == "error":
                country, rows = by_country.most_common(1)[0]
                raise DataError(
                    f"{int(missing.sum())} rows have no weight (e.g. {rows} in {country}); "
                    "set missing_weight: drop in the manifest if they are oversamples",
                    file=entry.file,
                    variable=variable,
                )
            dropped = {str(country): int(rows) for country, rows in sorted(by_country.items(), key=lambda kv: str(kv[0]))}
        negative = weights < 0
        if negative.any():
            country = Counter(keys[negative].tolist()).most_common(1)[0][0]
            raise DataError(f"{int(negative.sum())} negative weights (e.g. in {country})", file=entry.file, variable=variable)
        counted = ~missing
        per_country = pd.DataFrame({"key": keys, "weight": np.where(counted, weights, 0.0), "weighted": counted})
        per_country = per_country.groupby("key").agg(total=("weight", "sum"), weighted=("weighted", "sum"))
        for key in per_country.index[per_country["weighted"] == 0]:
            raise DataError(f"no respondent in {key} has a weight", file=entry.file, variable=variable)
        for key in per_country.index[per_country["total"] <= 0]:
            raise DataError(f"weights sum to zero in {key}", file=entry.file, variable=variable)
        return counted, dropped


def group_countries(keys: np.ndarray, counted: np.ndarray, entry: ManifestEntry, variable: str) -> Groups:
    """Resolve each distinct country key once and index every respondent by country x frame."""
    codes, uniques = pd.factorize(pd.Series(keys), sort=True)
    group_of_key = np.empty(len(uniques), dtype=np.int64)
    countries, source_keys, position = [], [], {}
    for key_index, key in enumerate(uniques):
        try:
            country = resolve_country(key)
        except UnknownCountry:
            raise DataError(
                f"unknown country {key!r}; add it to builder/data/countries.yaml if it is a spelling of a known country",
                file=entry.file,
                variable=variable,
            ) from None
        if country not in position:
            position[country] = len(countries)
            countries.append(country)
            source_keys.append([])
        group_of_key[key_index] = position[country]
        source_keys[position[country]].append(str(key))
    index = np.where(counted, group_of_key[codes], -1)
    return Groups(index=index, countries=countries, source_keys=["; ".join(keys) for keys in source_keys])
