"""The conflict analysis of a scenario under every lens, compared.

This is the pipeline behind ``crisislab analyze`` and :func:`crisislab.analyze`:

1. build the states and moves once (:class:`ConflictModel`);
2. run the stability analysis under every view (base, analysts' cases, each
   actor's perception), with the paths from the status quo and each policy;
3. the first- and second-level hypergame, where actors hold perception lenses;
4. the conclusions on which views disagree, and for each the minimal cruxes;
5. "what if": which single change to one actor's perception of another would
   make a state an equilibrium of that actor's perceived game.

Everything here is pure computation; :mod:`crisislab.report` presents it.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from crisislab.compare.cruxes import Assumption, CruxSearch, find_cruxes
from crisislab.compare.explain import crux_sentence, tied
from crisislab.compare.views import (
    ConflictModel,
    Settings,
    View,
    ViewResult,
    all_views,
    analyse_view_lazily,
    analyse_views,
    check_bloc_concepts,
)
from crisislab.conflict.coalitions import CoalitionalImprovement, pair_improvements
from crisislab.conflict.concepts import Concept
from crisislab.conflict.graph import ConflictGraph
from crisislab.conflict.hypergame import FirstLevel, SecondLevel, first_level, second_level
from crisislab.conflict.stability import SanctionMemo
from crisislab.errors import input_error
from crisislab.model.describe import actor_name, state_words
from crisislab.model.lenses import (
    apply_overrides,
    lens_scenario,
    perception_lens,
    second_level_scenario,
)
from crisislab.model.scenario import Lens, PreferenceOverride, Scenario
from crisislab.model.states import StateSpace
from crisislab.provenance import Provenance, canonical_json

if TYPE_CHECKING:
    import pandas as pd

DEFAULT_CONCEPTS: tuple[Concept, ...] = ("nash", "gmr", "smr", "seq")
CONCEPT_NAMES = {"nash": "Nash", "gmr": "GMR", "smr": "SMR", "seq": "SEQ", "sim": "SIM",
                 "seqsim": "SEQ+SIM"}
HEADLINE_ORDER = ("seq", "nash", "smr", "gmr", "seqsim", "sim")

Path = list[tuple[int, int, int]]


StabilityFn = Callable[[ConflictGraph], Mapping[str, np.ndarray]]


def stability_function(concepts: Sequence[str], mode: str = "legal",
                       sim_variant: str | None = None,
                       memo: SanctionMemo | None = None) -> StabilityFn:
    """graph -> concept -> (n_actors, n_states) stability, from the stability engine
    (``memo``: sanctions shared with other analyses of the same moves)."""
    from crisislab.conflict.stability import analyze_stability

    def run(graph: ConflictGraph) -> dict[str, np.ndarray]:
        kwargs: dict[str, Any] = {"concepts": tuple(concepts), "mode": mode, "memo": memo}
        if sim_variant is not None:
            kwargs["sim_variant"] = sim_variant
        res = analyze_stability(graph, **kwargs)
        return {c: np.asarray(res.stable[c], dtype=bool) for c in concepts}

    return run


def reusing(stab: StabilityFn, results: Sequence[ViewResult]) -> StabilityFn:
    """``stab`` that answers from the views' stored stability when a graph has the same
    moves (no commitment) and payoffs as a view, and remembers what it computes, so
    hypergames and what-ifs do not recompute a view's stability."""
    moves = results[0].graph.moves if results else None
    cache: dict[bytes, Mapping[str, np.ndarray]] = {
        vr.graph.payoffs.tobytes(): vr.stable for vr in results if vr.graph.moves is moves}

    def run(graph: ConflictGraph) -> Mapping[str, np.ndarray]:
        if graph.moves is not moves:
            return stab(graph)
        key = graph.payoffs.tobytes()
        if key not in cache:
            cache[key] = stab(graph)
        return cache[key]

    return run


def headline(concepts: Sequence[str]) -> str:
    """The concept summaries lead with: SEQ when computed (sanctions must be credible)."""
    for c in HEADLINE_ORDER:
        if c in concepts:
            return c
    return concepts[0]


@dataclass(frozen=True)
class Conclusion:
    """A statement whose truth can differ between views.

    Kinds: ``equilibrium`` (is ``state`` an equilibrium), ``path`` (the states a start
    leads to), ``outcome`` (the named outcomes a start ends in: war or a deal), and
    ``best_policy`` (the starts whose worst end state ``actor`` likes best, by its own
    preferences in the view: which policy is better for that actor).
    """

    kind: str
    concept: str
    state: int | None = None  # equilibrium
    start: str | None = None  # path, outcome: start id
    actor: str | None = None  # best_policy
    outcome_ids: tuple[str, ...] = ()  # outcome: the scenario's outcome ids, in order

    def value(self, result: ViewResult) -> Hashable:
        """The conclusion's value in one view (compared across views to find cruxes)."""
        if self.kind == "equilibrium":
            assert self.state is not None
            return bool(result.stable[self.concept][:, self.state].all())
        if self.kind == "outcome":
            assert self.start is not None and result.outcome_of is not None
            return frozenset(self.outcome_ids[k] if k >= 0 else "no named outcome"
                             for k in result.outcome_of[
                                 list(result.paths[self.start][self.concept])].tolist())
        if self.kind == "best_policy":
            assert self.actor is not None
            return best_policies(result, self.actor, self.concept)
        assert self.start is not None
        return frozenset(result.paths[self.start][self.concept])


def best_policies(result: ViewResult, actor: str, concept: str) -> frozenset[str]:
    """The starts (status quo, policies) whose worst reachable end state the actor
    prefers most, by its own preferences in this view (a start reaching no stable
    state counts as worst)."""
    u = result.graph.payoffs[result.graph.actor_index(actor)]
    worst = {sid: (min(float(u[e]) for e in by[concept]) if by[concept] else float("-inf"))
             for sid, by in result.paths.items()}
    top = max(worst.values(), default=float("-inf"))
    return frozenset(sid for sid, w in worst.items() if w == top)


@dataclass(frozen=True)
class HypergameReading:
    """A first-level hypergame under one concept: the states stable for every actor in
    its own view, those of them that are not equilibria of the base case (held only by
    misperception), and what each actor expects to persist (second level, by actor id;
    empty without it)."""

    equilibria: tuple[int, ...]
    misperception: tuple[int, ...]
    expected: tuple[tuple[str, tuple[int, ...]], ...]


@dataclass(frozen=True)
class Crux:
    """Minimal sets of assumptions deciding one conclusion between two views."""

    conclusion: Conclusion
    view_a: str
    view_b: str
    value_a: Hashable
    value_b: Hashable
    assumptions: tuple[Assumption, ...]
    sets: tuple[tuple[int, ...], ...]
    exhaustive: bool
    text: str
    sentences: tuple[str, ...]


@dataclass(frozen=True)
class CruxGroup:
    """Cruxes of one view pair that share their minimal sets: one explanation, many
    conclusions.  ``members`` index :attr:`ConflictAnalysis.cruxes`."""

    concept: str
    view_a: str
    view_b: str
    sets: tuple[tuple[int, ...], ...]
    members: tuple[int, ...]


def group_cruxes(cruxes: Sequence[Crux], pair_order: Sequence[tuple[str, str]],
                 concept: str | None = None) -> list[CruxGroup]:
    """Group cruxes for presentation, most useful first.

    Order: groups that decide where a starting point leads, then view pairs in
    the order they are compared (perceptions first), then fewer assumptions,
    then more conclusions decided.
    """
    rank = {pair: k for k, pair in enumerate(pair_order)}
    groups: dict[tuple[str, str, str, object], list[int]] = {}
    for k, cr in enumerate(cruxes):
        if concept is not None and cr.conclusion.concept != concept:
            continue
        keys = tuple(tuple(cr.assumptions[i].key for i in s) for s in cr.sets)
        groups.setdefault((cr.conclusion.concept, cr.view_a, cr.view_b, keys), []).append(k)
    out = []
    for (c, va, vb, _keys), members in groups.items():
        members.sort(key=lambda k: (cruxes[k].conclusion.kind != "path",
                                    cruxes[k].conclusion.start or "",
                                    cruxes[k].conclusion.state or 0))
        out.append(CruxGroup(c, va, vb, cruxes[members[0]].sets, tuple(members)))

    def order(g: CruxGroup) -> tuple[int, int, int, int]:
        paths = sum(cruxes[k].conclusion.kind == "path" for k in g.members)
        return (paths == 0, rank.get((g.view_a, g.view_b), len(rank)),
                min((len(s) for s in g.sets), default=99), -len(g.members))

    out.sort(key=order)
    return out


@dataclass(frozen=True)
class WhatIf:
    """A single change to ``holder``'s perception of ``actor`` and what it stabilises."""

    holder: str
    actor: str
    change: str
    concept: str
    new_equilibria: tuple[int, ...]
    lost_equilibria: tuple[int, ...]


@dataclass
class ConflictAnalysis:
    """Everything the conflict engines found about one scenario."""

    scenario: Scenario
    model: ConflictModel
    concepts: tuple[str, ...]
    mode: str
    views: list[ViewResult]
    hypergame: FirstLevel | None
    second_level: SecondLevel | None
    cruxes: list[Crux]
    what_if: list[WhatIf]
    provenance: Provenance
    coalitions: list[CoalitionalImprovement] = field(default_factory=list)
    """Joint moves of two actors, from the status quo and the base case's headline-concept
    equilibria, to states both prefer (Kilgour, Hipel, Fang & Peng 2001)."""
    cruxes_searched: bool = True
    paths: str = "credible"
    sim_variant: str | None = None
    crux_concepts: tuple[str, ...] | None = None
    """The concepts whose conclusions the crux search covered (None: every concept of
    the analysis); a terminal summary, which shows the headline concept's cruxes,
    searches that concept alone."""

    def searched(self) -> tuple[str, ...]:
        """The concepts whose cruxes were searched (none when the search was skipped)."""
        if not self.cruxes_searched:
            return ()
        return self.concepts if self.crux_concepts is None else self.crux_concepts

    def compared_pairs(self) -> list[tuple[str, str]]:
        """The view pairs the crux search compares (each perception pair, each lens vs
        the base case)."""
        return view_pairs([vr.view for vr in self.views])

    def crux_groups(self, concept: str | None = None) -> list[CruxGroup]:
        """Cruxes grouped for presentation (see :func:`group_cruxes`)."""
        pairs = [(a.id, b.id) for a, b in _pairs([vr.view for vr in self.views])]
        return group_cruxes(self.cruxes, pairs, concept)

    def view(self, view_id: str = "base") -> ViewResult:
        """The result of one view (``base`` or a lens id); KeyError if unknown."""
        for v in self.views:
            if v.view.id == view_id:
                return v
        raise KeyError(view_id)

    def equilibria(self, concept: str, view: str = "base") -> list[int]:
        """Indices of the states stable for every actor under ``concept`` in one view."""
        return self.view(view).equilibria(concept)

    def by_outcome(self, states: Sequence[int]) -> tuple[tuple[str, tuple[int, ...]], ...]:
        """``states`` grouped by named outcome: (label, states) in the scenario's order of
        outcomes, states in no named outcome last ("no named outcome"); empty when the
        scenario names no outcomes (graph form)."""
        if not self.scenario.outcomes or self.model.space.is_graph_form:
            return ()
        of = self.model.outcome_of
        groups = [(o.label, tuple(int(s) for s in states if int(of[s]) == k))
                  for k, o in enumerate(self.scenario.outcomes)]
        groups.append(("no named outcome", tuple(int(s) for s in states if int(of[s]) < 0)))
        return tuple((label, members) for label, members in groups if members)

    def outcome_counts(self, concept: str) -> tuple[tuple[str, tuple[int, ...]], ...]:
        """How many ``concept`` equilibria each named outcome has in each view: (label,
        one count per view in the order of :attr:`views`), in the scenario's order of
        outcomes, outcomes with none in any view left out; empty without named outcomes."""
        per_view = [dict((label, len(m)) for label, m in self.by_outcome(vr.equilibria(concept)))
                    for vr in self.views]
        labels = [o.label for o in self.scenario.outcomes] + ["no named outcome"]
        return tuple((label, tuple(n.get(label, 0) for n in per_view)) for label in labels
                     if any(label in n for n in per_view))

    def hypergame_reading(self, concept: str) -> HypergameReading | None:
        """The hypergame under ``concept`` as a report shows it (None without lenses of
        perception)."""
        hg = self.hypergame
        if hg is None:
            return None
        eq = tuple(int(s) for s in hg.equilibria(concept))
        base = set(self.equilibria(concept))
        sl = self.second_level
        expected = () if sl is None else tuple(
            (a, tuple(int(s) for s in sl.expected_equilibria(concept, i)))
            for i, a in enumerate(self.model.space.actors))
        return HypergameReading(eq, tuple(s for s in eq if s not in base), expected)

    def describe(self, index: int) -> str:
        """The state in words, led by its outcome's name where the scenario names one."""
        words = state_words(self.scenario, self.model.space, index)
        k = int(self.model.outcome_of[index])
        return f"{self.scenario.outcomes[k].label}: {words}" if k >= 0 else words

    def state_id(self, index: int) -> str:
        """The ordinal id (``sN``) of the state at ``index``."""
        return self.model.space.state_id(index)

    def conclusion_text(self, c: Conclusion) -> str:
        """A conclusion in words."""
        return conclusion_text(self.scenario, self.model.space, c, self.model.outcome_of)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data: views, equilibria (ordinal ids), cruxes, what-ifs, provenance."""
        from crisislab.compare.serialize import analysis_dict

        return analysis_dict(self)

    def to_json(self) -> str:
        """Deterministic JSON (sorted keys, fixed float formatting)."""
        return canonical_json(self.to_dict())

    def __repr__(self) -> str:
        c = headline(self.concepts)
        eq = self.equilibria(c)
        base = (", ".join(self.state_id(s) for s in eq[:8]) or "none") + \
            (f" … ({len(eq)})" if len(eq) > 8 else "")
        return (f"<ConflictAnalysis {self.scenario.metadata.title!r}: {self.model.space.n} "
                f"states, {len(self.views)} views, {len(self.cruxes)} cruxes; "
                f"{CONCEPT_NAMES.get(c, c)} equilibria of the base case: {base}>")

    def _repr_html_(self) -> str:
        from crisislab.display import html

        return html(self)

    def to_pandas(self) -> pd.DataFrame:
        """One row per (view, concept, actor, state) with the stability verdict."""
        import pandas as pd

        space = self.model.space
        n, actors = space.n, list(space.actors)
        blocks = []
        for vr in self.views:
            for c in self.concepts:
                blocks.append(pd.DataFrame({
                    "view": vr.view.id, "concept": c,
                    "actor": np.repeat(actors, n),
                    "state": np.tile([space.state_id(k) for k in range(n)], len(actors)),
                    "code": np.tile(space.codes, len(actors)),
                    "stable": np.asarray(vr.stable[c], dtype=bool).ravel()}))
        return pd.concat(blocks, ignore_index=True)


def _perceived(scenario: Scenario) \
        -> tuple[list[Scenario], list[list[Scenario]], list[Lens | None]] | None:
    """G_i and G_j^i as scenarios, with each row's holder lens (whose unperceived
    states shape every game the holder imagines)."""
    actors = scenario.actor_ids()
    lenses = {a: perception_lens(scenario, a) for a in actors}
    if not any(lenses.values()):
        return None
    first = [lens_scenario(scenario, lenses[a]) for a in actors]
    second = []
    for i, a in enumerate(actors):
        lens = lenses[a]
        row = [second_level_scenario(scenario, lens, b) if lens is not None else first[i]
               for b in actors]
        row[i] = first[i]
        second.append(row)
    return first, second, [lenses[a] for a in actors]


def _pairs(views: Sequence[View]) -> list[tuple[View, View]]:
    """The view pairs the crux search compares: each pair of perception lenses (whose
    disagreement is the crisis), then every lens against the base case."""
    base = next(v for v in views if v.kind == "base")
    perceptions = [v for v in views if v.kind == "perception"]
    pairs = list(itertools.combinations(perceptions, 2))
    pairs += [(base, v) for v in views if v.kind != "base"]
    return pairs


def view_pairs(views: Sequence[View]) -> list[tuple[str, str]]:
    """Ids of the view pairs the crux search compares, in order (see :func:`_pairs`)."""
    return [(a.id, b.id) for a, b in _pairs(views)]


def analyse(scenario: Scenario, *, concepts: Sequence[str] = DEFAULT_CONCEPTS,
            mode: str = "legal", sim_variant: str | None = None, cruxes: bool = True,
            crux_concepts: Sequence[str] | None = None,
            what_if: bool = True, max_exhaustive: int = 12,
            progress: Callable[[str], None] | None = None,
            stability: StabilityFn | None = None, paths: str = "credible",
            timings: dict[str, float] | None = None,
            ) -> ConflictAnalysis:
    """The full conflict analysis of ``scenario`` (see the module docstring).

    ``paths``: ``credible`` (an actor leaves only a state unstable for it, by an
    undeterred improvement) or ``improvements`` (any unilateral improvement).
    ``crux_concepts``: the concepts whose conclusions the crux search covers (None:
    every concept); a report that shows one concept's cruxes asks for that one alone,
    since each concept's search costs as much again.
    ``timings``, when given, receives the CPU seconds of each phase.
    """
    import time

    concepts = tuple(concepts)
    searched = searched_concepts(concepts, crux_concepts) if cruxes else ()
    settings = Settings(concepts, mode, sim_variant, paths)
    memo = SanctionMemo()  # views, hypergames, cruxes, what-ifs: a few preferences vary
    stab = stability or stability_function(concepts, mode, sim_variant, memo)
    note = progress or (lambda _msg: None)
    clock = [time.process_time()]

    def lap(phase: str) -> None:
        now = time.process_time()
        if timings is not None:
            timings[phase] = timings.get(phase, 0.0) + now - clock[0]
        clock[0] = now

    note("building states and moves")
    model = ConflictModel(scenario)
    check_bloc_concepts(model.starts(), concepts)
    views = all_views(scenario)
    lap("build")
    note(f"stability under {len(views)} views")
    results = []
    for view in views:  # a progress report per view: a caller can stop between them
        note(f"stability under {len(views)} views")
        results.extend(analyse_views(model, [view], settings, memo))
    if stability is None:  # hypergames and what-ifs reuse the views' stability
        stab = reusing(stab, results)
    lap("stability and paths")

    hyper = second = None
    perceived = _perceived(scenario)
    if perceived is not None:
        note("hypergames")
        first_sc, second_sc, holders = perceived
        graphs: dict[tuple[int, str | None], ConflictGraph] = {}

        def seen(sc: Scenario, lens: Lens | None) -> ConflictGraph:
            key = (id(sc), lens.id if lens is not None and lens.unperceived else None)
            if key not in graphs:
                graphs[key] = model.graph_for(sc, lens)
            return graphs[key]

        hyper = first_level([seen(s, holders[i]) for i, s in enumerate(first_sc)], stab,
                            concepts)
        second = second_level([[seen(s, holders[i]) for s in row]
                               for i, row in enumerate(second_sc)], stab, concepts)

    lap("hypergames")
    note("coalitions")
    base = results[0]
    lead = headline(concepts)
    sources = sorted(set(base.equilibria(lead)) | {st for _i, _l, st in model.start_states()
                                                   if _i == "status_quo"})
    pairs = pair_improvements(base.graph, sources) \
        if len(scenario.actors) > 2 else []

    lap("coalitions")
    found: list[Crux] = []
    if cruxes:
        note("cruxes")
        found = _all_cruxes(scenario, model, views, results,
                            replace(settings, concepts=searched), max_exhaustive, note, memo)
    lap("cruxes")
    changes: list[WhatIf] = []
    if what_if:
        note("what-if changes of perception")
        changes = _what_if(scenario, model, reusing(stability_function(
            (lead,), mode, sim_variant, memo), results) if stability is None else stab,
            (lead,))
    lap("what-if")
    prov = Provenance(method="gmcr.analysis",
                      parameters={"concepts": list(concepts), "mode": mode,
                                  "sim_variant": sim_variant, "max_exhaustive": max_exhaustive,
                                  "paths": paths, "views": [v.id for v in views],
                                  "crux_concepts": list(searched)},
                      scenario=scenario.metadata.title)
    return ConflictAnalysis(scenario, model, concepts, mode, results, hyper, second, found,
                            changes, prov, pairs, cruxes_searched=cruxes, paths=paths,
                            sim_variant=sim_variant, crux_concepts=searched)


def searched_concepts(concepts: Sequence[str], crux_concepts: Sequence[str] | None
                      ) -> tuple[str, ...]:
    """The analysed concepts whose cruxes are searched, in the analysis's order; a
    concept the analysis does not compute is refused, naming the ones it does."""
    if crux_concepts is None:
        return tuple(concepts)
    odd = [c for c in crux_concepts if c not in concepts]
    if odd:
        raise input_error("cruxes asked for a concept the analysis does not compute",
                          value=", ".join(odd), expected="among " + ", ".join(concepts))
    return tuple(c for c in concepts if c in crux_concepts)


def _moves_key(view: View) -> str | None:
    """Which moves a view uses: those of the perception lens that hides states, or the
    shared ones (None)."""
    lens = view.lens
    return lens.id if view.kind == "perception" and lens is not None and lens.unperceived \
        else None


def _evaluator(model: ConflictModel, settings: Settings, seeds: Sequence[ViewResult] = (),
               seen_by: Lens | None = None, memo: SanctionMemo | None = None
               ) -> Callable[[Scenario], ViewResult]:
    """The view analysis of any variant of the scenario (the crux search's evaluations).

    Cruxes vary preferences; the moves stay those of view A (``seen_by``: its
    perception lens, whose unperceived states remove moves).  Variants with the same
    payoffs share one analysis, and the views already analysed on the same moves
    answer for themselves.  A variant's analysis computes only what the conclusions
    read of it (:func:`~crisislab.compare.views.analyse_view_lazily`), with the
    sanctions ``memo`` shared by the whole search."""
    moves = seen_by.id if seen_by is not None and seen_by.unperceived else None
    known: dict[bytes, ViewResult] = {vr.graph.payoffs.tobytes(): vr for vr in seeds
                                      if _moves_key(vr.view) == moves}

    def run(sc: Scenario) -> ViewResult:
        graph = model.graph_for(sc, seen_by)
        key = graph.payoffs.tobytes()
        if key not in known:
            view = View("crux", "crux", "perception" if moves is not None else "analyst",
                        None, seen_by, sc)
            known[key] = analyse_view_lazily(model, view, settings, graph, memo)
        return known[key]

    return run


def _conclusions(a: ViewResult, b: ViewResult, concepts: Sequence[str],
                 outcome_ids: Sequence[str] = ()) -> list[Conclusion]:
    out: list[Conclusion] = []
    for c in concepts:
        candidates = [Conclusion("path", c, start=sid) for sid in a.paths]
        if outcome_ids:
            candidates += [Conclusion("outcome", c, start=sid, outcome_ids=tuple(outcome_ids))
                           for sid in a.paths]
        if len(a.paths) > 1:
            candidates += [Conclusion("best_policy", c, actor=actor)
                           for actor in a.graph.actors]
        for concl in candidates:
            if concl.value(a) != concl.value(b):
                out.append(concl)
        ea = a.stable[c].all(axis=0)
        eb = b.stable[c].all(axis=0)
        for s in np.flatnonzero(ea != eb).tolist():
            out.append(Conclusion("equilibrium", c, state=int(s)))
    return out


def _all_cruxes(scenario: Scenario, model: ConflictModel, views: Sequence[View],
                results: Sequence[ViewResult], settings: Settings,
                max_exhaustive: int,
                note: Callable[[str], None] = lambda _msg: None,
                memo: SanctionMemo | None = None) -> list[Crux]:
    """Every conclusion on which two views differ, with the smallest sets of assumptions
    that decide it.  ``note`` is told each pair of views before each conclusion's
    search: seconds of work in all, so a caller can report progress (and stop a search
    it no longer needs) between them."""
    concepts = settings.concepts
    by_id = {r.view.id: r for r in results}
    evaluators: dict[str | None, Callable[[Scenario], ViewResult]] = {}
    if memo is None:  # variants mostly keep each actor's ranking: sanctions repeat
        memo = SanctionMemo()
    out: list[Crux] = []
    for va, vb in _pairs(views):
        moves = _moves_key(va)
        if moves not in evaluators:
            evaluators[moves] = _evaluator(model, settings, results,
                                           va.lens if moves is not None else None, memo)
        evaluate = evaluators[moves]
        ra, rb = by_id[va.id], by_id[vb.id]
        conclusions = _conclusions(ra, rb, concepts, scenario.outcome_ids())
        if not conclusions:
            continue
        scenarios: dict[frozenset[int], Scenario] = {}
        cache: dict[int, ViewResult] = {}

        def cached(sc: Scenario, _cache: dict[int, ViewResult] = cache,
                   _evaluate: Callable[[Scenario], ViewResult] = evaluate) -> ViewResult:
            key = id(sc)  # each subset's scenario is built once and kept in `scenarios`
            if key not in _cache:
                _cache[key] = _evaluate(sc)
            return _cache[key]

        for concl in conclusions:
            note(f"cruxes: {va.name} vs {vb.name}")

            def decide(sc: Scenario, c: Conclusion = concl) -> Hashable:
                return c.value(cached(sc))

            search = find_cruxes(scenario, va.lens, vb.lens, decide,
                                 max_exhaustive=max_exhaustive, scenarios=scenarios)
            out.append(_make_crux(scenario, model, concl, va, vb, ra, rb, search))
    return out


def _make_crux(scenario: Scenario, model: ConflictModel, concl: Conclusion, va: View,
               vb: View, ra: ViewResult, rb: ViewResult, search: CruxSearch) -> Crux:
    text = conclusion_text(scenario, model.space, concl, model.outcome_of)
    contrast = contrast_text(scenario, model.space, concl, concl.value(ra), concl.value(rb),
                             va.name, vb.name, model.outcome_of)
    sentences = tuple(
        crux_sentence(contrast, scenario, [search.assumptions[i] for i in s], va.name,
                      vb.name)
        for s in search.cruxes)
    return Crux(concl, va.id, vb.id, concl.value(ra), concl.value(rb), search.assumptions,
                search.cruxes, search.exhaustive, text, sentences)


def _outcome_label(scenario: Scenario, space: StateSpace, index: int,
                   outcome_of: np.ndarray | None = None) -> str | None:
    """The name of the state's outcome, None where the scenario names none for it
    (``outcome_of``: the outcome of every state, when the caller holds it)."""
    from crisislab.model.outcomes import outcome_of_states

    if not scenario.outcomes or space.is_graph_form:
        return None
    if outcome_of is None:
        outcome_of = outcome_of_states(scenario, space)
    k = int(outcome_of[index])
    return scenario.outcomes[k].label if k >= 0 else None


def _named(scenario: Scenario, space: StateSpace, index: int,
           outcome_of: np.ndarray | None = None) -> str:
    """A state in words, led by its outcome's name where the scenario names one."""
    words = state_words(scenario, space, index)
    label = _outcome_label(scenario, space, index, outcome_of)
    return f"{label}: {words}" if label is not None else words


def _short(scenario: Scenario, space: StateSpace, index: int,
           outcome_of: np.ndarray | None = None) -> str:
    """A state by its outcome's name alone where the scenario names one, else in words."""
    label = _outcome_label(scenario, space, index, outcome_of)
    return label if label is not None else state_words(scenario, space, index)


def conclusion_text(scenario: Scenario, space: StateSpace, c: Conclusion,
                    outcome_of: np.ndarray | None = None) -> str:
    """A conclusion as the start of a sentence ("whether s5 (...) is a SEQ equilibrium");
    ``outcome_of`` (the outcome of every state) spares recomputing it per conclusion."""
    name = CONCEPT_NAMES.get(c.concept, c.concept)
    if c.kind == "best_policy":
        assert c.actor is not None
        return (f"which policy is best for {actor_name(scenario, c.actor)} by its own "
                f"preferences over where each leads ({name})")
    if c.kind == "equilibrium":
        assert c.state is not None
        return (f"whether {space.state_id(c.state)} "
                f"({_named(scenario, space, c.state, outcome_of)})"
                f" is a {name} equilibrium")
    label = _start_label(scenario, c.start)
    if c.kind == "outcome":
        return f"which named outcome {label} ends in ({name})"
    return f"where {label} leads ({name})"


def _start_label(scenario: Scenario, start: str | None) -> str:
    if start == "status_quo":
        return "the status quo"
    return next((p.label for p in scenario.policies if p.id == start), str(start))


def _either(words: list[str], empty: str) -> str:
    return " or ".join(words) if words else empty


def contrast_text(scenario: Scenario, space: StateSpace, c: Conclusion, value_a: Hashable,
                  value_b: Hashable, view_a: str, view_b: str,
                  outcome_of: np.ndarray | None = None) -> str:
    """What two views conclude, view B's answer first, as the opening of a crux sentence:
    "The status quo ends in Escalation under Pyongyang's view and in Stalemate under
    Washington's view (SEQ)".  Named outcomes and policies by their labels, in the
    scenario's order; states by id with their outcome's name (or in words)."""
    name = CONCEPT_NAMES.get(c.concept, c.concept)
    label = _start_label(scenario, c.start)
    head = label[0].upper() + label[1:]
    if c.kind == "outcome":
        labels = {o.id: o.label for o in scenario.outcomes}
        order = [*labels, "no named outcome"]

        def ends(v: Hashable) -> str:
            assert isinstance(v, frozenset)
            return _either([labels.get(o, o) for o in order if o in v],
                           "no stable outcome")

        return (f"{head} ends in {ends(value_b)} under {view_b} and in {ends(value_a)} "
                f"under {view_a} ({name})")
    if c.kind == "path":
        def states(v: Hashable) -> str:
            assert isinstance(v, frozenset)
            return _either([f"{space.state_id(s)} ({_short(scenario, space, s, outcome_of)})"
                            for s in sorted(v)], "no stable state")

        return (f"{head} leads to {states(value_b)} under {view_b} and to "
                f"{states(value_a)} under {view_a} ({name})")
    if c.kind == "best_policy":
        assert c.actor is not None
        order = ["status_quo", *(p.id for p in scenario.policies)]

        def best(v: Hashable) -> str:
            assert isinstance(v, frozenset)
            return tied([_start_label(scenario, s) for s in order if s in v])

        return (f"The best policy for {actor_name(scenario, c.actor)} by its own preferences "
                f"over where each leads is {best(value_b)} under {view_b} and "
                f"{best(value_a)} under {view_a} ({name})")
    assert c.state is not None
    state = f"{space.state_id(c.state)} ({_named(scenario, space, c.state, outcome_of)})"
    yes, no = (view_b, view_a) if value_b else (view_a, view_b)
    return f"State {state} is a {name} equilibrium under {yes} but not under {no}"


def _statement_edits(scenario: Scenario, actor: str) -> list[tuple[str, list[PreferenceOverride]]]:
    """Single edits of an actor's prioritization: remove, negate, or move one statement."""
    pref = scenario.preferences[actor]
    if pref.prioritization is None:
        return []
    sts = pref.statements()
    edits: list[tuple[str, list[PreferenceOverride]]] = []
    for k, st in enumerate(sts):
        assert st.id is not None
        edits.append((f"drop '{st.formula}'",
                      [PreferenceOverride(actor=actor, statement=st.id, remove=True)]))
        edits.append((f"reverse '{st.formula}' to 'not ({st.formula})'",
                      [PreferenceOverride(actor=actor, statement=st.id,
                                          formula=f"not ({st.formula})")]))
        for pos in range(1, len(sts) + 1):
            if pos != k + 1:
                edits.append((f"move '{st.formula}' to priority {pos}",
                               [PreferenceOverride(actor=actor, statement=st.id,
                                                   formula=st.formula, position=pos)]))
    return edits


def _what_if(scenario: Scenario, model: ConflictModel,
             stab: StabilityFn,
             concepts: Sequence[str]) -> list[WhatIf]:
    out: list[WhatIf] = []
    for holder in scenario.actor_ids():
        lens = perception_lens(scenario, holder)
        if lens is None:
            continue
        seen = lens_scenario(scenario, lens)
        base = stab(model.graph_for(seen, lens))
        base_eq = {c: set(np.flatnonzero(base[c].all(axis=0)).tolist()) for c in concepts}
        cache: dict[bytes, Mapping[str, np.ndarray]] = {}
        for actor in scenario.actor_ids():
            if actor == holder:
                continue
            for change, ovs in _statement_edits(seen, actor):
                graph = model.graph_for(apply_overrides(seen, ovs), lens)
                key = graph.payoffs.tobytes()
                if key not in cache:
                    cache[key] = stab(graph)
                res = cache[key]
                for c in concepts:
                    eq = set(np.flatnonzero(res[c].all(axis=0)).tolist())
                    new = tuple(sorted(eq - base_eq[c]))
                    lost = tuple(sorted(base_eq[c] - eq))
                    if new or lost:
                        out.append(WhatIf(holder, actor,
                                          f"{actor_name(scenario, holder)} sees "
                                          f"{actor_name(scenario, actor)}: {change}",
                                          c, new, lost))
    return out
