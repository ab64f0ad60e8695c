"""Stability under probabilistic preferences (Rêgo & dos Santos 2015).

Rêgo & dos Santos, "Probabilistic preferences in the graph model for conflict
resolution", IEEE Trans. SMC: Systems 45(4):595-608, 2015.  Each actor i
states, for every pair of states, the probability P_i(a, b) that it prefers a
to b.  The reading the authors give: an actor is one of several
"representatives", each with an ordinary preference and a probability of
being the one that decides, and P_i(a, b) is the total probability of those
that rank a above b.  That is exactly what a scenario's probabilistic
statements describe: every choice of the statements is a representative with
the product of its statements' probabilities (:func:`preference_probabilities`).

The paper's four stability notions, by their published names and parameters:
alpha-Nash, (alpha, beta)-GMR, (alpha, beta)-SMR and (alpha, beta, gamma)-SEQ.
The conditions computed here (``METHODS``-style, s a state, i the focal actor):

* an *alpha-improvement* of i from s is a move s -> s1 of i with
  P_i(s1, s) > alpha;
* a state s2 *sanctions* i at s when P_i(s2, s) <= beta (i prefers s2 to s with
  probability at most beta);
* alpha-Nash: i has no alpha-improvement from s;
* (alpha, beta)-GMR: for every alpha-improvement s1 the other actors can reach,
  by a legal sequence of their moves (no actor twice in a row), a state s2 that
  sanctions i at s;
* (alpha, beta)-SMR: as GMR, and moreover every state s3 that i can move to from
  s2 sanctions i at s too;
* (alpha, beta, gamma)-SEQ: as GMR, but the others move only by their own
  gamma-improvements (a move t -> u of actor j with P_j(u, t) > gamma).

With certain preferences (every P_i 0 or 1) and alpha, beta, gamma in [0, 1)
these are Nash, GMR, SMR and SEQ (Fang, Hipel & Kilgour 1993).  Raising alpha
(fewer moves count as improvements) or beta (more states count as sanctions)
never removes a stable state; raising gamma (fewer credible sanctioning moves)
never adds one to SEQ.

Whole-array boolean matrix products over states, like
:mod:`crisislab.uncertainty.li2004`; meant for models of up to a few thousand
states.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from crisislab.conflict.graph import ConflictGraph
from crisislab.conflict.moves import as_move_matrix
from crisislab.conflict.reachability import reachable_matrix
from crisislab.errors import input_error
from crisislab.provenance import Provenance

CONCEPTS: tuple[str, ...] = ("nash", "gmr", "smr", "seq")
NAMES = {"nash": "alpha-Nash", "gmr": "(alpha, beta)-GMR", "smr": "(alpha, beta)-SMR",
         "seq": "(alpha, beta, gamma)-SEQ"}
REFERENCE = "Rêgo & dos Santos 2015"
TOLERANCE = 1e-9


@dataclass(frozen=True, eq=False)
class ProbabilisticStability:
    """``stable[concept]``: bool (actors, states) at the thresholds alpha, beta, gamma."""

    graph: ConflictGraph
    alpha: float
    beta: float
    gamma: float
    stable: dict[str, np.ndarray]
    provenance: Provenance

    def equilibria(self, concept: str) -> np.ndarray:
        """States stable for every actor under ``concept``."""
        return np.flatnonzero(self.stable[concept].all(axis=0))


def preference_probabilities(payoffs: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """P[i, a, b]: the total weight of the preference samples in which actor i ranks a
    strictly above b (``payoffs``: (samples, actors, states); ``weights``: (samples,),
    summing to 1).  Accumulated sample by sample, so memory stays actors x states^2."""
    pay = np.asarray(payoffs, dtype=float)
    w = np.asarray(weights, dtype=float)
    if pay.ndim != 3 or w.shape != (pay.shape[0],):
        raise input_error("payoffs must be (samples, actors, states) with one weight per "
                          "sample", value=(pay.shape, w.shape),
                          expected="(k, m, n) and (k,)")
    out = np.zeros((pay.shape[1], pay.shape[2], pay.shape[2]))
    for k in range(pay.shape[0]):
        out += w[k] * (pay[k][:, :, None] > pay[k][:, None, :])
    return out


def _check_level(name: str, value: float) -> float:
    v = float(value)
    if not 0.0 <= v <= 1.0:
        raise input_error(f"{name} is a probability threshold", value=value,
                          expected="a number in [0, 1]")
    return v


def _product(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Boolean matrix product: out[x, z] = any_y a[x, y] and b[y, z]."""
    return (a.astype(np.int32) @ b.astype(np.int32)) > 0


def probabilistic_stability(graph: ConflictGraph,
                            probabilities: Sequence[np.ndarray] | np.ndarray,
                            alpha: float, beta: float, gamma: float,
                            concepts: Iterable[str] = CONCEPTS) -> ProbabilisticStability:
    """The stability of every state for every actor (see the module docstring).

    ``probabilities[i][a, b]``: the probability that actor i prefers state a to state b
    (states x states, entries in [0, 1], P(a, b) + P(b, a) <= 1); the graph's own
    payoffs are not used.
    """
    n, m = graph.n_states, graph.n_actors
    a_, b_, g_ = (_check_level(k, v) for k, v in
                  (("alpha", alpha), ("beta", beta), ("gamma", gamma)))
    prob = [np.asarray(p, dtype=float) for p in probabilities]
    if len(prob) != m:
        raise input_error("one probability matrix per actor is needed", value=len(prob),
                          expected=str(m))
    for i, p in enumerate(prob):
        if p.shape != (n, n):
            raise input_error("a preference probability matrix is states x states",
                              value=p.shape, expected=f"({n}, {n})")
        if (p < -TOLERANCE).any() or (p > 1 + TOLERANCE).any() \
                or (p + p.T > 1 + TOLERANCE).any():
            raise input_error(f"{graph.actors[i]}'s preference probabilities are not "
                              "probabilities", value=graph.actors[i],
                              expected="entries in [0, 1] with P(a, b) + P(b, a) <= 1")
    wanted = list(dict.fromkeys(concepts))
    for c in wanted:
        if c not in CONCEPTS:
            raise input_error("unknown concept", value=c, expected=", ".join(CONCEPTS))
    moves = [np.asarray(as_move_matrix(mv, n).toarray(), dtype=bool) for mv in graph.moves]
    # improve[i][s, t]: a move of i from s to t it prefers with probability above alpha
    improve = [moves[i] & np.greater(prob[i].T, a_ + TOLERANCE) for i in range(m)]
    credible = [moves[i] & np.greater(prob[i].T, g_ + TOLERANCE) for i in range(m)]
    reach_cache: dict[tuple[int, bool], np.ndarray] = {}

    def reach(i: int, seq: bool) -> np.ndarray:
        """R_{N-i} by any moves, or (SEQ) by the others' gamma-improvements."""
        if (i, seq) not in reach_cache:
            others = [j for j in range(m) if j != i]
            opp = credible if seq else moves
            reach_cache[i, seq] = np.asarray(
                reachable_matrix([sp.csr_array(x) for x in opp], others).toarray(),
                dtype=bool) if others else np.zeros((n, n), dtype=bool)
        return reach_cache[i, seq]

    stable: dict[str, np.ndarray] = {}
    for c in wanted:
        rows = []
        for i in range(m):
            focal = improve[i]  # [s, s1]
            if c == "nash":
                rows.append(~focal.any(axis=1))
                continue
            sanction = prob[i] <= b_ + TOLERANCE  # [s2, s]: P_i(s2, s) <= beta
            if c == "smr":
                sanction = sanction & ~_product(moves[i], ~sanction)
            deters = _product(reach(i, c == "seq"), sanction)  # [s1, s]
            rows.append(~(focal & ~deters.T).any(axis=1))
        stable[c] = np.stack(rows) if rows else np.zeros((0, n), dtype=bool)
    return ProbabilisticStability(graph, a_, b_, g_, stable, Provenance(
        method="gmcr.probabilistic_preferences",
        parameters={"concepts": wanted, "alpha": a_, "beta": b_, "gamma": g_,
                    "reference": REFERENCE}))
