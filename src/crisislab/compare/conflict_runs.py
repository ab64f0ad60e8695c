"""What the commands for the conflict engine in depth compute (``coalitions``,
``inverse``, ``foresight``, and ``analyze --coalitions`` / ``--graph-*``), apart from
parsing options and showing results.

Each function takes a loaded scenario or the graph built from it, calls the conflict
engine, and returns its result; the command line renders it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from crisislab.errors import input_error

if TYPE_CHECKING:
    import numpy as np
    import scipy.sparse as sp

    from crisislab.conflict.coalition_structure import CoalitionStructureResult
    from crisislab.conflict.coalitions import CoalitionAnalysis
    from crisislab.conflict.foresight import ForesightResult
    from crisislab.conflict.graph import ConflictGraph
    from crisislab.conflict.inverse import EditsResult, InverseResult
    from crisislab.model.scenario import Scenario
    from crisislab.model.states import StateSpace

Progress = Callable[[float, str], None]


def base_graph(scenario: Scenario) -> tuple[StateSpace, ConflictGraph]:
    """The scenario's base case: its states, and its moves with the base preferences, less
    each actor's moves through states it does not perceive."""
    from crisislab.conflict.perception import without_own_moves
    from crisislab.conflict.scenario_graph import build_graph
    from crisislab.model.perception import unperceived_by_actor
    from crisislab.model.states import state_space

    space = state_space(scenario)
    graph = without_own_moves(build_graph(scenario, space),
                              unperceived_by_actor(scenario, space))
    return space, graph


def coalition_plan(graph: ConflictGraph, starts: Sequence[int] | None, concept: str,
                   pairs: bool, max_pairs: int) -> tuple[list[int], list[tuple[str, ...]]]:
    """The start states (given, or the equilibria under ``concept``) and the coalitions
    to analyse (every group of two or more actors, or pairs only).

    A run whose joint moves would exceed ``max_pairs`` (state, state) pairs is refused
    here, before any of it is computed."""
    import numpy as np

    from crisislab.conflict.coalitions import (
        all_coalitions,
        estimate_coalition_pairs,
        individual_stability,
    )
    from crisislab.conflict.concepts import check_basic_concept

    if starts:
        chosen = list(starts)
    else:
        stable = individual_stability(graph, check_basic_concept(concept))
        chosen = [int(s) for s in np.flatnonzero(stable.all(axis=0))]
    coals = all_coalitions(graph.actors, 2, 2 if pairs else None)
    estimate = estimate_coalition_pairs(graph, coals)
    if estimate > max_pairs:
        raise input_error(
            f"coalition analysis would hold about {estimate:,} (state, state) pairs of joint "
            f"moves over {len(coals)} coalitions", value=estimate,
            expected=f"at most {max_pairs:,} (--pairs, a smaller model, or --max-pairs)")
    return chosen, coals


def coalitions(graph: ConflictGraph, starts: Sequence[int],
               coals: Sequence[tuple[str, ...]], *, concept: str, rule: str, max_pairs: int,
               path_limit: int, progress: Progress) -> CoalitionAnalysis:
    """Coalitional improvements from ``starts`` and the coalitions' stability there
    (:func:`crisislab.conflict.coalitions.coalition_analysis`)."""
    from crisislab.conflict.blocs import check_rule
    from crisislab.conflict.coalitions import coalition_analysis
    from crisislab.conflict.concepts import check_basic_concept

    return coalition_analysis(graph, starts, coalitions=coals, rule=check_rule(rule),
                              concepts=[check_basic_concept(concept)], progress=progress,
                              max_pairs=max_pairs, path_limit=path_limit)


def inverse_plan(graph: ConflictGraph, state: int, actor: str, concept: str,
                 method: str) -> str | None:
    """Refuse an unknown method, and say up front when the chosen concept's exact count
    may take long on this graph (None when it will not)."""
    from crisislab.conflict.concepts import check_basic_concept
    from crisislab.conflict.inverse import METHODS, estimate_inverse_work

    if method not in METHODS:
        raise input_error(f"unknown method {method!r}", value=method, expected=", ".join(METHODS))
    return estimate_inverse_work(graph, state, actor, check_basic_concept(concept))


def inverse(graph: ConflictGraph, state: int, actor: str, concept: str, *, equilibrium: bool,
            method: str, samples: int, seed: int, limit: int,
            progress: Progress, seq_method: str = "auto") -> InverseResult:
    """The orderings of ``actor`` under which ``state`` is stable
    (:func:`crisislab.conflict.inverse.inverse_stability`; ``seq_method`` chooses how a
    SEQ equilibrium is counted: ``auto``, ``enumeration`` or ``clauses``)."""
    from crisislab.conflict.concepts import check_basic_concept
    from crisislab.conflict.inverse import check_seq_method, inverse_stability

    return inverse_stability(graph, state, actor, check_basic_concept(concept),
                             equilibrium=equilibrium, method=method,  # type: ignore[arg-type]
                             samples=samples, seed=seed, limit=limit, progress=progress,
                             seq_method=check_seq_method(seq_method))


def statement_edits(scenario: Scenario, space: StateSpace, graph: ConflictGraph, state: int,
                    actor: str, concept: str) -> EditsResult | None:
    """Which single change of the actor's prioritization statements makes ``state``
    stable; None when the actor ranks states without statements (or the states are named
    in a graph, where no option literal can be written)."""
    from crisislab.conflict.concepts import check_basic_concept
    from crisislab.conflict.inverse import option_literals, prioritization_edits

    pref = scenario.preferences.get(actor)
    if pref is None or not pref.prioritization or space.names is not None:
        return None
    texts = [p if isinstance(p, str) else p.formula for p in pref.prioritization]
    stmts = [(t, space.truth(t)) for t in texts]
    return prioritization_edits(graph, state, actor, stmts, concept=check_basic_concept(concept),
                                candidates=option_literals(graph, list(space.option_ids)))


def pair_view(graph: ConflictGraph, members: Sequence[str], fixed: dict[str, int | None]
              ) -> tuple[ConflictGraph, np.ndarray]:
    """Two actors' conflict with the others held (:func:`crisislab.conflict.foresight.pair_graph`):
    the graph and, for each of its states, the state of the full model."""
    from crisislab.conflict.foresight import pair_graph

    return pair_graph(graph, members, fixed)


def foresight(graph: ConflictGraph, horizon: int, *, nonmyopic: bool, ties: str,
              progress: Progress) -> ForesightResult:
    """Limited-move stability up to ``horizon`` and, with ``nonmyopic``, its limit
    (:func:`crisislab.conflict.foresight.limited_move_stability`)."""
    from crisislab.conflict.foresight import limited_move_stability

    return limited_move_stability(graph, horizon, nonmyopic=nonmyopic,
                                  ties=ties, progress=progress)  # type: ignore[arg-type]


def drawn_moves(graph: ConflictGraph, every: bool) -> tuple[sp.csr_array, ...]:
    """The edges a picture of the graph draws: every move, or only the unilateral
    improvements (what a reader of a larger graph can follow)."""
    from crisislab.conflict.moves import improvement_moves

    return graph.moves if every else improvement_moves(graph)


def structure_from_option(scenario: Scenario, text: str) -> tuple[str | None, list[list[str]]]:
    """The id of a declared coalition structure, or blocs written ``A+B,C``."""
    from crisislab.conflict.coalition_structure import parse_partition

    ids = [c.id for c in scenario.coalition_structures]
    t = text.strip()
    if t in ids:
        return t, [list(b) for b in scenario.coalition_structure(t).blocs]
    if "+" not in t and "," not in t and t not in scenario.actor_ids():
        raise input_error(f"{t!r} is neither a coalition structure of the scenario nor blocs "
                          "of actors", value=t,
                          expected=(f"one of {', '.join(ids)}, or " if ids else "")
                          + "blocs such as " + "+".join(scenario.actor_ids()[:2]))
    return None, parse_partition(t)


def structure_stability(scenario: Scenario, graph: ConflictGraph, text: str,
                        concepts: Sequence[str], mode: str, view: str,
                        progress: Progress) -> CoalitionStructureResult:
    """Stability of every bloc of the structure ``text`` names, on the graph of ``view``,
    under the basic concepts among ``concepts`` (all four when none is)."""
    from crisislab.conflict.coalition_structure import coalition_structure
    from crisislab.conflict.concepts import BASIC_CONCEPTS, BasicConcept, check_mode

    name, blocs = structure_from_option(scenario, text)
    basic: list[BasicConcept] = [c for c in BASIC_CONCEPTS if c in concepts] \
        or list(BASIC_CONCEPTS)
    return coalition_structure(graph, blocs, basic, mode=check_mode(mode), name=name,
                               lens=None if view == "base" else view,
                               scenario=scenario.metadata.title, progress=progress)
