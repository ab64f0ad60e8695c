"""GMCR stability for many preference samples at once, as whole-array computations.

Every preference sample of a scenario shares its states and moves; only the
payoffs differ.  Here the moves are edge lists built once and the payoffs are
an array (samples, actors, states), so each step of the stability definitions
(Fang, Hipel & Kilgour 1993; n-actor semantics of ``METHODS.md``) is one numpy
operation over every sample:

* a unilateral improvement (UI) is an edge whose target the mover ranks higher,
  for every sample at once (a boolean (samples, edges) array);
* "is there s2 in R_{N-i}(s1) with s >=_i s2" only needs the least value the
  opponents can reach from s1 by a legal sequence (no mover twice in a row); it
  is a fixed point of "least over one mover's edges of min(value, reach by the
  other movers)", iterated for every sample together.  GMR and SMR use every
  move, SEQ each sample's own UIs of the opponents;
* the credible paths from a starting state (the rule of
  :mod:`crisislab.conflict.status_quo`: only undeterred UIs, no mover twice in a
  row) are a breadth-first search over (state, last mover) for every sample.

The results are identical to calling :func:`crisislab.conflict.stability.analyze_stability`
and :func:`crisislab.conflict.status_quo.analyze_status_quo` once per sample
(checked in the tests against that plain loop); ``benchmarks/bench_sweep.py``
measures the difference.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from crisislab.conflict.graph import ConflictGraph
from crisislab.conflict.moves import as_move_matrix
from crisislab.errors import input_error

CONCEPTS: tuple[str, ...] = ("nash", "gmr", "smr", "seq")


@dataclass(frozen=True)
class Edges:
    """One actor's moves as an edge list sorted by source, with a by-target order."""

    src: np.ndarray
    dst: np.ndarray
    src_starts: np.ndarray  # first edge of each source that has edges
    src_rows: np.ndarray  # those sources
    by_dst: np.ndarray  # edge order sorted by target
    dst_starts: np.ndarray
    dst_rows: np.ndarray

    @staticmethod
    def of(mat: Any, n: int) -> Edges:
        """The edges of move matrix ``mat`` over ``n`` states."""
        m = as_move_matrix(mat, n)
        src = np.repeat(np.arange(n, dtype=np.int64), np.diff(m.indptr))
        dst = m.indices.astype(np.int64)
        rows = np.flatnonzero(np.diff(m.indptr))
        order = np.argsort(dst, kind="stable")
        d_sorted = dst[order]
        d_rows, d_starts = np.unique(d_sorted, return_index=True)
        return Edges(src, dst, m.indptr[rows].astype(np.int64), rows, order,
                     d_starts.astype(np.int64), d_rows.astype(np.int64))

    @property
    def size(self) -> int:
        """Number of edges."""
        return int(self.src.size)


def _by_source(values: np.ndarray, e: Edges, n: int, ufunc: np.ufunc, empty: object
               ) -> np.ndarray:
    """Per state and sample, ``ufunc`` over the values (edges, samples) of the state's
    outgoing edges.  Samples are the contiguous last axis, so each segment reduction
    runs over whole rows of samples."""
    out = np.full((n, values.shape[1]), empty, dtype=values.dtype)
    if e.size:
        out[e.src_rows] = ufunc.reduceat(values, e.src_starts, axis=0)
    return out


def _by_target(values: np.ndarray, e: Edges, n: int, ufunc: np.ufunc, empty: object
               ) -> np.ndarray:
    out = np.full((n, values.shape[1]), empty, dtype=values.dtype)
    if e.size:
        out[e.dst_rows] = ufunc.reduceat(values[e.by_dst], e.dst_starts, axis=0)
    return out


def min_over_legal_reach(edges: Sequence[Edges], active: Sequence[np.ndarray | None],
                         values: np.ndarray, n: int) -> np.ndarray:
    """Per state s1 and sample (states, samples): the least ``values`` over the states
    reachable from s1 by one or more moves of ``edges``' movers, no mover twice in a row
    (inf: none).

    ``values``: (states, samples); ``active[j]`` (edges, samples) restricts mover j's
    edges per sample (None: all)."""
    k = values.shape[1]
    f = [np.full((n, k), np.inf) for _ in edges]
    while True:
        changed = False
        for j, e in enumerate(edges):
            if not e.size:
                continue
            others = [f[q] for q in range(len(edges)) if q != j]
            via = np.minimum.reduce([values, *others]) if others else values
            cand = via[e.dst]
            mask = active[j]
            if mask is not None:
                cand = np.where(mask, cand, np.inf)
            new = np.minimum(f[j], _by_source(cand, e, n, np.minimum, np.inf))
            if not np.array_equal(new, f[j]):
                f[j] = new
                changed = True
        if not changed:
            break
    return np.minimum.reduce(f) if f else np.full((n, k), np.inf)


@dataclass(frozen=True)
class BatchStability:
    """Stability of every state for every actor in every sample.

    ``stable[c]``: (samples, actors, states); ``credible[c][i]``: (edges of i, samples),
    the UIs of actor i that ``c`` does not deter (the moves of credible paths).
    """

    edges: tuple[Edges, ...]
    stable: dict[str, np.ndarray]
    credible: dict[str, tuple[np.ndarray, ...]]

    def equilibria(self, concept: str) -> np.ndarray:
        """(samples, states): stable for every actor."""
        return np.asarray(self.stable[concept].all(axis=1), dtype=bool)


def batch_stability(graph: ConflictGraph, payoffs: np.ndarray,
                    concepts: Sequence[str] = CONCEPTS,
                    edges: Sequence[Edges] | None = None) -> BatchStability:
    """Stability under ``concepts`` for each payoff sample ``payoffs[k]`` (actors x states)."""
    for c in concepts:
        if c not in CONCEPTS:
            raise input_error("concept not available for batched stability", value=c,
                              expected=", ".join(CONCEPTS))
    pay = np.asarray(payoffs, dtype=float)
    n, m = graph.n_states, graph.n_actors
    if pay.ndim != 3 or pay.shape[1:] != (m, n):
        raise input_error("payoffs must be (samples, actors, states)", value=pay.shape,
                          expected=f"(samples, {m}, {n})")
    e = tuple(edges) if edges is not None else tuple(Edges.of(mv, n) for mv in graph.moves)
    # samples last and contiguous: (actors, states, samples)
    work = np.ascontiguousarray(np.transpose(pay, (1, 2, 0)))
    improve = [work[i][e[i].dst] > work[i][e[i].src] for i in range(m)]
    stable: dict[str, np.ndarray] = {}
    credible: dict[str, tuple[np.ndarray, ...]] = {}
    for c in concepts:
        per_actor = []
        cred = []
        for i in range(m):
            others = [j for j in range(m) if j != i]
            u = work[i]
            if c == "nash" or not others:
                deterred = np.zeros_like(improve[i])
            else:
                v = u
                if c == "smr":
                    v = np.maximum(u, _by_source(u[e[i].dst], e[i], n, np.maximum, -np.inf))
                active = [improve[j] if c == "seq" else None for j in others]
                reach = min_over_legal_reach([e[j] for j in others], active, v, n)
                deterred = reach[e[i].dst] <= u[e[i].src]
            bad = improve[i] & ~deterred
            cred.append(bad)
            per_actor.append(~_by_source(bad, e[i], n, np.logical_or, False))
        stable[c] = np.transpose(np.stack(per_actor), (2, 0, 1))  # (samples, actors, states)
        credible[c] = tuple(cred)
    return BatchStability(e, stable, credible)


def credible_ends(result: BatchStability, concept: str, start: int, n: int) -> np.ndarray:
    """(samples, states): the equilibria of ``concept`` a credible path reaches from
    ``start`` (only undeterred UIs, no mover twice in a row; the start itself counts)."""
    edges, cred = result.edges, result.credible[concept]
    m = len(edges)
    k = result.stable[concept].shape[0]
    # reached[j]: (states, samples) reached with last mover j; index m: the start
    reached = [np.zeros((n, k), dtype=bool) for _ in range(m + 1)]
    reached[m][start] = True
    while True:
        changed = False
        for j, e in enumerate(edges):
            if not e.size:
                continue
            frontier = np.logical_or.reduce([reached[q] for q in range(m + 1) if q != j])
            step = frontier[e.src] & cred[j]
            new = reached[j] | _by_target(step, e, n, np.logical_or, False)
            if not np.array_equal(new, reached[j]):
                reached[j] = new
                changed = True
        if not changed:
            break
    return np.asarray(np.logical_or.reduce(reached).T & result.equilibria(concept), dtype=bool)
