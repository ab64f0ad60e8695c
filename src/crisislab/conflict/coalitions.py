"""Coalition analysis for the graph model.

Non-cooperative stability asks whether one actor would leave a state.
Coalition analysis (Kilgour, Hipel, Fang & Peng 2001, *Group Decision and
Negotiation* 10; Inohara & Hipel 2008, *Systems Engineering* 11) asks whether a
*group* H of actors, moving jointly, can reach a state every member prefers — a
**coalitional improvement** — and whether such a joint move is deterred by the
actors outside the group.

Definitions used here (all states at once):

- ``R_H(s)``: states reachable from s by a *legal sequence* of moves by members
  of H (one or more moves, no member twice in a row, a member may move again
  later).
- ``R⁺⁺_H(s)``: coalitional improvements, ``t ∈ R_H(s)`` with ``t ≻_k s`` for
  every member k.  The members' intermediate moves need not be improvements.
- A sanction against H is a state ``u`` the complement ``N − H`` reaches from
  the improvement (by legal sequences of any moves for GMR/SMR, of unilateral
  improvements for SEQ).  Two **sanction rules** are offered and every result
  names the one it used: ``"any_member"`` — the sanction deters if it hurts at
  least one member (``s ≿_k u`` for some k ∈ H; Inohara & Hipel 2008);
  ``"all_members"`` — only if it hurts every member (a cohesive coalition).
- SMR adds that the coalition cannot escape the sanction: every state it can
  reach from ``u`` must still deter.

For a single actor (|H| = 1) these are exactly Nash, GMR, SMR and SEQ.  The
computation is the bloc kernel of :mod:`crisislab.conflict.blocs` (the coalition
is one bloc moving by R_H, every other actor a bloc of one), which in turn runs
on the min-propagation of :mod:`crisislab.conflict.reachability` shared with the
stability engine.  Coalition *structures* (a partition of all actors into
blocs) are in :mod:`crisislab.conflict.coalition_structure`.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp

from crisislab.conflict.blocs import (
    DEFAULT_MAX_PAIRS,
    SANCTION_RULES,
    BlocSystem,
    ProgressCallback,
    SanctionRule,
    bloc_stability,
    check_rule,
    joint_reach,
)
from crisislab.conflict.concepts import (
    BASIC_CONCEPTS,
    BasicConcept,
    SanctionMode,
    check_basic_concept,
    check_mode,
)
from crisislab.conflict.graph import ConflictGraph
from crisislab.conflict.moves import improvement_moves
from crisislab.conflict.reachability import find_sequence, reachable_matrix
from crisislab.errors import input_error
from crisislab.provenance import Provenance

CONCEPTS: tuple[BasicConcept, ...] = BASIC_CONCEPTS

__all__ = ["CONCEPTS", "SANCTION_RULES", "CoalitionAnalysis", "CoalitionalImprovement",
           "SanctionRule", "all_coalitions", "coalition_analysis", "coalition_stability",
           "individual_stability", "legal_reach", "pair_improvements"]


# --------------------------------------------------------------------------- moves


def improving_moves(graph: ConflictGraph, actor: int) -> sp.csr_array:
    """Moves of ``actor`` that are unilateral improvements for it."""
    return improvement_moves(graph)[actor]


def legal_reach(graph: ConflictGraph, movers: Sequence[int], *, improving: bool = False,
                mode: SanctionMode = "legal") -> sp.csr_array:
    """States reachable from every state by moves of ``movers`` in ``mode``.

    Row s of the result holds ``R_H(s)`` (or ``R⁺_H(s)`` with ``improving``).  The
    start state itself is included when a sequence returns to it.
    """
    check_mode(mode)
    moves = improvement_moves(graph) if improving else graph.moves
    return reachable_matrix(moves, list(movers), mode)


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
    items = list(coalition)
    for c in items:
        if isinstance(c, str):
            if c not in graph.actors:
                raise input_error(f"unknown actor {c!r}", value=c,
                                  expected="one of " + ", ".join(graph.actors))
            out.append(graph.actor_index(c))
        else:
            if not 0 <= int(c) < graph.n_actors:
                raise input_error(f"actor index {c} out of range", value=c,
                                  expected=f"0..{graph.n_actors - 1}")
            out.append(int(c))
    if not out:
        raise input_error("a coalition needs at least one actor", value=items)
    return tuple(sorted(set(out)))


def coalition_system(graph: ConflictGraph, members: Sequence[int],
                     mode: SanctionMode = "legal",
                     max_pairs: int = DEFAULT_MAX_PAIRS) -> BlocSystem:
    """The coalition as one bloc moving by R_H, every other actor a bloc of one (bloc 0 is H)."""
    ms = tuple(sorted(set(int(k) for k in members)))
    others = [(a,) for a in range(graph.n_actors) if a not in ms]
    moves = [joint_reach(graph, ms, mode, max_pairs)] + [graph.moves[a[0]] for a in others]
    return BlocSystem(graph, (ms, *others), tuple(moves))


def coalitional_improvements(graph: ConflictGraph, members: Sequence[int],
                             mode: SanctionMode = "legal") -> tuple[np.ndarray, np.ndarray]:
    """(from, to) of every coalitional improvement of the coalition: t in R_H(s) that every
    member strictly prefers to s."""
    return coalition_system(graph, members, mode).edges(0)


def coalition_stability(graph: ConflictGraph, coalition: Iterable[str | int],
                        concept: BasicConcept, *, rule: SanctionRule = "any_member",
                        mode: SanctionMode = "legal",
                        max_pairs: int = DEFAULT_MAX_PAIRS) -> np.ndarray:
    """Bool vector: for every state, is it stable for the coalition under ``concept``.

    With a single member this is individual Nash / GMR / SMR / SEQ stability.
    """
    members = _check_coalition(graph, coalition)
    check_basic_concept(concept)
    check_rule(rule)
    check_mode(mode)
    system = coalition_system(graph, members, mode, max_pairs)
    return bloc_stability(system, 0, concept, mode=mode, rule=rule, max_pairs=max_pairs)


def coalition_stabilities(graph: ConflictGraph, coalitions: Iterable[Iterable[str | int]],
                          concepts: Sequence[BasicConcept] = CONCEPTS, *,
                          rule: SanctionRule = "any_member", mode: SanctionMode = "legal",
                          progress: ProgressCallback | None = None,
                          max_pairs: int = DEFAULT_MAX_PAIRS
                          ) -> dict[str, dict[tuple[str, ...], np.ndarray]]:
    """Stability of every state for each coalition under each concept:
    ``out[concept][coalition ids] -> bool array over states``.  One joint reach per
    coalition serves every concept."""
    wanted = [check_basic_concept(c) for c in concepts]
    check_rule(rule)
    check_mode(mode)
    coal_list = [_check_coalition(graph, c) for c in coalitions]
    out: dict[str, dict[tuple[str, ...], np.ndarray]] = {c: {} for c in wanted}
    total = max(len(coal_list) * len(wanted), 1)
    done = 0
    for members in coal_list:
        key = tuple(graph.actors[k] for k in members)
        system = coalition_system(graph, members, mode, max_pairs)
        for concept in wanted:
            if progress is not None:
                progress(done / total, f"{'+'.join(key)}: {concept.upper()}")
            out[concept][key] = bloc_stability(system, 0, concept, mode=mode, rule=rule,
                                               max_pairs=max_pairs)
            done += 1
    if progress is not None:
        progress(1.0, "done")
    return out


def individual_stability(graph: ConflictGraph, concept: BasicConcept, *,
                         mode: SanctionMode = "legal") -> np.ndarray:
    """Bool array (n_actors, n_states) of individual stability under ``concept``."""
    from crisislab.conflict.stability import analyze_stability

    check_basic_concept(concept)
    return analyze_stability(graph, (concept,), mode=mode).stable[concept]


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
        """As JSON data; states are 1-based ordinal ids (index + 1)."""
        return {"coalition": list(self.coalition), "source": self.source + 1,
                "target": self.target + 1,
                "path": [{"actor": a, "state": s + 1} for a, s in self.path],
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

    def __repr__(self) -> str:
        return (f"CoalitionAnalysis({len(self.coalitions)} coalitions from {len(self.states)} "
                f"states; {len(self.improvements)} coalitional improvements; "
                f"sanction rule {self.rule})")

    def improvable(self, state: int) -> list[CoalitionalImprovement]:
        return [c for c in self.improvements if c.source == state]

    def to_dict(self) -> dict[str, Any]:
        """As JSON data; states are 1-based ordinal ids (index + 1)."""
        return {
            "states": [s + 1 for s in self.states],
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
                       concepts: Sequence[BasicConcept] = CONCEPTS,
                       rule: SanctionRule = "any_member",
                       mode: SanctionMode = "legal",
                       lens: str | None = None,
                       progress: ProgressCallback | None = None,
                       max_pairs: int = DEFAULT_MAX_PAIRS,
                       path_limit: int | None = None) -> CoalitionAnalysis:
    """Coalitional improvements from ``states`` (typically the non-cooperative equilibria)
    and coalition stability of those states under each concept, for every coalition of
    two or more actors unless ``coalitions`` is given.  States are 0-based indices.
    Each improvement carries a shortest legal sequence of moves, except beyond the first
    ``path_limit`` improvements (empty path), which bounds the searches on large models.
    """
    state_list = tuple(sorted({int(s) for s in states}))
    for s in state_list:
        if not 0 <= s < graph.n_states:
            raise input_error(f"state index {s} out of range", value=s,
                              expected=f"0..{graph.n_states - 1}")
    coal_list = (all_coalitions(graph.actors) if coalitions is None
                 else [tuple(graph.actors[i] for i in _check_coalition(graph, c))
                       for c in coalitions])
    for c in concepts:
        check_basic_concept(c)
    check_rule(rule)
    check_mode(mode)
    improvements: list[CoalitionalImprovement] = []
    stability: dict[str, dict[tuple[str, ...], tuple[bool, ...]]] = {c: {} for c in concepts}
    idx = np.asarray(state_list, dtype=int)
    wanted = np.zeros(graph.n_states, dtype=bool)
    wanted[idx] = True
    for pos, coal in enumerate(coal_list):
        if progress is not None:
            progress(pos / max(len(coal_list), 1), "coalition " + "+".join(coal))
        members = [graph.actor_index(a) for a in coal]
        system = coalition_system(graph, members, mode, max_pairs)
        src, dst = system.edges(0)
        for s, t in zip(src[wanted[src]].tolist(), dst[wanted[src]].tolist(), strict=True):
            if path_limit is not None and len(improvements) >= path_limit:
                improvements.append(CoalitionalImprovement(
                    coal, s, t, (),
                    {graph.actors[k]: (float(graph.payoffs[k, s]), float(graph.payoffs[k, t]))
                     for k in members}))
                continue
            path = legal_path(graph, members, s, t) if mode == "legal" else None
            if path is None:
                steps = find_sequence(graph.moves, members, s, t, mode)
                assert steps is not None
                path = [(graph.actors[st.actor], int(st.target)) for st in steps]
            improvements.append(CoalitionalImprovement(
                coal, s, t, tuple(path),
                {graph.actors[k]: (float(graph.payoffs[k, s]), float(graph.payoffs[k, t]))
                 for k in members}))
        for concept in concepts:
            flags = bloc_stability(system, 0, concept, mode=mode, rule=rule,
                                   max_pairs=max_pairs)
            stability[concept][coal] = tuple(bool(x) for x in flags[idx])
    if progress is not None:
        progress(1.0, "done")
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


def estimate_coalition_pairs(graph: ConflictGraph, coalitions: Sequence[Sequence[str]]) -> int:
    """Upper estimate of the (state, state) pairs the joint reach of ``coalitions`` holds:
    per coalition, the squared sizes of the groups of states that agree on the options of
    everyone outside it (option form), or n² (graph form)."""
    n = graph.n_states
    total = 0
    for coal in coalitions:
        members = [graph.actor_index(a) for a in coal]
        if graph.owner_masks is None or len(members) == 1:
            total += n * n if len(members) > 1 else sum(int(graph.moves[k].nnz)
                                                         for k in members)
            continue
        union = 0
        for k in members:
            union |= int(graph.owner_masks[k])
        _, sizes = np.unique(graph.codes.astype(np.int64) & ~np.int64(union),
                             return_counts=True)
        total += int(np.sum(sizes.astype(np.int64) ** 2))
    return total
