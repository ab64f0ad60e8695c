"""The games engine's check of a scenario's ``games:`` section and of lenses' game overrides.

A game is valid when it compiles (template roles and parameter ranges, tree
probabilities, information sets, perfect recall), so only this engine can
check it.  The scenario loader is handed :func:`game_problems` as a
:data:`~crisislab.model.problems.SectionCheck`; each problem comes back with
the document path it concerns, so it is reported at its file, line and column.
"""

from __future__ import annotations

from typing import Any

from crisislab.errors import CrisislabError, Problem
from crisislab.games.spec import apply_game_overrides, compile_game, validate_games
from crisislab.model.game_spec import TemplateGameSpec, TreeGameSpec
from crisislab.model.problems import DocPath
from crisislab.model.scenario import Scenario
from crisislab.model.validate import lens_section_problems, path_tuple


def _compiled_with(spec: TemplateGameSpec | TreeGameSpec, overrides: dict[str, Any]
                   ) -> object:
    """A game under a lens's overrides, compiled, so out-of-range priors are caught here."""
    return compile_game(apply_game_overrides(spec, overrides))


def game_problems(scenario: Scenario) -> list[tuple[DocPath, Problem]]:
    """Every problem of the scenario's games and of the lenses' overrides of them."""
    problems: list[tuple[DocPath, Problem]] = []
    try:
        validate_games(list(scenario.games), set(scenario.actor_ids()))
    except CrisislabError as exc:
        problems += [(path_tuple(p.path or "games", scenario), p) for p in exc.problems]
    games = {g.id: g for g in scenario.games}
    for li, lens in enumerate(scenario.lenses):
        for gid, params in lens.games.items():
            problems += lens_section_problems(("lenses", li, "games", gid), "game", games, gid,
                                              _compiled_with, params)
    return problems
