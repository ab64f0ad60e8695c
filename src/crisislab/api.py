"""The Python API: one call per question an analyst asks.

    import crisislab
    scenario = crisislab.load("crisis.yaml")          # or crisislab.load() for korea-2017
    analysis = crisislab.analyze(scenario)            # policies x views x engines, cruxes
    analysis.summary, analysis.cell("status_quo", "base"), analysis.to_json()
    stability = crisislab.stability(scenario)         # the base case only, with witnesses
    games = crisislab.solve(scenario)                 # games of incomplete information
    blocs = crisislab.coalition_structure(scenario, [["US", "CN"], ["KP"]])
    forecasts = crisislab.forecast(scenario)          # negotiation forecasts
    robust = crisislab.sweep(scenario, samples=256)   # probabilities over uncertain inputs

Every result records its provenance and follows one protocol
(:class:`crisislab.results.Result`): ``to_dict()``, ``to_json()``, ``to_pandas()``,
a compact ``repr`` and ``_repr_html_`` for notebooks.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from crisislab.compare.analysis import DEFAULT_CONCEPTS, ConflictAnalysis, analyse
from crisislab.compare.pipeline import analyze_scenario
from crisislab.compare.scenario_analysis import ScenarioAnalysis
from crisislab.conflict.concepts import BasicConcept, Concept, SanctionMode
from crisislab.errors import input_error
from crisislab.formats.scenario import load

if TYPE_CHECKING:
    from crisislab.bargaining.forecast import ForecastModel
    from crisislab.bargaining.results import ForecastSet
    from crisislab.conflict.blocs import Improvement, SanctionRule
    from crisislab.conflict.coalition_structure import CoalitionStructureResult
    from crisislab.conflict.stability import SimVariant, StabilityResult
    from crisislab.conflict.status_quo import PathRule
    from crisislab.games.methods import GameMethod, Link, Refinement
    from crisislab.games.results import GameSolution
    from crisislab.uncertainty.results import SweepResult
from crisislab.model.scenario import Scenario


def analyze(scenario: Scenario, *, concepts: Sequence[Concept] = DEFAULT_CONCEPTS,
            mode: SanctionMode = "legal", sim_variant: SimVariant | None = None,
            cruxes: bool = True, crux_concepts: Sequence[Concept] | None = None,
            lens_models: Sequence[ForecastModel] | None = None,
            what_if: bool = True, paths: PathRule = "credible", games: bool = True,
            forecasts: bool = True, curves: bool = False) -> ScenarioAnalysis:
    """Every policy (status quo first) under every view (base case, each lens): where
    the conflict ends, the games' equilibria and the forecasts, with cruxes and the
    executive summary (see :class:`~crisislab.compare.scenario_analysis.ScenarioAnalysis`).
    ``crux_concepts`` limits the conflict's crux search to those concepts (None: all);
    ``lens_models`` are the negotiation models run under each lens (None: all but Nash
    bargaining)."""
    return analyze_scenario(scenario, concepts=concepts, mode=mode, sim_variant=sim_variant,
                            cruxes=cruxes, crux_concepts=crux_concepts,
                            lens_models=lens_models, what_if=what_if, paths=paths,
                            games=games, forecasts=forecasts, curves=curves)


def load_analysis(path: str | Path) -> ScenarioAnalysis:
    """Read an analysis saved with ``crisislab analyze --json`` (or ``to_json``) back into
    the typed result, without rerunning it (see :mod:`crisislab.compare.saved`)."""
    from crisislab.compare.saved import saved_analysis
    from crisislab.formats.analysis_json import read_analysis_json

    return saved_analysis(read_analysis_json(path), str(path))


def diff(a: Scenario | str | Path, b: Scenario | str | Path, *,
         analyze: bool = True) -> Any:
    """What differs between two scenarios (files, built-in names or loaded scenarios) and
    which conclusions differ because of it, with the cruxes that decide them
    (a :class:`crisislab.compare.scenario_diff.ScenarioDiff`)."""
    from crisislab.compare.scenario_diff import diff_scenarios

    def named(x: Scenario | str | Path) -> tuple[Scenario, str]:
        if isinstance(x, Scenario):
            return x, x.metadata.title
        return load(x), str(x)

    (sa, na), (sb, nb) = named(a), named(b)
    return diff_scenarios(sa, sb, a_name=na, b_name=nb, analyse=analyze)


def analyze_conflict(scenario: Scenario, *, concepts: Sequence[Concept] = DEFAULT_CONCEPTS,
                     mode: SanctionMode = "legal", sim_variant: SimVariant | None = None,
                     cruxes: bool = True, crux_concepts: Sequence[Concept] | None = None,
                     what_if: bool = True) -> ConflictAnalysis:
    """The conflict part alone (every lens, hypergames, cruxes, what-ifs);
    ``crux_concepts`` limits the crux search to those concepts (None: all)."""
    return analyse(scenario, concepts=concepts, mode=mode, sim_variant=sim_variant,
                   cruxes=cruxes, crux_concepts=crux_concepts, what_if=what_if)


def stability(scenario: Scenario, *,
              concepts: Sequence[Concept] = ("nash", "gmr", "smr", "seq"),
              mode: SanctionMode = "legal", sim_variant: SimVariant = "any",
              lens: str | None = None) -> StabilityResult:
    """Stability of the base case (or one lens's view) with witnesses:
    a :class:`crisislab.conflict.stability.StabilityResult`."""
    from crisislab.conflict.perception import as_seen_without, without_own_moves
    from crisislab.conflict.scenario_graph import build_graph
    from crisislab.conflict.stability import analyze_stability
    from crisislab.model.lenses import lens_scenario
    from crisislab.model.perception import unperceived_by_actor, unperceived_mask
    from crisislab.model.states import state_space

    chosen = None
    if lens is not None:
        ids = [lz.id for lz in scenario.lenses]
        if lens not in ids:
            raise input_error(f"unknown lens {lens!r}", value=lens, expected=", ".join(ids))
        chosen = scenario.lens(lens)
    view = lens_scenario(scenario, chosen)
    space = state_space(view)
    graph = without_own_moves(build_graph(view, space), unperceived_by_actor(scenario, space))
    if chosen is not None and chosen.kind == "perception":
        graph = as_seen_without(graph, unperceived_mask(space, chosen))
    return analyze_stability(graph, concepts=concepts, mode=mode,
                             sim_variant=sim_variant, lens=lens,
                             scenario=scenario.metadata.title)


def solve(scenario: Scenario, game: str | None = None, *, lens: str | None = None,
          method: GameMethod = "auto", refinement: Refinement = "pbe",
          lam: float | None = None, link: Link = "logit") -> list[GameSolution]:
    """Solve the scenario's games (one, or all) under the base case or a lens.

    ``refinement`` is the standard an equilibrium must meet (default credible: pbe);
    ``lam`` and ``link`` give the quantal response equilibrium of ``method="qre"``."""
    from crisislab.games.solve import solve_game
    from crisislab.model.lenses import BASE_VIEW, game_views

    games = [g for g in scenario.games if game is None or g.id == game]
    if game is not None and not games:
        raise input_error(f"unknown game {game!r}", value=game,
                          expected=", ".join(g.id for g in scenario.games) or "(no games)")
    out = []
    for g in games:
        [(lens_id, overrides)] = game_views(scenario, g.id, [lens or BASE_VIEW])
        out.append(solve_game(g, method, overrides=overrides or None, lens=lens_id,
                              scenario=scenario.metadata.title,
                              path=f"games[{scenario.games.index(g)}]",
                              refinement=refinement, lam=lam, link=link))
    return out


def forecast(scenario: Scenario, *, issues: Sequence[str] | None = None,
             models: Sequence[ForecastModel] | None = None,
             lenses: Sequence[str | None] = (None,), seed: int | None = None) -> ForecastSet:
    """Negotiation forecasts for the scenario's issues (a ForecastSet)."""
    from crisislab.bargaining.forecast import MODELS, forecast_scenario

    return forecast_scenario(scenario, issues=issues, models=models or MODELS,
                             lenses=lenses, seed=seed)


def sweep(scenario: Scenario, *, samples: int = 256, seed: int = 0,
          method: Literal["lhs", "mc", "sobol", "exhaustive"] = "lhs",
          concepts: Sequence[Concept] = DEFAULT_CONCEPTS, games: bool = True,
          forecasts: bool = True, level: float | None = None,
          target_se: float | None = None, scheduler: object = None,
          alpha: float | None = None, beta: float | None = None,
          gamma: float | None = None) -> SweepResult:
    """How likely each conclusion is over the scenario's uncertain inputs (its
    ``uncertainty`` section): a :class:`crisislab.uncertainty.results.SweepResult`.

    ``method``: lhs, mc, sobol (adds Sobol indices) or exhaustive; ``scheduler``:
    ``"processes"`` (local processes, all cores), a Dask ``Client`` or a scheduler
    address (the same result, byte for byte, as a serial run); ``alpha`` (``beta``,
    ``gamma``): add the stable states under probabilistic preferences (Rêgo & dos
    Santos 2015) at these thresholds (``result.probabilistic``)."""
    from crisislab.compare.sweep import sweep as run
    from crisislab.compare.views import refuse_bloc_policies

    refuse_bloc_policies(scenario, "the sweep")
    return run(scenario, samples=samples, seed=seed, method=method, concepts=concepts,
               games=games, forecasts=forecasts, level=level, target_se=target_se,
               scheduler=scheduler, alpha=alpha, beta=beta, gamma=gamma)



__all__ = ["ScenarioAnalysis", "analyze", "analyze_conflict", "coalition_structure", "diff",
           "forecast", "load", "load_analysis", "solve", "stability", "sweep"]


def coalition_structure(scenario: Scenario, structure: str | Sequence[Sequence[str]], *,
                        concepts: Sequence[BasicConcept] = ("nash", "gmr", "smr", "seq"),
                        mode: SanctionMode = "legal", rule: SanctionRule = "any_member",
                        improvement: Improvement = "strict",
                        lens: str | None = None) -> CoalitionStructureResult:
    """Stability of every bloc of a coalition structure (an id from the scenario's
    ``coalition_structures``, or blocs of actor ids such as ``[["US", "CN"], ["KP"]]``)
    in the base case or a lens's view; actors not named are outsiders."""
    from crisislab.conflict.coalition_structure import coalition_structure as compute
    from crisislab.conflict.scenario_graph import build_graph
    from crisislab.model.lenses import lens_scenario

    name: str | None = None
    if isinstance(structure, str):
        ids = [c.id for c in scenario.coalition_structures]
        if structure not in ids:
            raise input_error(f"unknown coalition structure {structure!r}", value=structure,
                              expected=", ".join(ids) or "a list of blocs (no structure is "
                              "declared in the scenario)")
        name = structure
        blocs: Sequence[Sequence[str]] = scenario.coalition_structure(structure).blocs
    else:
        blocs = structure
    chosen = None
    if lens is not None:
        known = [lz.id for lz in scenario.lenses]
        if lens not in known:
            raise input_error(f"unknown lens {lens!r}", value=lens, expected=", ".join(known))
        chosen = scenario.lens(lens)
    graph = build_graph(lens_scenario(scenario, chosen))
    return compute(graph, blocs, concepts, mode=mode, rule=rule, improvement=improvement,
                   name=name, lens=lens, scenario=scenario.metadata.title)
