"""Limited-move (L_h) and non-myopic stability; mixed per-DM concepts.

Hand derivations follow the recursion of Fang, Hipel & Kilgour (1993, ch. 5):
G_0(i,s)=s; i moves from s to t only if the outcome it anticipates after the
opponent replies with horizon h-1, G_{h-1}(j,t), is better for i than s.
"""

from __future__ import annotations

import numpy as np
import pytest
from extra_reference import random_graph, ref_limited_move
from hypothesis import given, settings
from hypothesis import strategies as st

from crisislab.conflict.coalitions import individual_stability
from crisislab.conflict.foresight import (
    limited_move_stability,
    mixed_concepts,
    nonmyopic_stability,
    pair_graph,
    parse_concept,
)
from crisislab.errors import InputError
from crisislab.formats.gmcr_import import option_form_graph

# Option 0: DM1 defects, option 1: DM2 defects.  Codes 0=CC, 1=DC, 2=CD, 3=DD.
PD = option_form_graph(["A", "B"], [0, 1], np.array([[3, 4, 1, 2], [3, 1, 4, 2]]))
CHICKEN = option_form_graph(["A", "B"], [0, 1], np.array([[3, 4, 2, 1], [3, 2, 4, 1]]))
CC, DC, CD, DD = 0, 1, 2, 3


def test_prisoners_dilemma_by_hand():
    # h=1: G_1(A) = {CC:DC, DC:DC, CD:DD, DD:DD}; Nash equilibrium DD only.
    # h=2: A at CC: move to DC, B replies DC->DD (B: 2 > 1), A gets 2 < 3: stay.
    #      A at DC: move to CC, B replies CC->CD, A gets 1 < 4: stay.
    #      A at CD: move to DD, B stays (DD->DC gives B 1 < 2), A gets 2 > 1: move.
    #      A at DD: move to CD, B stays at CD (its best), A gets 1 < 2: stay.
    # So L_2 stable for A: CC, DC, DD; for B by symmetry CC, CD, DD; equilibria CC, DD.
    # h=3 repeats h=2 for A and B, hence L_h = {CC, DD} for h >= 2 and NM = {CC, DD}.
    r = limited_move_stability(PD, 4, nonmyopic=True)
    assert r.equilibria(1) == [DD]
    assert r.stable[1][0].tolist() == [True, True, False, True]
    assert r.stable[1][1].tolist() == [True, False, True, True]
    for h in (2, 3, 4):
        assert r.equilibria(h) == [CC, DD]
    assert r.nonmyopic_equilibria() == [CC, DD]
    assert r.anticipated[0][0][CC] == (DC,)  # A at CC with h=1 ends at DC


def test_chicken_by_hand():
    # h=1: Nash equilibria DC and CD.
    # h=2: A at CD moves to DD anticipating B's reply DD->DC (B: 2 > 1), worth 4 > 2 to A;
    #      A at CC moves to DC (B stays at DC: DC->DD worth 1 < 2 to B).  Only DC is L_2
    #      stable for A, only CD for B: no L_2 equilibrium.
    # h=3: A at CC: to DC, B (h=2) at DC moves to DD anticipating A's reply DD->CD (4 > 2),
    #      A would end at CD (2 < 3): stay.  CC is L_3 stable for both; DC only for A.
    # h=4 equals h=3: L_h equilibria {CC} for h >= 3 and NM = {CC} (Brams's non-myopic
    # equilibrium of Chicken is mutual cooperation).
    r = nonmyopic_stability(CHICKEN)
    assert r.nonmyopic_equilibria() == [CC]
    r = limited_move_stability(CHICKEN, 4)
    assert r.equilibria(1) == [DC, CD]
    assert r.equilibria(2) == []
    assert r.stable[1][0].tolist() == [False, True, False, False]
    assert r.equilibria(3) == [CC] and r.equilibria(4) == [CC]


def test_more_than_two_dms_refused_with_reason():
    g = option_form_graph(["A", "B", "C"], [0, 1, 2], np.zeros((3, 8)))
    with pytest.raises(InputError, match="two actors") as info:
        limited_move_stability(g, 2)
    assert "Zeng, Fang, Hipel & Kilgour" in str(info.value) and "--pair" in str(info.value)
    with pytest.raises(InputError, match="two actors"):
        mixed_concepts(g, {"A": "nm"})
    # Mixed classical concepts are fine with any number of DMs.
    assert mixed_concepts(g, {"A": "smr", "B": "nash"}).concepts == {
        "A": "smr", "B": "nash", "C": "nash"}


def test_mixed_concepts_per_dm():
    # PD with a myopic B (Nash) and a cautious A (SMR): CC needs both; B defects from CC.
    mixed = mixed_concepts(PD, {"A": "smr", "B": "nash"})
    smr = individual_stability(PD, "smr")
    nash = individual_stability(PD, "nash")
    assert mixed.stable[0].tolist() == smr[0].tolist()
    assert mixed.stable[1].tolist() == nash[1].tolist()
    assert mixed.equilibria == [DD]
    assert mixed_concepts(PD, {"A": "lh:2", "B": "l2"}).equilibria == [CC, DD]
    with pytest.raises(InputError):
        mixed_concepts(PD, {"Z": "nash"})
    with pytest.raises(InputError):
        parse_concept("l0")


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), strict=st.booleans())
def test_l1_is_nash_and_matches_reference(seed, strict):
    rng = np.random.default_rng(seed)
    g = random_graph(rng, 2, int(rng.integers(1, 3)), strict=strict)
    r = limited_move_stability(g, 3, ties="cautious")
    assert np.array_equal(r.stable[0], individual_stability(g, "nash"))
    for h in (1, 2, 3):
        assert np.array_equal(r.stable[h - 1], ref_limited_move(g, h, "cautious"))
    hopeful = limited_move_stability(g, 3, ties="hopeful")
    assert np.array_equal(hopeful.stable[2], ref_limited_move(g, 3, "hopeful"))
    if strict:  # tie rules coincide under strict preferences
        assert all(np.array_equal(a, b) for a, b in zip(r.stable, hopeful.stable, strict=True))


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 10_000))
def test_nonmyopic_is_the_periodic_limit(seed):
    rng = np.random.default_rng(seed)
    g = random_graph(rng, 2, 2)
    nm = nonmyopic_stability(g)
    assert nm.cycle_start is not None and nm.cycle_length is not None
    far = nm.cycle_start + 3 * nm.cycle_length
    long = limited_move_stability(g, far + nm.cycle_length)
    window = np.array([long.stable[h - 1] for h in range(far, far + nm.cycle_length)])
    assert np.array_equal(nm.nonmyopic, window.all(axis=0))


def test_pair_with_the_third_actor_fixed_is_the_two_actor_model():
    """Three actors, one option each (code a + 2b + 4c).  Fixing C with c taken leaves the
    states {c}, {a,c}, {b,c}, {a,b,c} (codes 4, 5, 6, 7), on which A and B move as in a
    two-actor model with those payoffs: the results must be those of that model, built
    directly."""
    rng = np.random.default_rng(3)
    pay = rng.permutation(8)[None, :].repeat(3, 0).astype(float)
    pay[1] = rng.permutation(8)
    g = option_form_graph(["A", "B", "C"], [0, 1, 2], pay)
    sub, index = pair_graph(g, ["A", "B"], {"C": 4})
    assert index.tolist() == [4, 5, 6, 7]
    direct = option_form_graph(["A", "B"], [0, 1], pay[:2, 4:])
    for h in (1, 2, 3):
        a = limited_move_stability(sub, h, nonmyopic=True)
        b = limited_move_stability(direct, h, nonmyopic=True)
        assert all(np.array_equal(x, y) for x, y in zip(a.stable, b.stable, strict=True))
        assert np.array_equal(a.nonmyopic, b.nonmyopic)
    with pytest.raises(InputError, match="fix the options of C"):
        pair_graph(g, ["A", "B"], {})
    stay, _ = pair_graph(g, ["A", "B"], {"C": None})
    assert stay.n_states == 8 and stay.moves[0].nnz == g.moves[0].nnz
