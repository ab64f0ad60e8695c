"""Coalition structures: blocs of actors moving as one (hand derivations, gmcr-py's result on
the reproduction model, and property tests against a brute-force reference).

The hand-made model (``../shared/repro/gmcr/06_coalition_structure_outsider/coal.gmcr``,
rebuilt here so the test never skips): actors A, B, C own one option each (a, b, c), every
combination feasible and reversible.  State code = a + 2b + 4c, ordinal id = code + 1:
s1 {}, s2 {a}, s3 {b}, s4 {a,b}, s5 {c}, s6 {a,c}, s7 {b,c}, s8 {a,b,c}.
Rankings, best first: A and B: 8 5 1 2 3 4 6 7; C: 5 1 2 3 4 6 7 8.
"""

from __future__ import annotations

import numpy as np
import pytest
from extra_reference import random_option_model, ref_structure_stable
from hypothesis import given, settings
from hypothesis import strategies as st

from crisislab.conflict.coalition_structure import (
    coalition_structure,
    complete_partition,
    parse_partition,
)
from crisislab.conflict.gmcr_import import option_form_graph
from crisislab.conflict.stability import analyze_stability
from crisislab.errors import InputError


def _payoff(rank):
    pay = np.zeros(8)
    for k, s in enumerate(rank):
        pay[s - 1] = 8 - k
    return pay


AB_RANK = [8, 5, 1, 2, 3, 4, 6, 7]
C_RANK = [5, 1, 2, 3, 4, 6, 7, 8]
COAL = option_form_graph(["A", "B", "C"], [0, 1, 2],
                         np.array([_payoff(AB_RANK), _payoff(AB_RANK), _payoff(C_RANK)]))


def ids(mask):
    return [int(s) + 1 for s in np.flatnonzero(mask)]


def test_outsider_deterred_by_a_joint_move():
    """Hand derivation for the structure [[A, B], C].

    Bloc A+B moves jointly over {a, b}: from s1 to s2, s3, s4; from s5 to s6, s7, s8.
    - Nash, A+B: from s1 its moves reach s2, s3, s4, all below s1 for A and B: stable.
      From s5, s8 is first for both: unstable.  From s8 every move is worse: stable.
      So Nash-stable for A+B exactly at s1 and s8 (as gmcr-py reports).
    - C at s1: C's only move is s1 -> s5, which C prefers (5 is its best): Nash-unstable.
      GMR/SEQ: from s5 the bloc A+B can move jointly to s8, which both members prefer to
      s5 (a bloc improvement, so also a SEQ sanction); C ranks s8 last, below s1: the
      joint move deters C.  So s1 is SEQ-stable for C, and since A+B is stable at s1, s1
      is a SEQ equilibrium of the structure.  Individually (no structure) neither A nor B
      alone can sanction C at s5 by an improvement (s6, s7 are worse for the mover), so s1
      is SEQ-unstable for C: the structure is what makes s1 stable.
    - s5: C is at its best (Nash-stable); A+B's improvement s5 -> s8 is sanctioned by C
      moving s8 -> s4 (C prefers s4 to s8, so it is a SEQ sanction too); A ranks s4 below
      s5: deterred.  So s5 is a GMR and SEQ equilibrium as well.
    """
    res = coalition_structure(COAL, [["A", "B"]])
    assert res.labels == ("A+B", "C") and res.move_kinds == ("joint options", "own moves")
    assert ids(res.stable["nash"][0]) == [1, 8] and ids(res.stable["nash"][1]) == [2, 3, 4, 5]
    for c in ("gmr", "seq"):
        assert ids(res.stable[c][0]) == [1, 5, 8]
        assert ids(res.stable[c][1]) == [1, 2, 3, 4, 5]
        assert (res.equilibria(c) + 1).tolist() == [1, 5]
    assert res.equilibria("nash").size == 0
    individual = analyze_stability(COAL, ("seq",)).stable["seq"]
    assert not individual[2, 0]  # C alone at s1 without the structure: SEQ-unstable
    data = res.to_dict()
    assert data["equilibria"]["seq"] == [1, 5] and data["blocs"] == [["A", "B"], ["C"]]
    assert "A+B | C" in repr(res) and len(res.to_pandas()) == 8


def test_weak_improvements_and_all_members_rule():
    """Two actors X, Y in one bloc, one option each; Z outside with one option.

    X is indifferent between s1 and s2 ({x}); Y prefers s2.  Strictly, s1 -> s2 is no bloc
    improvement (X does not gain); weakly (X as well off, Y better) it is: s1 is
    Nash-stable for X+Y only with strict improvements.
    """
    pay = np.array([[1, 1, 0, 0, 0, 0, 0, 0],
                    [1, 2, 0, 0, 0, 0, 0, 0],
                    [0, 0, 0, 0, 0, 0, 0, 0]], dtype=float)
    g = option_form_graph(["X", "Y", "Z"], [0, 1, 2], pay)
    strict = coalition_structure(g, [["X", "Y"]], ["nash"])
    weak = coalition_structure(g, [["X", "Y"]], ["nash"], improvement="weak")
    assert strict.stable["nash"][0, 0] and not weak.stable["nash"][0, 0]


def test_singletons_are_ordinary_stability():
    rng = np.random.default_rng(5)
    g, _, _ = random_option_model(rng, 3, 1)
    res = coalition_structure(g, [])
    base = analyze_stability(g)
    for c in ("nash", "gmr", "smr", "seq"):
        assert np.array_equal(res.stable[c], base.stable[c])


def test_partition_parsing_and_errors():
    assert parse_partition("US+CN, KP") == [["US", "CN"], ["KP"]]
    assert complete_partition(COAL, [["C"]]) == ((2,), (0,), (1,))
    with pytest.raises(InputError, match="two blocs"):
        complete_partition(COAL, [["A", "B"], ["A"]])
    with pytest.raises(InputError, match="unknown actor"):
        complete_partition(COAL, [["A", "Q"]])
    with pytest.raises(InputError):
        parse_partition("A+,B")
    with pytest.raises(InputError, match="estimated"):
        coalition_structure(COAL, [["A", "B"]], max_pairs=10)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 100_000), n_actors=st.integers(2, 3),
       rule=st.sampled_from(["any_member", "all_members"]),
       improvement=st.sampled_from(["strict", "weak"]))
def test_matches_brute_force_reference(seed, n_actors, rule, improvement):
    rng = np.random.default_rng(seed)
    g, owners, rev = random_option_model(rng, n_actors, 2 if n_actors == 2 else 1)
    partition = [[0, 1]] if n_actors == 2 else [[0, 2]]
    res = coalition_structure(g, partition, rule=rule, improvement=improvement)
    blocs = [tuple(b) for b in complete_partition(g, partition)]
    for b in range(len(blocs)):
        for concept in ("nash", "gmr", "smr", "seq"):
            ref = [ref_structure_stable(g, owners, rev, blocs, b, concept, s, rule, improvement)
                   for s in range(g.n_states)]
            assert res.stable[concept][b].tolist() == ref, (b, concept)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 100_000), n_actors=st.integers(2, 3))
def test_walk_closure_is_the_legal_closure_in_option_form(seed, n_actors):
    """In option form two consecutive moves of one member are one move of that member, so
    the walk closure used for R_H equals the legal-sequence closure (explicit search over
    (state, last mover)), except that a walk may return to its start, which no stability
    question counts."""
    from extra_reference import ref_reach

    from crisislab.conflict.blocs import joint_reach

    rng = np.random.default_rng(seed)
    g, _, _ = random_option_model(rng, n_actors, 2)
    members = list(range(n_actors))[:2]
    fast = joint_reach(g, members)
    for s in range(g.n_states):
        row = set(fast.indices[fast.indptr[s]:fast.indptr[s + 1]].tolist()) - {s}
        assert row == ref_reach(g, members, s) - {s}, s
