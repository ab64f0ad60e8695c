"""A conflict under a commitment: some options are held fixed for the rest of the crisis.

A policy is what actors commit to: option values their owners will not change.
Under it every move that would change a committed option disappears from the
graph — from its owner's moves and therefore from every sanction and every
path — while everything else still evolves.  The committed options become
nobody's to move (they leave their owner's option mask), so simultaneous
sanctions keep them too, and the option-form fast path of the stability engine
still applies to the remaining options.

States are not renumbered: a state that breaks the commitment stays in the
model (its stability is computed like any other) but no move leads into or
out of the committed part of the graph from it, so paths from a start that
keeps the commitment never reach it.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from crisislab.conflict.graph import ConflictGraph
from crisislab.conflict.moves import as_move_matrix


def keeps_commitment(codes: np.ndarray, mask: int, value: int) -> np.ndarray:
    """Boolean mask of the states whose committed options have the committed values."""
    return (np.asarray(codes, dtype=np.int64) & np.int64(mask)) == np.int64(value)  # type: ignore[no-any-return]


def restrict_moves(mat: sp.csr_array, codes: np.ndarray, mask: int) -> sp.csr_array:
    """The moves of ``mat`` that leave every option in ``mask`` as it was."""
    m = as_move_matrix(mat, codes.shape[0])
    rows = np.repeat(np.arange(m.shape[0], dtype=np.int64), np.diff(m.indptr))
    keep = ((codes[rows] ^ codes[m.indices]) & np.int64(mask)) == 0
    counts = np.bincount(rows[keep], minlength=m.shape[0])
    indptr = np.zeros(m.shape[0] + 1, dtype=m.indptr.dtype)
    np.cumsum(counts, out=indptr[1:])
    out = sp.csr_array((np.ones(int(indptr[-1]), dtype=bool), m.indices[keep], indptr),
                       shape=m.shape)
    out.has_sorted_indices = True
    out.has_canonical_format = True
    return out


def committed_graph(graph: ConflictGraph, mask: int) -> ConflictGraph:
    """``graph`` with every move that changes an option in ``mask`` removed.

    ``mask`` is a bit mask over the option-form state codes (bit k: option k);
    0 returns the graph unchanged.  Graph-form models have no options to commit.
    """
    if not mask:
        return graph
    if graph.owner_masks is None:
        raise ValueError("commitments need the option form of a model")
    codes = graph.codes.astype(np.int64)
    moves = tuple(restrict_moves(m, codes, mask) for m in graph.moves)
    owners = tuple(int(o) & ~int(mask) for o in graph.owner_masks)
    return ConflictGraph(graph.actors, graph.codes, moves, graph.payoffs, graph.names, owners)
