"""Reachability by legal sequences of moves, for all start states at once.

A coalition H sanctions by a *legal sequence*: one or more moves by members of
H in which no member moves twice in a row (a member may move again later).
R_H(s) is the set of states such a sequence reaches from s.  Sequences are
never enumerated: they are walks in the graph whose nodes are pairs
(state, last mover), and a question such as "what is the least preferred
state H can reach from s1?" is a min-propagation of one value per state over
that graph, answered for every s1 simultaneously.

Three sanctioning modes are supported (``SanctionMode``):

``legal``
    the definition above (Fang, Hipel & Kilgour 1993; Kilgour, Hipel & Fang
    1987): any length, no member twice in a row.  Default.
``each_once``
    every member of H moves at most once (so at most |H| moves).  Some tools
    restrict sanctions this way; it misses sanctions in which an opponent must
    move, another respond, and the first move again.
``single``
    a single move by one member of H, the classic two-DM reading applied
    unchanged to n DMs.

Values are int64 *keys*; by convention stability code uses
``key = rank * n_states + state`` so that the minimum key names both the least
preferred reachable state and (deterministically, by lowest index) which one.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import scipy.sparse as sp

from crisislab.conflict.concepts import SANCTION_MODES, SanctionMode, check_mode
from crisislab.errors import input_error

__all__ = ["INF", "SANCTION_MODES", "SanctionMode", "Step", "check_mode", "min_over_reach",
           "min_over_reach_reducers", "reach_sets", "reachable_matrix"]


#: Sentinel for "no state reachable".
INF = np.iinfo(np.int64).max


class Step(NamedTuple):
    """One move of a sequence: ``actor`` (index) moves from state ``source`` to ``target``."""

    actor: int
    source: int
    target: int


def dense_ranks(values: np.ndarray) -> np.ndarray:
    """Rank 0..r-1 of each value (equal values share a rank)."""
    _, inv = np.unique(np.asarray(values), return_inverse=True)
    return inv.astype(np.int64).reshape(-1)


def state_keys(ranks: np.ndarray) -> np.ndarray:
    """``rank * n + index``: minimum selects the lowest rank, then the lowest index."""
    n = ranks.shape[0]
    return ranks.astype(np.int64) * n + np.arange(n, dtype=np.int64)


def _row_reduce(ufunc: np.ufunc, mat: sp.csr_array, values: np.ndarray,
                empty: int) -> np.ndarray:
    """For each row s, ``ufunc``-reduce ``values[t]`` over the stored columns t of row s."""
    out = np.full(mat.shape[0], empty, dtype=values.dtype)
    nonempty = np.flatnonzero(np.diff(mat.indptr))
    if nonempty.size:
        out[nonempty] = ufunc.reduceat(values[mat.indices],
                                       mat.indptr[nonempty].astype(np.intp))
    return out


def row_min(mat: sp.csr_array, values: np.ndarray, empty: int = INF) -> np.ndarray:
    """For each row s, min of ``values[t]`` over the stored columns t of row s."""
    return _row_reduce(np.minimum, mat, values, empty)


def row_max(mat: sp.csr_array, values: np.ndarray, empty: int) -> np.ndarray:
    """For each row s, max of ``values[t]`` over the stored columns t of row s."""
    return _row_reduce(np.maximum, mat, values, empty)


def row_blocks(indptr: np.ndarray, max_entries: int = 1 << 22) -> Iterator[tuple[int, int]]:
    """Consecutive row ranges [r0, r1) of a CSR matrix holding about ``max_entries`` each.

    Lets whole-array work over every stored entry run block by block, so that
    its temporaries stay bounded on large models.
    """
    n = indptr.shape[0] - 1
    r0 = 0
    while r0 < n:
        r1 = int(np.searchsorted(indptr, indptr[r0] + max_entries, side="right")) - 1
        r1 = min(max(r1, r0 + 1), n)
        yield r0, r1
        r0 = r1


def _gather_rows(mat: sp.csr_array, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Flattened (row position, column) pairs of the given rows of a CSR matrix."""
    starts = mat.indptr[rows].astype(np.int64)
    lens = mat.indptr[rows + 1].astype(np.int64) - starts
    total = int(lens.sum())
    if total == 0:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    pos = np.repeat(np.arange(rows.size), lens)
    flat = np.arange(total, dtype=np.int64) + np.repeat(starts - (np.cumsum(lens) - lens), lens)
    return pos, mat.indices[flat].astype(np.int64)


def _push_min(transposed: sp.csr_array, changed: np.ndarray, vals: np.ndarray,
              target: np.ndarray) -> None:
    """target[t] = min(target[t], vals[j]) for every edge t -> changed[j]."""
    pos, preds = _gather_rows(transposed, changed)
    if preds.size:
        np.minimum.at(target, preds, vals[pos])


@dataclass(frozen=True)
class Reducer:
    """One DM's moves, seen only through "least value over the moves from each state".

    ``pull(values)[s]`` is the min of ``values[t]`` over the moves s -> t (INF
    if none), for every s at once.  ``push(changed, vals, target)``, when
    given, lowers ``target[s]`` to ``vals[j]`` for every move s -> changed[j];
    it lets late propagation rounds touch only the moves into changed states.
    Sparse matrices give both; option-form group layouts give ``pull`` only,
    which already costs O(k) per state.
    """

    pull: Callable[[np.ndarray], np.ndarray]
    push: Callable[[np.ndarray, np.ndarray, np.ndarray], None] | None = None


def sparse_reducer(mat: sp.csr_array,
                   transpose: Callable[[], sp.csr_array] | None = None) -> Reducer:
    """A :class:`Reducer` over a CSR move matrix; ``transpose`` builds (or caches) its CSR
    transpose for push updates, on first use only."""
    def pull(values: np.ndarray) -> np.ndarray:
        return row_min(mat, values)

    def push(changed: np.ndarray, vals: np.ndarray, target: np.ndarray) -> None:
        _push_min(transpose() if transpose is not None else sp.csr_array(mat.T),
                  changed, vals, target)

    return Reducer(pull, push)


def transpose_cache(moves: Sequence[sp.csr_array]) -> list[sp.csr_array | None]:
    """An empty, lazily filled cache of CSR transposes of ``moves``.

    Pass the same list to repeated :func:`min_over_reach` calls on the same
    matrices so that each transpose is built at most once, and only if needed.
    """
    return [None] * len(moves)


def min_over_reach(moves: Sequence[sp.csr_array], coalition: Sequence[int],
                   values: np.ndarray, mode: SanctionMode = "legal",
                   transposed: list[sp.csr_array | None] | None = None) -> np.ndarray:
    """For every start state s1: min of ``values`` over R_H(s1) (INF if empty).

    ``moves`` are the move matrices of all DMs (any restriction, e.g. to
    unilateral improvements, is applied by the caller); ``coalition`` the DM
    indices of H; ``values`` int64 per state, below :data:`INF`.  Sequences
    have at least one move, so s1 itself counts only if a sequence returns to it.
    """
    check_mode(mode)
    members = list(dict.fromkeys(int(k) for k in coalition))
    cache = transposed if transposed is not None else [None] * len(moves)

    def transpose_of(k: int) -> Callable[[], sp.csr_array]:
        def build() -> sp.csr_array:
            t = cache[k]
            if t is None:
                t = cache[k] = sp.csr_array(moves[k].T)
            return t
        return build

    return min_over_reach_reducers([sparse_reducer(moves[k], transpose_of(k))
                                    for k in members], values, mode)


def min_over_reach_reducers(reducers: Sequence[Reducer], values: np.ndarray,
                            mode: SanctionMode = "legal") -> np.ndarray:
    """:func:`min_over_reach` for a coalition given as one :class:`Reducer` per member."""
    check_mode(mode)
    values = np.asarray(values, dtype=np.int64)
    n = values.shape[0]
    if not reducers:
        return np.full(n, INF, dtype=np.int64)
    if mode == "single" or len(reducers) == 1:
        out = reducers[0].pull(values)
        for r in reducers[1:]:
            np.minimum(out, r.pull(values), out=out)
        return out
    if mode == "each_once":
        return _min_each_once(reducers, values)
    return _min_legal(reducers, values)


def _min_legal(reducers: Sequence[Reducer], values: np.ndarray) -> np.ndarray:
    # g[k, t]: min value reachable from t by a legal sequence whose first move
    # is k's.  f_k(u) = min(values[u], min_{l != k} g[l, u]) is the best from u
    # when k moved last, and g[k, t] = min_{u in M_k(t)} f_k(u).  Fixed point
    # from above, updated in place one mover at a time (each update sees the
    # others' latest values, which needs fewer rounds).  g[k] is recomputed by
    # a pull over all states while many f_k(u) drop; once few do, a push
    # updates only the predecessors of those u.
    h = len(reducers)
    n = values.shape[0]
    g = np.full((h, n), INF, dtype=np.int64)
    f_prev = np.full((h, n), INF, dtype=np.int64)
    while True:
        any_change = False
        for k in range(h):
            f = values.copy()
            for other in range(h):
                if other != k:
                    np.minimum(f, g[other], out=f)
            changed = np.flatnonzero(f < f_prev[k])
            if not changed.size:
                continue
            any_change = True
            push = reducers[k].push
            if push is not None and changed.size * 8 <= n:
                push(changed, f[changed], g[k])
            else:
                g[k] = reducers[k].pull(f)
            f_prev[k] = f
        if not any_change:
            return g.min(axis=0)


def _min_each_once(reducers: Sequence[Reducer], values: np.ndarray) -> np.ndarray:
    # f[U](t): min value reachable from t (t included) when the members in U
    # have already moved.  Sets only grow, so one pass by decreasing size.
    h = len(reducers)
    full = (1 << h) - 1
    f: dict[int, np.ndarray] = {full: values}
    for used in sorted(range(1, full), key=lambda u: -bin(u).count("1")):
        best = values.copy()
        for p in range(h):
            if not used & (1 << p):
                np.minimum(best, reducers[p].pull(f[used | (1 << p)]), out=best)
        f[used] = best
    out = reducers[0].pull(f[1])
    for p in range(1, h):
        np.minimum(out, reducers[p].pull(f[1 << p]), out=out)
    return out


def reachable_from(moves: Sequence[sp.csr_array], coalition: Sequence[int], start: int,
                   mode: SanctionMode = "legal", payoffs: np.ndarray | None = None) -> np.ndarray:
    """Boolean mask of R_H(start): states reachable by a sequence of ``mode``.

    With ``payoffs`` (one row per DM) only moves that improve their mover count.
    """
    n = moves[0].shape[0] if moves else 0
    out = np.zeros(n, dtype=bool)
    for state, _tag in _search(moves, coalition, start, mode, payoffs)[0]:
        out[state] = True
    return out


def reachable_matrix(moves: Sequence[sp.csr_array], coalition: Sequence[int],
                     mode: SanctionMode = "legal") -> sp.csr_array:
    """Boolean n x n matrix whose row s is R_H(s), for every s at once (see :func:`reach_sets`)."""
    n = moves[0].shape[0] if moves else 0
    return reach_sets(moves, coalition, np.arange(n), mode)


def reach_sets(moves: Sequence[sp.csr_array], coalition: Sequence[int],
               sources: np.ndarray | Sequence[int], mode: SanctionMode = "legal",
               max_entries: int | None = None) -> sp.csr_array:
    """Boolean (len(sources), n) matrix whose row r is R_H(sources[r]).

    Level-by-level closure over (source, state, last mover) triples with sparse
    products, all sources at once; no sequence is enumerated.  ``max_entries``
    refuses, with the figures, a closure that would hold more pairs than that.
    A start state counts only if a sequence returns to it.
    """
    check_mode(mode)
    members = list(dict.fromkeys(int(k) for k in coalition))
    n = moves[0].shape[0] if moves else 0
    src = np.asarray(sources, dtype=np.int64).reshape(-1)
    m = src.size
    if not members or n == 0 or m == 0:
        return sp.csr_array((m, n), dtype=bool)
    mats = [sp.csr_array(moves[k], dtype=np.int32) for k in members]
    start = sp.csr_array((np.ones(m, dtype=np.int32), (np.arange(m), src)), shape=(m, n))
    if mode == "each_once":
        rows = [reachable_from(moves, members, int(s), mode) for s in src]
        return sp.csr_array(np.array(rows, dtype=bool).reshape(m, n))
    first = [sp.csr_array((start @ mat) > 0) for mat in mats]
    if mode == "single":
        out = first[0]
        for f in first[1:]:
            out = out + f
        return sp.csr_array(out, dtype=bool)
    visited = list(first)
    frontier = list(first)
    h = len(mats)

    def total() -> int:
        return sum(int(v.nnz) for v in visited)

    while any(f.nnz for f in frontier):
        if max_entries is not None and total() > max_entries:
            raise input_error(
                f"the sequences of moves reach more than {max_entries:,} (start, state) pairs",
                value=total(), expected=f"at most {max_entries:,}")
        new: list[sp.csr_array] = []
        for k in range(h):
            inflow = [frontier[j] for j in range(h) if j != k] if h > 1 else [frontier[k]]
            if h == 1:
                # a single mover cannot move twice in a row: nothing follows
                new.append(sp.csr_array((m, n), dtype=bool))
                continue
            acc = inflow[0]
            for f in inflow[1:]:
                acc = acc + f
            nxt = sp.csr_array((sp.csr_array(acc, dtype=np.int32) @ mats[k]) > 0)
            fresh = sp.csr_array(nxt > visited[k])
            visited[k] = sp.csr_array(visited[k] + fresh)
            new.append(fresh)
        frontier = new
    out = visited[0]
    for v in visited[1:]:
        out = out + v
    return sp.csr_array(out, dtype=bool)


def _targets(moves: Sequence[sp.csr_array], k: int, state: int,
             payoffs: np.ndarray | None) -> np.ndarray:
    m = moves[k]
    t = m.indices[m.indptr[state]:m.indptr[state + 1]]
    if payoffs is not None:
        t = t[payoffs[k][t] > payoffs[k][state]]
    return t


def _search(moves: Sequence[sp.csr_array], coalition: Sequence[int], start: int,
            mode: SanctionMode, payoffs: np.ndarray | None = None, stop_at: int | None = None
            ) -> tuple[dict[tuple[int, int], tuple[int, int, int] | None], None]:
    """Breadth-first search over (state, tag) nodes from ``start``.

    The tag is the last mover (legal), the set of members that have moved
    (each_once) or the number of moves (single).  With ``payoffs`` only moves
    that improve their mover are followed.  With ``stop_at`` the search ends
    as soon as that state is first reached (at its least depth).  Returns
    parent pointers {node: (parent_state, parent_tag, mover)}, in the order
    nodes were reached.
    """
    check_mode(mode)
    members = list(dict.fromkeys(int(k) for k in coalition))
    parents: dict[tuple[int, int], tuple[int, int, int] | None] = {}
    queue: deque[tuple[int, int]] = deque()
    root_tag = -1 if mode == "legal" else 0
    root = (int(start), root_tag)
    for k in members:
        for t in _targets(moves, k, int(start), payoffs):
            tag = k if mode == "legal" else (1 << members.index(k) if mode == "each_once" else 1)
            node = (int(t), tag)
            if node not in parents:
                parents[node] = (root[0], root[1], k)
                queue.append(node)
                if node[0] == stop_at:
                    return parents, None
    if mode == "single":
        return parents, None
    while queue:
        state, tag = queue.popleft()
        for pos, k in enumerate(members):
            if mode == "legal" and k == tag:
                continue
            if mode == "each_once" and tag & (1 << pos):
                continue
            new_tag = k if mode == "legal" else tag | (1 << pos)
            for t in _targets(moves, k, state, payoffs):
                node = (int(t), new_tag)
                if node not in parents:
                    parents[node] = (state, tag, k)
                    queue.append(node)
                    if node[0] == stop_at:
                        return parents, None
    return parents, None


def find_sequence(moves: Sequence[sp.csr_array], coalition: Sequence[int], start: int,
                  target: int, mode: SanctionMode = "legal",
                  payoffs: np.ndarray | None = None) -> list[Step] | None:
    """A shortest sequence of ``mode`` by the coalition from ``start`` to ``target``.

    Breadth-first search with parent pointers; used on demand to turn a
    stored sanction endpoint into the full list of moves.  With ``payoffs``
    (one row per DM) every move must improve its mover.  None if unreachable.
    """
    parents, _ = _search(moves, coalition, start, mode, payoffs, stop_at=int(target))
    # BFS order: parents dict preserves insertion order, which is by depth.
    for node in parents:
        if node[0] == target:
            steps: list[Step] = []
            current: tuple[int, int] = node
            while True:
                parent = parents[current]
                assert parent is not None
                steps.append(Step(parent[2], parent[0], current[0]))
                if (parent[0], parent[1]) == (int(start), -1 if mode == "legal" else 0):
                    break
                current = (parent[0], parent[1])
            steps.reverse()
            return steps
    return None


class PathTree(NamedTuple):
    """Shortest legal paths from one start, over (state, last mover) nodes.

    ``distance[s]``: fewest moves to reach s (-1 if unreachable, 0 for start).
    ``parent_state``/``parent_mover``/``parent_last`` arrays of shape
    (n_actors, n_states), indexed by (last mover, state).
    """

    start: int
    distance: np.ndarray
    best_last: np.ndarray
    parent_state: np.ndarray
    parent_last: np.ndarray


def shortest_legal_paths(moves: Sequence[sp.csr_array], start: int,
                         allow_repeat: bool = False) -> PathTree:
    """Breadth-first search from ``start`` over the union of all DMs' moves.

    Vectorised by level over (state, last mover) nodes, no depth cap.  With
    ``allow_repeat=False`` (the convention of Xu, Kilgour, Hipel & Kemkes
    2010) no DM moves twice in a row; with True any order is allowed.
    """
    h = len(moves)
    n = moves[0].shape[0] if h else 0
    visited = np.zeros((h, n), dtype=bool)
    parent_state = np.full((h, n), -1, dtype=np.int64)
    parent_last = np.full((h, n), -1, dtype=np.int64)
    distance = np.full(n, -1, dtype=np.int64)
    best_last = np.full(n, -1, dtype=np.int64)
    if n == 0:
        return PathTree(start, distance, best_last, parent_state, parent_last)
    distance[start] = 0
    # frontier[k, s]: node (s, last=k) reached at the current depth; the start
    # node has no last mover, handled as depth 0 with every mover allowed.
    frontier_states = [np.array([start])]
    frontier_last = [np.array([-1])]
    depth = 0
    while frontier_states[0].size:
        depth += 1
        fs, fl = frontier_states[0], frontier_last[0]
        new_s: list[np.ndarray] = []
        new_l: list[np.ndarray] = []
        for k in range(h):
            ok = fl != k if not allow_repeat else np.ones(fs.size, dtype=bool)
            src, src_last = fs[ok], fl[ok]
            if not src.size:
                continue
            # one representative node per source state
            src, first = np.unique(src, return_index=True)
            src_last = src_last[first]
            pos, dst = _gather_rows(moves[k], src)
            if not dst.size:
                continue
            fresh = ~visited[k, dst]
            pos, dst = pos[fresh], dst[fresh]
            dst, idx = np.unique(dst, return_index=True)
            pos = pos[idx]
            visited[k, dst] = True
            parent_state[k, dst] = src[pos]
            parent_last[k, dst] = src_last[pos]
            unseen = distance[dst] < 0
            distance[dst[unseen]] = depth
            best_last[dst[unseen]] = k
            new_s.append(dst)
            new_l.append(np.full(dst.size, k))
        frontier_states = [np.concatenate(new_s) if new_s else np.empty(0, dtype=np.int64)]
        frontier_last = [np.concatenate(new_l) if new_l else np.empty(0, dtype=np.int64)]
    return PathTree(start, distance, best_last, parent_state, parent_last)


def path_to(tree: PathTree, target: int) -> list[Step] | None:
    """The shortest path from ``tree.start`` to ``target`` as steps (None if unreachable)."""
    if tree.distance[target] < 0:
        return None
    steps: list[Step] = []
    state, last = int(target), int(tree.best_last[target])
    while last >= 0:
        prev = int(tree.parent_state[last, state])
        prev_last = int(tree.parent_last[last, state])
        steps.append(Step(last, prev, state))
        state, last = prev, prev_last
    steps.reverse()
    return steps
