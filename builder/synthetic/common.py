"""Shared pieces of the synthetic sample: item specs, deterministic draws, catalog output.

Everything random comes from `numpy.random.Generator.random()` (uniform doubles, whose stream
numpy keeps stable across versions); categorical draws use our own inverse-CDF lookup, so the
sample files stay byte-identical when numpy changes its higher-level samplers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import yaml

SYNTHETIC_NOTE = (
    "SYNTHETIC DATA made by `python -m builder.synthetic`: shaped like the real files, traps "
    "included, but not survey data; it says nothing about any country."
)


@dataclass
class ItemSpec:
    """One synthetic question: how it is stored in the file and described in the catalog."""

    variable: str
    question: str
    options: dict[int, str]  # substantive code -> label, in scale order
    non_substantive: dict[int, str] = field(default_factory=dict)  # code -> file label
    ordinal: list[float | None] | None = None
    stem: str | None = None
    file_label: str | None = None  # the variable label in the file (may be truncated)
    countries: list[str] | None = None  # country-specific: asked only there (ISO alpha-3)
    flags: list[str] = field(default_factory=list)
    non_substantive_rate: float = 0.06  # share of respondents giving a non-substantive answer
    in_catalog_non_substantive: bool = True  # False: ingest must recognise them from file labels
    not_asked_codes: dict[int, str] = field(default_factory=dict)  # coded "not asked" (WVS)

    @property
    def file_value_labels(self) -> dict[int, str]:
        return {**self.options, **self.non_substantive, **self.not_asked_codes}


@dataclass
class Sample:
    """A synthetic file's respondent-level truth, from which tests compute expected tables."""

    responses: pd.DataFrame  # one row per respondent: country key, weight, one column per item
    items: list[ItemSpec]
    country_variable: str
    weight_variable: str
    country_labels: dict[int, str]  # code -> label (Pew) or code -> alpha-3 (WVS)
    user_missing: dict[str, list[int]] = field(default_factory=dict)  # SPSS user-missing codes


def draw_codes(rng: np.random.Generator, codes: list[int], size: int, skew: float) -> np.ndarray:
    """`size` codes with country-specific, uneven probabilities (inverse CDF on uniforms)."""
    raw = rng.random(len(codes)) + skew
    cdf = np.cumsum(raw / raw.sum())
    cdf[-1] = 1.0
    return np.asarray(codes, dtype=np.float64)[np.searchsorted(cdf, rng.random(size), side="right")]


def draw_item(rng: np.random.Generator, item: ItemSpec, size: int, skew: float) -> np.ndarray:
    """Substantive codes, with a share of non-substantive codes mixed in."""
    values = draw_codes(rng, list(item.options), size, skew)
    if item.non_substantive:
        replace = rng.random(size) < item.non_substantive_rate
        values[replace] = draw_codes(rng, list(item.non_substantive), int(replace.sum()), 0.5)
    return values


def catalog_yaml(source: str, items: list[ItemSpec], *, description: str, extra: dict | None = None,
                 note: str = SYNTHETIC_NOTE) -> str:
    """The catalog a curator would write for these items (docs/catalogs.md)."""
    entries = []
    for item in items:
        entry: dict = {"variable": item.variable}
        if item.stem:
            entry["stem"] = item.stem
        entry["question"] = item.question
        entry["options"] = dict(item.options)
        if item.ordinal is not None:
            entry["ordinal"] = list(item.ordinal)
        if item.non_substantive and item.in_catalog_non_substantive:
            entry["non_substantive"] = dict(item.non_substantive)
        if item.countries:
            entry["countries"] = list(item.countries)
        if item.flags:
            entry["flags"] = list(item.flags)
        if item.file_label and item.file_label != item.question:
            entry["file_label"] = item.file_label
        entries.append(entry)
    document = {"source": source, "description": description, "synthetic": True, **(extra or {}), "items": entries}
    header = f"# {note}\n# Catalog format: docs/catalogs.md\n"
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml: fast for full-size catalogs
    return header + yaml.dump(document, Dumper=dumper, sort_keys=False, allow_unicode=True, width=100)
