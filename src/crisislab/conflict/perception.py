"""Moves that unperceived states forbid (Wang, Hipel & Fraser 1988 hypergames).

An actor that does not perceive a state can neither choose it nor knowingly
leave it, so its moves to and from the state are removed — in every game,
since this is a fact about how the actor behaves (gmcr-py's rule: "a DM may
not move to or from a state they misperceive").  In the game *as that actor
sees it* (first level) and in the games it attributes to the others (second
level), no actor's move through such a state counts either: the actor cannot
count on a sanction, or fear an escape, through a state it does not see.

Both are one whole-array filter of each sparse move matrix.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import scipy.sparse as sp

from crisislab.conflict.graph import ConflictGraph
from crisislab.conflict.moves import as_move_matrix


def _drop_touching(mat: sp.csr_array, hidden: np.ndarray) -> sp.csr_array:
    """``mat`` without its moves from or to a ``hidden`` state."""
    m = as_move_matrix(mat)
    n = m.shape[0]
    rows = np.repeat(np.arange(n, dtype=m.indices.dtype), np.diff(m.indptr))
    keep = ~(hidden[rows] | hidden[m.indices])
    if keep.all():
        return m
    counts = np.bincount(rows[keep], minlength=n)
    indptr = np.zeros(n + 1, dtype=m.indptr.dtype)
    np.cumsum(counts, out=indptr[1:])
    out = sp.csr_array((np.ones(int(indptr[-1]), dtype=bool), m.indices[keep], indptr),
                       shape=m.shape)
    out.has_sorted_indices = True  # a subset of each sorted row, in order
    out.has_canonical_format = True
    return out


def _replace_moves(graph: ConflictGraph, moves: tuple[sp.csr_array, ...]) -> ConflictGraph:
    return ConflictGraph(graph.actors, graph.codes, moves, graph.payoffs, graph.names,
                         graph.owner_masks)


def without_own_moves(graph: ConflictGraph,
                      unperceived: Mapping[str, np.ndarray]) -> ConflictGraph:
    """Each actor's moves to and from the states it does not perceive removed.

    ``unperceived`` maps actor id -> boolean mask over the states; absent actors
    perceive every state.  The graph is returned unchanged when nothing is hidden.
    """
    if not any(np.asarray(m, dtype=bool).any() for m in unperceived.values()):
        return graph
    moves = tuple(_drop_touching(mat, np.asarray(unperceived[a], dtype=bool))
                  if a in unperceived else mat
                  for a, mat in zip(graph.actors, graph.moves, strict=True))
    return _replace_moves(graph, moves)


def as_seen_without(graph: ConflictGraph, hidden: np.ndarray) -> ConflictGraph:
    """The game as seen by an actor that does not perceive ``hidden``: no actor's
    move from or to those states."""
    hidden = np.asarray(hidden, dtype=bool)
    if not hidden.any():
        return graph
    return _replace_moves(graph, tuple(_drop_touching(m, hidden) for m in graph.moves))
