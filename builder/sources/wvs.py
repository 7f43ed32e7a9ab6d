"""World Values Survey: Wave 7 (CSV, SPSS, Stata), and the layouts of the WVS time series and
the EVS/WVS joint file, which differ only in variable names.

Countries come from the ISO 3166-1 numeric code (909 = Northern Ireland), identical in every
format, so CSV and SPSS readings of the same data give the same tables. The missing-data codes
are the same in every WVS file: -1 don't know and -2 no answer are reported as shares;
-3 not applicable, -4 not asked, -5 missing are excluded. 0 is a real answer in some items.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from builder.errors import DataError
from builder.sources.base import Adapter


class WorldValuesSurvey(Adapter):
    name = "wvs"
    # Wave 7, time series (S003/S017), EVS/WVS joint file (cntry/gwght): the first present wins.
    country_candidates = ("B_COUNTRY", "S003", "cntry")
    weight_candidates = ("W_WEIGHT", "S017", "gwght")
    missing_weight = "error"
    code_defaults = {
        "non_substantive": {-1: "Don't know", -2: "No answer"},
        "not_asked": {-3: "Not applicable", -4: "Not asked in survey", -5: "Missing; Not available"},
    }

    def country_keys(self, values: np.ndarray, value_labels: dict, file: str, variable: str) -> np.ndarray:
        numeric = pd.to_numeric(pd.Series(values), errors="coerce").to_numpy(dtype=np.float64)
        bad = np.isnan(numeric) | (numeric != np.round(numeric)) | (numeric <= 0)
        if bad.any():
            example = values[np.flatnonzero(bad)[0]]
            raise DataError(
                f"{int(bad.sum())} rows have no valid ISO numeric country code (e.g. {example!r})",
                file=file,
                variable=variable,
            )
        return numeric.astype(np.int64)
