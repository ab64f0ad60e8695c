"""Stability under preference uncertainty (Li, Hipel, Kilgour & Fang 2004)."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from test_batch_stability import graphs

from crisislab.conflict.graph import ConflictGraph
from crisislab.conflict.stability import analyze_stability
from crisislab.uncertainty.li2004 import CONCEPTS, EXTENSIONS, uncertain_stability


def _mat(pairs: list[tuple[int, int]], n: int) -> sp.csr_array:
    rows, cols = zip(*pairs, strict=True)
    return sp.csr_array((np.ones(len(pairs), dtype=bool), (rows, cols)), shape=(n, n))


def test_hand_derived_two_by_two() -> None:
    """A 2x2 conflict in graph form, states s1..s4 (indices 0..3).

    A toggles s1<->s2 and s3<->s4; B toggles s1<->s3 and s2<->s4.
    A's payoffs (2, 3, 0, 1) with A's preference between s1 and s2, and between
    s1 and s4, unknown; B's payoffs (1, 0, 0, 1), all known.

    A at s1: its only move, to s2, has uncertain preference, so
      Nash: a, b unstable (A may move to uncertain states); c, d stable (no UI).
      GMR: B's reply s2 -> s4 is the only sanction; s4 against s1 is uncertain for A,
        so it deters only where uncertain sanctions count: a unstable, b stable;
        c, d stable (nothing to deter).
      SMR: as GMR; A's counter-move from s4 is s3, certainly worse than s1 (0 < 2).
      SEQ: B's reply s2 -> s4 is a UI for B (0 -> 1), so as GMR.
    A at s2: its move to s1 is uncertain; B's reply s1 -> s3 gives A 0 < 3 (certain),
      so GMR a stable; but s1 -> s3 is not a UI for B (1 -> 0), so SEQ a unstable.
    """
    n = 4
    moves = (_mat([(0, 1), (1, 0), (2, 3), (3, 2)], n), _mat([(0, 2), (2, 0), (1, 3), (3, 1)], n))
    pay = np.asarray([[2.0, 3.0, 0.0, 1.0], [1.0, 0.0, 0.0, 1.0]])
    graph = ConflictGraph(("A", "B"), np.arange(n), moves, pay)
    ua = np.zeros((n, n), dtype=bool)
    for s, t in ((0, 1), (0, 3)):
        ua[s, t] = ua[t, s] = True
    res = uncertain_stability(graph, [ua, np.zeros((n, n), dtype=bool)])
    at_s1 = {(c, e): bool(res.stable[c, e][0, 0]) for c in CONCEPTS for e in EXTENSIONS}
    assert at_s1 == {
        ("nash", "a"): False, ("nash", "b"): False, ("nash", "c"): True, ("nash", "d"): True,
        ("gmr", "a"): False, ("gmr", "b"): True, ("gmr", "c"): True, ("gmr", "d"): True,
        ("smr", "a"): False, ("smr", "b"): True, ("smr", "c"): True, ("smr", "d"): True,
        ("seq", "a"): False, ("seq", "b"): True, ("seq", "c"): True, ("seq", "d"): True,
    }
    assert bool(res.stable["gmr", "a"][0, 1]) is True
    assert bool(res.stable["seq", "a"][0, 1]) is False
    assert bool(res.stable["seq", "c"][0, 1]) is True


@settings(max_examples=40, deadline=None)
@given(case=graphs(), data=st.data())
def test_extensions_nest_and_reduce_to_the_ordinary_definitions(
        case: tuple[ConflictGraph, np.ndarray], data: st.DataObject) -> None:
    graph, pay = case
    graph = graph.with_payoffs(pay[0])
    n, m = graph.n_states, graph.n_actors
    none = [np.zeros((n, n), dtype=bool) for _ in range(m)]
    plain = analyze_stability(graph, CONCEPTS)
    res0 = uncertain_stability(graph, none)
    for c in CONCEPTS:
        for e in EXTENSIONS:  # no uncertain pair: every extension is the ordinary concept
            assert np.array_equal(res0.stable[c, e], plain.stable[c]), (c, e)
    unc = []
    for _ in range(m):
        bits = np.asarray(data.draw(st.lists(st.booleans(), min_size=n * n, max_size=n * n)),
                          dtype=bool).reshape(n, n)
        u = np.triu(bits, 1)
        unc.append(u | u.T)
    res = uncertain_stability(graph, unc)
    for c in CONCEPTS:
        a, b, cc, d = (res.stable[c, e] for e in EXTENSIONS)
        assert not (a & ~b).any() and not (b & ~d).any()  # a ⊆ b ⊆ d
        assert not (a & ~cc).any() and not (cc & ~d).any()  # a ⊆ c ⊆ d


def test_scenario_statements_give_unknown_pairs() -> None:
    """In the two-actor case A's order between 'a' and 'not a' states depends on the
    statement 'likes_a' (p = 0.6), so those pairs are unknown for A.  A at (b): its move
    to (a, b) has unknown preference, so it is Nash-stable under c and d (A moves only by
    certain improvements) and unstable under a and b; B always takes b.  Nash equilibria:
    a, b: none ((a, b) is unstable for A too: its move back is uncertain); c, d: s3 and s4
    (b taken, a either way)."""
    from uncertainty_cases import TWO

    from crisislab.compare.sweep import unknown_preferences
    from crisislab.formats.scenario import load_text

    rows = unknown_preferences(load_text(TWO, "two.yaml"), ["nash"])
    got = {e: eq for v, c, e, eq in rows if v == "base" and c == "nash"}
    assert got == {"a": (), "b": (), "c": (2, 3), "d": (2, 3)}
