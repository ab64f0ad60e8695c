"""SEQ equilibria in inverse analysis by clauses over the varied actor's pairwise order.

Inverse analysis with ``equilibrium`` asks for the orderings of actor i under
which a state s is stable for i *and* for every other actor.  Under SEQ another
actor j is deterred only by sanctions that are improvements for their movers, so
a sanction through a move a → b of i counts only when i prefers b to a: j's
stability depends on i's pairwise order, not only on the set B of states i ranks
above s.  Enumerating i's n! orderings answers that for small models; this module
answers it for larger ones without enumerating orderings.

Variables.  One Boolean per pair of the *involved* states V (s, the states in i's
own stability clauses, and both ends of every move of i that can lie on a sanction
against a dependent actor): ``o(a, b)`` for a < b, true iff i prefers b to a.
Transitivity clauses over every triple of V make every model a strict order of V.

Clauses.
- i's own SEQ stability: for each forbidden set F of
  :func:`crisislab.conflict.inverse._forbidden_sets`, not every t in F above s.
- each dependent actor j, each improvement s → t1 of j: some state u with
  u ≤_j s is reached from t1 by a sanctioning sequence of the others' moves
  (in the chosen mode), where i's move a → b is usable only if ``o`` says i
  prefers b to a.  Reachability is unrolled over steps: ``r[d, x]`` ("node x
  reached within d moves", a node being a state with the sequence's history:
  the last mover under ``legal``, the movers used under ``each_once``) implies
  ``r[d-1, x]`` or some predecessor reached at d − 1 whose move is usable.  Every
  true ``r`` is therefore supported by a real sequence (induction on d), and a
  real sequence sets them all: with d up to the number of nodes (a shortest
  sequence never repeats a node) the clauses hold exactly when a sanction exists.

Counting.  The models are enumerated projected on the pairs the clauses read
(blocking clauses, pysat).  Every strict ordering of the n states agrees with
exactly one projected model, so the count is the sum over models of the number of
strict orders of V consistent with the model's pairs (linear extensions, by a
dynamic programme over subsets of V, hence the limit on |V|) times n!/|V|! for the
states outside V, which no clause reads.  Exact when the enumeration finishes
within ``limit`` models, otherwise a lower bound, which the result says.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from crisislab.conflict.concepts import SanctionMode
from crisislab.conflict.graph import ConflictGraph
from crisislab.conflict.moves import as_move_matrix, improvement_moves
from crisislab.conflict.reachability import dense_ranks

#: The linear-extension count runs over subsets of the involved states: at most this many.
SEQ_CLAUSE_MAX_STATES = 18

Node = tuple[int, int]  # (state, history: last mover or movers used)


@dataclass(frozen=True)
class ClauseCount:
    """Strict orderings of the varied actor found by the clause method."""

    count: int
    exact: bool
    models: int
    involved: tuple[int, ...]
    never_above: tuple[int, ...] | None  # states in ``candidates`` never above s (exact only)
    samples: tuple[tuple[int, ...], ...]  # strict orderings, best first


def _row(mat: sp.csr_array, r: int) -> np.ndarray:
    return np.asarray(mat.indices[mat.indptr[r]:mat.indptr[r + 1]], dtype=np.int64)


def _start(mode: SanctionMode) -> int:
    return 0 if mode == "each_once" else -1


def _may(mode: SanctionMode, hist: int, k: int) -> bool:
    if mode == "legal":
        return hist != k
    if mode == "each_once":
        return not (hist >> k) & 1
    return hist == -1  # single: one move


def _after(mode: SanctionMode, hist: int, k: int) -> int:
    return hist | (1 << k) if mode == "each_once" else k


@dataclass
class _Sanction:
    """The open graph (every move of the varied actor usable) of sanctions from one target."""

    nodes: list[Node]
    dist: list[int]
    preds: list[list[tuple[int, tuple[int, int] | None]]]  # node -> (pred, gated move or None)
    goals: list[int]


def _sanction_graph(mats: Sequence[sp.csr_array], gated: int, start: int,
                    good: np.ndarray, mode: SanctionMode) -> _Sanction:
    """Nodes reachable from ``start`` by sanctioning sequences of ``mats`` (mover ``gated``'s
    moves counted whatever it prefers), breadth first."""
    first = (start, _start(mode))
    index = {first: 0}
    nodes, dist = [first], [0]
    preds: list[list[tuple[int, tuple[int, int] | None]]] = [[]]
    k = 0
    while k < len(nodes):
        v, hist = nodes[k]
        for m, mat in enumerate(mats):
            if not _may(mode, hist, m):
                continue
            for w in _row(mat, v).tolist():
                node = (int(w), _after(mode, hist, m))
                if node not in index:
                    index[node] = len(nodes)
                    nodes.append(node)
                    dist.append(dist[k] + 1)
                    preds.append([])
                preds[index[node]].append((k, (v, int(w)) if m == gated else None))
        k += 1
    goals = [x for x in range(1, len(nodes)) if good[nodes[x][0]]]
    return _Sanction(nodes, dist, preds, goals)


class _CNF:
    """Variables and clauses; the order variables first."""

    def __init__(self, involved: Sequence[int]) -> None:
        self.order: dict[tuple[int, int], int] = {}
        for x, a in enumerate(involved):
            for b in involved[x + 1:]:
                self.order[(a, b)] = len(self.order) + 1
        self.top = len(self.order)
        self.clauses: list[list[int]] = []

    def new(self) -> int:
        self.top += 1
        return self.top

    def above(self, a: int, b: int) -> int:
        """Literal: the varied actor prefers a to b."""
        return self.order[(b, a)] if b < a else -self.order[(a, b)]


def involved_states(graph: ConflictGraph, state: int, actor: int,
                    forbidden: Sequence[frozenset[int]], dependent: Sequence[int],
                    mode: SanctionMode) -> tuple[int, ...]:
    """The states the clauses read: s, the states of i's own clauses, and both ends of every
    move of i on a sanctioning sequence against a dependent actor (cheap: one search of the
    open graph per improvement of each dependent actor)."""
    out = {state, *(t for f in forbidden for t in f)}
    for _j, _t, sanction in _sanctions(graph, state, actor, dependent, mode):
        for pl in sanction.preds:
            for _p, move in pl:
                if move is not None:
                    out.update(move)
    return tuple(sorted(out))


def _sanctions(graph: ConflictGraph, state: int, actor: int, dependent: Sequence[int],
               mode: SanctionMode) -> list[tuple[int, int, _Sanction]]:
    ui = improvement_moves(graph)
    own = as_move_matrix(graph.moves[actor], graph.n_states)
    out = []
    for j in dependent:
        rank = dense_ranks(graph.payoffs[j])
        good = rank <= rank[state]
        movers = [k for k in range(graph.n_actors) if k != j]
        mats = [own if k == actor else ui[k] for k in movers]
        for t in _row(ui[j], state).tolist():
            out.append((j, int(t), _sanction_graph(mats, movers.index(actor), int(t), good,
                                                   mode)))
    return out


def _encode_sanction(cnf: _CNF, sanction: _Sanction) -> set[int]:
    """Clauses: some goal node reached.  Returns the gate variables (order pairs) read."""
    read: set[int] = set()
    n_nodes = len(sanction.nodes)
    depth = n_nodes - 1
    if not sanction.goals:
        cnf.clauses.append([])
        return read
    # r[x] per layer; None = false (not reachable in so few moves); 0 = true (the start)
    prev: list[int | None] = [0] + [None] * (n_nodes - 1)
    for d in range(1, depth + 1):
        cur: list[int | None] = [0] + [None] * (n_nodes - 1)
        for x in range(1, n_nodes):
            if sanction.dist[x] > d:
                continue
            lits: list[int] = []
            always = False
            if prev[x] == 0:
                always = True
            elif (rx := prev[x]) is not None:
                lits.append(rx)
            for p, move in sanction.preds[x]:
                if always:
                    break
                rp = prev[p]
                if rp is None:
                    continue
                gate = cnf.above(move[1], move[0]) if move is not None else None
                if gate is not None:
                    read.add(abs(gate))
                if rp == 0 and gate is None:
                    always = True
                elif rp == 0:
                    assert gate is not None
                    lits.append(gate)
                elif gate is None:
                    lits.append(rp)
                else:
                    z = cnf.new()
                    cnf.clauses += [[-z, rp], [-z, gate]]
                    lits.append(z)
            if always:
                cur[x] = 0
                continue
            r = cnf.new()
            cnf.clauses.append([-r, *lits])
            cur[x] = r
        prev = cur
    goal = [g for g in (prev[x] for x in sanction.goals) if g is not None]
    if 0 in goal:
        return read
    cnf.clauses.append(goal)
    return read


def _extensions(involved: Sequence[int], pairs: Sequence[tuple[int, int]]) -> int:
    """Strict orders of ``involved`` in which each (low, high) of ``pairs`` holds."""
    m = len(involved)
    pos = {v: x for x, v in enumerate(involved)}
    below = [0] * m
    for lo, hi in pairs:
        below[pos[hi]] |= 1 << pos[lo]
    size = 1 << m
    f = np.zeros(size, dtype=np.int64)  # m <= SEQ_CLAUSE_MAX_STATES: m! fits in int64
    f[0] = 1
    layers, members = _layers(m)
    for k in range(1, m + 1):
        layer = layers[k]
        total = np.zeros(layer.size, dtype=np.int64)
        for v in range(m):
            ok = members[k][v] & ((layer & below[v]) == below[v])
            total[ok] += f[layer[ok] ^ (1 << v)]
        f[layer] = total
    return int(f[size - 1])


@functools.lru_cache(maxsize=4)
def _layers(m: int) -> tuple[list[np.ndarray], list[list[np.ndarray]]]:
    """The subsets of m items by size, and per size and item which subsets hold it (shared
    by every model of one count)."""
    subsets = np.arange(1 << m, dtype=np.int64)
    popcount = np.zeros(1 << m, dtype=np.int64)
    for b in range(m):
        popcount += (subsets >> b) & 1
    order = np.argsort(popcount, kind="stable")
    bounds = np.searchsorted(popcount[order], np.arange(m + 2))
    layers = [order[bounds[k]:bounds[k + 1]] for k in range(m + 1)]
    members = [[((layer >> v) & 1).astype(bool) for v in range(m)] for layer in layers]
    return layers, members


def _order_of(involved: Sequence[int], pairs: Sequence[tuple[int, int]], n: int,
              rng: np.random.Generator) -> tuple[int, ...]:
    """One strict ordering of all n states (best first) agreeing with ``pairs``: a random
    topological order of the involved states, the others inserted at random places."""
    rest = {v: {lo for lo, hi in pairs if hi == v} for v in involved}
    placed: list[int] = []  # worst first
    left = set(involved)
    while left:
        ready = sorted(v for v in left if rest[v] <= set(placed))
        v = ready[int(rng.integers(len(ready)))]
        placed.append(v)
        left.discard(v)
    order = placed[::-1]
    for t in rng.permutation([t for t in range(n) if t not in set(involved)]).tolist():
        order.insert(int(rng.integers(len(order) + 1)), int(t))
    return tuple(order)


def count_by_clauses(graph: ConflictGraph, state: int, actor: int,
                     forbidden: Sequence[frozenset[int]], dependent: Sequence[int],
                     candidates: Sequence[int], mode: SanctionMode, limit: int,
                     samples: int, rng: np.random.Generator) -> ClauseCount:
    """Strict orderings of ``actor`` under which ``state`` is SEQ-stable for it (the
    ``forbidden`` sets) and for every ``dependent`` actor (see the module doc).  The caller
    checks the number of involved states against :data:`SEQ_CLAUSE_MAX_STATES` first
    (:func:`involved_states`)."""
    from pysat.solvers import Solver

    n = graph.n_states
    sanctions = _sanctions(graph, state, actor, dependent, mode)
    involved = involved_states(graph, state, actor, forbidden, dependent, mode)
    cnf = _CNF(involved)
    for x, a in enumerate(involved):
        for y in range(x + 1, len(involved)):
            for c in involved[y + 1:]:
                b = involved[y]
                ab, bc, ac = cnf.order[(a, b)], cnf.order[(b, c)], cnf.order[(a, c)]
                cnf.clauses += [[-ab, -bc, ac], [ab, bc, -ac]]
    read = {abs(cnf.above(t, state)) for f in forbidden for t in f}
    for f in forbidden:
        cnf.clauses.append([-cnf.above(t, state) for t in f])
    for _j, _t, sanction in sanctions:
        read |= _encode_sanction(cnf, sanction)
    project = sorted(read)
    pair_of = {v: ab for ab, v in cnf.order.items()}
    per_rest = math.factorial(n) // math.factorial(len(involved))
    total = 0
    models: list[list[tuple[int, int]]] = []
    seen_above: set[int] = set()
    exact = True
    if any(not c for c in cnf.clauses):
        return ClauseCount(0, True, 0, involved, tuple(candidates), ())
    with Solver(name="g4", bootstrap_with=cnf.clauses) as solver:
        while solver.solve():
            if len(models) >= limit:
                exact = False
                break
            model = solver.get_model()
            assert model is not None
            value = {abs(lit): lit > 0 for lit in model}
            pairs = [(a, b) if value.get(v, False) else (b, a)
                     for v in project for a, b in [pair_of[v]]]
            models.append(pairs)
            total += _extensions(involved, pairs) * per_rest
            seen_above.update(t for t in candidates
                              if abs(cnf.above(t, state)) in value
                              and (state, t) in pairs)
            if not project:
                break
            solver.add_clause([-v if value.get(v, False) else v for v in project])
    drawn: list[tuple[int, ...]] = []
    if models and samples > 0:
        for r in rng.choice(len(models), size=min(samples, len(models)), replace=False):
            drawn.append(_order_of(involved, models[int(r)], n, rng))
    never = tuple(t for t in candidates if t not in seen_above) if exact else None
    return ClauseCount(total, exact, len(models), involved, never, tuple(drawn))
