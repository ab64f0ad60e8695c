"""A sweep: the policy pipeline's questions asked of every sample of the uncertain inputs.

For every sample of the scenario's ``uncertainty`` section, under every policy
(the status quo first) and every view (the base case, then each lens): where
the conflict ends (the credible paths of :mod:`crisislab.compare.pipeline`,
under the headline concept), whether each state is an equilibrium, and each
game's outcome probabilities.  Then, per conclusion, its probability with a
Monte Carlo standard error, the inputs that move it (regional sensitivity, a
one-at-a-time tornado, Sobol indices from a Sobol sweep) and the box of
inputs in which it holds (PRIM).

How it stays fast: the conflict depends only on the preference statements, so
each chunk of samples is reduced to its distinct preference configurations;
for all of them and every view at once, stability and the credible paths are
whole-array computations over the shared states and moves
(:mod:`crisislab.uncertainty.batch_stability`).  A game is compiled once per
policy and solved for all of a chunk's distinct parameter settings together
(:mod:`crisislab.games.batch`).  Chunks are evaluated serially, or on a Dask
cluster (``scheduler=``); each chunk's result depends only on its rows, so
every scheduler gives byte-identical results.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from crisislab.compare.analysis import DEFAULT_CONCEPTS, headline
from crisislab.compare.pipeline import summary_method
from crisislab.compare.views import BASE, STATUS_QUO, ConflictModel, all_views
from crisislab.conflict.commitment import committed_graph
from crisislab.errors import input_error
from crisislab.games.spec import compile_game
from crisislab.model.game_spec import TreeGameSpec, number
from crisislab.model.scenario import Scenario
from crisislab.model.states import payoff_matrix
from crisislab.model.uncertainty_spec import UncertainInput, issue_field_range
from crisislab.provenance import Provenance
from crisislab.uncertainty.apply import apply_preferences, game_parameters
from crisislab.uncertainty.batch_stability import Edges, batch_stability, credible_ends
from crisislab.uncertainty.checks import parameter_bounds
from crisislab.uncertainty.distributions import InputSpace, input_spaces
from crisislab.uncertainty.prim import Box, prim
from crisislab.uncertainty.results import (
    Conclusion,
    InputInfo,
    ProbabilisticEquilibria,
    ProbabilisticSummary,
    SweepResult,
)
from crisislab.uncertainty.sampling import CHUNK, SamplePlan, make_plan
from crisislab.uncertainty.sensitivity import sobol_indices, tornado, tornado_rows
from crisislab.uncertainty.statistics import converged, probabilities, regional_sensitivity

Progress = Callable[[int, int], None]
PRIM_MAX = 40  # conclusions given a PRIM box (the most uncertain first)


# -- the inputs ----------------------------------------------------------------------
def _base_value(scenario: Scenario, u: UncertainInput) -> float | None:
    if u.kind == "game":
        spec = next(g for g in scenario.games if g.id == u.game)
        lens = next((lz for lz in scenario.lenses if lz.id == u.lens), None)
        if lens is not None and u.parameter in lens.games.get(str(u.game), {}):
            v = lens.games[str(u.game)][str(u.parameter)]
            return float(v["value"] if isinstance(v, dict) else getattr(v, "value", v))
        params = spec.tree.parameters if isinstance(spec, TreeGameSpec) else spec.parameters
        return number(params[str(u.parameter)]) if u.parameter in params else None
    if u.kind == "issue":
        spec_i = next(i for i in scenario.issues if i.id == u.issue)
        v = getattr(spec_i.positions[str(u.actor)], str(u.field))
        return float(v) if not isinstance(v, list) else None
    return None


def _formula(scenario: Scenario, u: UncertainInput) -> str | None:
    if u.kind == "statement":
        pref = scenario.preferences[str(u.actor)]
        return next(st.formula for st in pref.statements() if st.id == u.statement)
    if u.kind == "override":
        lens = next(lz for lz in scenario.lenses if lz.id == u.lens)
        ov = next(o for o in lens.overrides if o.id == u.override)
        return ov.formula if ov.formula is not None else "remove"
    return None


def _valid(scenario: Scenario, u: UncertainInput) -> tuple[float, float]:
    if u.kind == "game":
        spec = next(g for g in scenario.games if g.id == u.game)
        return parameter_bounds(spec, str(u.parameter))
    if u.kind == "issue":
        return issue_field_range(next(i for i in scenario.issues if i.id == u.issue),
                                 str(u.field))
    return (-math.inf, math.inf)


def sweep_inputs(scenario: Scenario) -> list[InputSpace]:
    """The scenario's uncertain inputs, ready for sampling (an empty list: none)."""
    inputs = list(scenario.uncertainty.inputs) if scenario.uncertainty else []
    return input_spaces(inputs, [_valid(scenario, u) for u in inputs],
                        [_base_value(scenario, u) for u in inputs],
                        [_formula(scenario, u) for u in inputs])


def _distribution_words(u: UncertainInput) -> str:
    if u.is_preference:
        if u.alternatives is not None:
            return "; ".join(f"'{a.formula}' p={a.probability:g}" for a in u.alternatives)
        return f"holds with p={u.probability:g}"
    fields = [f for f in ("low", "mode", "high", "mean", "sd", "a", "b")
              if getattr(u, f) is not None]
    args = ", ".join(f"{f}={getattr(u, f):g}" for f in fields)
    if u.distribution == "discrete":
        args = f"values={u.values}" + (f", weights={u.weights}" if u.weights else "")
    return f"{u.distribution}({args})"


def _input_info(s: InputSpace) -> InputInfo:
    u = s.spec
    label = u.label or {
        "game": f"{u.parameter} in game {u.game}",
        "issue": f"{u.actor}'s {u.field} on {u.issue}",
        "statement": f"{u.actor}'s statement {u.statement}",
        "override": f"override {u.override}",
    }[u.kind]
    if u.lens is not None:
        label += f" ({u.lens})"
    return InputInfo(s.name, label, u.kind, u.lens, _distribution_words(u), u.evidence_text())


# -- evaluation of a chunk -----------------------------------------------------------
@dataclass(frozen=True)
class SweepTask:
    """Everything a chunk's evaluation needs (picklable, for Dask workers)."""

    scenario: Scenario
    inputs: tuple[InputSpace, ...]
    concepts: tuple[str, ...]
    games: bool
    level: float
    forecasts: bool = True


@dataclass(frozen=True)
class ConclusionKey:
    """Which conclusion a sweep counts: its kind, the policy and view it is about, and the
    outcome or actor it names (``subject``)."""
    id: str
    kind: str
    policy: str | None
    view: str
    subject: str


def starts_of(scenario: Scenario) -> list[tuple[str, str]]:
    """(id, label) of the status quo and each policy: the conflict's starting points, or
    for a scenario of games and issues alone, the status quo and every policy."""
    if scenario.has_conflict:
        return [(st.id, st.label) for st in ConflictModel(scenario).starts()]
    return [(STATUS_QUO, "Status quo"), *((p.id, p.label) for p in scenario.policies)]


def n_states(scenario: Scenario) -> int:
    """Feasible states of the conflict (0 without one)."""
    return ConflictModel(scenario).space.n if scenario.has_conflict else 0


def conclusion_keys(task: SweepTask) -> tuple[list[ConclusionKey], list[str]]:
    """The conclusions every sample answers, in a fixed order, and the view ids."""
    sc = task.scenario
    starts = starts_of(sc)
    views = [v.id for v in all_views(sc)]
    keys: list[ConclusionKey] = []
    subjects = [*sc.outcome_ids(), "unnamed"]
    for st_id, _label in starts if sc.has_conflict else []:
        for v in views:
            for o in subjects:
                keys.append(ConclusionKey(f"ends:{st_id}:{v}:{o}", "ends", st_id, v, o))
            keys.append(ConclusionKey(f"no_end:{st_id}:{v}", "no_end", st_id, v, "none"))
    for actor in sc.actor_ids() if sc.has_conflict else []:
        for st_id, _label in starts:
            for v in views:
                keys.append(ConclusionKey(f"best:{actor}:{st_id}:{v}", "best", st_id, v,
                                          actor))
    if task.games:
        for spec in sc.games:
            outcomes = sorted({o for o in compile_game(spec).tree.outcome if o is not None})
            for st_id, _label in starts:
                for v in views:
                    for o in outcomes:
                        keys.append(ConclusionKey(f"game:{spec.id}:{st_id}:{v}:{o}", "game",
                                                  st_id, v, f"{spec.id}:{o}"))
    if task.forecasts:
        for issue in sc.issues:
            if len(issue.dimension_ids()) != 1:
                continue
            for fm in FORECAST_MODELS:
                for v in views:
                    keys.append(ConclusionKey(f"forecast:{issue.id}:{fm}:{v}", "forecast",
                                              None, v, f"{issue.id}:{fm}"))
    return keys, views


FORECAST_MODELS = ("compromise", "median")
"""The negotiation models a sweep evaluates per sample (closed forms; the strategic
models are left to ``crisislab forecast``)."""


@dataclass(frozen=True)
class ChunkOutput:
    """What one chunk of samples gives: each conclusion's hit and score per sample, and
    the stable states per view (lead concept, no commitment)."""
    hits: np.ndarray  # (rows, conclusions) bool
    scores: np.ndarray  # (rows, conclusions) float
    equilibria: np.ndarray  # (rows, views, states) bool: lead concept, no commitment


def evaluate_rows(task: SweepTask, values: np.ndarray) -> ChunkOutput:
    """Every conclusion for each row of input values (see the module docstring)."""
    sc = task.scenario
    keys, views = conclusion_keys(task)
    col = {k.id: j for j, k in enumerate(keys)}
    rows = values.shape[0]
    hits = np.zeros((rows, len(keys)), dtype=bool)
    scores = np.zeros((rows, len(keys)))
    eq = _conflict(task, values, views, col, hits) if sc.has_conflict \
        else np.zeros((rows, len(views), 0), dtype=bool)
    scores[:] = hits
    if task.games and sc.games:
        _games(task, values, views, col, hits, scores)
    if task.forecasts and sc.issues:
        _forecasts(task, values, views, col, hits, scores)
    return ChunkOutput(hits, scores, eq)


def _conflict(task: SweepTask, values: np.ndarray, views: Sequence[str],
              col: dict[str, int], hits: np.ndarray) -> np.ndarray:
    """Where each policy ends under each view, for every row: stability and credible paths
    for every distinct preference configuration and view at once; returns the
    equilibria (rows, views, states) of the headline concept without commitment."""
    sc = task.scenario
    rows = values.shape[0]
    model = ConflictModel(sc)
    n = model.space.n
    lead = headline(task.concepts)
    pref_cols = [k for k, s in enumerate(task.inputs) if s.spec.is_preference]
    configs, which = np.unique(values[:, pref_cols].reshape(rows, len(pref_cols)), axis=0,
                               return_inverse=True)
    which = np.asarray(which).reshape(-1)
    # payoffs of every (configuration, view), stacked: index cfg * V + view
    pays = []
    full = np.zeros(len(task.inputs))
    for cfg in configs:
        full[pref_cols] = cfg
        sample = apply_preferences(sc, task.inputs, full.tolist())
        for view in all_views(sample):
            pays.append(payoff_matrix(view.scenario, model.space))
    payoffs = np.stack(pays)
    n_v = len(views)
    which_oc = model.outcome_of
    oc_ids = sc.outcome_ids()
    starts = model.starts()
    masks = list(dict.fromkeys([0, *[st.mask for st in starts]]))
    results = {}
    for mask in masks:
        graph = committed_graph(model.graph, mask)
        edges = [Edges.of(mv, n) for mv in graph.moves]
        results[mask] = batch_stability(graph, payoffs, task.concepts, edges)
    eq0 = results[0].equilibria(lead).reshape(len(configs), n_v, n)
    m = len(model.space.actors)
    pay4 = payoffs.reshape(len(configs), n_v, m, n)
    worst: dict[str, np.ndarray] = {}  # start -> (configs, views, actors)
    for st in starts:
        ends = credible_ends(results[st.mask], lead, st.state, n).reshape(len(configs), n_v, n)
        worst[st.id] = np.where(ends[:, :, None, :], pay4, np.inf).min(axis=3)
        worst[st.id][np.isinf(worst[st.id])] = -np.inf  # no stable end: the worst
        for vi, v in enumerate(views):
            e = ends[:, vi, :]  # (configs, states)

            def held(states: np.ndarray, e: np.ndarray = e) -> np.ndarray:
                return np.asarray(e[:, states].any(axis=1), dtype=bool)[which]

            for k, o in enumerate(oc_ids):
                hits[:, col[f"ends:{st.id}:{v}:{o}"]] = held(which_oc == k)
            hits[:, col[f"ends:{st.id}:{v}:unnamed"]] = held(which_oc < 0)
            hits[:, col[f"no_end:{st.id}:{v}"]] = ~held(np.ones(n, dtype=bool))
    # the starts whose worst end state each actor prefers most (best_policies' rule)
    top = np.max(np.stack(list(worst.values())), axis=0)
    for st in starts:
        best = worst[st.id] == top  # (configs, views, actors)
        for vi, v in enumerate(views):
            for ai, actor in enumerate(model.space.actors):
                hits[:, col[f"best:{actor}:{st.id}:{v}"]] = best[:, vi, ai][which]
    return np.asarray(eq0[which], dtype=bool)


def _games(task: SweepTask, values: np.ndarray, views: Sequence[str], col: dict[str, int],
           hits: np.ndarray, scores: np.ndarray) -> None:
    """Each game's outcome probabilities per row, policy and view: the distinct
    parameter settings of a policy (over every row and view) are solved together
    (:func:`crisislab.games.batch.solve_settings`); every equilibrium is read, none
    selected (no QRE tracing)."""
    from crisislab.games.batch import solve_settings

    sc = task.scenario
    for spec in sc.games:
        method = summary_method(spec)
        cache: dict[str, list[dict[str, float]]] = {}
        for st_id, _label in starts_of(sc):
            policy = None if st_id == STATUS_QUO else st_id
            # a policy the game has no setting for plays the status quo's game
            entry = spec.policies.get(policy) if policy is not None else None
            setting = entry.model_dump(mode="json") if entry is not None else None
            keys: dict[str, list[str]] = {}  # view -> each row's setting
            todo: dict[str, tuple[dict[str, Any], str]] = {}
            for v in views:
                keys[v] = []
                for r in range(values.shape[0]):
                    params = game_parameters(sc, spec.id, None if v == BASE else v,
                                             task.inputs, values[r])
                    key = json.dumps([setting, params], sort_keys=True, default=str)
                    keys[v].append(key)
                    if key not in cache and key not in todo:
                        todo[key] = (params, v)
            sols = solve_settings(spec, policy if entry else None,
                                  [p for p, _v in todo.values()], method,
                                  [None if v == BASE else v for _p, v in todo.values()],
                                  sc.metadata.title, select=False)
            for key, sol in zip(todo, sols, strict=True):
                cache[key] = [dict(e.outcome_probabilities) for e in sol.equilibria]
            for v in views:
                prefix = f"game:{spec.id}:{st_id}:{v}:"
                cols = [(cid[len(prefix):], j) for cid, j in col.items()
                        if cid.startswith(prefix)]
                for r, key in enumerate(keys[v]):
                    eqs = cache[key]
                    for o, j in cols:
                        low = min((eq.get(o, 0.0) for eq in eqs), default=math.nan)
                        scores[r, j] = low
                        hits[r, j] = bool(eqs) and low > task.level


def _forecasts(task: SweepTask, values: np.ndarray, views: Sequence[str],
               col: dict[str, int], hits: np.ndarray, scores: np.ndarray) -> None:
    """Each one-dimensional issue's forecast by the closed-form models, per view; a
    forecast 'holds' when it lies above the middle of the issue's scale."""
    from crisislab.bargaining.forecast import forecast_issue
    from crisislab.uncertainty.apply import issue_overrides

    sc = task.scenario
    for issue in sc.issues:
        if len(issue.dimension_ids()) != 1:
            continue
        scale = issue.scales()[0]
        mid = (float(scale.min) + float(scale.max)) / 2
        cache: dict[str, list[float]] = {}
        for v in views:
            for r in range(values.shape[0]):
                over = issue_overrides(sc, issue.id, None if v == BASE else v, task.inputs,
                                       values[r])
                key = json.dumps(over, sort_keys=True, default=str)
                if key not in cache:
                    cache[key] = [float(forecast_issue(issue, m, overrides=over).forecast[0])
                                  for m in FORECAST_MODELS]
                for m, x in zip(FORECAST_MODELS, cache[key], strict=True):
                    j = col[f"forecast:{issue.id}:{m}:{v}"]
                    scores[r, j] = x
                    hits[r, j] = x > mid


# -- preference uncertainty (Li, Hipel, Kilgour & Fang 2004) -------------------------
MAX_CONFIGURATIONS = 4096


def unknown_preferences(scenario: Scenario, concepts: Sequence[str] = DEFAULT_CONCEPTS
                        ) -> list[tuple[str, str, str, tuple[int, ...]]]:
    """Equilibria under preference uncertainty, per view, concept and extension.

    An actor's preference between two states is *unknown* when the scenario's
    probabilistic statements can order them differently (some choice of the
    statements puts s above t, another does not); every other pair keeps the order
    all choices agree on.  Returns (view, concept, extension, equilibria) rows.
    """
    import itertools

    from crisislab.uncertainty.li2004 import CONCEPTS as LI_CONCEPTS
    from crisislab.uncertainty.li2004 import EXTENSIONS, uncertain_stability

    inputs = [s for s in sweep_inputs(scenario) if s.spec.is_preference]
    if not inputs or not scenario.has_conflict:
        return []
    grids = [[v for v, _p in s.outcomes()] for s in inputs]
    count = math.prod(len(g) for g in grids)
    if count > MAX_CONFIGURATIONS:
        raise input_error(f"{count:,} combinations of the probabilistic statements, above "
                          f"the limit of {MAX_CONFIGURATIONS:,}", value=count,
                          expected="fewer probabilistic statements")
    model = ConflictModel(scenario)
    pays: dict[str, list[np.ndarray]] = {}
    for combo in itertools.product(*grids):
        sample = apply_preferences(scenario, inputs, combo)
        for view in all_views(sample):
            pays.setdefault(view.id, []).append(payoff_matrix(view.scenario, model.space))
    wanted = [c for c in concepts if c in LI_CONCEPTS]
    out = []
    for vid, mats in pays.items():
        stack = np.stack(mats)  # (configs, actors, states)
        above = stack[:, :, :, None] > stack[:, :, None, :]  # s above t
        unknown = above.any(axis=0) & ~above.all(axis=0)
        unknown = unknown | np.swapaxes(unknown, 1, 2)
        res = uncertain_stability(model.graph.with_payoffs(stack[0]), list(unknown), wanted)
        for c in wanted:
            for e in EXTENSIONS:
                out.append((vid, c, e, tuple(int(x) for x in res.equilibria(c, e))))
    return out


# -- probabilistic preferences (Rêgo & dos Santos 2015) -------------------------------
def probabilistic_preferences(scenario: Scenario, alpha: float, beta: float | None = None,
                              gamma: float | None = None,
                              concepts: Sequence[str] = DEFAULT_CONCEPTS, *,
                              samples: tuple[np.ndarray, np.ndarray] | None = None
                              ) -> ProbabilisticSummary:
    """Stable states per view and concept when each actor's preference between two
    states holds with the probability the probabilistic statements give it.

    The probabilities are exact, from every combination of the statements (each with
    the product of its choices' probabilities), up to ``MAX_CONFIGURATIONS``
    combinations; above that they are estimated from ``samples`` (the statement columns
    of a sweep's rows and the rows' weights), and ``exact`` is False.  ``beta`` defaults
    to 1 - alpha (a sanction deters when the actor is at least alpha-sure it does not
    gain by it) and ``gamma`` to alpha (the others sanction by moves they are at least
    alpha-sure of gaining by).
    """
    import itertools

    from crisislab.uncertainty.rego2015 import CONCEPTS as REGO_CONCEPTS
    from crisislab.uncertainty.rego2015 import probabilistic_stability

    if not scenario.has_conflict:
        raise input_error("probabilistic preferences need a conflict (options and "
                          "preferences)", value=scenario.metadata.title,
                          expected="a scenario with options")
    b = 1.0 - alpha if beta is None else beta
    g = alpha if gamma is None else gamma
    inputs = [s for s in sweep_inputs(scenario) if s.spec.is_preference]
    grids = [s.outcomes() for s in inputs]
    count = math.prod(len(gr) for gr in grids)
    combos: list[tuple[float, ...]]
    if count <= MAX_CONFIGURATIONS:
        exact = True
        pairs = list(itertools.product(*grids))
        combos = [tuple(v for v, _p in c) for c in pairs]
        weights = np.asarray([math.prod(p for _v, p in c) for c in pairs], dtype=float)
    elif samples is not None:
        exact = False
        rows, which = np.unique(samples[0].reshape(samples[0].shape[0], len(inputs)),
                                axis=0, return_inverse=True)
        weights = np.bincount(np.asarray(which).reshape(-1), weights=samples[1],
                              minlength=rows.shape[0])
        combos = [tuple(float(x) for x in r) for r in rows]
    else:
        raise input_error(f"{count:,} combinations of the probabilistic statements, above "
                          f"the limit of {MAX_CONFIGURATIONS:,} for exact probabilities",
                          value=count, expected="fewer probabilistic statements, or the "
                          "samples of a sweep")
    weights = weights / weights.sum()
    model = ConflictModel(scenario)
    n, m = model.space.n, len(model.space.actors)
    prob: dict[str, np.ndarray] = {}
    for combo, w in zip(combos, weights, strict=True):
        sample = apply_preferences(scenario, inputs, combo)
        for view in all_views(sample):
            pay = payoff_matrix(view.scenario, model.space)
            acc = prob.setdefault(view.id, np.zeros((m, n, n)))
            acc += w * (pay[:, :, None] > pay[:, None, :])
    wanted = [c for c in concepts if c in REGO_CONCEPTS]
    out = []
    for vid, p in prob.items():
        res = probabilistic_stability(model.graph, p, alpha, b, g, wanted)
        for c in wanted:
            out.append(ProbabilisticEquilibria(
                vid, c, tuple(int(x) for x in res.equilibria(c)),
                tuple((a, tuple(int(x) for x in np.flatnonzero(res.stable[c][i])))
                      for i, a in enumerate(model.space.actors))))
    return ProbabilisticSummary(float(alpha), float(b), float(g), exact, len(combos),
                                tuple(out))


# -- running -------------------------------------------------------------------------
def _run_chunks(task: SweepTask, values: np.ndarray, scheduler: Any, chunk: int,
                target_se: float | None, weights: np.ndarray, exact: bool,
                progress: Progress | None) -> tuple[list[ChunkOutput], bool, bool]:
    """Evaluate the plan chunk by chunk; (outputs, partial, stopped_early)."""
    bounds = [(a, min(a + chunk, values.shape[0])) for a in range(0, values.shape[0], chunk)]
    outs: list[ChunkOutput] = []
    if isinstance(scheduler, str) and scheduler.startswith("processes"):
        workers = int(scheduler.partition(":")[2] or 0) or None
        done, partial = _run_on_processes(task, values, bounds, workers, progress)
        return done, partial, False
    if scheduler is not None and scheduler != "serial":
        from crisislab.uncertainty.distributed import map_chunks

        done, partial = map_chunks(scheduler, evaluate_rows, task,
                                   [values[a:b] for a, b in bounds], progress)
        return done, partial, False
    try:
        for a, b in bounds:
            outs.append(evaluate_rows(task, values[a:b]))
            if progress is not None:
                progress(b, values.shape[0])
            if target_se is not None and not exact and len(outs) >= 2:
                hits = np.concatenate([o.hits for o in outs])
                _p, se = probabilities(hits, weights[:b], exact)
                if converged(se, target_se):
                    return outs, False, b < values.shape[0]
    except KeyboardInterrupt:
        if not outs:
            raise
        return outs, True, False
    return outs, False, False


def _ignore_interrupts() -> None:
    """In a worker process: leave Ctrl-C to the parent, which stops the sweep cleanly
    (a terminal sends SIGINT to every process of the foreground group)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _run_on_processes(task: SweepTask, values: np.ndarray, bounds: list[tuple[int, int]],
                      workers: int | None, progress: Progress | None
                      ) -> tuple[list[ChunkOutput], bool]:
    """The chunks on local processes, in chunk order; (outputs, partial).

    Ctrl-C (or an interrupt from ``progress``) cancels the chunks not yet started, lets
    the running ones finish and keeps the finished chunks up to the first one missing,
    so the rows kept are a prefix of the plan that ``resume`` continues."""
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(max_workers=workers, initializer=_ignore_interrupts)
    futures = [pool.submit(evaluate_rows, task, values[a:b]) for a, b in bounds]
    done: list[ChunkOutput] = []
    try:
        for fut, (_a, b) in zip(futures, bounds, strict=True):
            done.append(fut.result())
            if progress is not None:
                progress(b, values.shape[0])
    except KeyboardInterrupt:
        pool.shutdown(wait=True, cancel_futures=True)
        for fut in futures[len(done):]:  # chunks that finished meanwhile, in order
            if fut.cancelled() or fut.exception() is not None:
                break
            done.append(fut.result())
        if not done:
            raise
        return done, len(done) < len(bounds)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    return done, False


MAX_SWEEP_BYTES = int(float(os.environ.get("CRISISLAB_MAX_SWEEP_BYTES", str(4 * 1024**3))))
"""Largest memory a sweep's results may take (set CRISISLAB_MAX_SWEEP_BYTES)."""


def _check_memory(scenario: Scenario, rows: int, conclusions: int) -> None:
    """Refuse up front a sweep whose per-sample results would not fit: per sample, a
    bool and a float per conclusion and an equilibrium flag per (view, state)."""
    states = n_states(scenario)
    need = rows * (9 * conclusions + (len(scenario.lenses) + 1) * states + 16)
    if need > MAX_SWEEP_BYTES:
        raise input_error(
            f"a sweep of {rows:,} samples x {conclusions:,} conclusions needs about "
            f"{need / 1e9:.1f} GB, above the limit of {MAX_SWEEP_BYTES / 1e9:.1f} GB",
            value=rows, expected="fewer samples (or --target-se), or a higher limit "
            "(CRISISLAB_MAX_SWEEP_BYTES) if the machine has the memory")


def sweep(scenario: Scenario, *, samples: int = 256, seed: int = 0, method: str = "lhs",
          concepts: Sequence[str] = DEFAULT_CONCEPTS, games: bool = True,
          forecasts: bool = True, level: float | None = None,
          target_se: float | None = None, tornado_chart: bool = True,
          scheduler: Any = None, chunk: int = CHUNK, unknown: bool = True,
          resume: Any = None, progress: Progress | None = None,
          alpha: float | None = None, beta: float | None = None,
          gamma: float | None = None) -> SweepResult:
    """How likely each conclusion is over the scenario's uncertain inputs.

    ``method``: ``lhs`` (default), ``mc``, ``sobol`` (Saltelli's design; adds Sobol
    indices) or ``exhaustive`` (every combination of discrete inputs, exact);
    ``target_se``: stop once every standard error is at or below it (mc, lhs);
    ``scheduler``: None or ``"serial"``, ``"processes"`` (local processes, all cores;
    ``"processes:N"`` for N), a Dask ``Client`` or a scheduler address;
    ``resume``: the samples table (``SweepResult.to_pandas()``, e.g. read from
    ``--parquet``) of an earlier, partial run of the same sweep: its rows are taken as
    they are and only the rest is evaluated;
    ``unknown``: add the equilibria under preference uncertainty (Li et al. 2004), the
    pairs the probabilistic statements can order differently taken as unknown (when
    the statements have at most ``MAX_CONFIGURATIONS`` combinations);
    ``alpha`` (with ``beta``, ``gamma``): add the alpha-Nash, (alpha, beta)-GMR/SMR and
    (alpha, beta, gamma)-SEQ stable states under probabilistic preferences (Rêgo & dos
    Santos 2015; see :func:`probabilistic_preferences`).
    """
    if not (scenario.has_conflict or (games and scenario.games)
            or (forecasts and scenario.issues)):
        raise input_error("nothing to sweep: no conflict, and no games or issues left in",
                          value=scenario.metadata.title,
                          expected="options, a graph, games or issues")
    concepts = tuple(concepts)
    inputs = sweep_inputs(scenario)
    if target_se is not None and not target_se > 0:
        raise input_error("the standard-error target must be positive", value=target_se,
                          expected="a number above 0, e.g. 0.02")
    if target_se is not None and method == "sobol":
        raise input_error("a Sobol sweep cannot stop early (its design needs every row)",
                          value=method, expected="--method lhs or mc with a target")
    if alpha is None and (beta is not None or gamma is not None):
        raise input_error("beta and gamma go with alpha", value=beta if beta is not None
                          else gamma, expected="alpha as well (e.g. --alpha 0.8)")
    for name, v in (("alpha", alpha), ("beta", beta), ("gamma", gamma)):
        if v is not None and not 0.0 <= v <= 1.0:
            raise input_error(f"{name} is a probability threshold", value=v,
                              expected="a number in [0, 1]")
    if alpha is not None and not scenario.has_conflict:
        raise input_error("probabilistic preferences need a conflict (options and "
                          "preferences)", value=alpha, expected="no --alpha, or options")
    plan = make_plan(inputs, samples, method, seed)
    _check_memory(scenario, plan.n, len(conclusion_keys(SweepTask(
        scenario, tuple(inputs), concepts, games, 0.5, forecasts))[0]))
    lvl = level if level is not None else \
        (scenario.uncertainty.level if scenario.uncertainty else 0.5)
    task = SweepTask(scenario, tuple(inputs), concepts, games, lvl, forecasts)
    exact = method == "exhaustive"
    prior: list[ChunkOutput] = []
    if resume is not None:
        if target_se is not None:
            raise input_error("--resume and --target-se exclude each other", value=target_se,
                              expected="one of them")
        prior = [rows_from_table(task, plan, resume)]
    skip = prior[0].hits.shape[0] if prior else 0
    outs, partial, early = _run_chunks(task, plan.values[skip:], scheduler, chunk, target_se,
                                       plan.weights[skip:], exact, progress)
    outs = prior + outs
    hits = np.concatenate([o.hits for o in outs])
    scores = np.concatenate([o.scores for o in outs])
    eq = np.concatenate([o.equilibria for o in outs])
    done = hits.shape[0]
    values, weights = plan.values[:done], plan.weights[:done]
    weights = weights / weights.sum()
    keys, views = conclusion_keys(task)
    keys, hits, scores = _with_comparisons(keys, hits, scores)
    keys, hits, scores = _with_equilibria(task, keys, views, hits, scores, eq)
    tor = None
    if tornado_chart:
        rows, index = tornado_rows(inputs)
        t_out = evaluate_rows(task, rows)
        t_keys, t_hits, t_sc = _with_comparisons(conclusion_keys(task)[0], t_out.hits,
                                                 t_out.scores)
        _keys, _hits, t_scores = _with_equilibria(task, t_keys, views, t_hits, t_sc,
                                                  t_out.equilibria,
                                                  wanted=[k.id for k in keys])
        tor = tornado(t_scores, index, inputs)
    result = _summarise(task, plan, keys, views, values, weights, hits, scores, exact,
                        partial, early, tor)
    from dataclasses import replace

    combinations = math.prod(len(u.outcomes()) for u in inputs if u.spec.is_preference)
    if unknown and combinations <= MAX_CONFIGURATIONS:  # above: left out, not refused
        result = replace(result, unknown_preferences=tuple(
            unknown_preferences(scenario, concepts)))
    if alpha is not None:
        pref_cols = [k for k, s in enumerate(inputs) if s.spec.is_preference]
        result = replace(result, probabilistic=probabilistic_preferences(
            scenario, alpha, beta, gamma, concepts,
            samples=(values[:, pref_cols], weights)))
    return result


COMPARED_OUTCOME = "war"


def rows_from_table(task: SweepTask, plan: SamplePlan, table: Any) -> ChunkOutput:
    """The finished rows of an earlier run of the same sweep, from its samples table.

    The table must come from the same scenario, method, seed and inputs: its input
    values are compared with the plan's first rows, exactly.  A state's equilibrium
    column is present only where the state was an equilibrium in some sample, so an
    absent column means 'never'."""
    keys, views = conclusion_keys(task)
    done = len(table)
    names = [f"input:{s.name}" for s in task.inputs]
    missing = [c for c in [*names, *(k.id for k in keys)] if c not in table.columns]
    if missing:
        raise input_error("the file to resume is not a sample table of this sweep",
                          value=missing[:3], expected="the --parquet output of the same "
                          "scenario with the same options")
    if done > plan.n or not np.array_equal(
            table[names].to_numpy(dtype=float), plan.values[:done]):
        raise input_error("the file to resume comes from another sweep: its input values "
                          "differ from this plan's", value=done,
                          expected="the same scenario, --method, --seed and --samples")
    hits = np.column_stack([table[k.id].to_numpy(dtype=bool) for k in keys])
    scores = np.column_stack([
        table[f"score:{k.id}"].to_numpy(dtype=float) if k.kind in ("game", "forecast")
        else hits[:, j].astype(float) for j, k in enumerate(keys)])
    n = n_states(task.scenario)
    eq = np.zeros((done, len(views), n), dtype=bool)
    for vi, v in enumerate(views):
        prefix = f"equilibrium:{v}:s"
        for col in table.columns:
            if str(col).startswith(prefix):
                eq[:, vi, int(str(col)[len(prefix):]) - 1] = table[col].to_numpy(dtype=bool)
    return ChunkOutput(hits, scores, eq)


def _with_comparisons(keys: list[ConclusionKey], hits: np.ndarray, scores: np.ndarray
                      ) -> tuple[list[ConclusionKey], np.ndarray, np.ndarray]:
    """Add 'policy A gives a lower P(war) than policy B' per game and view, from the
    game conclusions' scores (the lowest P(war) over each setting's equilibria)."""
    games: dict[tuple[str, str], list[tuple[str, int]]] = {}
    for j, k in enumerate(keys):
        if k.kind == "game" and k.subject.endswith(f":{COMPARED_OUTCOME}"):
            games.setdefault((k.subject.split(":", 1)[0], k.view), []).append(
                (str(k.policy), j))
    extra: list[ConclusionKey] = []
    cols: list[np.ndarray] = []
    for (game, view), items in games.items():
        for pa, ja in items:
            for pb, jb in items:
                if pa == pb:
                    continue
                extra.append(ConclusionKey(f"beats:{game}:{pa}:{pb}:{view}", "beats", pa,
                                           view, f"{game}:{pb}"))
                cols.append(np.nan_to_num(scores[:, ja], nan=np.inf)
                            < np.nan_to_num(scores[:, jb], nan=-np.inf) - 1e-12)
    if not cols:
        return keys, hits, scores
    block = np.column_stack(cols)
    return (keys + extra, np.concatenate([hits, block], axis=1),
            np.concatenate([scores, block.astype(float)], axis=1))


def _with_equilibria(task: SweepTask, keys: list[ConclusionKey], views: Sequence[str],
                     hits: np.ndarray, scores: np.ndarray, eq: np.ndarray,
                     wanted: Sequence[str] | None = None
                     ) -> tuple[list[ConclusionKey], np.ndarray, np.ndarray]:
    """Add 'state sk is an equilibrium' per view for the states that are in some sample
    (``wanted``: exactly these conclusion ids, in this order)."""
    extra_keys: list[ConclusionKey] = []
    cols: list[np.ndarray] = []
    for vi, v in enumerate(views):
        for s in range(eq.shape[2]):
            cid = f"equilibrium:{v}:s{s + 1}"
            if (wanted is None and eq[:, vi, s].any()) or (wanted is not None and cid in wanted):
                extra_keys.append(ConclusionKey(cid, "equilibrium", None, v, f"s{s + 1}"))
                cols.append(eq[:, vi, s])
    all_keys = keys + extra_keys
    extra = np.column_stack(cols) if cols else np.zeros((hits.shape[0], 0), dtype=bool)
    h = np.concatenate([hits, extra], axis=1)
    sc = np.concatenate([scores, extra.astype(float)], axis=1)
    if wanted is not None:
        pos = {k.id: j for j, k in enumerate(all_keys)}
        order = [pos[w] for w in wanted]
        return [all_keys[j] for j in order], h[:, order], sc[:, order]
    return all_keys, h, sc


def _text(scenario: Scenario, k: ConclusionKey, view_names: dict[str, str],
          policy_labels: dict[str, str], level: float) -> str:
    where = view_names.get(k.view, k.view)
    pol = policy_labels.get(k.policy or "", k.policy or "")
    if k.kind == "ends":
        label = next((o.label for o in scenario.outcomes if o.id == k.subject),
                     "a state no outcome names")
        return f"{pol} ends in {label} ({where})"
    if k.kind == "no_end":
        return f"{pol} reaches no stable state ({where})"
    if k.kind == "equilibrium":
        return f"{k.subject} is an equilibrium ({where})"
    if k.kind == "best":
        return (f"{pol} is best for {k.subject} by its own preferences (its worst end "
                f"state; {where})")
    if k.kind == "beats":
        game, other = k.subject.split(":", 1)
        return (f"{pol} gives a lower P({COMPARED_OUTCOME}) than "
                f"{policy_labels.get(other, other)} in game {game} ({where})")
    if k.kind == "forecast":
        issue_id, model = k.subject.split(":", 1)
        issue = next(i for i in scenario.issues if i.id == issue_id)
        return (f"{model} forecast of '{issue.label or issue.id}' above the middle of its "
                f"scale ({where})")
    game, outcome = k.subject.split(":", 1)
    return f"{pol}: P({outcome}) in game {game} above {level:g} in every equilibrium ({where})"


def box_rules(box: Box, inputs: Sequence[InputSpace]) -> tuple[str, ...]:
    """A PRIM box as readable rules: ranges of numbers, the values a discrete input keeps."""
    spaces = {s.name: s for s in inputs}
    out = []
    for name, lo, hi in box.limits:
        s = spaces[name]
        if s.discrete:
            kept = [s.quantile_label(v) for v, _p in s.outcomes() if lo <= v <= hi]
            out.append(f"{name}: " + " or ".join(kept))
        elif math.isfinite(lo) and math.isfinite(hi):
            out.append(f"{lo:.3g} <= {name} <= {hi:.3g}")
        elif math.isfinite(lo):
            out.append(f"{name} >= {lo:.3g}")
        else:
            out.append(f"{name} <= {hi:.3g}")
    return tuple(out)


def _summarise(task: SweepTask, plan: SamplePlan, keys: list[ConclusionKey],
               views: Sequence[str], values: np.ndarray, weights: np.ndarray,
               hits: np.ndarray, scores: np.ndarray, exact: bool, partial: bool,
               early: bool, tor: list[Any] | None) -> SweepResult:
    sc = task.scenario
    view_names = {v.id: v.name for v in all_views(sc)}
    policy_labels = dict(starts_of(sc))
    p, se = probabilities(hits, weights, exact)
    finite = np.where(np.isfinite(scores), scores, 0.0)
    mean_score = weights @ finite
    names = [s.name for s in task.inputs]
    drivers = regional_sensitivity(values, hits, weights)
    sobol_all = None
    if plan.method == "sobol" and not partial and values.shape[0] == plan.n:
        sobol_all = [sobol_indices(finite[:, c], names, plan.seed) for c in range(len(keys))]
    # PRIM for the most uncertain conclusions, those about policies before equilibria
    order = sorted((c for c in range(len(keys)) if 0 < p[c] < 1),
                   key=lambda c: (keys[c].kind == "equilibrium", -min(p[c], 1 - p[c]), c))
    uncertain = order[:PRIM_MAX]
    boxes = {int(c): prim(values, hits[:, c], names).box for c in uncertain}
    conclusions = []
    for c, k in enumerate(keys):
        drv = tuple(sorted(((names[j], float(drivers[c, j])) for j in range(len(names))
                            if drivers[c, j] > 0), key=lambda t: (-t[1], t[0])))
        conclusions.append(Conclusion(
            k.id, k.kind, k.policy, k.view, k.subject,
            _text(sc, k, view_names, policy_labels, task.level), float(p[c]), float(se[c]),
            float(mean_score[c]), drv,
            tuple(sobol_all[c]) if sobol_all is not None else (),
            tuple(b for b in tor[c] if b.swing > 0) if tor is not None else (),
            boxes.get(c), box_rules(boxes[c], task.inputs) if c in boxes else ()))
    prov = Provenance(method="crisislab.sweep", seed=plan.seed, scenario=sc.metadata.title,
                      parameters={"samples": plan.requested, "method": plan.method,
                                  "concepts": list(task.concepts),
                                  "headline_concept": headline(task.concepts),
                                  "games": task.games, "level": task.level,
                                  "forecasts": list(FORECAST_MODELS) if task.forecasts
                                  else [],
                                  "chunk": CHUNK, "inputs": names})
    return SweepResult(
        title=sc.metadata.title, inputs=tuple(_input_info(s) for s in task.inputs),
        conclusions=tuple(conclusions), views=tuple(view_names.items()),
        policies=tuple(policy_labels.items()), method=plan.method, seed=plan.seed,
        samples=int(values.shape[0]), requested=plan.requested, partial=partial,
        stopped_early=early, provenance=prov, values=values, weights=weights, hits=hits,
        scores=scores, drivers=ranked_inputs(drivers, names))


def ranked_inputs(drivers: np.ndarray, names: Sequence[str]) -> tuple[tuple[str, float], ...]:
    """Inputs by their largest effect on any conclusion (``drivers``: conclusions x inputs,
    the regional sensitivity), largest first and ties by name; inputs that move no
    conclusion are left out."""
    best = np.where(drivers > 0, drivers, 0.0).max(axis=0, initial=0.0)
    return tuple(sorted(((names[j], float(best[j])) for j in np.flatnonzero(best > 0).tolist()),
                        key=lambda t: (-t[1], t[0])))
