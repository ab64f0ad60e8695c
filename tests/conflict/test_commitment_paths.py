"""Policies as commitments and the status-quo path rule (credible moves only).

Hand derivations are written beside each example; random models cross-check the
commitment filter against a loop-by-loop reference and check that a credible path
never takes a move its own stability result calls deterred.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from gmcr_reference import graph_from, random_pieces, ref_stable
from hypothesis import given, settings
from hypothesis import strategies as st

from crisislab.conflict.commitment import committed_graph, keeps_commitment
from crisislab.conflict.graph import ConflictGraph
from crisislab.conflict.moves import build_option_graph
from crisislab.conflict.stability import analyze_stability
from crisislab.conflict.status_quo import analyze_status_quo

# Two actors.  Option e (bit 0) is A's embargo, option t (bit 1) B's testing.
# codes: 0 = nothing, 1 = embargo, 2 = tests, 3 = embargo and tests.
# A: no embargo and no tests best (3); embargo while B tests (1) beats tests alone (0);
#    an embargo without tests costs A (-1).          u_A = [3, -1, 0, 1]
# B: tests without embargo best (3), then nothing (2), then embargo alone (1),
#    tests under embargo worst (0).                  u_B = [2, 1, 3, 0]
TWO = build_option_graph(["A", "B"], [0, 1, 2, 3], [1, 2], [[3, -1, 0, 1], [2, 1, 3, 0]])


def test_two_actor_seq_and_the_credible_path_rule():
    """SEQ by hand (moves: A toggles bit 0, B bit 1):
    s=0: A has no improvement; B's 0->2 is deterred by A's improvement 2->3 (u_B 0 <= 2).
    s=1: A's 1->0 (3 > -1): B's only sanction from 0 is 0->2, u_A = 0 > -1: undeterred.
    s=2: A's 2->3 (1 > 0) is deterred by B's improvement 3->1 (u_A -1 <= 0); B stable.
    s=3: B's 3->1 (1 > 0): A's only move from 1 is 1->0, u_B = 2 > 0: undeterred.
    SEQ equilibria: {0, 2}.
    From 3 (an embargo as a starting state only), credible moves: B 3->1 (undeterred),
    A 1->0 (undeterred), then 0 is stable for both: the path ends at 0.  Plain
    improvements also reach 2 by B's 0->2, a move SEQ deters."""
    res = analyze_stability(TWO, ("seq",))
    assert res.equilibria("seq").tolist() == [0, 2]
    credible = analyze_status_quo(TWO, 3, "seq", stability=res, rule="credible")
    assert credible.reachable_equilibria == (0,)
    assert [(s.actor, s.source, s.target) for s in credible.paths[0]] == [(1, 3, 1), (0, 1, 0)]
    plain = analyze_status_quo(TWO, 3, "seq", stability=res, rule="improvements")
    assert plain.reachable_equilibria == (0, 2)


def test_two_actor_commitment_keeps_the_embargo():
    """A commits to the embargo (bit 0 held at 1): A has no move left; B keeps its moves
    1<->3 (and 0<->2 among the states without the embargo, which no path from a start
    with the embargo reaches).  s=1: B's 1->3 is no improvement (0 < 1): an equilibrium.
    s=3: B's 3->1 is an improvement A can no longer answer: unstable.  From 3 the path
    is B 3->1 and ends there: the embargo holds and B stops testing, where the same
    embargo as a mere starting state ended at 0 (A lifts it)."""
    g = committed_graph(TWO, 1)
    assert g.moves[0].nnz == 0
    rows, cols = g.moves[1].nonzero()
    assert sorted(zip(rows.tolist(), cols.tolist(), strict=True)) == [(0, 2), (1, 3), (2, 0),
                                                                      (3, 1)]
    res = analyze_stability(g, ("seq",))
    assert res.stable["seq"][:, 1].all() and not res.stable["seq"][:, 3].all()
    path = analyze_status_quo(g, 3, "seq", stability=res, rule="credible")
    assert path.reachable_equilibria == (1,)
    assert [(s.actor, s.source, s.target) for s in path.paths[1]] == [(1, 3, 1)]


def _three() -> ConflictGraph:
    """Three actors, one option each: a (A, bit 0), b (B, bit 1), c (C, bit 2).
    u_A = 2a - 4c (A gains by a and fears c);
    u_B = b if a else -b (B joins in only once A has moved);
    u_C = c if a else -c (C retaliates only against a)."""
    codes = np.arange(8)
    a, b, c = codes & 1, (codes >> 1) & 1, (codes >> 2) & 1
    pay = np.vstack([2 * a - 4 * c, np.where(a == 1, b, -b), np.where(a == 1, c, -c)])
    return build_option_graph(["A", "B", "C"], codes, [1, 2, 4], pay)


def test_three_actor_commitment_removes_a_sanction():
    """Without a commitment, state 0 is a SEQ equilibrium: A's improvement 0->1 (2 > 0)
    is deterred by C's improvement 1->5 (u_C 1 > 0; u_A(5) = -2 <= 0); B and C have no
    improvement at 0 (each would lose 1).  The credible path from 0 is empty: it ends at 0.
    C commits not to retaliate (bit 2 held at 0): C has no move, so A's 0->1 is
    undeterred (B's only improvement from 1 is 1->3, u_A(3) = 2 > 0).  At 1, B's 1->3
    (1 > 0) is undeterred (A's move 3->2 is no improvement for A, C cannot move).  At 3
    nobody improves: the path is A 0->1, B 1->3, ending at 3."""
    g = _three()
    free = analyze_stability(g, ("seq",))
    assert free.stable["seq"][:, 0].all()
    assert analyze_status_quo(g, 0, "seq", stability=free, rule="credible"
                              ).reachable_equilibria == (0,)
    held = committed_graph(g, 4)
    assert held.moves[2].nnz == 0 and held.owner_masks == (1, 2, 0)
    res = analyze_stability(held, ("seq",))
    assert not res.stable["seq"][0, 0]
    path = analyze_status_quo(held, 0, "seq", stability=res, rule="credible")
    assert path.reachable_equilibria == (3,)
    assert [(s.actor, s.source, s.target) for s in path.paths[3]] == [(0, 0, 1), (1, 1, 3)]


def _reference_committed(g: ConflictGraph, mask: int) -> ConflictGraph:
    """Loop-by-loop: keep a move only if no committed bit differs between its ends."""
    n = g.n_states
    moves = []
    for m in g.moves:
        dense = np.zeros((n, n), dtype=bool)
        rows, cols = m.nonzero()
        for s, t in zip(rows.tolist(), cols.tolist(), strict=True):
            if (int(g.codes[s]) ^ int(g.codes[t])) & mask == 0:
                dense[s, t] = True
        moves.append(sp.csr_array(dense))
    masks = tuple(int(o) & ~mask for o in (g.owner_masks or ()))
    return ConflictGraph(g.actors, g.codes, tuple(moves), g.payoffs, None, masks)


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(2, 3), st.integers(0, 31))
def test_committed_stability_matches_the_reference(seed, n_actors, raw_mask):
    g = graph_from(random_pieces(np.random.default_rng(seed), n_actors))
    mask = raw_mask & sum(g.owner_masks or ())
    fast = analyze_stability(committed_graph(g, mask), ("nash", "gmr", "seq", "sim"))
    ref = _reference_committed(g, mask)
    for c in ("nash", "gmr", "seq", "sim"):
        np.testing.assert_array_equal(fast.stable[c], ref_stable(ref, c), err_msg=c)


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(2, 4), st.integers(0, 31),
       st.sampled_from(["nash", "gmr", "smr", "seq", "sim"]))
def test_no_credible_path_takes_a_deterred_move(seed, n_actors, raw_mask, concept):
    """Every step of every path is an improvement of its mover that the same result
    calls undeterred, from a state unstable for the mover; paths end at equilibria and
    never break the commitment."""
    rng = np.random.default_rng(seed)
    g = graph_from(random_pieces(rng, n_actors))
    mask = raw_mask & sum(g.owner_masks or ())
    start = int(rng.integers(g.n_states))
    value = int(g.codes[start]) & mask
    held = committed_graph(g, mask)
    res = analyze_stability(held, (concept,))
    out = analyze_status_quo(held, start, concept, stability=res, rule="credible")
    eq = set(res.equilibria(concept).tolist())
    for e, steps in out.paths.items():
        assert e in eq
        for step in steps:
            src, dst = res.improvements[step.actor]
            k = np.flatnonzero((src == step.source) & (dst == step.target))
            assert k.size == 1, "a path step must be an improvement of its mover"
            assert res.sanctions[concept][step.actor][k[0]] < 0, "a deterred move in a path"
            assert not res.stable[concept][step.actor, step.source]
            assert keeps_commitment(g.codes[[step.source, step.target]], mask, value).all()
