"""What ``crisislab solve`` and ``crisislab threshold`` compute, apart from reading files
and showing results: which games and views to solve, the solutions, the switches of a
parameter, the regime map and their pictures.

The command line parses options, calls these functions and renders what they return;
the games engine is imported on call, so the method names below (which the command's
help shows) load nothing heavy.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from crisislab.errors import input_error
from crisislab.games.methods import CREDIBLE, LINKS, METHODS, REFINEMENTS

if TYPE_CHECKING:
    from crisislab.games.regime_map import RegimeMap
    from crisislab.games.results import GameSolution
    from crisislab.games.thresholds import ThresholdResult
    from crisislab.games.tree import GameTree
    from crisislab.model.game_spec import GameSpec
    from crisislab.model.scenario import Scenario

__all__ = ["CREDIBLE", "LINKS", "METHODS", "REFINEMENTS", "game_tree", "nfg_tree",
           "regime_map_run", "select_games", "solve_games", "solve_tree", "switch_curve_svg",
           "switches"]


def select_games(scenario: Scenario, game: str | None) -> list[tuple[int, GameSpec]]:
    """(position, game) pairs: every game, or the one named; the position locates errors
    as ``games[i]``.  A scenario without games, or an unknown id, is refused."""
    games = list(enumerate(scenario.games))
    if not games:
        raise input_error("the scenario declares no games", value=scenario.metadata.title,
                          expected="a `games:` section")
    if game is None:
        return games
    chosen = [(i, g) for i, g in games if g.id == game]
    if not chosen:
        raise input_error(f"no game {game!r} in the scenario", value=game,
                          expected=", ".join(g.id for _, g in games))
    return chosen


def lens_overrides(scenario: Scenario, game_id: str, lenses: str | None
                   ) -> list[tuple[str | None, dict[str, Any]]]:
    """(lens id or None for the base case, overrides) pairs for a comma-separated
    ``--lens`` value (None: the base case and every lens that overrides the game)."""
    from crisislab.model.lenses import game_views

    wanted = None if lenses is None else [x.strip() for x in lenses.split(",") if x.strip()]
    return game_views(scenario, game_id, wanted)


def solve_games(scenario: Scenario, game: str | None, lenses: str | None, method: str,
                **options: Any) -> Iterator[tuple[str | None, GameSolution]]:
    """(lens id, solution) for every chosen game under every chosen view, one at a time,
    so a caller can show each before the next (a slow method is seen to progress).

    ``options`` are :func:`crisislab.games.solve.solve_game`'s (refinement, lam, link,
    exceed_limits)."""
    from crisislab.games.solve import solve_game

    for i, g in select_games(scenario, game):
        for lens_id, overrides in lens_overrides(scenario, g.id, lenses):
            yield lens_id, solve_game(g, method, overrides=overrides, lens=lens_id,
                                      scenario=scenario.metadata.title, path=f"games[{i}]",
                                      **options)


def solve_tree(tree: GameTree, method: str, game_id: str, **options: Any) -> GameSolution:
    """Solve a tree read from a Gambit file (options as :func:`solve_games`)."""
    from crisislab.games.solve import solve_tree as solve

    return solve(tree, method, game_id=game_id, **options)


def nfg_tree(text: str, file: str) -> GameTree:
    """The extensive form of a Gambit ``.nfg`` game (errors located in ``file``)."""
    from crisislab.games.normal_form import parse_nfg, to_tree

    return to_tree(parse_nfg(text, file=file))


def game_tree(scenario: Scenario, game: str | None, lens: str | None
              ) -> tuple[GameTree, str | None, str]:
    """One game's tree as one view sees it, for export: (tree, lens id, game id).

    Exporting writes one file, so more than one game or view is refused."""
    from crisislab.games.spec import apply_game_overrides, compile_game

    chosen = select_games(scenario, game)
    if len(chosen) != 1:
        raise input_error("exporting needs one game", value=[g.id for _i, g in chosen],
                          expected="--game ID")
    i, spec = chosen[0]
    views = lens_overrides(scenario, spec.id, lens if lens is not None else "base")
    if len(views) != 1:
        raise input_error("exporting needs one view", value=lens, expected="--lens ID or base")
    lens_id, overrides = views[0]
    if overrides:
        spec = apply_game_overrides(spec, overrides)
    return compile_game(spec, f"games[{i}]").tree, lens_id, spec.id


def threshold_game(scenario: Scenario, game: str, lens: str | None,
                   *params: str) -> tuple[GameSpec, dict[str, Any]]:
    """The game a threshold search varies, and the chosen lens's overrides of every
    other parameter (the varied ones are left free)."""
    [(_, g)] = select_games(scenario, game)
    overrides: dict[str, Any] = {}
    if lens is not None:
        [(_, overrides)] = lens_overrides(scenario, g.id, lens)
    for p in params:
        overrides.pop(p, None)
    return g, overrides


def switches(spec: GameSpec, param: str, lo: float | None, hi: float | None,
             **options: Any) -> ThresholdResult:
    """Where the equilibrium regime switches as ``param`` varies
    (:func:`crisislab.games.thresholds.find_switches`)."""
    from crisislab.games.thresholds import find_switches

    return find_switches(spec, param, lo, hi, **options)


def switch_curve_svg(spec: GameSpec, param: str, res: ThresholdResult, *, method: str,
                     overrides: dict[str, Any], lens: str | None) -> str:
    """The outcome probabilities over the searched range as SVG, the switches marked.

    The 41 points stop just inside the ends, where a bound of the range may make a
    template's game degenerate."""
    import numpy as np

    from crisislab.games.thresholds import curve_svg, outcome_curve

    xs = np.linspace(res.low, res.high, 41)
    eps = (res.high - res.low) * 1e-9
    xs[0], xs[-1] = xs[0] + eps, xs[-1] - eps
    curve = outcome_curve(spec, param, xs, method=method, overrides=overrides, lens=lens)
    marks = {f"{s.display}": s.value for s in res.switches}
    return curve_svg(curve, marks)


def regime_map_run(spec: GameSpec, param: str, param2: str, lo: float | None,
                   hi: float | None, lo2: float | None, hi2: float | None,
                   **options: Any) -> RegimeMap:
    """The regimes over two parameters (:func:`crisislab.games.regime_map.regime_map`)."""
    from crisislab.games.regime_map import regime_map

    return regime_map(spec, param, param2, lo, hi, lo2, hi2, **options)


def regime_map_svg(rmap: RegimeMap) -> str:
    """The regime map as SVG."""
    from crisislab.games.regime_map import regime_map_svg as draw

    return draw(rmap)
