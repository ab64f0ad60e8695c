"""Games of incomplete information: crisis templates, explicit trees, equilibria, thresholds.

Entry points:
    :func:`solve_game`            validate, apply lens overrides and solve one game
    :func:`find_switches`         belief or parameter values where the equilibrium switches
    :func:`outcome_curve`         outcome probabilities against a parameter (and ``curve_svg``)
    :func:`regime_map`            regimes over two parameters (and ``regime_map_svg``)
    :func:`qre_at`, :func:`qre_curve`, :func:`qre_limit`
                                  agent quantal response equilibria (logit, probit)
    :func:`classify`              the refinements a behaviour profile satisfies
    :data:`GameSpec`              pydantic type of one entry of a scenario's ``games:`` list
    :func:`apply_game_overrides`  a game as a lens sees it
"""

from crisislab.games.efg import parse_efg, to_efg, to_nfg
from crisislab.games.qre import qre_at, qre_curve, qre_limit
from crisislab.games.refinements import REFINEMENTS, classify
from crisislab.games.regime_map import RegimeMap, regime_map, regime_map_svg
from crisislab.games.results import Equilibrium, GameSolution, QREResult
from crisislab.games.solve import METHODS, solve_compiled, solve_game, solve_tree
from crisislab.games.spec import (
    CompiledGame,
    GameSpec,
    TemplateGameSpec,
    TreeGameSpec,
    apply_game_overrides,
    compile_game,
    validate_games,
)
from crisislab.games.templates import TEMPLATES
from crisislab.games.thresholds import curve_svg, find_switches, outcome_curve
from crisislab.games.tree import GameTree, TreeBuilder

__all__ = [
    "METHODS",
    "REFINEMENTS",
    "TEMPLATES",
    "CompiledGame",
    "Equilibrium",
    "GameSolution",
    "GameSpec",
    "GameTree",
    "QREResult",
    "RegimeMap",
    "TemplateGameSpec",
    "TreeBuilder",
    "TreeGameSpec",
    "apply_game_overrides",
    "classify",
    "compile_game",
    "curve_svg",
    "find_switches",
    "outcome_curve",
    "parse_efg",
    "qre_at",
    "qre_curve",
    "qre_limit",
    "regime_map",
    "regime_map_svg",
    "solve_compiled",
    "solve_game",
    "solve_tree",
    "to_efg",
    "to_nfg",
    "validate_games",
]
