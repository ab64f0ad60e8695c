"""Inverse analysis: orderings of one DM that make a desired state stable.

Hand derivations on Chicken (codes 0=CC, 1=DC, 2=CD, 3=DD; option 0: A defects,
option 1: B defects; B's preferences fixed: CD 4 > CC 3 > DC 2 > DD 1).  A's
only move from CC is to DC.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from extra_reference import all_better_sets, random_graph
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from crisislab.conflict.coalitions import coalition_stability
from crisislab.conflict.inverse import (
    evaluate_clauses,
    inverse_stability,
    option_literals,
    ordered_bell,
    prioritization_edits,
    stability_clauses,
)
from crisislab.errors import InputError
from crisislab.formats.gmcr_import import option_form_graph
from crisislab.model.logic import parse_formula
from crisislab.report.conflict_text import edit_text, inverse_lines

CHICKEN = option_form_graph(["A", "B"], [0, 1], np.array([[3, 4, 2, 1], [3, 2, 4, 1]]))
NAMES = ["CC", "DC", "CD", "DD"]


def test_chicken_counts_by_hand():
    # Nash: A must not prefer DC to CC: half of the 4! strict orders = 12.
    nash = inverse_stability(CHICKEN, 0, "A", "nash")
    assert nash.count_strict == 12 and nash.must_not_prefer == (1,)
    # GMR: B sanctions DC by DC -> DD; stable unless A prefers both DC and DD to CC.
    # Strict orders with CC below both DC and DD: 4!/3 = 8, so 24 - 8 = 16.
    gmr = inverse_stability(CHICKEN, 0, "A", "gmr")
    assert gmr.count_strict == 16 and gmr.count_sets == 6
    # SMR: the sanction DD deters only if A also cannot escape to CD from DD, so A must
    # not prefer DC, or must prefer neither DD nor CD, to CC.  Sets B: 8 minus
    # {DC,DD}, {DC,CD}, {DC,DD,CD} = 5.  Strict orders: B={} 3!=6, {CD} 2, {DD} 2,
    # {CD,DD} 2!*1!=2, {DC}: 1!*2!=2 -> 14.
    smr = inverse_stability(CHICKEN, 0, "A", "smr")
    assert smr.count_sets == 5 and smr.count_strict == 14
    # SEQ: B has no improvement from DC (DD is worse for B), so SEQ = Nash here.
    assert inverse_stability(CHICKEN, 0, "A", "seq").count_strict == 12
    # Weak orders: with B = {} the other 3 states are tied with CC or below it:
    # sum_e C(3,e) F(3-e) = 13 + 3*3 + 3*1 + 1 = 26, and so on.
    assert nash.count_weak == sum(
        ordered_bell(b) * sum(math.comb(3 - b, e) * ordered_bell(3 - b - e)
                              for e in range(4 - b))
        * math.comb(2, b) for b in range(3))
    text = " ".join(inverse_lines(gmr, NAMES))
    assert "If A prefers 'DC' to 'CC'" in text and "'DD'" in text


def test_every_improvement_must_be_sanctioned():
    # A owns two options; from state 0 A can move to 1, 2 or 3.  B can answer 1 -> 5
    # only.  If A prefers both 1 and 2 to 0, state 0 is unstable whatever happens at 1:
    # the unsanctioned improvement to 2 suffices.  Counting sets B that contain 1 and 2
    # would overcount.
    pay = np.zeros((2, 8))
    pay[1] = [0, 0, 0, 0, 0, 1, 0, 0]
    g = option_form_graph(["A", "B"], [0, 0, 1], pay, reversibility=["both", "both", "drop_only"])
    res = inverse_stability(g, 0, "A", "gmr")
    for row in all_better_sets(8, 0):
        ok = bool(evaluate_clauses(res.constraints, row[None, :], 0)[0])
        if row[2] or row[3]:
            assert not ok  # 2 and 3 can never be sanctioned (B can only drop, not take)


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 100_000), concept=st.sampled_from(["nash", "gmr", "smr", "seq"]),
       n_actors=st.integers(2, 3))
def test_reduction_agrees_with_forward_analysis(seed, concept, n_actors):
    """For every set B of states ranked above s, the clause check equals the forward
    stability computed on a payoff vector realising B (brute force over all B)."""
    rng = np.random.default_rng(seed)
    g = random_graph(rng, n_actors, 1 if n_actors == 3 else int(rng.integers(1, 3)))
    assume(g.n_states <= 9)
    s = int(rng.integers(g.n_states))
    res = inverse_stability(g, s, "A0", concept)
    clauses = res.constraints
    count = 0
    for row in all_better_sets(g.n_states, s):
        pay = g.payoffs.copy()
        pay[0] = np.where(row, 2.0, 0.0)
        pay[0, s] = 1.0
        forward = bool(coalition_stability(g.with_payoffs(pay), [0], concept)[s])
        assert bool(evaluate_clauses(clauses, row[None, :], s)[0]) == forward
        count += forward
    assert res.count_sets == count


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 100_000), concept=st.sampled_from(["nash", "gmr", "smr", "seq"]))
def test_sat_agrees_with_brute_force(seed, concept):
    rng = np.random.default_rng(seed)
    g = random_graph(rng, 3, 1) if seed % 2 else random_graph(rng, 2, 2)
    s = int(rng.integers(g.n_states))
    brute = inverse_stability(g, s, "A1", concept, method="brute_force")
    sat = inverse_stability(g, s, "A1", concept, method="sat",
                            limit=100_000)
    assert sat.exact and sat.sets_by_size == brute.sets_by_size
    assert sat.must_not_prefer == brute.must_not_prefer
    # inclusion-exclusion over the forbidden sets (Nash/GMR/SEQ), and for SMR over the
    # failing clauses and the sanction sets each must meet
    ie = inverse_stability(g, s, "A1", concept, method="inclusion_exclusion")
    assert ie.exact and ie.sets_by_size == brute.sets_by_size
    assert ie.must_not_prefer == brute.must_not_prefer


def test_strict_count_matches_enumeration_of_permutations():
    rng = np.random.default_rng(7)
    g = random_graph(rng, 2, 1, irreversible=False)
    g = option_form_graph(["A0", "A1"], [0, 0, 1], rng.permutation(8)[None, :].repeat(2, 0)
                          .astype(float))
    for concept in ("nash", "gmr", "smr", "seq"):
        res = inverse_stability(g, 3, "A0", concept)
        clauses = stability_clauses(g, 3, 0, concept)
        hits = 0
        for perm in itertools.permutations(range(8)):
            rank = np.empty(8)
            rank[list(perm)] = np.arange(8, 0, -1)
            hits += bool(evaluate_clauses(clauses, (rank > rank[3])[None, :], 3)[0])
        assert res.count_strict == hits
        for sample in res.samples:  # samples are admissible strict orderings
            rank = np.empty(8)
            rank[list(sample)] = np.arange(8, 0, -1)
            assert evaluate_clauses(clauses, (rank > rank[3])[None, :], 3)[0]


def test_equilibrium_requirement_and_limits():
    # DD in Chicken is unstable for B (B prefers DC: 2 > 1) whatever A prefers.
    res = inverse_stability(CHICKEN, 3, "A", "gmr", equilibrium=True)
    assert res.blocked_by == ("B",) and res.count_strict == 0
    assert "unstable for B" in inverse_lines(res, NAMES)[0]
    # SEQ equilibria are computed (see test_inverse_seq_equilibrium.py): here B has an
    # improvement DD -> DC from DD that no sanction can deter, so blocked as well.
    assert inverse_stability(CHICKEN, 3, "A", "seq", equilibrium=True).blocked_by == ("B",)
    with pytest.raises(InputError):
        inverse_stability(CHICKEN, 9, "A", "gmr")
    rng = np.random.default_rng(3)
    g = random_graph(rng, 2, 3)
    capped = inverse_stability(g, 0, "A0", "nash", method="sat", limit=1)
    assert capped.count_sets >= 1


def test_prioritization_edits_prisoners_dilemma():
    # PD, A's statements: "not b_defects" (weight 2), "a_defects" (weight 1):
    # CC=2, DC=3, CD=0, DD=1.  CC is not Nash stable for A (DC > CC).
    #  - removing "a_defects" leaves CC = DC = 2: no improvement, stable;
    #  - moving "a_defects" first gives CC=1, DC=3: still unstable;
    #  - adding "not a_defects" in front gives CC=4+2=6 > DC=2+1=3: stable.
    pd_ = option_form_graph(["A", "B"], [0, 1], np.array([[3, 4, 1, 2], [3, 1, 4, 2]]))
    lits = dict(option_literals(pd_, ["a_defects", "b_defects"]))
    statements = [("not b_defects", lits["not b_defects"]), ("a_defects", lits["a_defects"])]
    res = prioritization_edits(pd_, 0, "A", statements, concept="nash",
                               candidates=[("not a_defects", lits["not a_defects"])])
    assert not res.already_stable
    working = {(e.kind, e.statement, e.position) for e in res.working}
    assert ("remove", "a_defects", None) in working
    assert ("move", "a_defects", 1) not in working
    assert ("add", "not a_defects", 1) in working
    assert ("add", "not a_defects", 3) not in working  # lowest priority: CC 2 < DC 3
    assert edit_text(res.working[0], "A").startswith("A drops")


def test_statements_from_formula_parser():
    f = parse_formula("a and not b", ["a", "b"])
    arr = f.evaluate(np.arange(4, dtype=np.int64), {"a": 0, "b": 1})
    res = prioritization_edits(CHICKEN, 0, "A", [("a and not b", arr)], concept="nash")
    assert isinstance(res.already_stable, bool)


def test_big_counts_are_written_exactly():
    """Counts of orderings of thousands of states have thousands of digits: JSON gets them
    as exact decimal strings (Python's str() refuses beyond 4,300 digits)."""
    import sys

    from crisislab.conflict.inverse import _json_count
    from crisislab.results import big_decimal

    x = math.factorial(3000) * 7 + 11
    old = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(0)
    try:
        assert big_decimal(x) == str(x) and big_decimal(10 ** 8000) == str(10 ** 8000)
    finally:
        sys.set_int_max_str_digits(old)
    assert _json_count(12) == 12 and _json_count(2 ** 60) == str(2 ** 60)


def test_compact_repr():
    res = inverse_stability(CHICKEN, 0, "A", "gmr")
    assert repr(res) == ("InverseResult(A, s1 stable by GMR: 16 strict orderings; method "
                         "brute_force, 1 constraints)")
