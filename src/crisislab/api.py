"""The Python API: one call per question an analyst asks.

    import crisislab
    scenario = crisislab.load("crisis.yaml")          # or crisislab.load() for korea-2017
    analysis = crisislab.analyze(scenario)            # policies x views x engines, cruxes
    analysis.summary, analysis.cell("status_quo", "base"), analysis.to_json()
    stability = crisislab.stability(scenario)         # the base case only, with witnesses
    games = crisislab.solve(scenario)                 # games of incomplete information
    forecasts = crisislab.forecast(scenario)          # negotiation forecasts

Every result records its provenance and has ``to_pandas()``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from crisislab.compare.analysis import DEFAULT_CONCEPTS, ConflictAnalysis, analyse
from crisislab.compare.pipeline import analyze_scenario
from crisislab.compare.scenario_analysis import ScenarioAnalysis
from crisislab.errors import input_error
from crisislab.formats.scenario import load
from crisislab.model.scenario import Scenario


def analyze(scenario: Scenario, *, concepts: Sequence[str] = DEFAULT_CONCEPTS,
            mode: str = "legal", sim_variant: str | None = None, cruxes: bool = True,
            what_if: bool = True, paths: str = "credible", games: bool = True,
            forecasts: bool = True, curves: bool = False) -> ScenarioAnalysis:
    """Every policy (status quo first) under every view (base case, each lens): where
    the conflict ends, the games' equilibria and the forecasts, with cruxes and the
    executive summary (see :class:`~crisislab.compare.scenario_analysis.ScenarioAnalysis`)."""
    return analyze_scenario(scenario, concepts=concepts, mode=mode, sim_variant=sim_variant,
                            cruxes=cruxes, what_if=what_if, paths=paths, games=games,
                            forecasts=forecasts, curves=curves)


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


def analyze_conflict(scenario: Scenario, *, concepts: Sequence[str] = DEFAULT_CONCEPTS,
                     mode: str = "legal", sim_variant: str | None = None, cruxes: bool = True,
                     what_if: bool = True) -> ConflictAnalysis:
    """The conflict part alone (every lens, hypergames, cruxes, what-ifs)."""
    return analyse(scenario, concepts=concepts, mode=mode, sim_variant=sim_variant,
                   cruxes=cruxes, what_if=what_if)


def stability(scenario: Scenario, *, concepts: Sequence[str] = DEFAULT_CONCEPTS,
              mode: str = "legal", sim_variant: str = "any", lens: str | None = None) -> Any:
    """Stability of the base case (or one lens's view) with witnesses:
    a :class:`crisislab.conflict.stability.StabilityResult`."""
    from crisislab.conflict.scenario_graph import build_graph
    from crisislab.conflict.stability import analyze_stability
    from crisislab.model.lenses import lens_scenario

    chosen = None
    if lens is not None:
        ids = [lz.id for lz in scenario.lenses]
        if lens not in ids:
            raise input_error(f"unknown lens {lens!r}", value=lens, expected=", ".join(ids))
        chosen = scenario.lens(lens)
    view = lens_scenario(scenario, chosen)
    return analyze_stability(build_graph(view), concepts=concepts, mode=mode,
                             sim_variant=sim_variant, lens=lens,
                             scenario=scenario.metadata.title)


def solve(scenario: Scenario, game: str | None = None, *, lens: str | None = None,
          method: str = "auto") -> list[Any]:
    """Solve the scenario's games (one, or all) under the base case or a lens."""
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
                              path=f"games[{scenario.games.index(g)}]"))
    return out


def forecast(scenario: Scenario, *, issues: Sequence[str] | None = None,
             models: Sequence[str] | None = None, lenses: Sequence[str | None] = (None,),
             seed: int | None = None) -> Any:
    """Negotiation forecasts for the scenario's issues (a ForecastSet)."""
    from crisislab.bargaining.forecast import MODELS, forecast_scenario

    return forecast_scenario(scenario, issues=issues, models=models or MODELS,
                             lenses=lenses, seed=seed)


__all__ = ["ScenarioAnalysis", "analyze", "analyze_conflict", "diff", "forecast", "load",
           "load_analysis", "solve", "stability"]
