"""Stability when actors move in blocs: the kernel of coalition and coalition-structure analysis.

A *bloc* is a set of actors that moves as one.  It has one move relation (for a
coalition H in the sense of Kilgour, Hipel, Fang & Peng 2001 and Inohara &
Hipel 2008: R_H, the states its members reach by legal sequences; for a bloc of
a coalition structure: the joint moves over the union of its members' options)
and it improves by a move only when its members agree:

``strict`` (default)
    every member strictly prefers the target (the coalitional improvement of
    the literature);
``weak``
    every member likes the target at least as well and one strictly prefers it.

A bloc's move from s is deterred by a state u its opponents reach from the
target when u hurts the bloc (``rule``): ``any_member`` — some member likes u no
better than s, so the bloc falls apart (Inohara & Hipel 2008); ``all_members`` —
every member likes u no better than s (a cohesive bloc).  The opponents are
the other blocs, sanctioning by sequences of their own bloc moves in the chosen
sanctioning mode; under SEQ each such move is an improvement of its bloc.

How it is computed.  With one member, or with ``any_member`` under Nash, GMR
and SEQ, deterrence decomposes over the members: "some u in R(t) with
u <=_k s" only needs the least rank of member k over R(t), which one
min-propagation (:func:`crisislab.conflict.reachability.min_over_reach`, the
kernel of the stability engine) gives for every t at once.  Otherwise (SMR of a
bloc of two or more, or ``all_members``) the question is a dominance test over
states and is answered on explicit (improvement, sanction) pairs, whole-array,
after a size estimate that refuses up front what would not fit.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import scipy.sparse as sp

from crisislab.conflict.concepts import BasicConcept, SanctionMode, check_mode
from crisislab.conflict.graph import ConflictGraph
from crisislab.conflict.moves import actor_option_moves, as_move_matrix
from crisislab.conflict.option_groups import _move_bits
from crisislab.conflict.reachability import (
    INF,
    dense_ranks,
    min_over_reach,
    reach_sets,
    row_max,
    state_keys,
)
from crisislab.errors import input_error

Improvement = Literal["strict", "weak"]
SanctionRule = Literal["any_member", "all_members"]
IMPROVEMENTS: tuple[Improvement, ...] = ("strict", "weak")
SANCTION_RULES: tuple[SanctionRule, ...] = ("any_member", "all_members")

#: Ceiling on explicit (improvement, sanction) pairs and on reachable pairs of a
#: joint closure; about 16 bytes each at the ceiling.
DEFAULT_MAX_PAIRS = 60_000_000

ProgressCallback = Callable[[float, str], None]


def check_rule(rule: str) -> SanctionRule:
    """``rule`` if it names a sanction rule; an input error otherwise."""
    if rule not in SANCTION_RULES:
        raise input_error(f"unknown sanction rule {rule!r}", value=rule,
                          expected=" or ".join(SANCTION_RULES))
    return rule


def check_improvement(improvement: str) -> Improvement:
    """``improvement`` if it names an improvement rule; an input error otherwise."""
    if improvement not in IMPROVEMENTS:
        raise input_error(f"unknown improvement variant {improvement!r}", value=improvement,
                          expected=" or ".join(IMPROVEMENTS))
    return improvement


# --------------------------------------------------------------------------- joint moves


def option_masks(graph: ConflictGraph, k: int) -> tuple[int, int] | None:
    """(once, drop-only) option masks of actor k if its moves are exactly its option
    relation (inferred from the moves, as the stability engine's layouts do), else None."""
    if graph.owner_masks is None:
        return None
    owner = int(graph.owner_masks[k])
    mat = as_move_matrix(graph.moves[k], graph.n_states)
    if owner == 0:
        return (0, 0) if mat.nnz == 0 else None
    codes = graph.codes.astype(np.int64)
    cleared, set_, leaves = _move_bits(codes, owner, mat)
    if leaves:
        return None
    once, drop = owner & ~cleared, owner & ~set_
    rebuilt = actor_option_moves(codes, owner, once, drop)
    if not np.array_equal(np.diff(rebuilt.indptr), np.diff(mat.indptr)):
        return None
    return once, drop


def walk_closure(mat: sp.csr_array, max_entries: int = DEFAULT_MAX_PAIRS) -> sp.csr_array:
    """States reachable from each state by a walk of one or more moves of ``mat``.

    Strongly connected components, then one bitset per component filled in
    reverse topological order of the condensation (whole-row ORs), so the cost is
    one pass over the components, not a search per state.
    """
    # here: scipy.sparse.csgraph loads scipy.linalg, a third of a second of start-up
    from scipy.sparse.csgraph import connected_components

    n = mat.shape[0]
    if n == 0:
        return sp.csr_array((0, 0), dtype=bool)
    n_comp, label = connected_components(mat, directed=True, connection="strong")
    size = np.bincount(label, minlength=n_comp)
    rows = np.repeat(np.arange(n), np.diff(mat.indptr))
    cs, cd = label[rows], label[mat.indices]
    cross = cs != cd
    edges = np.unique(cs[cross].astype(np.int64) * n_comp + cd[cross])
    esrc, edst = edges // n_comp, edges % n_comp
    # estimate: every state may reach every state of its weak component
    _, weak = connected_components(mat, directed=True, connection="weak")
    wsize = np.bincount(weak)
    estimate = int(np.sum(wsize.astype(np.int64) ** 2))
    if estimate > max_entries:
        raise input_error(
            f"joint moves would be searched over {estimate:,} (state, state) pairs",
            value=estimate, expected=f"at most {max_entries:,}; use a smaller coalition")
    idx = np.arange(n)
    members = np.zeros((n_comp, (n + 7) // 8), dtype=np.uint8)
    np.bitwise_or.at(members, (label, idx // 8), (1 << (7 - idx % 8)).astype(np.uint8))
    reach = np.zeros((n_comp, members.shape[1]), dtype=np.uint8)
    cyclic = size > 1
    reach[cyclic] = members[cyclic]
    # topological order of the condensation (Kahn), then fill in reverse
    order = _topological(n_comp, esrc, edst)
    succ_ptr = np.searchsorted(esrc, np.arange(n_comp + 1))
    for c in order[::-1]:
        lo, hi = succ_ptr[c], succ_ptr[c + 1]
        if hi > lo:
            d = edst[lo:hi]
            reach[c] |= np.bitwise_or.reduce(members[d] | reach[d], axis=0)
    dense = np.unpackbits(reach[label], axis=1, count=n)
    idx_t = np.int32 if n * n < np.iinfo(np.int32).max else np.int64
    indptr = np.zeros(n + 1, dtype=idx_t)
    np.cumsum(dense.sum(axis=1, dtype=np.int64), out=indptr[1:])
    indices = (np.flatnonzero(dense) % n).astype(idx_t)
    del dense
    out = sp.csr_array((np.ones(indices.size, dtype=bool), indices, indptr), shape=(n, n))
    out.has_sorted_indices = True
    out.has_canonical_format = True
    return out


def _topological(n: int, src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    indeg = np.bincount(dst, minlength=n)
    succ_ptr = np.searchsorted(src, np.arange(n + 1))
    order = np.empty(n, dtype=np.int64)
    frontier = np.flatnonzero(indeg == 0)
    pos = 0
    while frontier.size:
        order[pos:pos + frontier.size] = frontier
        pos += frontier.size
        starts, ends = succ_ptr[frontier], succ_ptr[frontier + 1]
        lens = ends - starts
        if not lens.sum():
            break
        flat = np.repeat(starts - np.concatenate([[0], np.cumsum(lens)[:-1]]), lens) \
            + np.arange(int(lens.sum()))
        targets = dst[flat]
        np.subtract.at(indeg, targets, 1)
        frontier = np.unique(targets[indeg[targets] == 0])
    return order[:pos]


def joint_reach(graph: ConflictGraph, members: Sequence[int], mode: SanctionMode = "legal",
                max_entries: int = DEFAULT_MAX_PAIRS) -> sp.csr_array:
    """R_H for every state: what the members reach by sequences of their moves in ``mode``.

    In option form, when every member's moves are exactly its option relation, two
    consecutive moves by one member are one move of that member, so legal sequences
    reach what any walk reaches (a walk may also return to its start, which no
    stability question counts): the closure is computed by :func:`walk_closure`.
    """
    check_mode(mode)
    ms = list(dict.fromkeys(int(k) for k in members))
    n = graph.n_states
    if len(ms) == 1:
        return as_move_matrix(graph.moves[ms[0]], n)
    if mode == "legal" and graph.owner_masks is not None \
            and all(option_masks(graph, k) is not None for k in ms):
        union = as_move_matrix(graph.moves[ms[0]], n)
        for k in ms[1:]:
            union = sp.csr_array(union + as_move_matrix(graph.moves[k], n))
        return walk_closure(union, max_entries)
    return reach_sets(graph.moves, ms, np.arange(n), mode, max_entries)


def joint_moves(graph: ConflictGraph, members: Sequence[int],
                max_entries: int = DEFAULT_MAX_PAIRS) -> tuple[sp.csr_array, str]:
    """One move of a bloc that moves as one actor, and how it was built.

    Option form: the bloc owns the union of its members' options, with their
    reversibility, and one move changes any of them at once (``"joint options"``).
    Graph form (no options to unite): one move is a legal sequence of its members'
    moves, R_H (``"legal sequences"``).
    """
    ms = list(dict.fromkeys(int(k) for k in members))
    n = graph.n_states
    if len(ms) == 1:
        return as_move_matrix(graph.moves[ms[0]], n), "own moves"
    masks = [option_masks(graph, k) for k in ms]
    if graph.owner_masks is not None and all(m is not None for m in masks):
        owner = once = drop = 0
        for k, m in zip(ms, masks, strict=True):
            assert m is not None
            owner |= int(graph.owner_masks[k])
            once |= m[0]
            drop |= m[1]
        return actor_option_moves(graph.codes, owner, once, drop), "joint options"
    return joint_reach(graph, ms, "legal", max_entries), "legal sequences"


def improvement_edges(mat: sp.csr_array, ranks: Sequence[np.ndarray],
                      improvement: Improvement = "strict") -> tuple[np.ndarray, np.ndarray]:
    """(from, to) of the moves of ``mat`` that improve a bloc whose members have ``ranks``."""
    n = mat.shape[0]
    idx = np.int32 if n < np.iinfo(np.int32).max else np.int64
    src = np.repeat(np.arange(n, dtype=idx), np.diff(mat.indptr))
    dst = mat.indices.astype(idx, copy=False)
    rs = [np.asarray(r, dtype=idx) for r in ranks]
    keep = rs[0][dst] > rs[0][src] if improvement == "strict" else rs[0][dst] >= rs[0][src]
    for r in rs[1:]:
        keep &= r[dst] > r[src] if improvement == "strict" else r[dst] >= r[src]
    if improvement == "weak":
        some = np.zeros(src.size, dtype=bool)
        for r in rs:
            some |= r[dst] > r[src]
        keep &= some
    return src[keep].astype(np.int64), dst[keep].astype(np.int64)


def _csr(src: np.ndarray, dst: np.ndarray, n: int) -> sp.csr_array:
    return sp.csr_array((np.ones(src.size, dtype=bool), (src, dst)), shape=(n, n))


# --------------------------------------------------------------------------- system


@dataclass(eq=False)
class BlocSystem:
    """A conflict seen as blocs: their move relations and (cached) improvements."""

    graph: ConflictGraph
    blocs: tuple[tuple[int, ...], ...]
    moves: tuple[sp.csr_array, ...]
    improvement: Improvement = "strict"
    ranks: tuple[np.ndarray, ...] = field(default=())
    _edges: dict[int, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)
    _ui: dict[int, sp.csr_array] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.ranks:
            self.ranks = tuple(dense_ranks(self.graph.payoffs[i])
                               for i in range(self.graph.n_actors))

    def edges(self, b: int) -> tuple[np.ndarray, np.ndarray]:
        """The bloc's improvements as (from, to) arrays sorted by from-state."""
        if b not in self._edges:
            self._edges[b] = improvement_edges(self.moves[b],
                                               [self.ranks[k] for k in self.blocs[b]],
                                               self.improvement)
        return self._edges[b]

    def ui_matrix(self, b: int) -> sp.csr_array:
        """Bloc ``b``'s improvements as a sparse matrix (built on first use)."""
        if b not in self._ui:
            self._ui[b] = _csr(*self.edges(b), self.graph.n_states)
        return self._ui[b]


def _deters(ranks: Sequence[np.ndarray], s: np.ndarray, u: np.ndarray,
            rule: SanctionRule) -> np.ndarray:
    out: np.ndarray = np.asarray(ranks[0][u] <= ranks[0][s])
    for r in ranks[1:]:
        if rule == "any_member":
            out |= r[u] <= r[s]
        else:
            out &= r[u] <= r[s]
    return out


def _gather(mat: sp.csr_array, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(position in ``rows``, column) of every stored entry of the given rows."""
    starts = mat.indptr[rows].astype(np.int64)
    lens = mat.indptr[rows + 1].astype(np.int64) - starts
    total = int(lens.sum())
    pos = np.repeat(np.arange(rows.size), lens)
    flat = np.arange(total, dtype=np.int64) + np.repeat(starts - (np.cumsum(lens) - lens), lens)
    return pos, mat.indices[flat].astype(np.int64)


def bloc_stability(system: BlocSystem, focal: int, concept: BasicConcept, *,
                   mode: SanctionMode = "legal", rule: SanctionRule = "any_member",
                   max_pairs: int = DEFAULT_MAX_PAIRS) -> np.ndarray:
    """Bool per state: is it stable for bloc ``focal`` under ``concept``?"""
    src, _dst, deterred = bloc_deterred(system, focal, concept, mode=mode, rule=rule,
                                        max_pairs=max_pairs)
    stable = np.ones(system.graph.n_states, dtype=bool)
    stable[src[~deterred]] = False
    return stable


def credible_bloc_moves(system: BlocSystem, focal: int, concept: BasicConcept, *,
                        mode: SanctionMode = "legal", rule: SanctionRule = "any_member",
                        max_pairs: int = DEFAULT_MAX_PAIRS) -> sp.csr_array:
    """Bloc ``focal``'s improvements that ``concept`` does not deter, as a move matrix.

    These are the moves a credible path lets the bloc take (the bloc analogue of
    :func:`crisislab.conflict.status_quo.credible_moves`): a state is unstable for
    the bloc exactly when it has one, so a path through them ends at states stable
    for every bloc."""
    src, dst, deterred = bloc_deterred(system, focal, concept, mode=mode, rule=rule,
                                       max_pairs=max_pairs)
    return _csr(src[~deterred], dst[~deterred], system.graph.n_states)


def bloc_deterred(system: BlocSystem, focal: int, concept: BasicConcept, *,
                  mode: SanctionMode = "legal", rule: SanctionRule = "any_member",
                  max_pairs: int = DEFAULT_MAX_PAIRS
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Bloc ``focal``'s improvements (from, to) and, per improvement, whether a sanction
    deters it under ``concept`` (never under Nash)."""
    graph = system.graph
    n = graph.n_states
    src, dst = system.edges(focal)
    if concept == "nash" or src.size == 0:
        return src, dst, np.zeros(src.size, dtype=bool)
    members = system.blocs[focal]
    ranks = [system.ranks[k] for k in members]
    opponents = [b for b in range(len(system.blocs)) if b != focal]
    if not opponents:  # nobody to sanction: every improvement pays
        return src, dst, np.zeros(src.size, dtype=bool)
    mats = [system.ui_matrix(b) if concept == "seq" else system.moves[b] for b in opponents]
    if len(members) == 1 or (rule == "any_member" and concept != "smr"):
        deterred = np.zeros(src.size, dtype=bool)
        own = system.moves[focal]
        for r in ranks:
            values = np.maximum(r, row_max(own, r, empty=-1)) if concept == "smr" else r
            reach = min_over_reach(mats, range(len(mats)), state_keys(values), mode)
            least = np.where(reach != INF, reach // n, n)
            deterred |= least[dst] <= r[src]
    elif rule == "any_member" and concept == "smr":
        # an SMR sanction is a GMR sanction: only GMR-deterred improvements need the pairs
        gmr = np.zeros(src.size, dtype=bool)
        for r in ranks:
            reach = min_over_reach(mats, range(len(mats)), state_keys(r), mode)
            least = np.where(reach != INF, reach // n, n)
            gmr |= least[dst] <= r[src]
        cand = np.flatnonzero(gmr)
        deterred = np.zeros(src.size, dtype=bool)
        if cand.size:
            deterred[cand] = _deterred_by_pairs(system, focal, src[cand], dst[cand], mats,
                                                concept, mode, rule, max_pairs)
    else:
        deterred = _deterred_by_pairs(system, focal, src, dst, mats, concept, mode, rule,
                                      max_pairs)
    return src, dst, deterred


def _deterred_by_pairs(system: BlocSystem, focal: int, src: np.ndarray, dst: np.ndarray,
                       mats: Sequence[sp.csr_array], concept: str, mode: SanctionMode,
                       rule: SanctionRule, max_pairs: int) -> np.ndarray:
    ranks = [system.ranks[k] for k in system.blocs[focal]]
    targets, inv = np.unique(dst, return_inverse=True)
    reach = reach_sets(mats, range(len(mats)), targets, mode, max_entries=max_pairs)
    lens = np.diff(reach.indptr)[inv].astype(np.int64)
    total = int(lens.sum())
    if total > max_pairs:
        raise input_error(
            f"{total:,} (improvement, sanction) pairs to examine for "
            f"{'+'.join(system.graph.actors[k] for k in system.blocs[focal])}",
            value=total, expected=f"at most {max_pairs:,}")
    ui, u = _gather(reach, inv.astype(np.int64))
    s = src[ui]
    ok = _deters(ranks, s, u, rule)
    if concept == "smr":
        keep = np.flatnonzero(ok)
        ok[keep] = _robust(system, focal, s[keep], u[keep], rule)
    return np.bincount(ui[ok], minlength=src.size) > 0


def _robust(system: BlocSystem, focal: int, s: np.ndarray, u: np.ndarray,
            rule: SanctionRule) -> np.ndarray:
    """Per (s, u) pair: does every state of C(u) = {u} and the bloc's moves from u deter?

    ``all_members``: x deters iff it is no better than s for every member, so C(u) deters
    iff each member's best rank over C(u) is no better than at s (one row maximum per
    member).  ``any_member``: x fails to deter iff every member strictly prefers it, a
    dominance test; states with the same C(u) form one class (found by hashing the rows),
    each class keeps only its Pareto-maximal rank vectors, and each (s, class) pair is
    tested once against them.
    """
    graph = system.graph
    n = graph.n_states
    ranks = [system.ranks[k] for k in system.blocs[focal]]
    own = system.moves[focal]
    if rule == "all_members":
        ok = np.ones(s.size, dtype=bool)
        for r in ranks:
            best = np.maximum(r, row_max(own, r, empty=-1))
            ok &= best[u] <= r[s]
        return ok
    closed = sp.csr_array(own + sp.identity(n, dtype=bool, format="csr"), dtype=bool)
    closed.sort_indices()
    z = np.random.default_rng(20080101).integers(1, 1 << 62, size=(2, n), dtype=np.int64)
    starts = closed.indptr[:-1].astype(np.intp)
    h = np.stack([np.add.reduceat(z[j][closed.indices].astype(np.uint64), starts)
                  for j in range(2)], axis=1)
    _, first, cls = np.unique(h, axis=0, return_index=True, return_inverse=True)
    cls = cls.reshape(-1)
    rank_mat = np.stack(ranks, axis=1).astype(np.int32)  # (n, members)
    n_cls = first.size
    pair_key = s.astype(np.int64) * n_cls + cls[u]
    keys, inv = np.unique(pair_key, return_inverse=True)
    q_s, q_c = keys // n_cls, keys % n_cls
    dominated = np.zeros(keys.size, dtype=bool)
    # keys are sorted by s, not class: order the queries by class once
    order = np.argsort(q_c, kind="stable")
    bounds = np.searchsorted(q_c[order], np.arange(n_cls + 1))
    for c in np.flatnonzero(np.diff(bounds)):
        lo, hi = closed.indptr[first[c]], closed.indptr[first[c] + 1]
        front = _pareto_max(rank_mat[closed.indices[lo:hi]])
        qs = order[bounds[c]:bounds[c + 1]]
        step = max(1, (1 << 22) // max(front.shape[0] * front.shape[1], 1))
        for a in range(0, qs.size, step):
            chunk = qs[a:a + step]
            better = (front[None, :, :] > rank_mat[q_s[chunk]][:, None, :]).all(axis=2)
            dominated[chunk] = better.any(axis=1)
    return ~dominated[inv.reshape(-1)]


def _pareto_max(points: np.ndarray) -> np.ndarray:
    """The rows not weakly dominated by another row (one copy of equal rows)."""
    pts = np.unique(points, axis=0)
    if pts.shape[0] <= 1:
        return pts
    keep = np.ones(pts.shape[0], dtype=bool)
    step = max(1, (1 << 22) // pts.shape[0])
    for a in range(0, pts.shape[0], step):
        blk = pts[a:a + step]
        ge: np.ndarray = np.all(pts[None, :, :] >= blk[:, None, :], axis=2)
        ge[np.arange(blk.shape[0]), np.arange(a, a + blk.shape[0])] = False
        keep[a:a + step] = ~ge.any(axis=1)
    return pts[keep]
