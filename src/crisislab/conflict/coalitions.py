"""Coalition analysis for the graph model.

Non-cooperative stability asks whether one decision maker (DM) would leave a
state.  Coalition analysis (Kilgour, Hipel, Fang & Peng 2001, *Group Decision
and Negotiation* 10; Inohara & Hipel 2008, *Systems Engineering* 11) asks
whether a *group* H of DMs, moving jointly, can reach a state every member
prefers — a **coalitional improvement** — and whether such a joint move is
deterred by the DMs outside the group.

Definitions used here (all states at once, whole-array work):

- ``R_H(s)``: states reachable from s by a *legal sequence* of moves by members
  of H (one or more moves, no member twice in a row, a member may move again
  later), computed as reachability over (state, last mover) pairs.
- ``R⁺⁺_H(s)``: coalitional improvements, ``t ∈ R_H(s)`` with ``t ≻_k s`` for
  every member k.  The members' intermediate moves need not be improvements.
- A sanction against H is a state ``u`` the complement ``N − H`` reaches from
  the improvement (by legal sequences of any moves for CGMR/CSMR, of
  unilateral improvements for CSEQ).  Two **sanction rules** are offered and
  every result names the one it used:

  * ``"any_member"`` — the sanction deters if it hurts *at least one* member
    (``s ≿_k u`` for some k ∈ H): the coalition falls apart as soon as one
    member no longer gains (Inohara & Hipel 2008);
  * ``"all_members"`` — it deters only if it hurts *every* member
    (``s ≿_k u`` for all k ∈ H): a cohesive coalition.

- CSMR adds that the coalition cannot escape the sanction: every state it can
  reach from ``u`` must still deter.

For a single DM (|H| = 1) the coalition concepts are exactly Nash, GMR, SMR
and SEQ with legal-sequence sanctions, which this module also uses for the
per-DM concepts of :mod:`crisislab.conflict.foresight` and
:mod:`crisislab.conflict.inverse`.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import scipy.sparse as sp

from crisislab.conflict.graph import ConflictGraph
from crisislab.conflict.moves import improvement_moves
from crisislab.conflict.reachability import find_sequence, reachable_matrix
from crisislab.errors import input_error
from crisislab.provenance import Provenance

Concept = Literal["nash", "gmr", "smr", "seq"]
SanctionRule = Literal["any_member", "all_members"]
SequenceMode = Literal["legal", "single_move"]

CONCEPTS: tuple[str, ...] = ("nash", "gmr", "smr", "seq")
SANCTION_RULES: tuple[str, ...] = ("any_member", "all_members")
SEQUENCE_MODES: tuple[str, ...] = ("legal", "single_move")


# --------------------------------------------------------------------------- moves


def improving_moves(graph: ConflictGraph, actor: int) -> sp.csr_array:
    """Moves of ``actor`` that are unilateral improvements for it."""
    return improvement_moves(graph)[actor]


def legal_reach(graph: ConflictGraph, movers: Sequence[int], *, improving: bool = False,
                mode: SequenceMode = "legal") -> sp.csr_array:
    """States reachable from every state by moves of ``movers``.

    Row s of the result holds ``R_H(s)`` (or ``R⁺_H(s)`` with ``improving``):
    one or more moves, no mover twice in a row.  ``mode="single_move"`` is the
    compatibility mode of tools that let only one opponent move once.  The
    start state itself is included when a sequence returns to it.
    """
    if mode not in SEQUENCE_MODES:
        raise input_error(f"unknown sequence mode {mode!r}", value=mode,
                          expected=" or ".join(SEQUENCE_MODES))
    moves = improvement_moves(graph) if improving else graph.moves
    return reachable_matrix(moves, list(movers), "single" if mode == "single_move" else "legal")


def legal_path(graph: ConflictGraph, movers: Sequence[int], source: int, target: int, *,
               improving: bool = False) -> list[tuple[str, int]] | None:
    """A shortest legal sequence ``[(actor id, state reached), ...]`` from source to target."""
    steps = find_sequence(graph.moves, list(movers), source, target, "legal",
                          payoffs=graph.payoffs if improving else None)
    if steps is None:
        return None
    return [(graph.actors[st.actor], int(st.target)) for st in steps]


def _check_coalition(graph: ConflictGraph, coalition: Iterable[str | int]) -> tuple[int, ...]:
    out: list[int] = []
    for c in coalition:
        if isinstance(c, str):
            if c not in graph.actors:
                raise input_error(f"unknown decision maker {c!r}", value=c,
                                  expected="one of " + ", ".join(graph.actors))
            out.append(graph.actor_index(c))
        else:
            if not 0 <= int(c) < graph.n_actors:
                raise input_error(f"decision maker index {c} out of range", value=c)
            out.append(int(c))
    if not out:
        raise input_error("a coalition needs at least one decision maker", value=list(coalition))
    return tuple(sorted(set(out)))


def coalition_improvement_matrix(graph: ConflictGraph, members: Sequence[int],
                                 reach: sp.csr_array | None = None) -> np.ndarray:
    """Dense bool (n, n): ``[s, t]`` true when t is a coalitional improvement from s."""
    if reach is None:
        reach = legal_reach(graph, members)
    dense = reach.toarray()
    better = np.ones_like(dense)
    for k in members:
        pay = graph.payoffs[k]
        better &= pay[None, :] > pay[:, None]
    return dense & better


def coalition_improvements_from(graph: ConflictGraph, members: Sequence[int],
                                rows: np.ndarray) -> np.ndarray:
    """Dense bool (len(rows), n): the rows of :func:`coalition_improvement_matrix` for the
    states ``rows`` only, so asking about a few states costs a few rows, not n x n."""
    reach = reachable_matrix(graph.moves, list(members), "legal", rows=rows)
    dense = reach.toarray()
    better = np.ones_like(dense, dtype=bool)
    for k in members:
        pay = graph.payoffs[k]
        better &= pay[None, :] > pay[rows][:, None]
    return dense.astype(bool) & better


def _deters(graph: ConflictGraph, members: Sequence[int], rule: SanctionRule) -> np.ndarray:
    """Dense bool (n, n): ``[s, u]`` true when u deters the coalition's departure from s."""
    per = [graph.payoffs[k][None, :] <= graph.payoffs[k][:, None] for k in members]
    if rule == "any_member":
        return np.logical_or.reduce(per)
    if rule == "all_members":
        return np.logical_and.reduce(per)
    raise input_error(f"unknown sanction rule {rule!r}", value=rule,
                      expected=" or ".join(SANCTION_RULES))


def _exists_via(left: np.ndarray, right: sp.csr_array) -> np.ndarray:
    """``out[s, t] = any_u left[s, u] and right[t, u]`` for dense left, sparse right."""
    prod = right.astype(np.float32) @ left.T.astype(np.float32)  # (t, s)
    return np.asarray(prod).T > 0


def coalition_stability(graph: ConflictGraph, coalition: Iterable[str | int], concept: Concept, *,
                        rule: SanctionRule = "any_member",
                        mode: SequenceMode = "legal") -> np.ndarray:
    """Bool vector: for every state, is it stable for the coalition under ``concept``.

    With a single member this is individual Nash / GMR / SMR / SEQ stability.
    """
    members = _check_coalition(graph, coalition)
    if concept not in CONCEPTS:
        raise input_error(f"unknown stability concept {concept!r}", value=concept,
                          expected=" or ".join(CONCEPTS))
    own_reach = legal_reach(graph, members, mode=mode)
    improvements = coalition_improvement_matrix(graph, members, own_reach)
    if concept == "nash":
        return np.asarray(~improvements.any(axis=1))
    others = [a for a in range(graph.n_actors) if a not in members]
    sanction_reach = legal_reach(graph, others, improving=(concept == "seq"), mode=mode)
    deters = _deters(graph, members, rule)
    if concept == "smr":
        # u deters robustly if it deters and no state the coalition reaches from u escapes.
        escapes = _exists_via(~deters, own_reach)  # [s, u]: some u' in R_H(u) not deterring
        deters = deters & ~escapes
    covered = _exists_via(deters, sanction_reach)  # [s, t]: some u in R_{N-H}(t) deters
    return np.asarray(~(improvements & ~covered).any(axis=1))


def individual_stability(graph: ConflictGraph, concept: Concept, *,
                         mode: SequenceMode = "legal") -> np.ndarray:
    """Bool array (n_actors, n_states) of individual stability under ``concept``."""
    return np.stack([coalition_stability(graph, [i], concept, mode=mode)
                     for i in range(graph.n_actors)])


# --------------------------------------------------------------------------- analysis


@dataclass(frozen=True)
class CoalitionalImprovement:
    """A joint move by ``coalition`` from ``source`` to ``target`` that every member prefers."""

    coalition: tuple[str, ...]
    source: int
    target: int
    path: tuple[tuple[str, int], ...]
    gains: dict[str, tuple[float, float]]  # member -> (payoff at source, payoff at target)

    def describe(self, graph: ConflictGraph) -> str:
        name = _state_name(graph, self.source), _state_name(graph, self.target)
        steps = "; ".join(f"{a} moves to {_state_name(graph, s)}" for a, s in self.path)
        return (f"{' and '.join(self.coalition)} can move jointly from {name[0]} to {name[1]}, "
                f"which every member prefers ({steps}).")

    def to_dict(self) -> dict[str, Any]:
        return {"coalition": list(self.coalition), "source": self.source, "target": self.target,
                "path": [{"actor": a, "state": s} for a, s in self.path],
                "gains": {k: list(v) for k, v in sorted(self.gains.items())}}


def _state_name(graph: ConflictGraph, s: int) -> str:
    if graph.names is not None:
        return f"state {s + 1} ({graph.names[s]})"
    return f"state {s + 1} (code {int(graph.codes[s])})"


@dataclass(frozen=True)
class CoalitionAnalysis:
    """Coalitional improvements and coalition stability from chosen states."""

    states: tuple[int, ...]
    coalitions: tuple[tuple[str, ...], ...]
    rule: str
    improvements: tuple[CoalitionalImprovement, ...]
    # concept -> coalition -> stability of each analysed state
    stability: dict[str, dict[tuple[str, ...], tuple[bool, ...]]]
    provenance: Provenance = field(compare=False)

    def improvable(self, state: int) -> list[CoalitionalImprovement]:
        return [c for c in self.improvements if c.source == state]

    def to_dict(self) -> dict[str, Any]:
        return {
            "states": list(self.states),
            "coalitions": [list(c) for c in self.coalitions],
            "sanction_rule": self.rule,
            "improvements": [c.to_dict() for c in self.improvements],
            "stability": {concept: {"+".join(c): list(v) for c, v in table.items()}
                          for concept, table in self.stability.items()},
            "provenance": self.provenance.model_dump(),
        }

    def to_pandas(self) -> Any:
        import pandas as pd

        rows = []
        for concept, table in self.stability.items():
            for coal, flags in table.items():
                for s, ok in zip(self.states, flags, strict=True):
                    rows.append({"concept": concept, "coalition": "+".join(coal),
                                 "state": s + 1, "stable": ok, "sanction_rule": self.rule})
        return pd.DataFrame(rows)


def all_coalitions(actors: Sequence[str], min_size: int = 2,
                   max_size: int | None = None) -> list[tuple[str, ...]]:
    """Every coalition of ``min_size``..``max_size`` actors, in declared order."""
    top = len(actors) if max_size is None else min(max_size, len(actors))
    return [c for k in range(min_size, top + 1) for c in itertools.combinations(actors, k)]


def coalition_analysis(graph: ConflictGraph, states: Iterable[int], *,
                       coalitions: Iterable[Iterable[str]] | None = None,
                       concepts: Sequence[str] = CONCEPTS,
                       rule: SanctionRule = "any_member",
                       mode: SequenceMode = "legal",
                       lens: str | None = None) -> CoalitionAnalysis:
    """Coalitional improvements from ``states`` (typically the non-cooperative equilibria)
    and coalition stability of those states under each concept, for every coalition of
    two or more DMs unless ``coalitions`` is given.  States are 0-based indices.
    """
    state_list = tuple(sorted({int(s) for s in states}))
    for s in state_list:
        if not 0 <= s < graph.n_states:
            raise input_error(f"state index {s} out of range", value=s,
                              expected=f"0..{graph.n_states - 1}")
    coal_list = (all_coalitions(graph.actors) if coalitions is None
                 else [tuple(graph.actors[i] for i in _check_coalition(graph, c))
                       for c in coalitions])
    improvements: list[CoalitionalImprovement] = []
    stability: dict[str, dict[tuple[str, ...], tuple[bool, ...]]] = {c: {} for c in concepts}
    idx = np.asarray(state_list, dtype=int)
    for coal in coal_list:
        members = [graph.actor_index(a) for a in coal]
        impr = coalition_improvements_from(graph, members, idx)
        for row, s in enumerate(state_list):
            for t in np.flatnonzero(impr[row]):
                path = legal_path(graph, members, s, int(t))
                assert path is not None
                improvements.append(CoalitionalImprovement(
                    coal, s, int(t), tuple(path),
                    {graph.actors[k]: (float(graph.payoffs[k, s]), float(graph.payoffs[k, t]))
                     for k in members}))
        for concept in concepts:
            flags = coalition_stability(graph, members, concept,  # type: ignore[arg-type]
                                        rule=rule, mode=mode)
            stability[concept][coal] = tuple(bool(x) for x in flags[idx])
    prov = Provenance(method="gmcr.coalitions",
                      parameters={"states": list(state_list), "sanction_rule": rule,
                                  "sequences": mode, "concepts": list(concepts),
                                  "coalitions": [list(c) for c in coal_list]},
                      lens=lens)
    return CoalitionAnalysis(state_list, tuple(coal_list), rule, tuple(improvements),
                             stability, prov)


def pair_improvements(graph: ConflictGraph, states: Iterable[int]) -> list[CoalitionalImprovement]:
    """Answer "can any pair of actors, acting together, move the crisis from these states to
    an outcome both prefer?": every coalitional improvement of every two-actor coalition,
    with a shortest legal sequence of moves for each.  An empty list means no.
    """
    return list(coalition_analysis(graph, states, coalitions=all_coalitions(graph.actors, 2, 2),
                                   concepts=()).improvements)
