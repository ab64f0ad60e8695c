"""Coalition improvements from a few starting states equal the rows of the full matrix.

The analysis asks only about the equilibria and the status quo; searching only those
rows (``reachable_matrix(..., rows=...)``) must give exactly the rows of the n x n
closure, which stays the simple reference here (cross-checked on random graphs).
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from crisislab.conflict.coalitions import (
    coalition_improvement_matrix,
    coalition_improvements_from,
)
from crisislab.conflict.graph import ConflictGraph
from crisislab.conflict.reachability import reachable_matrix


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
        full = reachable_matrix(graph.moves, members, mode).toarray()
        part = reachable_matrix(graph.moves, members, mode, rows=rows).toarray()
        assert np.array_equal(part, full[rows])
    assert np.array_equal(coalition_improvements_from(graph, members, rows),
                          coalition_improvement_matrix(graph, members)[rows])
