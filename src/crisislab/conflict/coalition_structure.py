"""Coalition structures: the actors partitioned into blocs that each move as one.

An analyst declares a partition of the actors, e.g. ``[[US, CN], [KP]]`` for
"Washington and Beijing agree their responses".  Each bloc then acts as one
actor (the effective decision makers of gmcr-py's coalition structures; the
coalition DMs of Kilgour, Hipel, Fang & Peng 2001):

- its moves are the joint moves over the union of its members' options (one
  move may change options of several members at once; reversibility as
  declared); in graph form, where there are no options to unite, one move is a
  legal sequence of its members' moves;
- its improvements are the moves every member strictly prefers (``strict``,
  default) or, in the weak variant, that every member likes at least as well and
  one strictly prefers (``weak``);
- every other bloc sanctions it by sequences of bloc moves (under SEQ, each a
  bloc improvement), so an outsider can be deterred by a joint move of a bloc it
  does not belong to;
- a sanction deters a bloc when it hurts some member (``any_member``, the
  coalition falls apart; Inohara & Hipel 2008) or every member
  (``all_members``).

Stability of every bloc (coalitions and outsiders) under Nash, GMR, SMR and SEQ
follows, and the equilibria of the structure are the states stable for every
bloc.  With every bloc a single actor this is ordinary stability.  The
computation is the bloc kernel (:mod:`crisislab.conflict.blocs`) on the
min-propagation shared with the stability engine.  The per-coalition analysis
of Inohara & Hipel 2008 (a coalition against the other actors acting
individually) is :func:`crisislab.conflict.coalitions.coalition_analysis`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from crisislab.conflict.blocs import (
    DEFAULT_MAX_PAIRS,
    BlocSystem,
    Improvement,
    ProgressCallback,
    SanctionRule,
    bloc_stability,
    check_improvement,
    check_rule,
    joint_moves,
)
from crisislab.conflict.concepts import (
    BASIC_CONCEPTS,
    CONCEPT_NAMES,
    BasicConcept,
    SanctionMode,
    check_basic_concept,
    check_mode,
)
from crisislab.conflict.graph import ConflictGraph
from crisislab.errors import input_error
from crisislab.provenance import Provenance, canonical_json
from crisislab.results import html_repr

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True, eq=False)
class CoalitionStructureResult:
    """Stability of every bloc of a coalition structure, for every state.

    ``stable[concept][b, s]``: state s (0-based) is stable for bloc b.  Ordinal
    state ids (index + 1) are used by :meth:`to_dict` and :meth:`to_pandas`.
    """

    graph: ConflictGraph
    blocs: tuple[tuple[str, ...], ...]
    concepts: tuple[BasicConcept, ...]
    mode: SanctionMode
    rule: SanctionRule
    improvement: Improvement
    move_kinds: tuple[str, ...]
    stable: dict[str, np.ndarray]
    name: str | None
    provenance: Provenance = field(compare=False)

    @property
    def labels(self) -> tuple[str, ...]:
        """Bloc names, members joined by '+' (``US+CN``)."""
        return tuple("+".join(b) for b in self.blocs)

    def equilibria(self, concept: str) -> np.ndarray:
        """Indices of the states stable for every bloc under ``concept``."""
        if concept not in self.stable:
            raise input_error("stability concept not computed in this result", value=concept,
                              expected=" or ".join(self.concepts))
        return np.flatnonzero(self.stable[concept].all(axis=0))

    def is_stable(self, bloc: int | str, state: int, concept: str) -> bool:
        """Whether ``state`` is stable for ``bloc`` (index or label) under ``concept``."""
        b = bloc if isinstance(bloc, int) else self.labels.index(bloc)
        return bool(self.stable[concept][b, state])

    def to_dict(self) -> dict[str, Any]:
        """Plain, deterministic data; states by ordinal id (index + 1)."""
        return {
            "structure": self.name,
            "blocs": [list(b) for b in self.blocs],
            "concepts": list(self.concepts),
            "mode": self.mode, "sanction_rule": self.rule, "improvement": self.improvement,
            "bloc_moves": dict(zip(self.labels, self.move_kinds, strict=True)),
            "stable": {c: {lab: (np.flatnonzero(self.stable[c][b]) + 1).tolist()
                           for b, lab in enumerate(self.labels)} for c in self.concepts},
            "equilibria": {c: (self.equilibria(c) + 1).tolist() for c in self.concepts},
            "provenance": self.provenance.model_dump(),
        }

    def to_json(self) -> str:
        """Deterministic JSON of :meth:`to_dict`."""
        return canonical_json(self.to_dict())

    def to_pandas(self) -> pd.DataFrame:
        """One row per state: id, code, stability per (concept, bloc), equilibrium flags."""
        import pandas as pd

        g = self.graph
        data: dict[str, Any] = {"id": np.arange(1, g.n_states + 1), "code": g.codes}
        for c in self.concepts:
            for b, lab in enumerate(self.labels):
                data[f"{c}:{lab}"] = self.stable[c][b]
            data[f"{c}:equilibrium"] = self.stable[c].all(axis=0)
        return pd.DataFrame(data)

    def __repr__(self) -> str:
        eq = ", ".join(f"{c}: {len(self.equilibria(c))}" for c in self.concepts)
        return (f"CoalitionStructureResult({' | '.join(self.labels)}; "
                f"{self.graph.n_states} states; equilibria {eq})")

    def _repr_html_(self) -> str:
        return html_repr(self)


def parse_partition(text: str) -> list[list[str]]:
    """``"US+CN,KP"`` → ``[["US", "CN"], ["KP"]]`` (blocs by commas, members by '+')."""
    blocs = [[m.strip() for m in part.split("+")] for part in text.split(",") if part.strip()]
    if not blocs or any(not m for b in blocs for m in b):
        raise input_error("a coalition structure lists blocs separated by commas, members of "
                          "a bloc joined by '+'", value=text, expected='e.g. "US+CN,KP"')
    return blocs


def complete_partition(graph: ConflictGraph,
                       partition: Iterable[Iterable[str | int]]) -> tuple[tuple[int, ...], ...]:
    """Actor indices per bloc; unknown or repeated actors are errors, actors not named
    become blocs of their own (after the named blocs, in declared order)."""
    blocs: list[tuple[int, ...]] = []
    placed: set[int] = set()
    for bloc in partition:
        members: list[int] = []
        for a in bloc:
            if isinstance(a, str):
                if a not in graph.actors:
                    raise input_error(f"unknown actor {a!r} in the coalition structure", value=a,
                                      expected="one of " + ", ".join(graph.actors))
                k = graph.actor_index(a)
            else:
                k = int(a)
                if not 0 <= k < graph.n_actors:
                    raise input_error(f"actor index {k} out of range", value=k,
                                      expected=f"0..{graph.n_actors - 1}")
            if k in placed:
                raise input_error(f"actor {graph.actors[k]!r} is in two blocs",
                                  value=graph.actors[k], expected="each actor in one bloc")
            placed.add(k)
            members.append(k)
        if not members:
            raise input_error("empty bloc in the coalition structure", value=[],
                              expected="at least one actor per bloc")
        blocs.append(tuple(members))
    blocs += [(k,) for k in range(graph.n_actors) if k not in placed]
    return tuple(blocs)


def estimate_structure_moves(graph: ConflictGraph, blocs: Sequence[Sequence[int]]) -> int:
    """Upper estimate of the joint moves the blocs have: per bloc of two or more, the
    squared sizes of the groups of states agreeing on everyone else's options (option
    form), or n² (graph form); plus the members' own moves for blocs of one."""
    n = graph.n_states
    total = 0
    for bloc in blocs:
        if len(bloc) == 1:
            total += int(graph.moves[bloc[0]].nnz)
        elif graph.owner_masks is None:
            total += n * n
        else:
            union = 0
            for k in bloc:
                union |= int(graph.owner_masks[k])
            _, sizes = np.unique(graph.codes.astype(np.int64) & ~np.int64(union),
                                 return_counts=True)
            total += int(np.sum(sizes.astype(np.int64) ** 2))
    return total


def coalition_structure(graph: ConflictGraph, partition: Iterable[Iterable[str | int]],
                        concepts: Sequence[BasicConcept] = BASIC_CONCEPTS, *,
                        mode: SanctionMode = "legal", rule: SanctionRule = "any_member",
                        improvement: Improvement = "strict", name: str | None = None,
                        lens: str | None = None, scenario: str | None = None,
                        progress: ProgressCallback | None = None,
                        max_pairs: int = DEFAULT_MAX_PAIRS) -> CoalitionStructureResult:
    """Stability of every bloc of ``partition`` under each concept (see the module doc).

    ``partition`` lists blocs of actor ids (or indices); actors not named are
    outsiders, each a bloc of one.  ``max_pairs`` bounds the joint moves and the
    explicit (improvement, sanction) pairs; larger models are refused up front
    with the estimate.
    """
    wanted = tuple(check_basic_concept(c) for c in concepts)
    if not wanted:
        raise input_error("no stability concept requested", expected=", ".join(BASIC_CONCEPTS))
    check_mode(mode)
    check_rule(rule)
    system, kinds = structure_system(graph, partition, improvement, max_pairs)
    blocs = system.blocs
    stable: dict[str, np.ndarray] = {}
    total = len(wanted) * len(blocs)
    done = 0
    for concept in wanted:
        rows = []
        for b in range(len(blocs)):
            if progress is not None:
                label = "+".join(graph.actors[k] for k in blocs[b])
                progress(done / total, f"{CONCEPT_NAMES[concept]}: {label}")
            rows.append(bloc_stability(system, b, concept, mode=mode, rule=rule,
                                       max_pairs=max_pairs))
            done += 1
        stable[concept] = np.stack(rows)
    if progress is not None:
        progress(1.0, "done")
    names = tuple(tuple(graph.actors[k] for k in b) for b in blocs)
    prov = Provenance(method="gmcr.coalition_structure",
                      parameters={"structure": name, "blocs": [list(b) for b in names],
                                  "concepts": list(wanted), "mode": mode,
                                  "sanction_rule": rule, "improvement": improvement},
                      lens=lens, scenario=scenario)
    return CoalitionStructureResult(graph, names, wanted, mode, rule, improvement,
                                    kinds, stable, name, prov)


def structure_system(graph: ConflictGraph, partition: Iterable[Iterable[str | int]],
                     improvement: Improvement = "strict",
                     max_pairs: int = DEFAULT_MAX_PAIRS) -> tuple[BlocSystem, tuple[str, ...]]:
    """The blocs of ``partition`` (outsiders completed) with their joint moves, and how
    each bloc's moves were built; refused up front when the joint moves are estimated
    above ``max_pairs``.  Shared by :func:`coalition_structure` and the policy
    comparison, where a policy may name a coalition structure."""
    check_improvement(improvement)
    blocs = complete_partition(graph, partition)
    estimate = estimate_structure_moves(graph, blocs)
    if estimate > max_pairs:
        raise input_error(
            f"the blocs' joint moves are estimated at {estimate:,} (state, state) pairs",
            value=estimate, expected=f"at most {max_pairs:,} (smaller blocs or model)")
    built = [joint_moves(graph, b, max_pairs) for b in blocs]
    return (BlocSystem(graph, blocs, tuple(m for m, _ in built), improvement),
            tuple(k for _, k in built))
