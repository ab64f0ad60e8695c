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

Under a view, each *starting point* (the status quo, then each policy) is
analysed on the graph its commitment leaves (:mod:`crisislab.conflict.commitment`):
the stability result of each distinct commitment is computed once per view and
serves the equilibria, the paths from every start that shares it, the
explanations (witnesses) and the reports.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from typing import cast

import numpy as np
import scipy.sparse as sp

from crisislab.conflict.blocs import BlocSystem, bloc_deterred
from crisislab.conflict.coalition_structure import structure_system
from crisislab.conflict.commitment import committed_graph
from crisislab.conflict.concepts import (
    BASIC_CONCEPTS,
    CONCEPT_NAMES,
    BasicConcept,
    Concept,
    check_mode,
)
from crisislab.conflict.graph import ConflictGraph
from crisislab.conflict.perception import as_seen_without, without_own_moves
from crisislab.conflict.reachability import path_to, shortest_legal_paths
from crisislab.conflict.scenario_graph import build_graph
from crisislab.conflict.stability import SanctionMemo, StabilityResult, analyze_stability
from crisislab.conflict.status_quo import analyze_status_quo, credible_moves
from crisislab.errors import input_error
from crisislab.model.lenses import commitment_bits, lens_scenario, policy_blocs, policy_state
from crisislab.model.perception import unperceived_by_actor, unperceived_mask
from crisislab.model.scenario import Lens, Scenario
from crisislab.model.states import StateSpace, payoff_matrix, state_space

StabilityFn = Callable[[ConflictGraph], Mapping[str, np.ndarray]]

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

    outcome_of: np.ndarray = field(init=False)  # outcome position per state, -1: none
    unperceived: dict[str, np.ndarray] = field(init=False)
    """actor -> states it does not perceive (from its perception lens)."""
    _seen: dict[str, ConflictGraph] = field(init=False, default_factory=dict)
    _committed: dict[tuple[int, int], tuple[ConflictGraph, ConflictGraph]] = field(
        init=False, default_factory=dict)

    def __post_init__(self) -> None:
        from crisislab.model.outcomes import outcome_of_states

        self.space = state_space(self.scenario)
        self.unperceived = unperceived_by_actor(self.scenario, self.space)
        self.graph = without_own_moves(build_graph(self.scenario, self.space), self.unperceived)
        self.outcome_of = outcome_of_states(self.scenario, self.space)
        self._seen = {}
        self._committed = {}

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

    def committed(self, graph: ConflictGraph, mask: int) -> ConflictGraph:
        """``graph`` under the commitment ``mask`` (:func:`committed_graph`), its moves
        restricted once per set of moves and kept: views and crux evaluations differ
        only in payoffs, so each reuses the restricted moves (and the stability
        engine's layouts of them) with its own payoffs."""
        if not mask:
            return graph
        key = (id(graph.moves), mask)
        held = self._committed.get(key)
        if held is None or held[0].moves is not graph.moves:  # the id of a live tuple
            held = (graph, committed_graph(graph, mask))
            self._committed[key] = held
        return held[1].with_payoffs(graph.payoffs)

    def start_states(self) -> list[tuple[str, str, int]]:
        """Named starting points: the status quo, then each policy."""
        return [(st.id, st.label, st.state) for st in self.starts()]

    def starts(self) -> list[Start]:
        """The status quo (no commitment), then each policy with its commitment."""
        out: list[Start] = []
        sc = self.scenario
        if sc.status_quo is not None:
            out.append(Start(STATUS_QUO, "Status quo", "status_quo",
                             self.space.resolve(sc.status_quo), 0, 0, ()))
        for pol in sc.policies:
            mask, value = commitment_bits(self.space, pol)
            out.append(Start(pol.id, pol.label, pol.kind, policy_state(sc, self.space, pol),
                             mask, value, tuple(sorted(pol.commit.items())
                                                if pol.kind == "commitment" else ()),
                             policy_blocs(sc, pol),
                             pol.coalitions if isinstance(pol.coalitions, str) else None))
        return out


STATUS_QUO = "status_quo"


@dataclass(frozen=True)
class Start:
    """A starting point of the path analysis and the commitment it carries.

    ``mask``/``value``: the committed option bits and their values (0, 0: none);
    ``kind``: ``status_quo``, ``commitment`` or ``start`` (a starting state only);
    ``blocs``: the coalition structure the policy holds, actor indices per bloc with
    every actor placed (``()``: each actor moves alone), and ``structure`` its id when
    it names a declared one.
    """

    id: str
    label: str
    kind: str
    state: int
    mask: int
    value: int
    commit: tuple[tuple[str, bool], ...]
    blocs: tuple[tuple[int, ...], ...] = ()
    structure: str | None = None

    def bloc_labels(self, actors: Sequence[str]) -> tuple[str, ...]:
        """The movers of this start's paths: bloc names (members joined by '+') under a
        coalition structure, else the actors."""
        if not self.blocs:
            return tuple(actors)
        return tuple("+".join(actors[k] for k in b) for b in self.blocs)


@dataclass(frozen=True)
class ViewResult:
    """Stability, equilibria and policy paths of one view.

    ``stable`` and ``graph`` are the view without any commitment (the status quo's
    game); ``results`` holds the full stability result (with sanctions, for
    witnesses) of each commitment mask used by a start, and ``start_mask`` which
    one each start uses.
    """

    view: View
    graph: ConflictGraph  # the shared states and moves with this view's preferences
    stable: Mapping[str, np.ndarray]  # concept -> (n_actors, n_states)
    paths: Mapping[str, Mapping[str, dict[int, list[tuple[int, int, int]]]]]
    # start id -> concept -> reachable equilibrium -> path (computed on first use)
    results: dict[int, StabilityResult] = field(default_factory=dict)
    start_mask: dict[str, int] = field(default_factory=dict)
    outcome_of: np.ndarray | None = None  # outcome position per state (-1: none)
    movers: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """start id -> who moves in its paths, when blocs do (a policy's coalition
    structure); the path steps index this, otherwise ``graph.actors``."""
    bloc_stable: dict[tuple[str, str], np.ndarray] = field(default_factory=dict)
    """(start id, concept) -> (n_blocs, n_states) stability of each bloc under that
    start's coalition structure, filled when its paths are computed."""

    def movers_of(self, start: str) -> tuple[str, ...]:
        """Who moves in the paths from ``start``: blocs or actors, as the steps index."""
        return self.movers.get(start, self.graph.actors)

    def bloc_stability(self, start: str, concept: str) -> np.ndarray:
        """(n_blocs, n_states) stability of each bloc of ``start``'s coalition structure
        under ``concept`` (computed with that start's paths, on first use)."""
        if (start, concept) not in self.bloc_stable:
            _ = self.paths[start][concept]  # computes the paths and, with them, the stability
        return self.bloc_stable[start, concept]

    def equilibria(self, concept: str) -> list[int]:
        """Indices of the states stable for every actor under ``concept``."""
        return np.flatnonzero(self.stable[concept].all(axis=0)).tolist()

    def result_for(self, start: str | None = None) -> StabilityResult:
        """The stability result a start's paths were computed on (None: no commitment)."""
        return self.results[self.start_mask.get(start, 0) if start is not None else 0]


class LazyPaths(Mapping[str, dict[int, list[tuple[int, int, int]]]]):
    """Concept -> reachable equilibrium -> path from one start, each concept searched on
    first use: the crux search evaluates many variants of a scenario and most of its
    conclusions (is a state an equilibrium) never need a path."""

    def __init__(self, concepts: Sequence[str],
                 compute: Callable[[str], dict[int, list[tuple[int, int, int]]]]) -> None:
        self._concepts = tuple(concepts)
        self._compute = compute
        self._done: dict[str, dict[int, list[tuple[int, int, int]]]] = {}

    def __getitem__(self, concept: str) -> dict[int, list[tuple[int, int, int]]]:
        if concept not in self._done:
            if concept not in self._concepts:
                raise KeyError(concept)
            self._done[concept] = self._compute(concept)
        return self._done[concept]

    def __iter__(self) -> Iterator[str]:
        return iter(self._concepts)

    def __len__(self) -> int:
        return len(self._concepts)


@dataclass(frozen=True)
class Settings:
    """How the conflict is analysed under every view."""

    concepts: tuple[str, ...]
    mode: str = "legal"
    sim_variant: str | None = None
    rule: str = "credible"


def stability_of(graph: ConflictGraph, settings: Settings, lens: str | None = None,
                 scenario: str | None = None, memo: SanctionMemo | None = None
                 ) -> StabilityResult:
    """The one call to the stability engine behind every view and start (``memo``: the
    sanctions already computed on the same moves, see :class:`SanctionMemo`)."""
    return analyze_stability(graph, cast("tuple[Concept, ...]", settings.concepts),
                             mode=check_mode(settings.mode),
                             sim_variant=settings.sim_variant or "any", lens=lens,
                             scenario=scenario, memo=memo)


def analyse_view(model: ConflictModel, view: View, settings: Settings,
                 graph: ConflictGraph | None = None, memo: SanctionMemo | None = None
                 ) -> ViewResult:
    """Stability once per commitment, then the paths from every starting point
    (``graph``: the view's graph when the caller has already built it; ``memo``: the
    sanctions other views on the same moves computed, see :class:`SanctionMemo`)."""
    graph = graph if graph is not None else model.graph_for(
        view.scenario, view.lens if view.kind == "perception" else None)
    starts = model.starts()
    lens = view.lens.id if view.lens is not None else None
    results: dict[int, StabilityResult] = {}
    for mask in dict.fromkeys([0, *[st.mask for st in starts]]):
        results[mask] = stability_of(model.committed(graph, mask), settings, lens,
                                     memo=memo)
    stable = {c: np.asarray(results[0].stable[c], dtype=bool) for c in settings.concepts}
    return _view_result(model, view, settings, graph, starts, stable, results,
                        lambda mask, _c: results[mask])


def analyse_view_lazily(model: ConflictModel, view: View, settings: Settings,
                        graph: ConflictGraph, memo: SanctionMemo | None = None) -> ViewResult:
    """The view's result with nothing computed until it is read, for the crux search.

    A crux search evaluates one conclusion (is a state an equilibrium under one
    concept, where one start leads under one concept) on many variants of a
    scenario, so the stability of each (commitment, concept) is computed on
    first use, one concept at a time: the concepts are independent, so the
    arrays equal those of :func:`analyse_view`.  ``results`` stays empty (no
    witnesses are drawn from a crux evaluation).  ``memo``, shared by the
    evaluations of one search, answers the sanctions of every DM whose ranking a
    variant leaves as it was (:class:`SanctionMemo`)."""
    starts = model.starts()
    lens = view.lens.id if view.lens is not None else None
    done: dict[tuple[int, str], StabilityResult] = {}

    def stability(mask: int, concept: str) -> StabilityResult:
        if (mask, concept) not in done:
            done[mask, concept] = stability_of(model.committed(graph, mask),
                                               replace(settings, concepts=(concept,)), lens,
                                               memo=memo)
        return done[mask, concept]

    stable = LazyStable(settings.concepts, stability)
    return _view_result(model, view, settings, graph, starts, stable, {}, stability)


class LazyStable(Mapping[str, np.ndarray]):
    """Concept -> (n_actors, n_states) stability without commitment, each concept
    computed on first use (see :func:`analyse_view_lazily`)."""

    def __init__(self, concepts: Sequence[str],
                 stability: Callable[[int, str], StabilityResult]) -> None:
        self._concepts = tuple(concepts)
        self._stability = stability
        self._done: dict[str, np.ndarray] = {}

    def __getitem__(self, concept: str) -> np.ndarray:
        if concept not in self._done:
            if concept not in self._concepts:
                raise KeyError(concept)
            self._done[concept] = np.asarray(self._stability(0, concept).stable[concept],
                                             dtype=bool)
        return self._done[concept]

    def __iter__(self) -> Iterator[str]:
        return iter(self._concepts)

    def __len__(self) -> int:
        return len(self._concepts)


def _view_result(model: ConflictModel, view: View, settings: Settings, graph: ConflictGraph,
                 starts: Sequence[Start], stable: Mapping[str, np.ndarray],
                 results: dict[int, StabilityResult],
                 stability: Callable[[int, str], StabilityResult]) -> ViewResult:
    """The view's paths from every start, each (start, concept) searched on first use
    on ``stability(mask, concept)``: a result holding that concept for the graph the
    start's commitment leaves."""
    moves: dict[tuple[int, str], tuple[sp.csr_array, ...]] = {}

    def compute(st: Start, c: str) -> dict[int, list[tuple[int, int, int]]]:
        res = stability(st.mask, c)
        if settings.rule == "credible" and (st.mask, c) not in moves:
            moves[st.mask, c] = credible_moves(res, c)
        sq = analyze_status_quo(res.graph, st.state, cast("Concept", c), stability=res,
                                mode=check_mode(settings.mode),
                                rule=settings.rule, moves=moves.get((st.mask, c)))
        return {e: [(int(s.actor), int(s.source), int(s.target)) for s in p]
                for e, p in sq.paths.items()}

    bloc_stable: dict[tuple[str, str], np.ndarray] = {}
    compute_blocs = _bloc_paths(model, graph, settings, bloc_stable)
    paths = {st.id: LazyPaths(settings.concepts, partial(compute_blocs if st.blocs else compute,
                                                         st)) for st in starts}
    movers = {st.id: st.bloc_labels(graph.actors) for st in starts if st.blocs}
    return ViewResult(view, graph, stable, paths, results, {st.id: st.mask for st in starts},
                      model.outcome_of, movers, bloc_stable)


def refuse_bloc_policies(scenario: Scenario, what: str) -> None:
    """Refuse, naming the policy, an analysis (``what``) whose engine lets every actor move
    alone, for a scenario with a policy that holds a coalition structure: its answer for
    that policy would silently differ from ``analyze``'s."""
    held = [(k, p) for k, p in enumerate(scenario.policies) if p.coalitions is not None]
    if held:
        k, pol = held[0]
        raise input_error(
            f"policy {pol.id!r} holds a coalition structure (policies[{k}].coalitions), which "
            f"{what} does not analyse: there every actor moves alone", value=pol.coalitions,
            expected=f"crisislab analyze for that policy, or {what} on the scenario without "
            "the policy's 'coalitions'")


def check_bloc_concepts(starts: Sequence[Start], concepts: Sequence[str]) -> None:
    """Coalition structures are analysed under Nash, GMR, SMR and SEQ; a policy holding
    one with another concept requested is refused, naming the policy."""
    odd = [c for c in concepts if c not in BASIC_CONCEPTS]
    held = [st.id for st in starts if st.blocs]
    if odd and held:
        raise input_error(
            f"policy {held[0]!r} holds a coalition structure, whose blocs are analysed under "
            "Nash, GMR, SMR and SEQ only", value=", ".join(odd),
            expected="concepts among " + ", ".join(CONCEPT_NAMES[c] for c in BASIC_CONCEPTS)
            + f", or policy {held[0]!r} without 'coalitions'")


def _bloc_paths(model: ConflictModel, graph: ConflictGraph, settings: Settings,
                bloc_stable: dict[tuple[str, str], np.ndarray]
                ) -> Callable[[Start, str], dict[int, list[tuple[int, int, int]]]]:
    """Paths from a start whose policy holds a coalition structure: on the graph its
    commitment leaves, each bloc moves as one actor (:mod:`crisislab.conflict.blocs`);
    the path ends at the states stable for every bloc, and under the credible rule a
    bloc moves only by an improvement its sanctions do not deter.  Steps index the
    blocs.  Systems and bloc moves are kept per (commitment, structure) so starts
    sharing them share the work."""
    systems: dict[tuple[int, tuple[tuple[int, ...], ...]], BlocSystem] = {}
    moves: dict[tuple[int, tuple[tuple[int, ...], ...], str],
                tuple[np.ndarray, tuple[sp.csr_array, ...]]] = {}
    mode = check_mode(settings.mode)

    def compute(st: Start, c: str) -> dict[int, list[tuple[int, int, int]]]:
        key = (st.mask, st.blocs)
        if key not in systems:
            systems[key] = structure_system(model.committed(graph, st.mask), st.blocs)[0]
        system = systems[key]
        if (*key, c) not in moves:
            rows, mats = [], []
            for b in range(len(system.blocs)):
                src, dst, deterred = bloc_deterred(system, b, cast("BasicConcept", c),
                                                   mode=mode)
                row = np.ones(graph.n_states, dtype=bool)
                row[src[~deterred]] = False
                rows.append(row)
                keep = ~deterred if settings.rule == "credible" else np.ones_like(deterred)
                mats.append(sp.csr_array((np.ones(int(keep.sum()), dtype=bool),
                                          (src[keep], dst[keep])),
                                         shape=(graph.n_states, graph.n_states)))
            moves[(*key, c)] = (np.stack(rows), tuple(mats))
        stable, bloc_moves = moves[(*key, c)]
        bloc_stable[st.id, c] = stable
        tree = shortest_legal_paths(bloc_moves, st.state, allow_repeat=False)
        out: dict[int, list[tuple[int, int, int]]] = {}
        for e in np.flatnonzero(stable.all(axis=0)).tolist():
            steps = path_to(tree, int(e))
            if steps is not None:
                out[int(e)] = [(int(s.actor), int(s.source), int(s.target)) for s in steps]
        return out

    return compute


def analyse_views(model: ConflictModel, views: Sequence[View], settings: Settings,
                  memo: SanctionMemo | None = None) -> list[ViewResult]:
    """Run the conflict analysis under each view (``memo``: shared by all of them; views
    differ in a few actors' preferences, so most sanctions repeat)."""
    return [analyse_view(model, view, settings, memo=memo) for view in views]
