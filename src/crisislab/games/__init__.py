"""Games of incomplete information: crisis templates, explicit trees, equilibria, thresholds.

Entry points:
    :func:`solve_game`            validate, apply lens overrides and solve one game
    :func:`find_switches`         belief or parameter values where the equilibrium switches
    :func:`outcome_curve`         outcome probabilities against a parameter (and ``curve_svg``)
    :data:`GameSpec`              pydantic type of one entry of a scenario's ``games:`` list
    :func:`apply_game_overrides`  a game as a lens sees it

Gambit's file formats (``parse_efg``, ``to_nfg``) moved to
:mod:`crisislab.formats.efg`; the names are still served here, lazily, for
older imports (deprecated).
"""

from typing import Any

from crisislab.games.efg_writer import to_efg
from crisislab.games.results import Equilibrium, GameSolution
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
    "METHODS", "TEMPLATES", "CompiledGame", "Equilibrium", "GameSolution", "GameSpec",
    "GameTree", "TemplateGameSpec", "TreeBuilder", "TreeGameSpec", "apply_game_overrides",
    "compile_game", "curve_svg", "find_switches", "outcome_curve", "solve_compiled",
    "solve_game", "solve_tree", "to_efg", "validate_games",
]


_MOVED_TO_FORMATS = ("parse_efg", "to_nfg")


def __getattr__(name: str) -> Any:
    """Deprecated names that moved to :mod:`crisislab.formats.efg`."""
    if name in _MOVED_TO_FORMATS:
        from crisislab.formats import efg

        return getattr(efg, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
