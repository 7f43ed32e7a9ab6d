"""Expected distributions computed straight from a synthetic sample's respondent-level truth.

Deliberately independent of builder/tabulate.py: plain pandas filtering and sums, one country
and item at a time, with the non-substantive kinds and country codes written out by hand.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from builder.synthetic.common import ItemSpec, Sample

# Every non-substantive label in the synthetic sample and the kind a reader must see in it.
LABEL_KIND = {
    "Don't know (DO NOT READ)": "dont_know",
    "Refused (DO NOT READ)": "refused",
    "DK": "dont_know",
    "REF": "refused",
    "Don’t know": "dont_know",
    "Refused": "refused",
    "DK/Refused": "dk_refused",
    "Don't know (VOL)": "dont_know",
    "Refused (VOL)": "refused",
    "No sabe (Don’t know)": "dont_know",
    "No responde (Refused)": "refused",
    "Tidak tahu (Don’t know)": "dont_know",
    "Menolak (Refused)": "refused",
    "Don’t know (DO NOT READ)": "dont_know",
    "Don't know": "dont_know",
    "No answer": "no_answer",
}
KINDS = ["dont_know", "refused", "dk_refused", "no_answer"]

# Pew country labels -> (ISO alpha-3, sample frame); WVS numeric codes -> ISO alpha-3.
PEW_COUNTRIES = {
    "Mexico": ("MEX", "national"),
    "S. Korea": ("KOR", "national"),
    "Britain": ("GBR", "national"),
    "Angola (Non-national sample)": ("AGO", "non_national"),
    "India (Old national sample)": ("IND", "old_national"),
    "India (Current national sample)": ("IND", "current_national"),
    "Côte d’Ivoire": ("CIV", "national"),
    "Indonesia": ("IDN", "national"),
}
WVS_COUNTRIES = {32: "ARG", 158: "TWN", 276: "DEU", 410: "KOR", 826: "GBR", 909: "XNI"}


def expected_rows(sample: Sample, item: ItemSpec, country_of: dict, countries_allowed: list[str] | None = None) -> dict:
    """(country_code, sample_frame) -> dict(probabilities, shares..., n, n_asked, effective_n)."""
    data = sample.responses
    data = data[data[sample.weight_variable].notna()]  # oversample rows have no weight
    result = {}
    for key, frame in data.groupby(sample.country_variable):
        code, sample_frame = country_of(key)
        if countries_allowed and code not in countries_allowed:
            continue
        values = frame[item.variable]
        weights = frame[sample.weight_variable]
        substantive = values.isin(list(item.options))
        kinds = values.map({c: LABEL_KIND[label] for c, label in item.non_substantive.items()})
        asked = substantive | kinds.notna()
        if substantive.sum() == 0:
            continue
        total = weights[substantive].sum()
        result[(code, sample_frame)] = {
            "probabilities": [weights[values == option].sum() / total for option in item.options],
            **{f"{kind}_share": weights[kinds == kind].sum() / weights[asked].sum() for kind in KINDS},
            "n": int(substantive.sum()),
            "n_asked": int(asked.sum()),
            "effective_n": total**2 / (weights[substantive] ** 2).sum(),
        }
    return result


def assert_matches(distributions: pd.DataFrame, question_id: str, expected: dict) -> None:
    rows = distributions[distributions["question_id"] == question_id]
    got = {(row.country_code, row.sample_frame): row for row in rows.itertuples()}
    assert set(got) == set(expected), f"{question_id}: countries {sorted(got)} != {sorted(expected)}"
    for key, wanted in expected.items():
        row = got[key]
        np.testing.assert_allclose(row.probabilities, wanted["probabilities"], rtol=0, atol=1e-12, err_msg=f"{question_id} {key}")
        for kind in KINDS:
            assert abs(getattr(row, f"{kind}_share") - wanted[f"{kind}_share"]) < 1e-12, (question_id, key, kind)
        assert (row.n, row.n_asked) == (wanted["n"], wanted["n_asked"]), (question_id, key)
        assert abs(row.effective_n - wanted["effective_n"]) < 1e-9, (question_id, key)
