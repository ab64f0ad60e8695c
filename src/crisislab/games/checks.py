"""The games engine's check of a scenario's ``games:`` section and of lenses' game overrides.

A game is valid when it compiles (template roles and parameter ranges, tree
probabilities, information sets, perfect recall), so only this engine can
check it.  The scenario loader is handed :func:`game_problems` as a
:data:`~crisislab.model.problems.SectionCheck`; each problem comes back with
the document path it concerns, so it is reported at its file, line and column.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from crisislab.errors import CrisislabError, Problem
from crisislab.games.policy import game_under_policy
from crisislab.games.spec import apply_game_overrides, compile_game, validate_games
from crisislab.model.game_spec import TemplateGameSpec, TreeGameSpec
from crisislab.model.problems import DocPath
from crisislab.model.scenario import Scenario
from crisislab.model.validate import lens_section_problems, path_inside, path_tuple, suggest


def _compiled_with(spec: TemplateGameSpec | TreeGameSpec, overrides: dict[str, Any]
                   ) -> object:
    """A game under a lens's overrides, compiled, so out-of-range priors are caught here."""
    return compile_game(apply_game_overrides(spec, overrides))


def game_problems(scenario: Scenario) -> list[tuple[DocPath, Problem]]:
    """Every problem of the scenario's games and of the lenses' overrides of them."""
    problems: list[tuple[DocPath, Problem]] = []
    try:
        validate_games(list(scenario.games), set(scenario.actor_ids()), scenario.outcome_ids())
    except CrisislabError as exc:
        problems += [(path_tuple(p.path or "games", scenario), p) for p in exc.problems]
    if not problems:
        problems += _game_policy_problems(scenario)
    games = {g.id: g for g in scenario.games}
    for li, lens in enumerate(scenario.lenses):
        for gid, params in lens.games.items():
            problems += lens_section_problems(("lenses", li, "games", gid), "game", games, gid,
                                              _compiled_with, params)
    return problems


def _game_policy_problems(scenario: Scenario) -> list[tuple[DocPath, Problem]]:
    """A game's ``policies`` mapping: known policies, parameters, information sets and
    actions; the game is compiled under each policy so a bad value is caught here."""
    known = scenario.policy_ids()
    out: list[tuple[DocPath, Problem]] = []
    for gi, game in enumerate(scenario.games):
        for pid in game.policies:
            where: DocPath = ("games", gi, "policies", pid)
            if pid not in known:
                out.append((where, Problem(f"unknown policy {pid!r}" + suggest(pid, known),
                                           value=pid, expected=f"one of the policy ids {known}")))
                continue
            try:
                game_under_policy(game, pid)
            except CrisislabError as exc:
                out += [((*where, *path_inside(p.path, game.id)), p) for p in exc.problems]
            except ValidationError as exc:
                out += [(where, Problem(f"invalid policy setting: {err['msg']}",
                                        value=err.get("input"))) for err in exc.errors()]
    return out
