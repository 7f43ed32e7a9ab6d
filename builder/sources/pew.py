"""Pew Research Center Global Attitudes Survey (GAS, "Spring survey"), SPSS `.sav` per wave.

Traps handled here: the country variable is spelled COUNTRY / Country / country and its codes
are renumbered every wave, so the country comes from the value label; rows without a weight
are oversamples, dropped and counted. Non-substantive answers are recognised from label text
(builder/labels.py), never from codes: 8 and 9 are real answers in long lists.
"""

from __future__ import annotations

import numpy as np

from builder.errors import DataError
from builder.sources.base import Adapter


class PewGlobalAttitudes(Adapter):
    name = "pew_gas"
    country_candidates = ("country",)  # matched case-insensitively
    weight_candidates = ("weight",)  # WEIGHT in 2009-2013 and 2015, weight otherwise
    missing_weight = "drop"
    code_defaults: dict = {}

    def country_keys(self, values: np.ndarray, value_labels: dict, file: str, variable: str) -> np.ndarray:
        if values.dtype == object:  # a string variable already holds the names
            return values
        if np.isnan(values).any():
            raise DataError(f"{int(np.isnan(values).sum())} rows have no country", file=file, variable=variable)
        codes = np.unique(values)
        unlabelled = [code for code in codes if code not in value_labels]
        if unlabelled:
            raise DataError(
                f"country code(s) {', '.join(f'{c:g}' for c in unlabelled)} have no value label; "
                "Pew renumbers countries every wave, so the label is the only safe key",
                file=file,
                variable=variable,
            )
        labels = np.array([value_labels[code] for code in codes], dtype=object)
        return labels[np.searchsorted(codes, values)]
