"""Weighted per-country answer distributions, computed with bincount over all respondents.

Each answer code falls into one category: a substantive option (probabilities), one of the
four non-substantive kinds (reported as shares among those asked), or "not asked" (excluded
from every denominator, as is system-missing). One `np.bincount` per item and statistic sums
the weights of every country x category cell at once; there is no loop over respondents.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from builder.catalog import CatalogItem
from builder.countries import Country
from builder.labels import KINDS

NOT_ASKED = -1


@dataclass
class Groups:
    """The country (x sample frame) of every respondent as an index into `countries`."""

    index: np.ndarray  # int64 per respondent; -1 = not counted (e.g. dropped for no weight)
    countries: list[Country]
    source_keys: list[str]  # the raw country key(s) each group came from

    def __len__(self) -> int:
        return len(self.countries)


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
    known, categories = category_lookup(item)
    position = np.clip(np.searchsorted(known, codes), 0, len(known) - 1)
    found = known[position] == codes  # False for NaN
    missing = np.isnan(codes)
    unknown = ~found & ~missing
    if unknown.any():
        values, counts = np.unique(codes[unknown], return_counts=True)
        raise UnknownCodes(values, counts)
    return np.where(found, categories[position], NOT_ASKED)


def tabulate_item(codes: np.ndarray, groups: Groups, weights: np.ndarray, item: CatalogItem) -> ItemCounts:
    k = len(item.options)
    width = k + len(KINDS)
    category = categorise(codes, item)
    counted = (category != NOT_ASKED) & (groups.index >= 0)
    ignored = 0
    if item.countries:
        allowed = np.array([country.code in item.countries for country in groups.countries] + [False])
        in_allowed = allowed[groups.index]  # index -1 picks the trailing False
        ignored = int((counted & ~in_allowed).sum())
        counted &= in_allowed
    cell = groups.index[counted] * width + category[counted]
    size = len(groups) * width
    w = weights[counted]
    weighted = np.bincount(cell, weights=w, minlength=size).reshape(len(groups), width)
    counts = np.bincount(cell, minlength=size).reshape(len(groups), width)
    squared = np.bincount(cell, weights=w * w, minlength=size).reshape(len(groups), width)

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
