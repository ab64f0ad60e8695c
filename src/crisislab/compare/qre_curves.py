"""Outcome probabilities along the logit QRE's principal branch, one curve per game and view.

The curve shows how the prediction moves from uniform play (precision lambda = 0)
towards the equilibrium the branch selects as lambda grows (McKelvey & Palfrey
1995, 1998; Turocy 2005): a reader sees whether the equilibrium prediction is
robust to small errors and how quickly it is reached.  The precision axis runs
to :data:`SCALED_LAMBDA_MAX` divided by the game's payoff range, so that the
curve ends near the limit whatever the payoff units.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from crisislab.compare.scenario_analysis import GameQRECurve
from crisislab.errors import InputError
from crisislab.games.spec import TemplateGameSpec, TreeGameSpec, apply_game_overrides, compile_game
from crisislab.games.tree import TERMINAL
from crisislab.model.scenario import Scenario

SCALED_LAMBDA_MAX = 50.0
"""Largest precision times the payoff range: logit odds of e^50 per payoff range."""
LINK = "logit"


def lambda_max(spec: TemplateGameSpec | TreeGameSpec) -> float:
    """The curve's largest precision for this game (see the module docstring)."""
    tree = compile_game(spec).tree
    span = float(np.ptp(tree.payoffs[tree.kind == TERMINAL])) if tree.n_terminals else 0.0
    return SCALED_LAMBDA_MAX / span if span > 0 else SCALED_LAMBDA_MAX


def qre_curves(scenario: Scenario, views: list[tuple[str, str]],
               lens_parameters: Callable[[str, str], dict[str, Any]]
               ) -> tuple[GameQRECurve, ...]:
    """One curve per game and per view that sets the game (and the base view); a game whose
    branch cannot be followed is left out (the games' own results report it)."""
    from crisislab.games.solve import solve_game

    out: list[GameQRECurve] = []
    for spec in scenario.games:
        for vid, vname in views:
            params = lens_parameters(vid, spec.id)
            if vid != "base" and not params:
                continue
            view_spec = apply_game_overrides(spec, params) if params else spec
            try:
                sol = solve_game(view_spec, "qre", lam=lambda_max(view_spec), link=LINK,
                                 lens=vid, scenario=scenario.metadata.title)
            except InputError:
                continue
            assert sol.qre is not None
            points = sol.qre.curve
            outcomes = sorted({o for p in points for o in p.outcome_probabilities})
            out.append(GameQRECurve(
                game=spec.id, view=vid, view_name=vname, link=LINK,
                lam=tuple(float(p.lam) for p in points),
                series=tuple((o, tuple(float(p.outcome_probabilities.get(o, 0.0))
                                       for p in points)) for o in outcomes)))
    return tuple(out)
