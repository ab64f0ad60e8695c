"""Stability under preference uncertainty (Li, Hipel, Kilgour & Fang 2004).

Li, Hipel, Kilgour & Fang, "Preference uncertainty in the graph model for
conflict resolution", IEEE Trans. SMC-A 34(4):507-520, 2004.  Each actor's
preference between two states is strict, an indifference, or *uncertain* (the
analyst does not know it).  An actor's uncertain moves are the moves to states
whose preference against the current state is uncertain:
R_i^{+,U}(s) = {t in R_i(s) : t >_i s or t U_i s}.

The paper extends Nash, GMR, SMR and SEQ in four ways, by two questions:
does the actor move to states of uncertain preference, and is it deterred by a
sanction whose state's preference against s is uncertain?

=========  ==============================  =================================
extension  the focal actor's moves          sanctions that deter it
=========  ==============================  =================================
``a``      R_i^{+,U}(s) (UIs and uncertain)  s2 with s >=_i s2 (certainly)
``b``      R_i^{+,U}(s)                      s2 with s >=_i s2 or s2 U_i s
``c``      R_i^+(s) (UIs only)               s2 with s >=_i s2 (certainly)
``d``      R_i^+(s)                          s2 with s >=_i s2 or s2 U_i s
=========  ==============================  =================================

GMR: every such move s1 admits s2 in R_{N-i}(s1) that deters; SMR: moreover
every s3 in R_i(s2) deters too; SEQ: s2 is reached by a legal sequence of the
opponents' UIs *and uncertain moves* (R^{+,U}_{N-i}(s1)).  Hence, per actor and
concept, a ⊆ b ⊆ d and a ⊆ c ⊆ d; and when no pair is uncertain all four
reduce to the ordinary definitions.  Under ``a`` (and ``c`` for Nash, GMR and
SMR) a stable state is stable in every completion of the uncertain pairs.

Preferences are given as payoff vectors plus a symmetric boolean matrix per
actor marking the uncertain pairs (the payoffs decide every other pair).
Whole-array boolean matrix products over states; meant for models of up to a
few thousand states.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp

from crisislab.conflict.graph import ConflictGraph
from crisislab.conflict.moves import as_move_matrix
from crisislab.conflict.reachability import reachable_matrix
from crisislab.errors import input_error
from crisislab.provenance import Provenance

EXTENSIONS: tuple[str, ...] = ("a", "b", "c", "d")
CONCEPTS: tuple[str, ...] = ("nash", "gmr", "smr", "seq")


@dataclass(frozen=True, eq=False)
class UncertainStability:
    """``stable[(concept, extension)]``: bool (actors, states)."""

    graph: ConflictGraph
    stable: dict[tuple[str, str], np.ndarray]
    provenance: Provenance

    def equilibria(self, concept: str, extension: str) -> np.ndarray:
        """States stable for every actor under ``concept`` in ``extension``."""
        return np.flatnonzero(self.stable[concept, extension].all(axis=0))


def _bool(mat: Any) -> np.ndarray:
    return np.asarray(mat.toarray() if sp.issparse(mat) else mat, dtype=bool)


def _product(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Boolean matrix product: out[x, z] = any_y a[x, y] and b[y, z]."""
    return (a.astype(np.int32) @ b.astype(np.int32)) > 0


def uncertain_stability(graph: ConflictGraph, uncertain: Sequence[np.ndarray],
                        concepts: Sequence[str] = CONCEPTS,
                        extensions: Sequence[str] = EXTENSIONS) -> UncertainStability:
    """The extended stability of every state for every actor (see the module docstring).

    ``uncertain[i]``: (states, states) boolean, symmetric; True where actor i's
    preference between the two states is unknown.
    """
    n, m = graph.n_states, graph.n_actors
    if len(uncertain) != m:
        raise input_error("one uncertainty matrix per actor is needed", value=len(uncertain),
                          expected=str(m))
    unc = [np.asarray(x, dtype=bool) for x in uncertain]
    for x in unc:
        if x.shape != (n, n) or not np.array_equal(x, x.T):
            raise input_error("an uncertainty matrix must be symmetric, states x states",
                              value=x.shape, expected=f"({n}, {n}) and symmetric")
    for c in concepts:
        if c not in CONCEPTS:
            raise input_error("unknown concept", value=c, expected=", ".join(CONCEPTS))
    for e in extensions:
        if e not in EXTENSIONS:
            raise input_error("unknown extension", value=e, expected=", ".join(EXTENSIONS))
    moves = [_bool(as_move_matrix(mv, n)) for mv in graph.moves]
    u = graph.payoffs
    better = [(u[i][None, :] > u[i][:, None]) & ~unc[i] for i in range(m)]  # [s, t]: t > s
    up = [moves[i] & (better[i] | unc[i]) for i in range(m)]  # R^{+,U}
    ui = [moves[i] & better[i] for i in range(m)]  # R^+
    stable: dict[tuple[str, str], np.ndarray] = {}
    reach_cache: dict[tuple[int, bool], np.ndarray] = {}

    def reach(i: int, seq: bool) -> np.ndarray:
        """R_{N-i} (by any moves, or for SEQ by UIs and uncertain moves), states x states."""
        if (i, seq) not in reach_cache:
            others = [j for j in range(m) if j != i]
            opp = up if seq else moves
            reach_cache[i, seq] = _bool(reachable_matrix([sp.csr_array(x) for x in opp],
                                                         others)) \
                if others else np.zeros((n, n), dtype=bool)
        return reach_cache[i, seq]

    for c in concepts:
        for e in extensions:
            rows = []
            for i in range(m):
                focal = up[i] if e in ("a", "b") else ui[i]  # [s, s1]
                if c == "nash":
                    rows.append(~focal.any(axis=1))
                    continue
                # low[s2, s]: s2 deters at s (s >=_i s2 certainly, or also uncertain)
                low = (u[i][:, None] <= u[i][None, :]) & ~unc[i]
                if e in ("b", "d"):
                    low = low | unc[i]
                if c == "smr":
                    low = low & ~_product(moves[i], ~low)
                deters = _product(reach(i, c == "seq"), low)  # [s1, s]
                rows.append(~(focal & ~deters.T).any(axis=1))
            stable[c, e] = np.stack(rows) if rows else np.zeros((0, n), dtype=bool)
    return UncertainStability(graph, stable, Provenance(
        method="gmcr.preference_uncertainty",
        parameters={"concepts": list(concepts), "extensions": list(extensions),
                    "reference": "Li, Hipel, Kilgour & Fang 2004"}))
