"""The same conflict under every lens.

A *view* is the scenario as one lens makes it: the base case, each analyst's
case, and each actor's perception (the game as that actor sees it).  Lenses
change preferences, so every view shares the states and the moves; a
:class:`ConflictModel` builds those once and derives each view's payoffs,
which keeps comparing many views — and the crux search, which evaluates
thousands of override combinations — cheap.  The one exception is a
perception lens that lists states its holder does not perceive: the holder's
own moves through them are removed in every view, and in the holder's view no
move through them counts (:mod:`crisislab.conflict.perception`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from crisislab.conflict.graph import ConflictGraph
from crisislab.conflict.perception import as_seen_without, without_own_moves
from crisislab.model.lenses import lens_scenario, policy_state
from crisislab.model.perception import unperceived_by_actor, unperceived_mask
from crisislab.model.scenario import Lens, Scenario
from crisislab.model.states import StateSpace, build_graph, payoff_matrix, state_space

StabilityFn = Callable[[ConflictGraph], Mapping[str, np.ndarray]]
ReachFn = Callable[[ConflictGraph, int, np.ndarray], dict[int, list[tuple[int, int, int]]]]
"""(graph, start, equilibrium mask) -> reachable equilibrium -> shortest path of
(actor, from, to) steps, by unilateral improvements."""

BASE = "base"


@dataclass(frozen=True)
class View:
    """One way of seeing the conflict."""

    id: str
    name: str
    kind: str  # "base", "analyst" or "perception"
    holder: str | None
    lens: Lens | None
    scenario: Scenario


def all_views(scenario: Scenario) -> list[View]:
    """The base case followed by one view per lens, in declared order."""
    out = [View(BASE, "Base case", "base", None, None, scenario)]
    for lens in scenario.lenses:
        out.append(View(lens.id, lens.name, lens.kind, lens.holder, lens,
                         lens_scenario(scenario, lens)))
    return out


@dataclass
class ConflictModel:
    """States and moves of a scenario, built once; payoffs per view on demand."""

    scenario: Scenario
    space: StateSpace = field(init=False)
    graph: ConflictGraph = field(init=False)
    unperceived: dict[str, np.ndarray] = field(init=False)
    """actor -> states it does not perceive (from its perception lens)."""
    _seen: dict[str, ConflictGraph] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.space = state_space(self.scenario)
        self.unperceived = unperceived_by_actor(self.scenario, self.space)
        self.graph = without_own_moves(build_graph(self.scenario, self.space), self.unperceived)
        self._seen = {}

    def moves_seen_by(self, lens: Lens | None) -> ConflictGraph:
        """The shared moves, less those through states ``lens``'s holder does not perceive."""
        if lens is None or not lens.unperceived:
            return self.graph
        if lens.id not in self._seen:
            self._seen[lens.id] = as_seen_without(self.graph, unperceived_mask(self.space, lens))
        return self._seen[lens.id]

    def graph_for(self, scenario: Scenario, lens: Lens | None = None) -> ConflictGraph:
        """The shared states and moves (as ``lens``'s holder sees them) with
        ``scenario``'s preferences."""
        return self.moves_seen_by(lens).with_payoffs(payoff_matrix(scenario, self.space))

    def start_states(self) -> list[tuple[str, str, int]]:
        """Named starting points: the status quo, then each policy."""
        out: list[tuple[str, str, int]] = []
        sc = self.scenario
        if sc.status_quo is not None:
            out.append(("status_quo", "Status quo", self.space.resolve(sc.status_quo)))
        for pol in sc.policies:
            out.append((pol.id, pol.label, policy_state(sc, self.space, pol)))
        return out


@dataclass(frozen=True)
class ViewResult:
    """Stability, equilibria and policy paths of one view."""

    view: View
    graph: ConflictGraph  # the shared states and moves with this view's preferences
    stable: dict[str, np.ndarray]  # concept -> (n_actors, n_states)
    paths: dict[str, dict[str, dict[int, list[tuple[int, int, int]]]]]
    # start id -> concept -> reachable equilibrium -> path

    def equilibria(self, concept: str) -> list[int]:
        return np.flatnonzero(self.stable[concept].all(axis=0)).tolist()


def analyse_view(model: ConflictModel, view: View, stability: StabilityFn, reach: ReachFn,
                 concepts: Sequence[str]) -> ViewResult:
    """Stability, equilibria and the paths from every starting point under one view."""
    graph = model.graph_for(view.scenario, view.lens if view.kind == "perception" else None)
    res = stability(graph)
    stable = {c: np.asarray(res[c], dtype=bool) for c in concepts}
    paths = {sid: {c: reach(graph, start, np.asarray(stable[c].all(axis=0))) for c in concepts}
             for sid, _label, start in model.start_states()}
    return ViewResult(view, graph, stable, paths)


def analyse_views(model: ConflictModel, views: Sequence[View], stability: StabilityFn,
                  reach: ReachFn, concepts: Sequence[str]) -> list[ViewResult]:
    """Run the conflict analysis under each view."""
    return [analyse_view(model, view, stability, reach, concepts) for view in views]
