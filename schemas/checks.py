"""Element checks for list-valued cells, shared by the schemas."""

from __future__ import annotations

import math

# Probabilities must sum to 1 within this tolerance; ingest computes them exactly, so this
# only absorbs floating-point rounding (and the renormalised values of imported releases).
SUM_TOLERANCE = 1e-6


def is_list(value) -> bool:
    return hasattr(value, "__len__") and not isinstance(value, (str, bytes, dict))


def is_null(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def finite_numbers(values) -> bool:
    return all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in values)
