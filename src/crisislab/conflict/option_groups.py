"""Option-form moves as reductions inside groups of states, without move lists.

In an option-form model a DM's move from s changes only options it owns, so
its targets from s lie in the *group* of feasible states that agree with s on
every other option; inside a group a state is named by its *pattern*, the k
bits of the DM's own options.  Reversibility narrows the targets bit by bit:
an option marked ``once`` can be kept or taken but not undone (on that bit the
target is a superset of s), one marked ``drop_only`` can be kept or given up
(a subset).  So the allowed patterns from s form a product over the k bits,
and "the least value over the DM's moves from s", the step every stability
concept repeats, is a reduction over each group: one whole-group minimum when
every option is reversible, otherwise a subset/superset minimum transform
(zeta transform) costing O(k 2^k) per group instead of one pass per move.

:func:`option_layout` recognises the structure in a move matrix: it infers the
irreversible bits from the moves themselves and checks that the matrix is
exactly the option relation, so the engine takes this path only where it
gives the same answers as the sparse one.  Unilateral *improvements* of a DM
whose options are all reversible are "the states of its group that it
prefers": a suffix minimum over the group sorted by its preference
(:class:`ImprovementGroups`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from crisislab.bounded_store import BoundedStore
from crisislab.conflict.moves import moves_digest
from crisislab.conflict.reachability import INF, row_blocks

#: Give up the group layout when it would hold more than this many cells per
#: feasible state (sparse feasibility with many own options).
MAX_CELLS_PER_STATE = 4


def _own_bits(owner_mask: int) -> list[int]:
    return [b for b in range(int(owner_mask).bit_length()) if owner_mask >> b & 1]


def _compress(codes: np.ndarray, bits: list[int]) -> np.ndarray:
    """The given bits of each code, packed into 0..2^len(bits)-1."""
    out = np.zeros(codes.shape[0], dtype=np.int64)
    for j, b in enumerate(bits):
        out |= ((codes >> b) & 1) << j
    return out


def _merge(a: tuple[np.ndarray, np.ndarray, np.ndarray],
           b: tuple[np.ndarray, np.ndarray, np.ndarray]
           ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Least two values over the union of two disjoint sets of positions.

    Each set is (least value, its position, least value at another position).
    """
    a1, ap, a2 = a
    b1, bp, b2 = b
    take_b = b1 < a1
    m1 = np.where(take_b, b1, a1)
    p1 = np.where(take_b, bp, ap)
    m2 = np.where(take_b, np.minimum(a1, b2), np.minimum(a2, b1))
    return m1, p1, m2


@dataclass(frozen=True, eq=False)
class GroupLayout:
    """One DM's moves as groups x own patterns (see module doc).

    Attributes:
        n: number of states.
        n_bits: k, the number of options the DM owns.
        once_bits / drop_bits: pattern bits that can only be taken / dropped.
        slot: (groups, 2^k) state index at each cell, ``n`` where infeasible.
        group / pattern: each state's group and own pattern.
    """

    n: int
    n_bits: int
    once_bits: int
    drop_bits: int
    slot: np.ndarray
    group: np.ndarray
    pattern: np.ndarray

    @property
    def reversible(self) -> bool:
        """Whether every option can be both taken and undone."""
        return not (self.once_bits or self.drop_bits)

    def _cells(self, values: np.ndarray, fill: int) -> np.ndarray:
        ext = np.empty(self.n + 1, dtype=np.int64)
        ext[:self.n] = values
        ext[self.n] = fill
        return ext[self.slot]  # type: ignore[no-any-return]

    def _bit_views(self, arr: np.ndarray, j: int) -> tuple[np.ndarray, np.ndarray]:
        """(bit j clear, bit j set) halves of a (groups, 2^k) array, as views."""
        v = arr.reshape(-1, 2, 1 << j)
        return v[:, 0], v[:, 1]

    def min_other(self, values: np.ndarray) -> np.ndarray:
        """For each state s: min of ``values[t]`` over the DM's moves s -> t (INF if none)."""
        cells = self._cells(values, INF)
        g, p = self.group, self.pattern
        if self.reversible:
            rows = np.arange(cells.shape[0])
            best_at = cells.argmin(axis=1)
            best = cells[rows, best_at]
            cells[rows, best_at] = INF
            second = cells.min(axis=1)
            return np.where(p == best_at[g], second[g], best[g])  # type: ignore[no-any-return]
        k = 1 << self.n_bits
        m1 = cells
        p1 = np.broadcast_to(np.arange(k, dtype=np.int32), cells.shape).copy()
        m2 = np.full(cells.shape, INF, dtype=np.int64)
        for j in range(self.n_bits):
            once, drop = self.once_bits >> j & 1, self.drop_bits >> j & 1
            if once and drop:
                continue
            (m1_lo, m1_hi), (p1_lo, p1_hi), (m2_lo, m2_hi) = (
                self._bit_views(m1, j), self._bit_views(p1, j), self._bit_views(m2, j))
            lo, hi = (m1_lo, p1_lo, m2_lo), (m1_hi, p1_hi, m2_hi)
            # Both halves are computed from the old values before either is written.
            new_hi = _merge(hi, lo) if not once else None  # set -> clear: giving it up
            new_lo = _merge(lo, hi) if not drop else None  # clear -> set: taking it
            for views, new in ((lo, new_lo), (hi, new_hi)):
                if new is not None:
                    for view, val in zip(views, new, strict=True):
                        view[...] = val
        m1v, p1v, m2v = m1[g, p], p1[g, p], m2[g, p]
        return np.where(p1v == p, m2v, m1v)  # type: ignore[no-any-return]

    def max_closed(self, values: np.ndarray) -> np.ndarray:
        """For each state s: max of ``values`` over s and the DM's moves from s."""
        low = int(np.iinfo(np.int64).min)
        cells = self._cells(values, low)
        g, p = self.group, self.pattern
        if self.reversible:
            return cells.max(axis=1)[g]  # type: ignore[no-any-return]
        for j in range(self.n_bits):
            once, drop = self.once_bits >> j & 1, self.drop_bits >> j & 1
            lo, hi = self._bit_views(cells, j)
            if once and drop:
                continue
            if not once and not drop:
                both = np.maximum(lo, hi)
                lo[...] = both
                hi[...] = both
            elif once:  # clear may become set
                np.maximum(lo, hi, out=lo)
            else:  # set may become clear
                np.maximum(hi, lo, out=hi)
        return cells[g, p]  # type: ignore[no-any-return]

    def target_counts(self) -> np.ndarray:
        """Number of moves from each state (used to check a matrix against the layout)."""
        cells = (self.slot < self.n).astype(np.int64)
        for j in range(self.n_bits):
            once, drop = self.once_bits >> j & 1, self.drop_bits >> j & 1
            lo, hi = self._bit_views(cells, j)
            if once and drop:
                continue
            if not once and not drop:
                both = lo + hi
                lo[...] = both
                hi[...] = both
            elif once:
                lo += hi
            else:
                hi += lo
        return cells[self.group, self.pattern] - 1  # type: ignore[no-any-return]


def _move_bits(codes: np.ndarray, owner: int, mat: sp.csr_array) -> tuple[int, int, bool]:
    """(bits some move clears, bits some move sets, whether a move leaves the group)."""
    cleared = set_ = 0
    indptr = mat.indptr
    for r0, r1 in row_blocks(indptr):
        e0, e1 = int(indptr[r0]), int(indptr[r1])
        if e1 > e0:
            s = np.repeat(codes[r0:r1], np.diff(indptr[r0:r1 + 1]))
            changed = s ^ codes[mat.indices[e0:e1]]
            if int(np.bitwise_or.reduce(changed)) & ~owner:
                return cleared, set_, True
            changed_from_set = s & changed
            cleared |= int(np.bitwise_or.reduce(changed_from_set))
            set_ |= int(np.bitwise_or.reduce(changed ^ changed_from_set))
    return cleared, set_, False


def option_layout(codes: np.ndarray, owner_mask: int, mat: sp.csr_array) -> GroupLayout | None:
    """The group layout of ``mat`` if it is exactly an option-form move relation, else None.

    ``mat`` must be a canonical move matrix over the states ``codes``
    (ascending).  The irreversible bits are inferred: an owned option that no
    move clears can only be taken, one that no move sets can only be given up.
    The relation those bits define contains every move of ``mat`` by
    construction, so equal move counts per state prove equality.
    """
    owner = int(owner_mask)
    n = int(codes.shape[0])
    bits = _own_bits(owner)
    if n == 0 or not bits or len(bits) > 24:
        return None
    codes = codes.astype(np.int64, copy=False)
    k = 1 << len(bits)
    rest = codes & ~np.int64(owner)
    starts = np.ones(n, dtype=bool)
    rest_order = np.argsort(rest, kind="stable")
    sorted_rest = rest[rest_order]
    starts[1:] = sorted_rest[1:] != sorted_rest[:-1]
    n_groups = int(starts.sum())
    if n_groups * k > MAX_CELLS_PER_STATE * n + (1 << 12):
        return None
    cleared, set_, leaves = _move_bits(codes, owner, mat)
    if leaves:
        return None
    idx = np.int32 if n_groups * k < np.iinfo(np.int32).max else np.int64
    group = np.empty(n, dtype=idx)
    group[rest_order] = np.cumsum(starts) - 1
    pattern = _compress(codes, bits).astype(idx)
    slot = np.full((n_groups, k), n, dtype=idx)
    slot[group, pattern] = np.arange(n, dtype=idx)
    once = int(_compress(np.array([owner & ~cleared], dtype=np.int64), bits)[0])
    drop = int(_compress(np.array([owner & ~set_], dtype=np.int64), bits)[0])
    layout = GroupLayout(n, len(bits), once, drop, slot, group, pattern)
    if not np.array_equal(layout.target_counts(), np.diff(mat.indptr)):
        return None
    return layout


LAYOUT_CACHE_SIZE = 256
"""Layouts remembered by :func:`cached_option_layout` (the least recently used is
dropped first)."""
LAYOUT_CACHE_BYTES = 256 << 20
"""Memory the remembered layouts may hold in all; a larger layout is not remembered."""

_layouts: BoundedStore[bytes, GroupLayout | None] = BoundedStore(LAYOUT_CACHE_SIZE,
                                                                  LAYOUT_CACHE_BYTES)


def _layout_bytes(layout: GroupLayout | None) -> int:
    if layout is None:
        return 0
    return int(layout.slot.nbytes + layout.group.nbytes + layout.pattern.nbytes)


def _read_only_layout(codes: np.ndarray, owner_mask: int, mat: sp.csr_array
                      ) -> GroupLayout | None:
    layout = option_layout(codes, owner_mask, mat)
    if layout is not None:
        for arr in (layout.slot, layout.group, layout.pattern):
            arr.flags.writeable = False
    return layout


def cached_option_layout(codes: np.ndarray, owner_mask: int, mat: sp.csr_array
                         ) -> GroupLayout | None:
    """:func:`option_layout`, remembered by the content of its inputs.

    The layout depends on the moves only, never on preferences, and a crux search
    or a sweep analyses the same moves under thousands of preference variants:
    recognising the layout once per distinct move matrix (and owner mask) saves
    that pass on every later analysis.  The key is a digest of the content, not
    the objects' identity, so equal moves built anew share a layout; the cached
    arrays are read-only, as every use of a layout only reads them.  The cache
    lives in memory, holds at most :data:`LAYOUT_CACHE_SIZE` layouts and
    :data:`LAYOUT_CACHE_BYTES` of arrays, and is safe to use from several threads.
    """
    key = moves_digest(codes, (mat,), int(owner_mask))  # all option_layout reads
    return _layouts.get_or_put(key, lambda: _read_only_layout(codes, owner_mask, mat),
                               _layout_bytes)


@dataclass(frozen=True, eq=False)
class ImprovementGroups:
    """Unilateral improvements of a DM with only reversible options, by group.

    Each group's cells are sorted by the DM's rank; an improvement from s is
    any cell of its group ranked strictly higher, so the least value over them
    is a suffix minimum starting after s's run of equally ranked cells.
    """

    n: int
    sorted_slot: np.ndarray
    start: np.ndarray

    @classmethod
    def build(cls, layout: GroupLayout, rank: np.ndarray) -> ImprovementGroups:
        """The improvement groups of one ranking over the layout's states."""
        if not layout.reversible:
            raise ValueError("improvement groups need reversible options")
        n, slot = layout.n, layout.slot
        n_groups, k = slot.shape
        ext = np.empty(n + 1, dtype=np.int64)
        ext[:n] = rank
        ext[n] = np.iinfo(np.int64).max
        cell_rank = ext[slot]
        order = np.argsort(cell_rank, axis=1, kind="stable")
        sorted_rank = np.take_along_axis(cell_rank, order, axis=1)
        sorted_slot = np.take_along_axis(slot, order, axis=1)
        last = np.ones((n_groups, k), dtype=bool)
        last[:, :-1] = sorted_rank[:, 1:] != sorted_rank[:, :-1]
        col = np.where(last, np.arange(k), k)
        run_end = np.minimum.accumulate(col[:, ::-1], axis=1)[:, ::-1]
        position = np.empty((n_groups, k), dtype=np.int64)
        np.put_along_axis(position, order, np.arange(k)[None, :], axis=1)
        g, p = layout.group.astype(np.int64), layout.pattern.astype(np.int64)
        start = g * (k + 1) + run_end[g, position[g, p]] + 1
        return cls(n, sorted_slot, start)

    def min_improving(self, values: np.ndarray) -> np.ndarray:
        """For each state s: min of ``values`` over the DM's improvements from s."""
        ext = np.empty(self.n + 1, dtype=np.int64)
        ext[:self.n] = values
        ext[self.n] = INF
        cells = ext[self.sorted_slot]
        n_groups, k = cells.shape
        suffix = np.empty((n_groups, k + 1), dtype=np.int64)
        suffix[:, k] = INF
        np.minimum.accumulate(cells[:, ::-1], axis=1, out=suffix[:, k - 1::-1])
        return suffix.reshape(-1)[self.start]  # type: ignore[no-any-return]
