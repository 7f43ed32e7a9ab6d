"""Weighted per-country answer distributions, computed with bincount over all respondents.

Each answer code falls into one category: a substantive option (probabilities), one of the
four non-substantive kinds (reported as shares among those asked), or "not asked" (excluded
from every denominator, as is system-missing). One `np.bincount` per item and statistic sums
the weights of every country x category cell at once; there is no loop over respondents.

Speed matters here: a WVS7 file is 97,220 respondents x ~600 items, so any pass over the
respondents is paid 600 times (benchmarks/ingest_bench.py). Hence a lookup table indexed by
the code instead of a binary search per respondent, and extra "not asked", "unknown code" and
"not counted" cells instead of boolean masks that copy the arrays for every item.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from builder.catalog import CatalogItem
from builder.countries import Country
from builder.labels import KINDS
from builder.readers import MISSING_CODE

NOT_ASKED = -1


@dataclass
class Groups:
    """The country (x sample frame) of every respondent as an index into `countries`."""

    index: np.ndarray  # int64 per respondent; -1 = not counted (e.g. dropped for no weight)
    countries: list[Country]
    source_keys: list[str]  # the raw country key(s) each group came from

    def __len__(self) -> int:
        return len(self.countries)

    @cached_property
    def row(self) -> np.ndarray:
        """`index` with "not counted" (-1) moved to an extra last row: computed once per file."""
        return np.where(self.index >= 0, self.index, len(self.countries))


@dataclass
class ItemCounts:
    """Counts for the groups where at least one respondent gave a substantive answer."""

    group: np.ndarray  # indexes into Groups.countries
    probabilities: np.ndarray  # (rows, options), each row sums to 1
    shares: np.ndarray  # (rows, 4) weighted shares of KINDS among those asked
    n: np.ndarray
    n_asked: np.ndarray
    effective_n: np.ndarray
    groups_without_answers: int  # asked somewhere, but nobody gave a substantive answer
    ignored_answers: int  # answers outside the countries a country-specific item names


class UnknownCodes(Exception):
    """Codes in the data that the item does not account for."""

    def __init__(self, codes: np.ndarray, counts: np.ndarray):
        self.codes = codes
        self.counts = counts
        super().__init__(", ".join(f"{code:g} ({count} respondents)" for code, count in zip(codes, counts)))


def category_lookup(item: CatalogItem) -> tuple[np.ndarray, np.ndarray]:
    """Sorted known codes and, for each, its category: option index, k + kind index, or NOT_ASKED."""
    k = len(item.options)
    category = {option.code: position for position, option in enumerate(item.options)}
    category.update({code: k + KINDS.index(kind) for code, (_, kind) in item.non_substantive.items()})
    category.update({code: NOT_ASKED for code in item.not_asked})
    codes = np.array(sorted(category), dtype=np.float64)
    return codes, np.array([category[code] for code in sorted(category)], dtype=np.int64)


def categorise(codes: np.ndarray, item: CatalogItem) -> np.ndarray:
    """Category of every respondent's code (NOT_ASKED for NaN); raises UnknownCodes."""
    codes = float_codes(codes)
    known, categories = category_lookup(item)
    position = np.clip(np.searchsorted(known, codes), 0, len(known) - 1)
    found = known[position] == codes  # False for NaN
    missing = np.isnan(codes)
    unknown = ~found & ~missing
    if unknown.any():
        values, counts = np.unique(codes[unknown], return_counts=True)
        raise UnknownCodes(values, counts)
    return np.where(found, categories[position], NOT_ASKED)


# Widest code range (highest - lowest code) served by a lookup table; beyond it, binary search.
# WVS Q223 (party, <ISO numeric>*1000+k) spans about 900,000: a 7 MB table, built in a millisecond.
DENSE_SPAN_LIMIT = 1 << 21


def whole_codes(codes: np.ndarray) -> np.ndarray | None:
    """Codes as int32 with MISSING_CODE for missing, or None if one is not a whole number in
    int32 range. CSV readers deliver this form already; SPSS and Stata give floats."""
    if codes.dtype == np.int32:
        return codes
    missing = np.isnan(codes)
    with np.errstate(invalid="ignore"):
        whole = np.where(missing, MISSING_CODE, codes).astype(np.int32)
    if not np.where(missing, True, (whole == codes) & (whole != MISSING_CODE)).all():
        return None
    return whole


def float_codes(codes: np.ndarray) -> np.ndarray:
    """Codes as float64 with NaN for missing, whichever form they came in."""
    if codes.dtype != np.int32:
        return codes
    return np.where(codes == MISSING_CODE, np.nan, codes.astype(np.float64))


def lookup(codes: np.ndarray, known: np.ndarray, values: np.ndarray, nan_value: int, unknown_value: int) -> np.ndarray:
    """`values[j]` for every code equal to `known[j]` (sorted); `nan_value` for NaN, else `unknown_value`."""
    low, high = int(known[0]), int(known[-1])
    span = high - low + 1
    whole = whole_codes(codes) if span <= DENSE_SPAN_LIMIT else None
    if whole is not None:
        # Survey codes are small integers: index a table by code - low + 1; slot 0 takes codes
        # below `low`, slot span + 1 codes above `high` (both unknown); missing is set last.
        table = np.full(span + 2, unknown_value, dtype=np.intp)
        table[known.astype(np.int64) - low + 1] = values
        index = np.subtract(whole, low - 1, dtype=np.int64)
        np.clip(index, 0, span + 1, out=index)
        cell = table[index]
        cell[whole == MISSING_CODE] = nan_value
        return cell
    codes = float_codes(codes)
    position = np.clip(np.searchsorted(known, codes), 0, len(known) - 1)
    found = known[position] == codes  # False for NaN
    return np.where(found, values[position], np.where(np.isnan(codes), nan_value, unknown_value))


def tabulate_item(codes: np.ndarray, groups: Groups, weights: np.ndarray, item: CatalogItem,
                  squared_weights: np.ndarray | None = None) -> ItemCounts:
    """Counts of one item; `squared_weights` (weights ** 2) may be passed to compute it once per file."""
    k = len(item.options)
    width = k + len(KINDS)
    # bincount cells: category (options, kinds, then "not asked" and "unknown code") x group
    # (then "not counted", e.g. no weight). Every respondent lands in a cell, so no mask is needed.
    not_asked, unknown, rows = width, width + 1, len(groups) + 1
    known, categories = category_lookup(item)
    cell = lookup(codes, known, np.where(categories == NOT_ASKED, not_asked, categories) * rows, not_asked * rows, unknown * rows)
    cell += groups.row
    size = (width + 2) * rows
    counts = np.bincount(cell, minlength=size).reshape(width + 2, rows)
    if counts[unknown].any():
        categorise(codes, item)  # raises UnknownCodes with every unknown code and its count
    weighted = np.bincount(cell, weights=weights, minlength=size).reshape(width + 2, rows)
    if squared_weights is None:
        squared_weights = weights * weights
    squared = np.bincount(cell, weights=squared_weights, minlength=size).reshape(width + 2, rows)
    # Back to groups x categories, contiguous, so the sums below add in the same order as ever.
    counts, weighted, squared = (np.ascontiguousarray(table[:width, :-1].T) for table in (counts, weighted, squared))

    ignored = 0
    if item.countries:
        outside = np.array([country.code not in item.countries for country in groups.countries], dtype=bool)
        ignored = int(counts[outside].sum())
        for table in (counts, weighted, squared):
            table[outside] = 0

    n = counts[:, :k].sum(axis=1)
    n_asked = counts.sum(axis=1)
    substantive_weight = weighted[:, :k].sum(axis=1)
    # A cell whose substantive answers all carry weight 0 has no estimate: treat as no answers.
    keep = (n >= 1) & (substantive_weight > 0)
    asked_weight = weighted[keep].sum(axis=1)
    return ItemCounts(
        group=np.flatnonzero(keep),
        probabilities=weighted[keep, :k] / substantive_weight[keep, None],
        shares=weighted[keep, k:] / asked_weight[:, None],
        n=n[keep],
        n_asked=n_asked[keep],
        effective_n=substantive_weight[keep] ** 2 / squared[keep, :k].sum(axis=1),
        groups_without_answers=int(((n_asked >= 1) & ~keep).sum()),
        ignored_answers=ignored,
    )
