"""The conflict commands' helpers in the comparison layer, checked by hand."""

from __future__ import annotations

import math
from types import SimpleNamespace

import pytest

from crisislab.compare.conflict_runs import structure_from_option
from crisislab.errors import InputError
from crisislab.formats.scenario import load
from crisislab.report.conflict_text import count_text


def _res(**kw):
    base = {"exact": True, "count_strict": 2, "share_strict": 2 / 6, "count_strict_upper": None,
            "count_weak": 5, "equilibrium_method": None, "count_total": math.factorial(3)}
    return SimpleNamespace(**{**base, **kw})


def test_exact_counts_in_words():
    # 3 states: 3! = 6 strict orderings, 2 of them (33.3%); 13 weak orderings in all, 5 here
    assert count_text(_res()) == ("2 of 6 strict orderings (33.3%); "
                                     "5 orderings with ties")


def test_bounds_and_large_counts_in_scientific_notation():
    # 25! = 15,511,210,043,330,985,984,000,000 has 26 digits: beyond 10^24 it is 1.551e25
    assert math.factorial(25) == 15_511_210_043_330_985_984_000_000
    text = count_text(_res(exact=False, count_strict=7, count_strict_upper=10 ** 30,
                           count_weak=None, count_total=math.factorial(25)))
    assert text == ("at least 7 and at most 1.000e30 of 1.551e25 strict orderings; "
                    "orderings with ties not counted at this size")


def test_coalition_structure_option_by_blocs_and_refused_names():
    scenario = load("korea-2017")
    assert structure_from_option(scenario, "US+CN,KP") == (None, [["US", "CN"], ["KP"]])
    with pytest.raises(InputError, match="neither a coalition structure"):
        structure_from_option(scenario, "nobody")


def test_the_clause_method_says_it_does_not_count_ties() -> None:
    text = count_text(_res(count_weak=None, equilibrium_method="clauses"))
    assert text == ("2 of 6 strict orderings (33.3%); orderings with ties not counted by "
                    "the clause method")
