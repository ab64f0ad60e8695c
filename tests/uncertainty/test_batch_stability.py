"""Stability for many preference samples at once equals a plain loop calling the
stability engine and the status quo analysis once per sample."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from crisislab.conflict.graph import ConflictGraph
from crisislab.conflict.stability import analyze_stability
from crisislab.conflict.status_quo import analyze_status_quo
from crisislab.uncertainty.batch_stability import CONCEPTS, batch_stability, credible_ends


@st.composite
def graphs(draw: st.DrawFn) -> tuple[ConflictGraph, np.ndarray]:
    n = draw(st.integers(2, 7))
    m = draw(st.integers(1, 3))
    k = draw(st.integers(1, 4))
    moves = []
    for _ in range(m):
        cells = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)),
                              max_size=2 * n))
        cells = sorted({(a, b) for a, b in cells if a != b})
        rows = [a for a, _b in cells]
        cols = [b for _a, b in cells]
        moves.append(sp.csr_array((np.ones(len(cells), dtype=bool), (rows, cols)),
                                  shape=(n, n)))
    pay = np.asarray(draw(st.lists(st.integers(0, 3), min_size=k * m * n,
                                   max_size=k * m * n)), dtype=float).reshape(k, m, n)
    graph = ConflictGraph(tuple(f"d{i}" for i in range(m)), np.arange(n), tuple(moves),
                          pay[0])
    return graph, pay


@settings(max_examples=60, deadline=None)
@given(case=graphs(), start=st.integers(0, 6))
def test_batch_equals_one_engine_call_per_sample(case: tuple[ConflictGraph, np.ndarray],
                                                 start: int) -> None:
    graph, pay = case
    start = start % graph.n_states
    batch = batch_stability(graph, pay)
    for k in range(pay.shape[0]):
        one = analyze_stability(graph.with_payoffs(pay[k]), CONCEPTS)
        for c in CONCEPTS:
            assert np.array_equal(batch.stable[c][k], one.stable[c]), (k, c)
            ends = set(analyze_status_quo(one.graph, start, c, stability=one,
                                          rule="credible").paths)
            got = set(np.flatnonzero(credible_ends(batch, c, start, graph.n_states)[k]))
            assert got == ends, (k, c)
