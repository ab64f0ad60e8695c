"""The analysis's game solutions are cached by the numbers the solver sees.

A lens gives a game parameter bare (``0.7``) or with its evidence (``{value: 0.7,
quote: ...}``); the compiled game holds only the number, so both must share one
solve, and the shared solution must equal the one solved for each form alone.
"""

from __future__ import annotations

from crisislab.compare.pipeline import _solve, summary_method
from crisislab.model.io import load

SCENARIO = load()
SPEC = SCENARIO.games[0]
TITLE = SCENARIO.metadata.title
METHOD = summary_method(SPEC)
BARE = {"p_nk_resolute": 0.7}
QUOTED = {"p_nk_resolute": {"value": 0.7, "source": "atlantic", "quote": "a quote",
                            "assumption": "a reading of it"}}


def test_bare_and_quoted_values_share_one_solve():
    cache: dict = {}
    first = _solve(SPEC, None, BARE, "beijing", TITLE, METHOD, cache)
    again = _solve(SPEC, None, QUOTED, "pyongyang", TITLE, METHOD, cache)
    assert len(cache) == 1
    alone = _solve(SPEC, None, QUOTED, "pyongyang", TITLE, METHOD, {})
    assert again.model_dump() == alone.model_dump()
    assert first.model_dump(exclude={"provenance"}) == alone.model_dump(exclude={"provenance"})
    assert again.provenance.lens == "pyongyang" and first.provenance.lens == "beijing"


def test_other_numbers_and_policies_are_solved_apart():
    cache: dict = {}
    _solve(SPEC, None, BARE, "a", TITLE, METHOD, cache)
    _solve(SPEC, None, {"p_nk_resolute": 0.2}, "a", TITLE, METHOD, cache)
    policy = next(iter(SPEC.policies))
    _solve(SPEC, policy, BARE, "a", TITLE, METHOD, cache)
    assert len(cache) == 3
