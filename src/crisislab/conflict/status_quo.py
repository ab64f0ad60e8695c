"""Status quo analysis: which equilibria can the conflict reach from today?

From the status quo, every equilibrium of a chosen concept that a sequence of
unilateral improvements (or, optionally, of any unilateral moves) reaches,
with a shortest such path to each.  The search is one breadth-first search
over (state, last mover) nodes with no depth cap; it answers the question of
the reachability matrices of Xu, Kilgour, Hipel & Kemkes (2010, EJOR 207)
without building them, and follows their convention that the sequence is
*legal*: no DM moves twice in a row (``allow_repeat=False``).  Setting
``allow_repeat=True`` drops that restriction.

Two rules for which moves a path may take (``rule``):

``credible`` (the status quo analysis of Li, Hipel, Kilgour & Fang 2004,
    "Preference uncertainty in the graph model for conflict resolution" /
    status quo analysis in GMCR II): an actor moves away from a state only if
    that state is unstable for it under the chosen concept, and only by a
    unilateral improvement that the concept's sanction check does *not* deter
    (an improvement whose sanction endpoint is -1 in the stability result).
    Every step of such a path is therefore a move the same stability result
    calls undeterred, and a path ends at states stable for every actor.
``improvements`` any unilateral improvement, deterred or not (plain
    reachability, as in Xu, Kilgour, Hipel & Kemkes 2010); kept as an option.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import scipy.sparse as sp

from crisislab.conflict.concepts import Concept, SanctionMode
from crisislab.conflict.graph import ConflictGraph
from crisislab.conflict.moves import as_move_matrix, improvement_moves
from crisislab.conflict.reachability import Step, path_to, shortest_legal_paths
from crisislab.conflict.stability import StabilityResult, analyze_stability
from crisislab.errors import input_error
from crisislab.provenance import Provenance, canonical_json

PathRule = Literal["credible", "improvements"]
PATH_RULES: tuple[str, ...] = ("credible", "improvements")


def credible_moves(stability: StabilityResult, concept: str) -> tuple[sp.csr_array, ...]:
    """Per actor, the unilateral improvements that ``concept`` does not deter.

    An improvement from s is undeterred exactly when its stored sanction
    endpoint is -1; a state is unstable for the actor exactly when it has one,
    so these are the moves away from the states that are unstable for their mover.
    The improvements are stored sorted by source, so each matrix is built directly
    in compressed form.
    """
    n = stability.graph.n_states
    out = []
    for i, (src, dst) in enumerate(stability.improvements):
        keep = np.asarray(stability.sanctions[concept][i]) < 0
        rows, cols = src[keep].astype(np.int64), dst[keep].astype(np.int64)
        order = np.lexsort((cols, rows))
        rows, cols = rows[order], cols[order]
        indptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(rows, minlength=n), out=indptr[1:])
        mat = sp.csr_array((np.ones(rows.size, dtype=bool), cols, indptr), shape=(n, n))
        mat.has_sorted_indices = True
        mat.has_canonical_format = True
        out.append(mat)
    return tuple(out)


@dataclass(frozen=True, eq=False)
class StatusQuoResult:
    """Equilibria reachable from the status quo, with a shortest path to each.

    ``distance[s]`` is the fewest moves from the status quo to s (-1 when
    unreachable); ``paths`` maps each reachable equilibrium (state index) to
    its steps; states are 0-based here and 1-based ordinal ids in JSON.
    """

    graph: ConflictGraph
    status_quo: int
    concept: str
    improvements_only: bool
    allow_repeat: bool
    distance: np.ndarray
    equilibria: tuple[int, ...]
    reachable_equilibria: tuple[int, ...]
    paths: dict[int, tuple[Step, ...]]
    provenance: Provenance

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data; states by ordinal id."""
        return {
            "provenance": self.provenance.model_dump(),
            "status_quo": self.status_quo + 1,
            "concept": self.concept,
            "improvements_only": self.improvements_only,
            "allow_repeat": self.allow_repeat,
            "equilibria": [e + 1 for e in self.equilibria],
            "reachable_equilibria": [e + 1 for e in self.reachable_equilibria],
            "paths": {str(e + 1): [{"actor": self.graph.actors[s.actor], "from": s.source + 1,
                                    "to": s.target + 1} for s in self.paths[e]]
                      for e in self.reachable_equilibria},
            "distance": [int(d) if d >= 0 else None for d in self.distance],
        }

    def to_json(self) -> str:
        """Deterministic JSON of :meth:`to_dict`."""
        return canonical_json(self.to_dict())

    def __repr__(self) -> str:
        reached = ", ".join(f"s{e + 1}" for e in self.reachable_equilibria) or "none"
        return (f"<StatusQuoResult from s{self.status_quo + 1} ({self.concept}): "
                f"reaches {reached} of {len(self.equilibria)} equilibria>")

    def _repr_html_(self) -> str:
        from crisislab.display import html

        return html(self)

    def to_pandas(self) -> Any:
        """One row per equilibrium: reachable, number of moves, path as text."""
        import pandas as pd

        rows = []
        for e in self.equilibria:
            steps = self.paths.get(e)
            rows.append({
                "equilibrium": e + 1, "code": int(self.graph.codes[e]),
                "reachable": steps is not None,
                "moves": len(steps) if steps is not None else None,
                "path": " -> ".join([str(self.status_quo + 1)]
                                    + [f"{self.graph.actors[s.actor]}:{s.target + 1}"
                                       for s in steps]) if steps is not None else None,
            })
        return pd.DataFrame(rows, columns=["equilibrium", "code", "reachable", "moves", "path"])


def analyze_status_quo(graph: ConflictGraph, status_quo: int, concept: Concept = "seq",
                       stability: StabilityResult | None = None,
                       equilibria: Sequence[int] | None = None,
                       improvements_only: bool = True, allow_repeat: bool = False,
                       mode: SanctionMode = "legal", lens: str | None = None,
                       scenario: str | None = None,
                       rule: str | None = None,
                       moves: tuple[sp.csr_array, ...] | None = None) -> StatusQuoResult:
    """Equilibria of ``concept`` reachable from ``status_quo`` (a state index).

    Equilibria come from ``equilibria`` if given, else from ``stability`` (a
    result that includes ``concept``), else from a fresh stability analysis.
    ``rule="credible"`` moves only by undeterred improvements (see the module
    docstring; needs ``stability``, or computes it); ``"improvements"`` or None
    follows ``improvements_only``.  ``moves`` (per actor) are the moves to search
    when the caller already has them (e.g. :func:`credible_moves` shared by many starts).
    """
    if rule is not None and rule not in PATH_RULES:
        raise input_error("unknown path rule", value=rule, expected=" or ".join(PATH_RULES))
    n = graph.n_states
    if not 0 <= int(status_quo) < n:
        raise input_error("status quo is not a state of the model", value=int(status_quo) + 1,
                          expected=f"a state id between 1 and {n}")
    if (equilibria is None or rule == "credible") and \
            (stability is None or concept not in stability.stable):
        stability = analyze_stability(graph, (concept,), mode=mode)
    if equilibria is None:
        assert stability is not None
        eq = [int(e) for e in stability.equilibria(concept)]
    else:
        eq = sorted({int(e) for e in equilibria})
    if moves is not None:
        pass
    elif rule == "credible":
        assert stability is not None
        moves = credible_moves(stability, concept)
        improvements_only = True
    else:
        moves = (improvement_moves(graph) if improvements_only
                 else tuple(as_move_matrix(m, n) for m in graph.moves))
    tree = shortest_legal_paths(moves, int(status_quo), allow_repeat=allow_repeat)
    paths: dict[int, tuple[Step, ...]] = {}
    for e in eq:
        steps = path_to(tree, e)
        if steps is not None:
            paths[e] = tuple(steps)
    params = {"concept": concept, "status_quo": int(status_quo) + 1,
              "improvements_only": improvements_only, "allow_repeat": allow_repeat,
              "mode": mode, "rule": rule or "improvements"}
    return StatusQuoResult(graph, int(status_quo), concept, improvements_only, allow_repeat,
                           tree.distance, tuple(eq), tuple(sorted(paths)), paths,
                           Provenance(method="gmcr.status_quo", parameters=params, lens=lens,
                                      scenario=scenario))
