"""What ``crisislab forecast`` computes: the negotiation models on a scenario's issues, or
on one issue read alone from a KTAB CSV file, under the chosen views."""

from __future__ import annotations

from collections.abc import Sequence
from types import SimpleNamespace
from typing import TYPE_CHECKING

from crisislab.bargaining.forecast import MODELS

if TYPE_CHECKING:
    from crisislab.bargaining.results import ForecastSet
    from crisislab.bargaining.spec import IssueSpec
    from crisislab.model.scenario import Scenario

__all__ = ["MODELS", "forecasts", "issue_scenario"]


def issue_scenario(issue: IssueSpec) -> SimpleNamespace:
    """A scenario of this one issue and no lens: what a KTAB CSV file describes, in the
    shape :func:`forecasts` reads (``issues`` and ``lenses``)."""
    return SimpleNamespace(issues=[issue], lenses=[])


def forecasts(scenario: Scenario | SimpleNamespace, *, issues: Sequence[str] | None,
              models: Sequence[str], lenses: Sequence[str | None],
              seed: int | None) -> ForecastSet:
    """Every chosen model on every chosen issue (None: all) under every view (None: the
    base case); ``seed`` makes the spatial model's resolution stochastic."""
    from crisislab.bargaining.forecast import forecast_scenario

    return forecast_scenario(scenario, issues=issues, models=models, lenses=lenses, seed=seed)
