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

Names are imported on first use (PEP 562), so importing one module of the
package (``crisislab.games.methods`` for the command line's help) does not
load scipy.  Gambit's file formats (``parse_efg``, ``to_nfg``) moved to
:mod:`crisislab.formats.efg`; they are still served here for older imports
(deprecated).
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from crisislab.games.efg_writer import to_efg
    from crisislab.games.methods import METHODS, REFINEMENTS
    from crisislab.games.qre import qre_at, qre_curve, qre_limit
    from crisislab.games.refinements import classify
    from crisislab.games.regime_map import RegimeMap, regime_map, regime_map_svg
    from crisislab.games.results import Equilibrium, GameSolution, QREResult
    from crisislab.games.solve import solve_compiled, solve_game, solve_tree
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

_WHERE = {
    "to_efg": "crisislab.games.efg_writer",
    "METHODS": "crisislab.games.methods",
    "Equilibrium": "crisislab.games.results",
    "GameSolution": "crisislab.games.results",
    "QREResult": "crisislab.games.results",
    "qre_at": "crisislab.games.qre",
    "qre_curve": "crisislab.games.qre",
    "qre_limit": "crisislab.games.qre",
    "REFINEMENTS": "crisislab.games.methods",
    "classify": "crisislab.games.refinements",
    "RegimeMap": "crisislab.games.regime_map",
    "regime_map": "crisislab.games.regime_map",
    "regime_map_svg": "crisislab.games.regime_map",
    "solve_compiled": "crisislab.games.solve",
    "solve_game": "crisislab.games.solve",
    "solve_tree": "crisislab.games.solve",
    "CompiledGame": "crisislab.games.spec",
    "GameSpec": "crisislab.games.spec",
    "TemplateGameSpec": "crisislab.games.spec",
    "TreeGameSpec": "crisislab.games.spec",
    "apply_game_overrides": "crisislab.games.spec",
    "compile_game": "crisislab.games.spec",
    "validate_games": "crisislab.games.spec",
    "TEMPLATES": "crisislab.games.templates",
    "curve_svg": "crisislab.games.thresholds",
    "find_switches": "crisislab.games.thresholds",
    "outcome_curve": "crisislab.games.thresholds",
    "GameTree": "crisislab.games.tree",
    "TreeBuilder": "crisislab.games.tree",
}
_MOVED_TO_FORMATS = ("parse_efg", "to_nfg")

__all__ = [
    "METHODS", "REFINEMENTS", "TEMPLATES", "CompiledGame", "Equilibrium", "GameSolution",
    "GameSpec", "GameTree", "QREResult", "RegimeMap", "TemplateGameSpec", "TreeBuilder",
    "TreeGameSpec", "apply_game_overrides", "classify", "compile_game", "curve_svg",
    "find_switches", "outcome_curve", "qre_at", "qre_curve", "qre_limit", "regime_map",
    "regime_map_svg", "solve_compiled", "solve_game", "solve_tree", "to_efg",
    "validate_games",
]


def __getattr__(name: str) -> Any:
    if name in _MOVED_TO_FORMATS:  # deprecated names
        from crisislab.formats import efg

        return getattr(efg, name)
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    loaded = importlib.import_module(module)
    # Importing a submodule binds its name on this package (``regime_map`` the module
    # would shadow ``regime_map`` the function), so bind every name it provides now.
    for other, where in _WHERE.items():
        if where == module:
            globals()[other] = getattr(loaded, other)
    return globals()[name]


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_WHERE))


class _Package(types.ModuleType):
    """This package, refusing to let a submodule shadow the function it is named after.

    Importing ``crisislab.games.regime_map`` directly (``from crisislab.games.regime_map
    import RegimeMap``) makes Python set the package's ``regime_map`` to the module, after
    the module has run; ``from crisislab.games import regime_map`` would then give the
    module, not the function, depending on what happened to be imported first."""

    def __setattr__(self, name: str, value: Any) -> None:
        if isinstance(value, types.ModuleType) and name in _WHERE:
            return  # the name stays the function's, served by __getattr__
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
