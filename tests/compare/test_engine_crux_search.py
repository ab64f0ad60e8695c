"""The engine crux search gives the same cruxes however its solves are grouped.

The game crux search solves every subset's game of every compared pair at once
(one batched call per policy) when few values differ, and one subset at a time
otherwise; the forecast crux search reads the views' own forecasts from the
forecasts phase instead of running the model again.  Both are ways of computing
the same values, so the cruxes must be identical to the plain search's.
"""

from __future__ import annotations

from typing import Any

from crisislab.compare import engine_cruxes
from crisislab.compare.engine_cruxes import forecast_cruxes, game_cruxes
from crisislab.compare.pipeline import (
    _forecasts,
    _headline_forecasts,
    _solve_many,
    summary_method,
)
from crisislab.model.io import load

SCENARIO = load()
PAIRS = [("base", "washington"), ("base", "beijing"), ("washington", "beijing"),
         ("washington", "pyongyang"), ("beijing", "pyongyang")]


def _solver(log: list[int]):
    cache: dict = {}
    spec = SCENARIO.games[0]

    def solve(spec_: Any, policy: str | None, settings: list[dict[str, Any]]):
        log.append(len(settings))
        sols = _solve_many(spec_, policy, settings, ["base"] * len(settings),
                           SCENARIO.metadata.title, summary_method(spec), cache, select=False)
        return [[dict(e.outcome_probabilities) for e in s.equilibria] for s in sols]

    return solve


def test_batched_and_one_by_one_game_searches_agree(monkeypatch):
    batched: list[int] = []
    together = game_cruxes(SCENARIO, PAIRS, _solver(batched))
    monkeypatch.setattr(engine_cruxes, "PREFETCH_MAX", 0)
    single: list[int] = []
    apart = game_cruxes(SCENARIO, PAIRS, _solver(single))
    assert together == apart and together
    n_policies = 1 + len(SCENARIO.games[0].policies)
    assert len(batched) == n_policies and max(batched) > 1  # one call per policy
    assert set(single) == {1}


def test_known_forecasts_are_read_not_recomputed(monkeypatch):
    _values, fset = _forecasts(SCENARIO)
    known = _headline_forecasts(SCENARIO, fset)
    assert known  # the base case's and each lens's own forecasts
    from crisislab.bargaining import forecast as forecast_module

    calls: list[str] = []
    real = forecast_module.forecast_issue

    def counted(issue: Any, *args: Any, **kwargs: Any):
        calls.append(issue.id)
        return real(issue, *args, **kwargs)

    monkeypatch.setattr(forecast_module, "forecast_issue", counted)
    plain = forecast_cruxes(SCENARIO, PAIRS)
    n_plain = len(calls)
    calls.clear()
    reused = forecast_cruxes(SCENARIO, PAIRS, known)
    assert reused == plain and plain
    assert len(calls) < n_plain
