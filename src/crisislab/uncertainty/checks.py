"""Whether a game parameter's distribution stays inside the values its game admits.

Only the games engine knows which values a parameter admits (a template's
declared range; a tree parameter used as a chance probability lies in [0, 1]).
This check is handed to the scenario loader with the engines' other checks,
so a distribution that can leave that range is reported at its line and column.
"""

from __future__ import annotations

import math

from crisislab.errors import CrisislabError, Problem
from crisislab.games.spec import apply_game_overrides, compile_game
from crisislab.games.templates import TEMPLATES
from crisislab.model.game_spec import TemplateGameSpec, TreeGameSpec
from crisislab.model.problems import DocPath
from crisislab.model.scenario import Scenario
from crisislab.model.uncertainty_spec import distribution_problems, range_problems


def _compiles(spec: TemplateGameSpec | TreeGameSpec, name: str, value: float) -> bool:
    try:
        compile_game(apply_game_overrides(spec, {name: value}))
    except (CrisislabError, ValueError):
        return False
    return True


def parameter_bounds(spec: TemplateGameSpec | TreeGameSpec, name: str) -> tuple[float, float]:
    """The values a game parameter admits: the template's declared range; [0, 1] for a
    tree parameter the game only compiles with inside [0, 1] (a chance probability);
    otherwise every number."""
    if isinstance(spec, TemplateGameSpec) and spec.template in TEMPLATES:
        info = TEMPLATES[spec.template].parameters.get(name)
        if info is not None:
            return float(info.low), float(info.high)
    if not (_compiles(spec, name, 1.5) and _compiles(spec, name, -0.5)):
        return 0.0, 1.0
    return -math.inf, math.inf


def uncertainty_game_problems(scenario: Scenario) -> list[tuple[DocPath, Problem]]:
    """Game-parameter distributions that can leave their parameter's range."""
    if scenario.uncertainty is None:
        return []
    games = {g.id: g for g in scenario.games}
    out: list[tuple[DocPath, Problem]] = []
    for k, u in enumerate(scenario.uncertainty.inputs):
        if u.kind != "game" or u.game not in games or u.distribution is None:
            continue
        spec = games[u.game]
        path: DocPath = ("uncertainty", "inputs", k)
        if isinstance(spec, TreeGameSpec):
            if u.parameter not in spec.tree.parameters:
                continue  # reported by the model's check
        else:
            template = TEMPLATES.get(spec.template)
            known = sorted(template.parameters) if template else sorted(spec.parameters)
            if u.parameter not in known:
                out.append(((*path, "parameter"), Problem(
                    f"game {u.game!r} has no parameter {u.parameter!r}", value=u.parameter,
                    expected=f"one of {known}")))
                continue
        if list(distribution_problems(u, path)):
            continue
        bounds = parameter_bounds(spec, str(u.parameter))
        for raw in range_problems(u, path, bounds, f"parameter {u.parameter!r}"):
            out.append((raw.path, Problem(raw.message, value=raw.value, expected=raw.expected)))
    return out
