"""Reachable sets from a few starting states equal the one-start searches.

The coalition analysis asks only about the equilibria and the status quo, so it
searches only those rows (``reach_sets(..., sources)``, all sources at once with
sparse products); each row must equal :func:`reachable_from`, the plain search
from one start, on random graphs.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from crisislab.conflict.graph import ConflictGraph
from crisislab.conflict.reachability import reach_sets, reachable_from


@st.composite
def graphs(draw: st.DrawFn) -> ConflictGraph:
    n = draw(st.integers(2, 9))
    k = draw(st.integers(2, 3))
    moves = []
    for _ in range(k):
        bits = draw(st.lists(st.booleans(), min_size=n * n, max_size=n * n))
        m = np.array(bits, dtype=bool).reshape(n, n)
        np.fill_diagonal(m, False)
        moves.append(sp.csr_array(m))
    payoffs = np.array(draw(st.lists(st.lists(st.integers(0, 4), min_size=n, max_size=n),
                                     min_size=k, max_size=k)), dtype=float)
    return ConflictGraph(tuple(f"a{i}" for i in range(k)), np.arange(n, dtype=np.int64),
                         tuple(moves), payoffs)


@settings(max_examples=60, deadline=None)
@given(graphs(), st.data())
def test_rows_equal_the_full_closure(graph: ConflictGraph, data: st.DataObject) -> None:
    n = graph.n_states
    rows = np.array(sorted(data.draw(st.sets(st.integers(0, n - 1), max_size=n))), dtype=int)
    members = data.draw(st.lists(st.integers(0, graph.n_actors - 1), min_size=1,
                                 max_size=graph.n_actors, unique=True))
    for mode in ("legal", "single", "each_once"):
        part = reach_sets(graph.moves, members, rows, mode).toarray()
        want = np.array([reachable_from(graph.moves, members, int(r), mode) for r in rows],
                        dtype=bool).reshape(len(rows), n)
        assert np.array_equal(part, want)
