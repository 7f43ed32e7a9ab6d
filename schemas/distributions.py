"""Schema of build/distributions.parquet: one row per question x country x sample frame."""

from __future__ import annotations

import numpy as np
import pandera.pandas as pa

from builder.countries import SAMPLE_FRAMES, is_valid_code
from schemas.checks import SUM_TOLERANCE, finite_numbers, is_list

SHARES = ["dont_know_share", "refused_share", "dk_refused_share", "no_answer_share"]


def _probabilities_ok(values) -> bool:
    return is_list(values) and len(values) >= 2 and finite_numbers(values) and all(0.0 <= v <= 1.0 for v in values)


def _sums_to_one(values) -> bool:
    return is_list(values) and len(values) > 0 and abs(float(np.sum(values)) - 1.0) <= SUM_TOLERANCE


def _share():
    return pa.Column(float, pa.Check.in_range(0.0, 1.0))


distributions_schema = pa.DataFrameSchema(
    {
        "question_id": pa.Column(str),
        "country_code": pa.Column(str, pa.Check(is_valid_code, element_wise=True, error="not an ISO 3166-1 alpha-3 code or a documented extra code")),
        "country": pa.Column(str, pa.Check.str_length(min_value=1)),
        "sample_frame": pa.Column(str, pa.Check.isin(list(SAMPLE_FRAMES))),
        "source_country": pa.Column(str),
        "probabilities": pa.Column(
            object,
            [
                pa.Check(_probabilities_ok, element_wise=True, error="probabilities must be >= 2 finite numbers in [0, 1]"),
                pa.Check(_sums_to_one, element_wise=True, error=f"probabilities must sum to 1 within {SUM_TOLERANCE}"),
            ],
        ),
        **{share: _share() for share in SHARES},
        # Sample sizes are null only for sources without microdata (an imported release).
        "n": pa.Column("Int64", pa.Check.ge(1), nullable=True),
        "n_asked": pa.Column("Int64", pa.Check.ge(1), nullable=True),
        "effective_n": pa.Column(float, pa.Check.gt(0), nullable=True),
        "weight_variable": pa.Column(str, nullable=True),
    },
    checks=[
        pa.Check(lambda f: f[SHARES].sum(axis=1) <= 1.0 + SUM_TOLERANCE, error="non-substantive shares sum to more than 1"),
        pa.Check(lambda f: f["n_asked"].isna() | (f["n"] <= f["n_asked"]), error="n greater than n_asked"),
        pa.Check(
            lambda f: f["effective_n"].isna() | (f["effective_n"] <= f["n"].astype(float) * (1 + SUM_TOLERANCE)),
            error="effective_n greater than n",
        ),
        pa.Check(
            lambda f: f["effective_n"].isna() | (f["effective_n"] <= f["n_asked"].astype(float) * (1 + SUM_TOLERANCE)),
            error="effective_n greater than n_asked",
        ),
    ],
    unique=["question_id", "country_code", "sample_frame"],
    strict=True,
    name="distributions",
)
