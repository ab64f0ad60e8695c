"""Unilateral move matrices of a graph model, built once for all states.

A decision maker (DM) moves from state s to state t when t is another feasible
state that differs from s only in options the DM owns, and the change honours
reversibility: an option marked ``once`` cannot be undone once taken (1 -> 0 is
forbidden from every state), an option marked ``drop_only`` can only be given
up (0 -> 1 is forbidden).  Moves are stored as one sparse boolean matrix per DM
(row = from-state index, column = to-state index), the form every stability
computation in :mod:`crisislab.conflict` consumes.

Construction is vectorised: states are grouped by the options the DM does
*not* own; every pair inside a group is a candidate move, filtered by
reversibility with bit operations.  The number of candidate pairs is the sum
of squared group sizes and is checked against ``max_moves`` before anything
large is allocated, so an oversized model is refused with the numbers instead
of exhausting memory.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp

from crisislab.conflict.graph import ConflictGraph
from crisislab.errors import input_error

#: Default ceiling on candidate move pairs per DM (about 1.6 GB of transient
#: index arrays at the ceiling).
DEFAULT_MAX_MOVES = 100_000_000


def _as_codes(codes: np.ndarray | Sequence[int]) -> np.ndarray:
    arr = np.asarray(codes, dtype=np.int64)
    if arr.ndim != 1:
        raise input_error("state codes must be a one-dimensional array", value=arr.shape,
                          expected="shape (n_states,)")
    if arr.size and (arr.min() < 0 or np.any(np.diff(arr) <= 0)):
        raise input_error("state codes must be non-negative, unique and ascending",
                          value=arr[:10].tolist(), expected="strictly increasing codes")
    return arr


def _index_dtype(n: int) -> type[np.signedinteger]:
    return np.int32 if n < np.iinfo(np.int32).max else np.int64


def _bool_csr(rows: np.ndarray, cols: np.ndarray, n: int) -> sp.csr_array:
    data = np.ones(rows.shape[0], dtype=bool)
    mat = sp.csr_array((data, (rows, cols)), shape=(n, n), dtype=bool)
    mat.sum_duplicates()
    mat.sort_indices()
    return mat


#: Candidate pairs handled per block while building, to bound transient memory.
_BLOCK_PAIRS = 1 << 22


def actor_option_moves(codes: np.ndarray, owner_mask: int, once_mask: int = 0,
                       drop_only_mask: int = 0,
                       max_moves: int = DEFAULT_MAX_MOVES) -> sp.csr_array:
    """Move matrix of one DM owning the options in ``owner_mask`` (see module doc).

    Rows are produced in state order and each row's candidates in ascending
    index order, so the CSR arrays are written directly (int32 indices, no
    sort), block by block.
    """
    codes = _as_codes(codes)
    n = int(codes.shape[0])
    owner_mask = int(owner_mask)
    if n == 0 or owner_mask == 0:
        return sp.csr_array((n, n), dtype=bool)
    idx = _index_dtype(n)
    rest = codes & ~np.int64(owner_mask)
    order = np.argsort(rest, kind="stable").astype(idx)
    sorted_rest = rest[order]
    starts_mask = np.ones(n, dtype=bool)
    starts_mask[1:] = sorted_rest[1:] != sorted_rest[:-1]
    group_starts = np.flatnonzero(starts_mask)
    group_sizes = np.diff(np.append(group_starts, n))
    n_pairs = int(np.sum(group_sizes.astype(np.int64) ** 2))
    if n_pairs > max_moves:
        raise input_error(
            "the model has too many unilateral moves to build "
            f"({n_pairs:,} candidate moves for one actor over {n:,} states)",
            value=n_pairs, expected=f"at most {max_moves:,} candidate moves per actor")
    # For state s (in index order): the first position in `order` of its group
    # and the group's size; its candidate targets are order[first:first+size].
    group_id = np.empty(n, dtype=np.int64)
    group_id[order] = np.cumsum(starts_mask) - 1
    first = group_starts[group_id]
    size = group_sizes[group_id]
    once = np.int64(int(once_mask) & owner_mask)
    drop = np.int64(int(drop_only_mask) & owner_mask)
    bounds = np.concatenate([[0], np.cumsum(size)])
    counts = np.zeros(n, dtype=np.int64)
    chunks: list[np.ndarray] = []
    r0 = 0
    while r0 < n:
        r1 = int(np.searchsorted(bounds, bounds[r0] + _BLOCK_PAIRS, side="right")) - 1
        r1 = min(max(r1, r0 + 1), n)
        sz = size[r0:r1]
        total = int(sz.sum())
        src = np.repeat(np.arange(r0, r1, dtype=idx), sz)
        offsets = np.arange(total, dtype=np.int64) - np.repeat(bounds[r0:r1] - bounds[r0], sz)
        dst = order[np.repeat(first[r0:r1], sz) + offsets]
        keep = src != dst
        if once or drop:
            s_code = codes[src]
            t_code = codes[dst]
            if once:
                keep &= (s_code & once & ~t_code) == 0
            if drop:
                keep &= (~s_code & drop & t_code) == 0
        counts[r0:r1] = np.add.reduceat(keep, bounds[r0:r1] - bounds[r0], dtype=np.int64)
        chunks.append(dst[keep])
        r0 = r1
    indices = np.concatenate(chunks) if chunks else np.empty(0, dtype=idx)
    del chunks
    indptr = np.zeros(n + 1, dtype=_index_dtype(max(n, indices.size)))
    np.cumsum(counts, out=indptr[1:])
    if indptr.dtype != indices.dtype:
        indices = indices.astype(indptr.dtype)
    mat = sp.csr_array((np.ones(indices.size, dtype=bool), indices, indptr), shape=(n, n))
    mat.has_sorted_indices = True
    mat.has_canonical_format = True
    return mat


def option_moves(codes: np.ndarray | Sequence[int], owner_masks: Sequence[int],
                 once_mask: int = 0, drop_only_mask: int = 0,
                 max_moves: int = DEFAULT_MAX_MOVES) -> tuple[sp.csr_array, ...]:
    """Move matrices of every DM of an option-form model.

    Args:
        codes: feasible state codes, ascending (state index = position).
        owner_masks: for each DM, the bit mask of the options it owns.
        once_mask: options that cannot be undone once taken.
        drop_only_mask: options that can only be given up.
        max_moves: refuse models with more candidate moves than this per DM.
    """
    arr = _as_codes(codes)
    masks = [int(m) for m in owner_masks]
    seen = 0
    for i, m in enumerate(masks):
        if m < 0 or m & seen:
            raise input_error("owner masks must be non-negative and disjoint",
                              value={"actor": i, "mask": m},
                              expected="each option owned by exactly one actor")
        seen |= m
    return tuple(actor_option_moves(arr, m, once_mask, drop_only_mask, max_moves)
                 for m in masks)


def graph_moves(n_states: int,
                edges_per_actor: Sequence[Iterable[tuple[int, int]]]) -> tuple[sp.csr_array, ...]:
    """Move matrices from explicit (from, to) state-index pairs per DM (graph form)."""
    out = []
    for i, edges in enumerate(edges_per_actor):
        pairs = np.asarray(list(edges), dtype=np.int64).reshape(-1, 2)
        if pairs.size and (pairs.min() < 0 or pairs.max() >= n_states):
            bad = (pairs < 0).any(1) | (pairs >= n_states).any(1)
            raise input_error(f"move of actor {i} refers to a state that does not exist",
                              value=pairs[bad][0].tolist(),
                              expected=f"state indices 0..{n_states - 1}")
        loops = pairs[:, 0] == pairs[:, 1]
        if loops.any():
            raise input_error(f"move of actor {i} from a state to itself",
                              value=pairs[loops][0].tolist(), expected="from-state != to-state")
        out.append(_bool_csr(pairs[:, 0], pairs[:, 1], n_states))
    return tuple(out)


def build_option_graph(actors: Sequence[str], codes: np.ndarray | Sequence[int],
                       owner_masks: Sequence[int], payoffs: np.ndarray | Sequence[Sequence[float]],
                       once_mask: int = 0, drop_only_mask: int = 0,
                       names: Sequence[str] | None = None,
                       max_moves: int = DEFAULT_MAX_MOVES) -> ConflictGraph:
    """A :class:`ConflictGraph` from option-form pieces (tests, benchmarks, scenario builder)."""
    arr = _as_codes(codes)
    pay = np.asarray(payoffs, dtype=float)
    if pay.shape != (len(actors), arr.shape[0]):
        raise input_error("payoffs must have one row per actor and one column per state",
                          value=pay.shape, expected=f"({len(actors)}, {arr.shape[0]})")
    if len(owner_masks) != len(actors):
        raise input_error("one owner mask per actor is required", value=len(owner_masks),
                          expected=str(len(actors)))
    moves = option_moves(arr, owner_masks, once_mask, drop_only_mask, max_moves)
    return ConflictGraph(tuple(actors), arr, moves, pay,
                         tuple(names) if names is not None else None,
                         tuple(int(m) for m in owner_masks))


def build_graph(actors: Sequence[str], n_states: int,
                edges_per_actor: Sequence[Iterable[tuple[int, int]]],
                payoffs: np.ndarray | Sequence[Sequence[float]],
                names: Sequence[str] | None = None) -> ConflictGraph:
    """A graph-form :class:`ConflictGraph` (states 0..n-1, explicit moves)."""
    pay = np.asarray(payoffs, dtype=float)
    if pay.shape != (len(actors), n_states):
        raise input_error("payoffs must have one row per actor and one column per state",
                          value=pay.shape, expected=f"({len(actors)}, {n_states})")
    if len(edges_per_actor) != len(actors):
        raise input_error("one move list per actor is required", value=len(edges_per_actor),
                          expected=str(len(actors)))
    moves = graph_moves(n_states, edges_per_actor)
    return ConflictGraph(tuple(actors), np.arange(n_states, dtype=np.int64), moves, pay,
                         tuple(names) if names is not None else None, None)


def as_move_matrix(mat: sp.sparray | sp.spmatrix | np.ndarray,
                   n: int | None = None) -> sp.csr_array:
    """Canonical move matrix: CSR, bool, no stored False entries, no self loops, sorted.

    A matrix that is already canonical is returned as it is (no copy).
    """
    if n is not None and mat.shape != (n, n):
        raise input_error("move matrix has the wrong shape", value=mat.shape,
                          expected=f"({n}, {n})")
    if (isinstance(mat, sp.csr_array) and mat.dtype == bool and mat.has_canonical_format
            and bool(mat.data.all()) and not bool(mat.diagonal().any())):
        return mat
    m = sp.csr_array(mat, dtype=bool)
    rows = np.repeat(np.arange(m.shape[0], dtype=_index_dtype(m.shape[0])), np.diff(m.indptr))
    keep = m.data.astype(bool) & (rows != m.indices)
    return _bool_csr(rows[keep], m.indices[keep], m.shape[0])


def improvement_moves(graph: ConflictGraph) -> tuple[sp.csr_array, ...]:
    """Each DM's unilateral improvements: its moves to strictly preferred states."""
    out = []
    for i, mat in enumerate(graph.moves):
        m = as_move_matrix(mat)
        rows = np.repeat(np.arange(m.shape[0], dtype=_index_dtype(m.shape[0])),
                         np.diff(m.indptr))
        u = graph.payoffs[i]
        keep = u[m.indices] > u[rows]
        counts = np.bincount(rows[keep], minlength=m.shape[0])
        indptr = np.zeros(m.shape[0] + 1, dtype=m.indptr.dtype)
        np.cumsum(counts, out=indptr[1:])
        sub = sp.csr_array((np.ones(int(indptr[-1]), dtype=bool), m.indices[keep], indptr),
                           shape=m.shape)
        sub.has_sorted_indices = True  # a subset of each sorted row, in order
        sub.has_canonical_format = True
        out.append(sub)
    return tuple(out)


def moves_digest(codes: np.ndarray, mats: Sequence[sp.csr_array], *extra: Any) -> bytes:
    """A digest of the state codes, the move matrices' content (compressed rows with
    their dtypes and shapes) and ``extra`` (by ``repr``): the key under which what
    depends on the moves alone is remembered across analyses that build equal moves
    anew (option layouts, sanctions in a crux search or a sweep)."""
    h = hashlib.blake2b(digest_size=32)
    codes = np.ascontiguousarray(codes, dtype=np.int64)
    h.update(repr((codes.shape, len(mats), extra)).encode())
    h.update(codes.tobytes())
    for m in mats:
        h.update(repr((tuple(m.shape), str(m.indptr.dtype), str(m.indices.dtype))).encode())
        for arr in (m.indptr, m.indices):
            h.update(b"|")
            h.update(np.ascontiguousarray(arr).tobytes())
    return h.digest()
