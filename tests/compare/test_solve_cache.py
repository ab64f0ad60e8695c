"""The analysis's game solutions are cached by the numbers the solver sees.

A lens gives a game parameter bare (``0.7``) or with its evidence (``{value: 0.7,
quote: ...}``); the compiled game holds only the number, so both must share one
solve, and the shared solution must equal the one solved for each form alone.
Settings not cached are solved together (the batched solver); each must equal its
single solve, and a setting repeated in one batch is solved once.
"""

from __future__ import annotations

from typing import Any

from crisislab.compare.pipeline import _solve_many, summary_method
from crisislab.games.policy import game_under_policy
from crisislab.games.solve import solve_compiled
from crisislab.model.io import load

SCENARIO = load()
SPEC = SCENARIO.games[0]
TITLE = SCENARIO.metadata.title
METHOD = summary_method(SPEC)
BARE = {"p_nk_resolute": 0.7}
QUOTED = {"p_nk_resolute": {"value": 0.7, "source": "atlantic", "quote": "a quote",
                            "assumption": "a reading of it"}}


def _solve(params: dict, view: str, cache: dict, policy: str | None = None,
           select: bool = True):
    return _solve_many(SPEC, policy, [params], [view], TITLE, METHOD, cache,
                       select=select)[0]


def test_bare_and_quoted_values_share_one_solve():
    cache: dict = {}
    first = _solve(BARE, "beijing", cache)
    again = _solve(QUOTED, "pyongyang", cache)
    assert len(cache) == 1
    alone = _solve(QUOTED, "pyongyang", {})
    assert again.model_dump() == alone.model_dump()
    assert first.model_dump(exclude={"provenance"}) == alone.model_dump(exclude={"provenance"})
    assert again.provenance.lens == "pyongyang" and first.provenance.lens == "beijing"


def test_other_numbers_and_policies_are_solved_apart():
    cache: dict = {}
    _solve(BARE, "a", cache)
    _solve({"p_nk_resolute": 0.2}, "a", cache)
    policy = next(iter(SPEC.policies))
    _solve(BARE, "a", cache, policy=policy)
    assert len(cache) == 3


def test_a_batch_equals_each_setting_solved_alone():
    policy = next(iter(SPEC.policies))
    settings: list[dict[str, Any]] = [{"p_nk_resolute": 0.2, "q_us_resolute": 0.8}, BARE, QUOTED,
                {"p_nk_resolute": 0.45, "nk_status_quo_resolute": 2.0}]
    views = ["washington", "beijing", "pyongyang", "base"]
    cache: dict = {}
    batch = _solve_many(SPEC, policy, settings, views, TITLE, METHOD, cache)
    assert len(cache) == 3  # BARE and QUOTED are one setting
    for params, view, sol in zip(settings, views, batch, strict=True):
        lens = None if view == "base" else view
        alone = solve_compiled(game_under_policy(SPEC, policy, params), METHOD, lens, TITLE)
        assert sol.model_dump(exclude={"provenance"}) == alone.model_dump(
            exclude={"provenance"})
        assert sol.provenance.lens == lens
        assert sol.provenance.parameters["policy"] == policy


def test_a_solution_without_selection_is_solved_again_when_one_is_asked_for():
    cache: dict = {}
    plain = _solve(BARE, "base", cache, select=False)
    assert plain.selection_rule.startswith("none: selection not requested")
    chosen = _solve(BARE, "base", cache)
    assert not chosen.selection_rule.startswith("none: selection not requested")
    assert len(cache) == 1
    assert _solve(BARE, "base", cache, select=False).selection_rule == chosen.selection_rule
