"""The one analysis pipeline: every policy x every view x every engine.

1. the conflict under every view (:func:`crisislab.compare.analysis.analyse`):
   stability once per view and commitment, the credible paths from the status
   quo and each policy, hypergames, cruxes, what-ifs;
2. each end state named by the scenario's outcomes;
3. each game under every policy and view: the view's parameters and the
   policy's setting applied together (:func:`crisislab.games.policy.game_under_policy`),
   every equilibrium kept;
4. the negotiation forecasts under every view that changes an issue;
5. for each policy that makes no difference in a view, the reason in words,
   derived from the computed paths (the mover that undoes the policy and the
   preference statement that decides its move);
6. the comparisons the crux search made and the executive summary.

Reports render the :class:`~crisislab.compare.scenario_analysis.ScenarioAnalysis`
this returns; they call no engine.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Any

import numpy as np

from crisislab.bargaining.results import ForecastSet
from crisislab.compare.analysis import (
    CONCEPT_NAMES,
    DEFAULT_CONCEPTS,
    ConflictAnalysis,
    _conclusions,
    analyse,
    headline,
)
from crisislab.compare.engine_cruxes import (
    FORECAST_MODEL,
    EngineCrux,
    forecast_cruxes,
    game_cruxes,
    overrides_key,
)
from crisislab.compare.qre_curves import qre_curves
from crisislab.compare.reuse import PipelineCache, conflict_key, forecast_key, issue_part_key
from crisislab.compare.scenario_analysis import (
    STATUS_QUO,
    Comparison,
    EndState,
    ForecastValue,
    GameCurve,
    GameOutcome,
    GameQRECurve,
    PolicyHypergame,
    PolicyInfo,
    PolicyView,
    ScenarioAnalysis,
    Step,
    ViewInfo,
)
from crisislab.compare.summary import executive_summary
from crisislab.compare.views import Start, ViewResult
from crisislab.errors import input_error
from crisislab.games.results import GameSolution
from crisislab.games.spec import TemplateGameSpec, TreeGameSpec, compile_game
from crisislab.model.describe import actor_name, state_words
from crisislab.model.logic import parse_formula
from crisislab.model.outcomes import outcome_of_states
from crisislab.model.scenario import Scenario, Statement
from crisislab.model.states import StateSpace
from crisislab.model.validate import scenario_warnings
from crisislab.provenance import Provenance

CURVE_POINTS = 21
Progress = Callable[[str], None]


def analyze_scenario(scenario: Scenario, *, concepts: Sequence[str] = DEFAULT_CONCEPTS,
                     mode: str = "legal", sim_variant: str | None = None,
                     cruxes: bool = True, crux_concepts: Sequence[str] | None = None,
                     lens_models: Sequence[str] | None = None,
                     what_if: bool = True, paths: str = "credible",
                     games: bool = True, forecasts: bool = True, curves: bool = False,
                     per_actor: Mapping[str, str] | None = None, per_actor_view: str = "base",
                     progress: Progress | None = None,
                     cache: PipelineCache | None = None) -> ScenarioAnalysis:
    """The whole analysis of a scenario (see the module docstring).

    ``per_actor`` (actor -> concept) adds the equilibria when each actor uses its own
    solution concept, in ``per_actor_view``; ``curves`` adds the games' outcome curves
    (one per view); ``games``/``forecasts`` leave those engines out when False;
    ``crux_concepts`` limits the conflict's crux search to those concepts (None: all);
    ``lens_models`` are the negotiation models run under each lens (None: every model
    but Nash bargaining; the base case always runs every model).
    ``cache`` keeps engine results between runs on edited versions of a scenario, so a
    rerun recomputes only what an edit touches (:mod:`crisislab.compare.reuse`).
    """
    if not scenario.has_conflict:
        raise input_error("this scenario has no options or graph to analyse",
                          value=scenario.metadata.title,
                          expected="a scenario with options (see 'crisislab solve' for games "
                          "and 'crisislab forecast' for issues)")
    timings: dict[str, float] = {}
    note = progress or (lambda _m: None)
    lens_models = _lens_models(lens_models)  # an unknown model is refused before any work
    settings = {"concepts": list(concepts), "mode": mode, "sim_variant": sim_variant,
                "cruxes": cruxes, "what_if": what_if, "paths": paths,
                "crux_concepts": None if crux_concepts is None else list(crux_concepts)}
    key = conflict_key(scenario, settings) if cache is not None else ""
    conflict = _conflict(scenario, settings, key, cache, note, timings)
    clock = time.process_time()
    space = conflict.model.space
    starts = conflict.model.starts()
    policies = tuple(PolicyInfo(st.id, st.label, st.kind, st.state, st.commit,
                                tuple(tuple(space.actors[k] for k in b) for b in st.blocs),
                                st.structure)
                     for st in starts)
    views = tuple(ViewInfo(vr.view.id, vr.view.name, vr.view.kind, vr.view.holder)
                  for vr in conflict.views)
    lead = headline(conflict.concepts)
    which = outcome_of_states(scenario, space)
    timings["outcomes"] = time.process_time() - clock
    clock = time.process_time()
    game_cells: dict[tuple[str, str], tuple[GameOutcome, ...]] = {}
    caches: dict[str, dict[str, GameSolution]] = {}
    if cache is not None:
        caches = {spec.id: cache.game_solutions(spec, scenario.metadata.title)
                  for spec in scenario.games}
    if games and scenario.games:
        note("games under every policy and view")
        game_cells = _games(scenario, starts, conflict, caches)
    timings["games"] = time.process_time() - clock
    clock = time.process_time()
    curve_list: tuple[GameCurve, ...] = ()
    if curves and games and scenario.games:
        note("outcome curves")
        curve_list = _curves(scenario, conflict)
    timings["curves"] = time.process_time() - clock
    clock = time.process_time()
    qre_list: tuple[GameQRECurve, ...] = ()
    if curves and games and scenario.games:
        note("quantal response curves")
        qre_list = qre_curves(scenario, [(vr.view.id, vr.view.name) for vr in conflict.views],
                              lambda view, game: _lens_parameters(scenario, view, game))
    timings["qre curves"] = time.process_time() - clock
    clock = time.process_time()
    fc: tuple[ForecastValue, ...] = ()
    fset = None
    if forecasts and scenario.issues:
        note("negotiation forecasts")
        fc, fset = _forecasts_cached(scenario, cache, lens_models)
    timings["forecasts"] = time.process_time() - clock
    clock = time.process_time()
    cells = _cells(scenario, conflict, starts, lead, which, paths, game_cells)
    timings["paths and reasons"] = time.process_time() - clock
    derived = cache.derived.get(key) if cache is not None else None
    if derived is None:
        derived = (_comparisons(conflict), _policy_hypergames(conflict, starts, lead))
        if cache is not None:
            cache.derived.put(key, derived)
    comparisons, hyper = derived
    clock = time.process_time()
    engine = _engine_cruxes(scenario, conflict, games, forecasts, caches, note, fset) \
        if cruxes else []
    timings["engine cruxes"] = time.process_time() - clock
    mixed = None
    if per_actor is not None:
        from crisislab.conflict.foresight import mixed_concepts

        mixed = mixed_concepts(conflict.view(per_actor_view).graph, dict(per_actor),
                               lens=per_actor_view)
    partial = ScenarioAnalysis(
        scenario=scenario, conflict=conflict, policies=policies, views=views,
        cells=tuple(cells), forecasts=fc, curves=curve_list, qre_curves=qre_list,
        comparisons=comparisons,
        cruxes_searched=cruxes, summary=(), warnings=tuple(scenario_warnings(scenario, space)),
        forecast_set=fset, per_actor=mixed, engine_cruxes=tuple(engine), hypergames=hyper,
        provenance=Provenance(
            method="crisislab.scenario_analysis",
            parameters={"concepts": list(conflict.concepts), "mode": mode,
                        "sim_variant": sim_variant, "paths": paths, "cruxes": cruxes,
                        "crux_concepts": list(conflict.searched()), "games": games,
                        "forecasts": forecasts, "lens_models": list(lens_models),
                        "policies": [p.id for p in policies],
                        "views": [v.id for v in views]},
            scenario=scenario.metadata.title))
    clock = time.process_time()
    summary = tuple(executive_summary(partial))
    timings["summary"] = time.process_time() - clock
    return replace(partial, summary=summary, timings=tuple(timings.items()))


def _conflict(scenario: Scenario, settings: dict[str, Any], key: str,
              cache: PipelineCache | None, note: Progress,
              timings: dict[str, float]) -> ConflictAnalysis:
    """The conflict's analysis: from ``cache`` when an earlier run with the same
    settings (or a fuller one, with the crux search) computed it, else computed."""
    reused = cache.conflicts.get(key) if cache is not None else None
    if reused is None and cache is not None and not settings["cruxes"] \
            and not settings["what_if"]:
        # a run with the crux search holds everything a run without it computes
        fuller = cache.conflicts.get(conflict_key(
            scenario, {**settings, "cruxes": True, "what_if": True, "crux_concepts": None}))
        if fuller is not None:
            reused = replace(fuller, cruxes=[], what_if=[], cruxes_searched=False)
    if reused is not None and cache is not None:
        cache.count("conflict")
        return replace(reused, scenario=scenario)
    conflict = analyse(scenario, concepts=settings["concepts"], mode=settings["mode"],
                       sim_variant=settings["sim_variant"], cruxes=settings["cruxes"],
                       crux_concepts=settings["crux_concepts"], what_if=settings["what_if"],
                       progress=note, paths=settings["paths"], timings=timings)
    if cache is not None:
        cache.conflicts.put(key, conflict)
    return conflict


def _forecasts_cached(scenario: Scenario, cache: PipelineCache | None,
                      lens_models: Sequence[str] | None = None
                      ) -> tuple[tuple[ForecastValue, ...], Any]:
    """The negotiation forecasts, from ``cache`` when the issues are unchanged."""
    models = _lens_models(lens_models)
    fkey = forecast_key(scenario, models) if cache is not None else ""
    kept = cache.forecasts.get(fkey) if cache is not None else None
    if kept is not None and cache is not None:
        cache.count("forecasts")
        return kept
    fc, fset = _forecasts(scenario, cache, models)
    if cache is not None:
        cache.forecasts.put(fkey, (fc, fset))
    return fc, fset


def _cells(scenario: Scenario, conflict: ConflictAnalysis, starts: Sequence[Start],
           lead: str, which: Any, paths: str,
           game_cells: Mapping[tuple[str, str], tuple[GameOutcome, ...]]
           ) -> list[PolicyView]:
    """Where each policy ends under each view, and whether (and why not) it differs
    from the status quo."""
    space = conflict.model.space
    cells = []
    for vr in conflict.views:
        sq_ends = _ends(scenario, space, vr, STATUS_QUO, lead, which) \
            if any(st.id == STATUS_QUO for st in starts) else None
        for st in starts:
            ends = _ends(scenario, space, vr, st.id, lead, which)
            differs = None
            why = None
            if st.id != STATUS_QUO and sq_ends is not None:
                differs = {e.state for e in ends} != {e.state for e in sq_ends}
                if not differs:
                    why = why_no_difference(scenario, space, vr, st, starts, ends, lead)
            cells.append(PolicyView(st.id, vr.view.id, lead, paths, ends,
                                    game_cells.get((st.id, vr.view.id), ()), differs, why))
    return cells


def _engine_cruxes(scenario: Scenario, conflict: ConflictAnalysis, games: bool,
                   forecasts: bool, caches: dict[str, dict[str, GameSolution]],
                   note: Progress, fset: ForecastSet | None = None) -> list[EngineCrux]:
    """Which assumption of the games and the forecasts, changed to another view's
    value, changes their answer, for every pair of views the conflict compares."""
    engine: list[EngineCrux] = []
    pairs = conflict.compared_pairs()
    if games and scenario.games:
        note("cruxes of the games")
        methods = {spec.id: summary_method(spec) for spec in scenario.games}

        def solve(spec: TemplateGameSpec | TreeGameSpec, policy: str | None,
                  settings: list[dict[str, Any]]) -> list[list[dict[str, float]]]:
            note("cruxes of the games")  # per solve: seconds in all, reported finely
            sols = _solve_many(spec, policy, settings, ["base"] * len(settings),
                               scenario.metadata.title, methods[spec.id],
                               caches.setdefault(spec.id, {}), select=False)
            return [[dict(e.outcome_probabilities) for e in sol.equilibria] for sol in sols]

        engine += game_cruxes(scenario, pairs, solve)
    if forecasts and scenario.issues:
        note("cruxes of the forecasts")
        engine += forecast_cruxes(scenario, pairs, _headline_forecasts(scenario, fset))
    return engine


def _headline_forecasts(scenario: Scenario, fset: ForecastSet | None
                        ) -> dict[tuple[str, str], Sequence[float]]:
    """The forecasts phase's results of the model the forecast cruxes read, by issue
    and overrides (:func:`~crisislab.compare.engine_cruxes.overrides_key`)."""
    out: dict[tuple[str, str], Sequence[float]] = {}
    for f in fset.forecasts if fset is not None else []:
        if f.model == FORECAST_MODEL:
            lz = _lens(scenario, f.lens)
            over = lz.issues.get(f.issue) if lz is not None else None
            out[f.issue, overrides_key(over)] = f.forecast
    return out


# -- conflict ends -------------------------------------------------------------------
def _ends(scenario: Scenario, space: StateSpace, vr: ViewResult, start: str, concept: str,
          which: np.ndarray) -> tuple[EndState, ...]:
    out = []
    actors = vr.movers_of(start)
    for e, path in sorted(vr.paths[start][concept].items()):
        k = int(which[e])
        words = state_words(scenario, space, e)
        oc = scenario.outcomes[k] if k >= 0 else None
        out.append(EndState(e, oc.id if oc else None, oc.label if oc else words, words,
                            tuple(Step(actors[a], f, t) for a, f, t in path)))
    return tuple(out)


def deciding_statement(scenario: Scenario, space: StateSpace, actor: str, source: int,
                       target: int) -> Statement | None:
    """The actor's most important preference statement whose truth differs between two
    states: with prioritization weights 2^(n-k), it alone decides which the actor prefers."""
    pref = scenario.preferences.get(actor)
    if pref is None or pref.prioritization is None:
        return None
    codes = space.codes[[source, target]]
    for st in pref.statements():
        truth = parse_formula(st.formula, space.option_ids).evaluate(codes, space.option_index)
        if bool(truth[0]) != bool(truth[1]):
            return st
    return None


def statement_words(st: Statement) -> str:
    """'formula' — the question it answers (evidence)."""
    text = f"'{st.formula}'" + (f" — {st.question}" if st.question else "")
    ev = st.evidence_text()
    return text + (f" ({ev})" if ev else "")


def why_no_difference(scenario: Scenario, space: StateSpace, vr: ViewResult, start: Start,
                      starts: Sequence[Start], ends: Sequence[EndState], concept: str) -> str:
    """Why a policy ends where the status quo does, from the computed paths."""
    view_sc = vr.view.scenario
    sq = next(st for st in starts if st.id == STATUS_QUO)
    changed = int(space.codes[start.state]) ^ int(space.codes[sq.state])
    for end in ends:
        for step in end.path:
            moved = int(space.codes[step.source]) ^ int(space.codes[step.target])
            if moved & changed:
                st = deciding_statement(view_sc, space, step.actor, step.source, step.target)
                who = actor_name(scenario, step.actor)
                undo = ", ".join(o.label for k, o in enumerate(scenario.options)
                                 if moved & changed & (1 << k))
                reason = f" because of its preference {statement_words(st)}" if st else ""
                return (f"{who} undoes the policy: it reverses '{undo}' (s{step.source + 1} "
                        f"-> s{step.target + 1}){reason}, so the crisis ends where the status "
                        "quo leads.")
    if ends and all(not e.path for e in ends):
        return ("The policy's starting state is already stable for every actor, and the "
                "status quo leads to the same state.")
    if not ends:
        return "Neither the status quo nor the policy reaches a stable state."
    first = next((e for e in ends if e.path), ends[0])
    if first.path:
        lead = first.path[0]
        st = deciding_statement(view_sc, space, lead.actor, lead.source, lead.target)
        who = actor_name(scenario, lead.actor)
        reason = f", because of its preference {statement_words(st)}" if st else ""
        return (f"The status quo's own path reaches the policy's changes; from the policy's "
                f"start {who} moves first (s{lead.source + 1} -> s{lead.target + 1}){reason}.")
    return "The end states coincide."


# -- games ---------------------------------------------------------------------------
def summary_method(spec: TemplateGameSpec | TreeGameSpec) -> str:
    """The dependency-free solver the analysis uses: closed form for templates, backward
    induction for perfect information, else the search over pure strategies (the same
    result everywhere; ``crisislab solve`` offers Gambit's methods)."""
    compiled = compile_game(spec)
    if compiled.template is not None:
        return "closed_form"
    return "backward_induction" if compiled.tree.is_perfect_information() else "pure"


def _lens_parameters(scenario: Scenario, view: str, game: str) -> dict[str, Any]:
    for lens in scenario.lenses:
        if lens.id == view:
            return dict(lens.games.get(game, {}))
    return {}


def _selection(sol: GameSolution) -> tuple[int | None, str | None]:
    """The equilibrium a documented rule selects, and the rule's name; a single
    equilibrium is its own selection.  Where the games engine records a selection (an
    equilibrium-selection rule such as consistent beliefs or the limiting logit
    equilibrium), it is used; otherwise nothing is selected and reports show the range
    of each outcome probability over the equilibria."""
    chosen = getattr(sol, "selected", None)
    rule = getattr(sol, "selection_rule", None)
    if isinstance(chosen, int) and 0 <= chosen < len(sol.equilibria):
        return chosen, str(rule) if rule else "the games engine's selection"
    if len(sol.equilibria) == 1:
        return 0, "unique equilibrium found"
    return None, None


def _solve_many(spec: TemplateGameSpec | TreeGameSpec, policy: str | None,
                settings: Sequence[dict[str, Any]], views: Sequence[str], title: str,
                method: str, cache: dict[str, GameSolution], *, select: bool = True
                ) -> list[GameSolution]:
    """The game under a policy solved for each setting (the parameter values of the
    view beside it in ``views``), cached by the values; the settings not cached are
    solved together (:func:`crisislab.games.batch.solve_settings`: the tree compiled
    once, the pure search over every setting at once), each equal to its single solve.
    ``select=False`` (the crux search, which reads every equilibrium) accepts a
    cached solution with or without a selected equilibrium and computes none."""
    from crisislab.games.batch import solve_settings

    entry = spec.policies.get(policy) if policy is not None else None
    own = spec.tree.parameters if isinstance(spec, TreeGameSpec) else spec.parameters
    rule = entry.model_dump(mode="json") if entry else None
    keys = []
    for params in settings:
        values = {**{k: _number(v) for k, v in own.items()},
                  **{k: _key_number(v) for k, v in params.items()}}
        keys.append(json.dumps([values, rule], sort_keys=True, default=str))
    todo: dict[str, int] = {}
    for i, key in enumerate(keys):
        cached = cache.get(key)
        if key not in todo and (cached is None or (select and cached.selection_rule
                                                    == _NOT_SELECTED)):
            todo[key] = i
    if todo:
        solved = solve_settings(spec, policy if entry else None,
                                [settings[i] for i in todo.values()], method,
                                [_lens_of(views[i]) for i in todo.values()], title,
                                select=select)
        cache.update(zip(todo, solved, strict=True))
    out = []
    for key, view in zip(keys, views, strict=True):
        sol = cache[key]
        out.append(sol.model_copy(update={"provenance": sol.provenance.model_copy(update={
            "lens": _lens_of(view),
            "parameters": {**sol.provenance.parameters, "policy": policy}})}))
    return out


def _lens_of(view: str) -> str | None:
    """The lens a view's results record: none for the base case."""
    return None if view == "base" else view


_NOT_SELECTED = "none: selection not requested"


def _games(scenario: Scenario, starts: Sequence[Start], conflict: ConflictAnalysis,
           caches: dict[str, dict[str, GameSolution]]
           ) -> dict[tuple[str, str], tuple[GameOutcome, ...]]:
    out: dict[tuple[str, str], list[GameOutcome]] = {}
    for spec in scenario.games:
        method = summary_method(spec)
        cache = caches.setdefault(spec.id, {})
        for st in starts:
            policy = None if st.id == STATUS_QUO else st.id
            entry = spec.policies.get(policy) if policy is not None else None
            views = [vr.view.id for vr in conflict.views]
            sols = _solve_many(spec, policy,
                               [_lens_parameters(scenario, v, spec.id) for v in views], views,
                               scenario.metadata.title, method, cache)
            for vr, sol in zip(conflict.views, sols, strict=True):
                values = dict(sol.provenance.parameters.get("values") or {})
                sel, rule = _selection(sol)
                out.setdefault((st.id, vr.view.id), []).append(GameOutcome(
                    game=spec.id, title=spec.label or spec.id, policy=st.id,
                    view=vr.view.id, applies=entry is not None,
                    parameters=tuple(sorted((k, float(v)) for k, v in values.items())),
                    actions=tuple(sorted(entry.actions.items())) if entry else (),
                    method=sol.method, complete=sol.complete,
                    equilibria=tuple(tuple(sorted(e.outcome_probabilities.items()))
                                     for e in sol.equilibria),
                    selected=sel, selection_rule=rule, solution=sol))
    return {k: tuple(v) for k, v in out.items()}


def _number(value: Any) -> float:
    return float(value["value"] if isinstance(value, dict) else getattr(value, "value", value))


def _key_number(value: Any) -> Any:
    """A lens's parameter as the solver sees it, for the solution cache's key: its number,
    whether given bare or with its evidence (``{value, quote}``), so views that agree
    on a value share one solve (the compiled game holds only the numbers); a value that
    is not a number stays as given."""
    try:
        return _number(value)
    except (TypeError, ValueError, KeyError):
        return value


def _curves(scenario: Scenario, conflict: ConflictAnalysis) -> tuple[GameCurve, ...]:
    """One curve per view that sets the game: the contested parameter varies, every other
    parameter takes that view's value, and the view's own value is marked on its curve."""
    from crisislab.games.solve import solve_game
    from crisislab.games.thresholds import parameter_range

    out: list[GameCurve] = []
    for spec in scenario.games:
        method = summary_method(spec)
        setting = [(vr.view.id, vr.view.name, _lens_parameters(scenario, vr.view.id, spec.id))
                   for vr in conflict.views]
        # the parameter most views set (ties: by name), never the mapping's order
        counts = Counter(name for _v, _n, params in setting for name in params)
        contested = min(counts, key=lambda name: (-counts[name], name)) if counts else None
        if contested is None:
            continue
        lo, hi = parameter_range(spec, contested)
        eps = (hi - lo) * 1e-9
        xs = [lo + eps + (hi - lo - 2 * eps) * i / (CURVE_POINTS - 1)
              for i in range(CURVE_POINTS)]
        base_params = dict(spec.parameters if isinstance(spec, TemplateGameSpec)
                           else spec.tree.parameters)
        marks = {vid: _number(params[contested]) if contested in params
                 else _number(base_params.get(contested, 0.0))
                 for vid, _n, params in setting}
        # every view's own value is a point of every curve, so each mark sits on its
        # curve at exactly the probabilities the table shows
        xv = sorted({*xs, *marks.values()})
        seen: set[str] = set()
        for vid, vname, params in setting:
            if vid != "base" and not params:
                continue
            others = {k: v for k, v in params.items() if k != contested}
            key = json.dumps(others, sort_keys=True, default=str)
            if key in seen and contested not in params:
                continue
            seen.add(key)
            marker = marks[vid]
            sols = [solve_game(spec, method, overrides={**others, contested: x}) for x in xv]
            outcomes = sorted({o for s in sols for e in s.equilibria
                               for o in e.outcome_probabilities})

            def col(fn: Callable[[list[float]], float], o: str,
                    sols: list[GameSolution] = sols) -> tuple[float | None, ...]:
                return tuple(fn([e.outcome_probabilities.get(o, 0.0) for e in s.equilibria])
                             if s.equilibria else None for s in sols)

            first = tuple((o, tuple(s.equilibria[0].outcome_probabilities.get(o, 0.0)
                                    if s.equilibria else None for s in sols))
                          for o in outcomes)
            out.append(GameCurve(spec.id, contested, vid, vname, tuple(xv), first,
                                 tuple((o, col(min, o)) for o in outcomes),
                                 tuple((o, col(max, o)) for o in outcomes), marker))
    return tuple(out)


# -- forecasts -----------------------------------------------------------------------
def _lens_models(lens_models: Sequence[str] | None) -> list[str]:
    """The models run under a lens: those given (refused when unknown), else the ones the
    reports show (Nash bargaining, a numerical optimisation, is left to `crisislab
    forecast --lens`, which runs every model)."""
    from crisislab.bargaining.forecast import MODELS

    if lens_models is None:
        return [m for m in MODELS if m != "nash"]
    odd = [m for m in lens_models if m not in MODELS]
    if odd:
        raise input_error("unknown negotiation model", value=", ".join(odd),
                          expected=", ".join(MODELS))
    return [m for m in MODELS if m in lens_models]


def _forecasts(scenario: Scenario, cache: PipelineCache | None = None,
               under_models: Sequence[str] | None = None
               ) -> tuple[tuple[ForecastValue, ...], ForecastSet]:
    """Every model in the base case; under each lens with issue values, ``under_models``
    (by default those :func:`_lens_models` names)."""
    from crisislab.bargaining.forecast import MODELS, forecast_scenario

    lenses = [lz.id for lz in scenario.lenses if lz.issues]
    under_models = _lens_models(under_models)
    if cache is None:
        base = forecast_scenario(scenario, lenses=[None])
        under = forecast_scenario(scenario, lenses=lenses, models=under_models) \
            if lenses else None
        result = ForecastSet(forecasts=[*base.forecasts, *(under.forecasts if under else [])])
    else:
        # one (view, issue) at a time, each kept under the values it reads: a lens's
        # issue value reruns that lens's forecast of that issue alone (the models are
        # independent per view and issue, so the concatenation equals the run above)
        parts: list[Any] = []
        for lens in [None, *lenses]:
            for issue in scenario.issues:
                over = scenario.lens(lens).issues.get(issue.id) if lens else None
                key = issue_part_key(issue, lens, over, under_models if lens else MODELS)
                found = cache.issue_parts.get(key)
                if found is None:
                    found = forecast_scenario(scenario, issues=[issue.id], lenses=[lens],
                                              models=under_models if lens else MODELS
                                              ).forecasts
                    cache.issue_parts.put(key, found)
                parts += found
        result = ForecastSet(forecasts=parts)
    issues = {i.id: i for i in scenario.issues}
    out = []
    for f in result.forecasts:
        issue = issues[f.issue]
        for k, (dim, scale) in enumerate(zip(issue.dimension_ids(), issue.scales(),
                                             strict=True)):
            label = issue.label if len(issue.dimension_ids()) == 1 else f"{issue.label}: {dim}"
            veto = _vetoes(scenario, issue, f.lens, k) if f.model == "nash" else ()
            out.append(ForecastValue(f.issue, label, dim, f.model, f.lens or "base",
                                     float(f.forecast[k]), (float(scale.min), float(scale.max)),
                                     (scale.min_label or "", scale.max_label or ""), veto))
    return tuple(out), result


def _vetoes(scenario: Scenario, issue: Any, lens: str | None, k: int) -> tuple[str, ...]:
    """Actors whose ideal on dimension ``k`` equals the issue's status quo, the Nash
    bargaining disagreement point: any move away from it makes them worse off, so the
    Nash solution gives them a veto."""
    from crisislab.bargaining.spec import apply_issue_overrides

    if issue.status_quo is None:
        return ()
    lz = _lens(scenario, lens)
    spec = apply_issue_overrides(issue, dict(lz.issues.get(issue.id, {})) if lz else None)
    sq = issue.status_quo if not isinstance(issue.status_quo, list) else issue.status_quo[k]
    out = []
    for actor, pos in sorted(spec.positions.items()):
        x = pos.position if not isinstance(pos.position, list) else pos.position[k]
        if abs(float(x) - float(sq)) < 1e-9:
            out.append(actor)
    return tuple(out)


def _lens(scenario: Scenario, lens: str | None) -> Any:
    return next((lz for lz in scenario.lenses if lz.id == lens), None) if lens else None


# -- hypergames under each policy ----------------------------------------------------
def _policy_hypergames(conflict: ConflictAnalysis, starts: Sequence[Start], concept: str
                       ) -> tuple[PolicyHypergame, ...]:
    """The first-level hypergame on each policy's committed graph (the status quo's is
    the conflict analysis's own)."""
    from crisislab.compare.analysis import _perceived, stability_function
    from crisislab.conflict.commitment import committed_graph
    from crisislab.conflict.hypergame import first_level

    if conflict.hypergame is None:
        return ()
    perceived = _perceived(conflict.scenario)
    assert perceived is not None
    stab = stability_function((concept,), conflict.mode, conflict.sim_variant)
    graphs = [conflict.model.graph_for(sc) for sc in perceived[0]]
    out = []
    for st in starts:
        if st.mask == 0:
            eq = conflict.hypergame.equilibria(concept)
        else:
            hg = first_level([committed_graph(g, st.mask) for g in graphs], stab, (concept,))
            eq = hg.equilibria(concept)
        states = tuple(int(e) for e in eq)
        out.append(PolicyHypergame(st.id, concept, states, conflict.by_outcome(states)))
    return tuple(out)


# -- comparisons ---------------------------------------------------------------------
def _comparisons(conflict: ConflictAnalysis) -> tuple[Comparison, ...]:
    by_id = {vr.view.id: vr for vr in conflict.views}
    out = []
    for a, b in conflict.compared_pairs():
        differing = len(_conclusions(by_id[a], by_id[b], conflict.concepts,
                                     conflict.scenario.outcome_ids()))
        n = sum(1 for c in conflict.cruxes if (c.view_a, c.view_b) == (a, b))
        out.append(Comparison(a, b, differing, n))
    return tuple(out)


def concept_name(concept: str) -> str:
    """The concept's display name (its id when unknown)."""
    return CONCEPT_NAMES.get(concept, concept)
