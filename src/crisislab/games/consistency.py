"""Consistent beliefs off the path of play (Kreps & Wilson 1982; Fudenberg & Tirole 1991).

At an information set the profile reaches, beliefs follow from Bayes' rule.
At one it does not reach, Bayes' rule still applies *after* the deviations
that lead there: write the path to each member node ``h`` as the multiset
``D(h)`` of zero-probability moves on it (the deviations) and the product
``pos(h)`` of every other move's probability (chance and the strategies,
including those played after the deviation).  Under any sequence of totally
mixed profiles converging to the profile,

* members with the same deviations ``D`` keep the ratio of their ``pos``
  (Bayes' rule on the strategies after the deviation), and
* a member whose deviations strictly contain another member's is infinitely
  less likely (one more tremble) and gets belief 0.

So the consistent beliefs at an unreached set are the mixtures, over the
*minimal* deviation classes, of each class's ``pos``-proportional belief —
the "most favourable belief" of a weak perfect Bayesian equilibrium is only
allowed inside that set.  :func:`sequentially_consistent` then checks the
stronger, joint condition of a sequential equilibrium: one family of
trembles ``exp(-(n·d_a + e_a))`` that produces the chosen beliefs at every
unreached set at once, found by a linear programme (a sufficient condition;
it covers every case where one tremble order per move suffices).
"""

from __future__ import annotations

import functools
from collections import Counter
from dataclasses import dataclass

import numpy as np

from crisislab.games.tree import CHANCE, GameTree

ZERO_MOVE = 1e-9
"""A move played with probability at most this counts as a deviation."""


@dataclass(frozen=True)
class DeviationPaths:
    """Per node: the sorted deviation slots on its path (None: a zero chance move) and the
    product of every other move's probability."""

    deviations: tuple[tuple[int, ...] | None, ...]
    positive: np.ndarray


def deviation_paths(tree: GameTree, b: np.ndarray, zero: float = ZERO_MOVE) -> DeviationPaths:
    """Walk the tree once (pre-order) collecting deviations and positive path weights."""
    dev: list[tuple[int, ...] | None] = [()] * tree.n_nodes
    pos = np.ones(tree.n_nodes)
    for n in range(1, tree.n_nodes):
        p = int(tree.parent[n])
        d = dev[p]
        if d is None:
            dev[n] = None
            continue
        if tree.kind[p] == CHANCE:
            pr = float(tree.edge_chance[n])
            if pr <= 0.0:
                dev[n] = None
                continue
            pos[n] = pos[p] * pr
            dev[n] = d
            continue
        slot = int(tree.edge_slot[n])
        if b[slot] <= zero:
            dev[n] = tuple(sorted((*d, slot)))
            pos[n] = pos[p]
        else:
            dev[n] = d
            pos[n] = pos[p] * float(b[slot])
    return DeviationPaths(tuple(dev), pos)


@dataclass(frozen=True)
class BeliefClasses:
    """The deviation classes of one information set.

    ``rows[c]`` is the belief over the set's members that class ``c`` induces
    (Bayes' rule within the class); ``weight[c]`` its total positive path weight;
    ``minimal[c]`` whether no other class needs strictly fewer deviations.
    """

    deviations: tuple[tuple[int, ...], ...]
    rows: np.ndarray
    weight: np.ndarray
    minimal: np.ndarray


def _strict_subset(a: tuple[int, ...], b: tuple[int, ...]) -> bool:
    ca, cb = Counter(a), Counter(b)
    return ca != cb and all(cb[k] >= v for k, v in ca.items())


def belief_classes(tree: GameTree, k: int, paths: DeviationPaths) -> BeliefClasses:
    """Group the members of information set ``k`` by their deviations."""
    members = tree.infosets[k].members
    groups: dict[tuple[int, ...], list[int]] = {}
    for j, m in enumerate(members):
        d = paths.deviations[m]
        if d is not None:
            groups.setdefault(d, []).append(j)
    keys = tuple(groups)
    rows = np.zeros((len(keys), len(members)))
    weight = np.zeros(len(keys))
    for c, key in enumerate(keys):
        idx = groups[key]
        w = paths.positive[[members[j] for j in idx]]
        weight[c] = w.sum()
        rows[c, idx] = w / w.sum() if w.sum() > 0 else 1.0 / len(idx)
    minimal = np.array([not any(_strict_subset(o, key) for o in keys) for key in keys],
                       dtype=bool)
    return BeliefClasses(keys, rows, weight, minimal)


def is_consistent_belief(classes: BeliefClasses, mu: np.ndarray, tol: float = 1e-7) -> bool:
    """True when ``mu`` is a mixture of the minimal classes' beliefs."""
    rows = classes.rows[classes.minimal]
    if len(rows) == 0:
        return False
    # classes are disjoint: a class's weight is the mass mu puts on its members
    w = np.array([mu[rows[c] > 0].sum() for c in range(len(rows))])
    return bool(np.allclose(w @ rows, mu, atol=tol))


def sequentially_consistent(tree: GameTree, paths: DeviationPaths,
                            chosen: dict[int, tuple[BeliefClasses, np.ndarray]]) -> bool:
    """Whether one tremble family yields the class weights ``chosen`` at every unreached set.

    ``chosen[k] = (classes, w)`` with ``w`` the weight put on each class of set
    ``k``.  Trembles on deviation slot ``a`` are ``exp(-(n·d_a + e_a))``: classes
    with positive weight share the smallest order ``m_k = sum d`` and their
    relative weights fix differences of ``sum e``; classes with zero weight need
    a strictly larger order.  Feasible linear programme -> consistent.
    """
    if not chosen:
        return True
    slots = sorted({a for cls, _ in chosen.values() for key in cls.deviations for a in key})
    index = {a: i for i, a in enumerate(slots)}
    n_s, sets = len(slots), list(chosen)
    n_var = 2 * n_s + len(sets)  # d, e, m
    a_eq: list[np.ndarray] = []
    b_eq: list[float] = []
    a_ub: list[np.ndarray] = []
    b_ub: list[float] = []
    for j, k in enumerate(sets):
        cls, w = chosen[k]
        ref = None
        for c, key in enumerate(cls.deviations):
            row = np.zeros(n_var)
            for a in key:
                row[index[a]] += 1.0
            if w[c] > 1e-12:
                eq = row.copy()
                eq[2 * n_s + j] = -1.0
                a_eq.append(eq)
                b_eq.append(0.0)
                erow = np.zeros(n_var)
                for a in key:
                    erow[n_s + index[a]] += 1.0
                target = float(np.log(cls.weight[c] / w[c])) if cls.weight[c] > 0 else 0.0
                if ref is None:
                    ref = (erow, target)
                else:
                    a_eq.append(erow - ref[0])
                    b_eq.append(target - ref[1])
            else:
                ub = -row
                ub[2 * n_s + j] = 1.0
                a_ub.append(ub)
                b_ub.append(-1.0)
    ub_rows = np.array(a_ub).reshape(len(a_ub), n_var)
    eq_rows = np.array(a_eq).reshape(len(a_eq), n_var)
    return _feasible(n_s, len(sets), ub_rows.tobytes(), np.array(b_ub, dtype=float).tobytes(),
                     eq_rows.tobytes(), np.array(b_eq, dtype=float).tobytes())


@functools.lru_cache(maxsize=4096)
def _feasible(n_s: int, n_sets: int, a_ub: bytes, b_ub: bytes, a_eq: bytes, b_eq: bytes
              ) -> bool:
    """Whether the tremble LP of :func:`sequentially_consistent` is feasible, remembered
    by its exact coefficients (bytes): a sweep asks the same question for many
    parameter settings (the LP depends on the profile and the tree's shape, and on
    the numbers only through class weights), and the same LP has the same answer."""
    n_var = 2 * n_s + n_sets
    ub = np.frombuffer(a_ub).reshape(-1, n_var)
    eq = np.frombuffer(a_eq).reshape(-1, n_var)
    bub, beq = np.frombuffer(b_ub).tolist(), np.frombuffer(b_eq).tolist()
    bounds = [(1.0, None)] * n_s + [(None, None)] * n_s + [(None, None)] * n_sets
    from scipy.optimize import linprog  # here: half a second to import

    res = linprog(np.zeros(n_var), A_ub=ub if len(ub) else None, b_ub=bub if bub else None,
                  A_eq=eq if len(eq) else None, b_eq=beq if beq else None, bounds=bounds,
                  method="highs")
    return bool(res.status == 0)
