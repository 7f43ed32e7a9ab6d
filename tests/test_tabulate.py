"""Weighted tabulation on a handful of respondents whose answers are worked out by hand."""

import numpy as np
import pytest

from builder.catalog import CatalogItem, Option
from builder.countries import Country
from builder.tabulate import Groups, UnknownCodes, tabulate_item

ITEM = CatalogItem(
    variable="q",
    item_id="q",
    question="?",
    options=[Option(1, "Yes"), Option(2, "No")],
    non_substantive={8: ("Don't know", "dont_know"), 9: ("Refused", "refused")},
    not_asked={-4: "Not asked"},
    scale_type="binary",
)
A, B = Country("AAA", "A"), Country("BBB", "B")


def groups(index):
    return Groups(index=np.array(index), countries=[A, B], source_keys=["a", "b"])


def test_hand_computed_cell():
    # Country A: yes (w 1), yes (w 3), no (w 2), DK (w 2), not asked (-4), system-missing (NaN).
    codes = np.array([1, 1, 2, 8, -4, np.nan, 2, 9])
    weights = np.array([1.0, 3.0, 2.0, 2.0, 5.0, 5.0, 1.0, 1.0])
    result = tabulate_item(codes, groups([0, 0, 0, 0, 0, 0, 1, 1]), weights, ITEM)
    assert result.group.tolist() == [0, 1]
    np.testing.assert_allclose(result.probabilities[0], [4 / 6, 2 / 6])
    np.testing.assert_allclose(result.shares[0], [2 / 8, 0, 0, 0])  # DK among the asked, weighted
    assert (result.n[0], result.n_asked[0]) == (3, 4)
    assert result.effective_n[0] == pytest.approx(6**2 / (1 + 9 + 4))
    # Country B: one "no" (w 1) and one refusal (w 1).
    np.testing.assert_allclose(result.probabilities[1], [0, 1])
    np.testing.assert_allclose(result.shares[1], [0, 0.5, 0, 0])


def test_dropped_rows_and_countries_without_substantive_answers():
    codes = np.array([1.0, 8.0, 2.0])
    result = tabulate_item(codes, groups([0, 1, -1]), np.ones(3), ITEM)
    assert result.group.tolist() == [0]  # B only said "don't know"
    assert result.groups_without_answers == 1


def test_unknown_code_is_reported_with_its_count():
    with pytest.raises(UnknownCodes) as error:
        tabulate_item(np.array([1.0, 7.0, 7.0]), groups([0, 0, 1]), np.ones(3), ITEM)
    assert error.value.codes.tolist() == [7.0] and error.value.counts.tolist() == [2]


def test_country_specific_item_ignores_other_countries():
    item = CatalogItem(**{**ITEM.__dict__, "countries": ["BBB"]})
    result = tabulate_item(np.array([1.0, 2.0]), groups([0, 1]), np.ones(2), item)
    assert result.group.tolist() == [1] and result.ignored_answers == 1
