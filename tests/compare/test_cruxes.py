"""The crux finder returns exactly the minimal override sets on constructed cases.

The conclusion is a known Boolean function of which of view B's assumptions
are switched on, so the minimal sets are known by hand:

    f = (o1 and o2) or o3        ->  minimal sets {o3} and {o1, o2}
    f = o1 and o2 and o4         ->  minimal set {o1, o2, o4}
    f = o2 or o4                 ->  {o2} and {o4}
"""

from __future__ import annotations

import itertools
import textwrap

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crisislab.compare.cruxes import differing_assumptions, find_cruxes
from crisislab.formats.scenario import load_text
from crisislab.model.scenario import Scenario

SCENARIO = textwrap.dedent("""\
    metadata: {title: crux test}
    actors: [{id: A, name: Alpha}, {id: B, name: Beta}]
    options:
      - {id: x, label: X, owner: A}
      - {id: y, label: Y, owner: B}
    preferences:
      A:
        prioritization:
          - {id: a1, formula: x}
          - {id: a2, formula: y}
      B:
        prioritization:
          - {id: b1, formula: y}
          - {id: b2, formula: x}
    lenses:
      - id: va
        name: View A
        kind: analyst
      - id: vb
        name: View B
        kind: analyst
        overrides:
          - {id: o1, actor: A, statement: a1, formula: not x}
          - {id: o2, actor: A, statement: a2, formula: not y}
          - {id: o3, actor: B, statement: b1, formula: not y}
          - {id: o4, actor: B, statement: b2, formula: not x}
    """)


def switched(sc: Scenario) -> set[str]:
    """Which of B's overrides are in force, read back from the formulas."""
    forms = {st.id: st.formula for a in ("A", "B") for st in sc.preferences[a].statements()}
    return {o for o, (sid, f) in {"o1": ("a1", "not x"), "o2": ("a2", "not y"),
                                  "o3": ("b1", "not y"), "o4": ("b2", "not x")}.items()
            if forms[sid] == f}


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return load_text(SCENARIO)


def names(result, found):
    return sorted(sorted(result.assumptions[i].b[0].id for i in s) for s in found)


@pytest.mark.parametrize(("fn", "expected"), [
    (lambda on: ("o1" in on and "o2" in on) or "o3" in on, [["o1", "o2"], ["o3"]]),
    (lambda on: {"o1", "o2", "o4"} <= on, [["o1", "o2", "o4"]]),
    (lambda on: "o2" in on or "o4" in on, [["o2"], ["o4"]]),
])
def test_exhaustive_search_finds_exactly_the_minimal_sets(scenario, fn, expected):
    a, b = scenario.lens("va"), scenario.lens("vb")
    result = find_cruxes(scenario, a, b, lambda sc: fn(switched(sc)))
    assert result.exhaustive
    assert names(result, result.cruxes) == expected


def test_no_crux_when_the_views_agree(scenario):
    result = find_cruxes(scenario, scenario.lens("va"), scenario.lens("vb"), lambda sc: True)
    assert result.cruxes == ()


def test_identical_overrides_are_not_differences(scenario):
    b = scenario.lens("vb")
    assert len(differing_assumptions(b, b)) == 0
    assert [a.b[0].id for a in differing_assumptions(scenario.lens("va"), b)] == \
        ["o1", "o2", "o3", "o4"]


def test_deletion_filter_returns_minimal_sets_when_not_exhaustive(scenario):
    a, b = scenario.lens("va"), scenario.lens("vb")
    result = find_cruxes(scenario, a, b,
                         lambda sc: ("o1" in switched(sc) and "o2" in switched(sc))
                         or "o3" in switched(sc), max_exhaustive=2, restarts=12, seed=3)
    assert not result.exhaustive
    found = names(result, result.cruxes)
    # every set found is a true, minimal crux; with 12 seeded restarts both are found
    assert found == [["o1", "o2"], ["o3"]]


def brute_minimal(fn, n):
    hits = [set(c) for k in range(1, n + 1) for c in itertools.combinations(range(n), k)
            if fn(set(c))]
    return sorted(sorted(h) for h in hits if not any(o < h for o in hits))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.frozensets(st.integers(0, 3), min_size=1, max_size=3), min_size=1,
                max_size=4))
def test_matches_brute_force_on_random_monotone_conclusions(scenario, terms):
    # a monotone DNF over the four overrides; the brute force lists its minimal sets
    ids = ["o1", "o2", "o3", "o4"]

    def fn_idx(on: set[int]) -> bool:
        return any(t <= on for t in terms)

    def fn(sc: Scenario) -> bool:
        on = {ids.index(o) for o in switched(sc)}
        return fn_idx(on)

    result = find_cruxes(scenario, scenario.lens("va"), scenario.lens("vb"), fn)
    got = sorted(sorted(s) for s in result.cruxes)
    assert got == brute_minimal(fn_idx, 4)
