"""Negotiation forecasts over continuous issues.

Where several parties bargain over a position on a scale (how tight the
sanctions, how denuclearization is sequenced), these models take each
stakeholder's position, salience and capability and predict where the
bargaining settles: the compromise, weighted-median and Nash bargaining
benchmarks, Bueno de Mesquita's expected-utility challenge model (Scholz et
al. 2011 reconstruction) and a spatial model in the style of KTAB's SMP.

The KTAB CSV reader and writer moved to :mod:`crisislab.formats.ktab_csv`;
the names are still served here, lazily, for older imports (deprecated).
"""

from typing import Any

from crisislab.bargaining.baselines import compromise, median, nash_bargaining
from crisislab.bargaining.challenge import ChallengeOptions, challenge_model
from crisislab.bargaining.charts import trajectory_chart_data, trajectory_svg
from crisislab.bargaining.forecast import MODELS, forecast_issue, forecast_scenario
from crisislab.bargaining.results import Forecast, ForecastSet, Move, Round
from crisislab.bargaining.smp import SMPOptions, smp_model
from crisislab.bargaining.spec import (
    ActorPosition,
    Dimension,
    IssueArrays,
    IssueSpec,
    Scale,
    ScalePoint,
    Stakeholder,
    apply_issue_overrides,
    arrays_to_issue,
    issue_arrays,
)

__all__ = [
    "MODELS",
    "ActorPosition",
    "ChallengeOptions",
    "Dimension",
    "Forecast",
    "ForecastSet",
    "IssueArrays",
    "IssueSpec",
    "Move",
    "Round",
    "SMPOptions",
    "Scale",
    "ScalePoint",
    "Stakeholder",
    "apply_issue_overrides",
    "arrays_to_issue",
    "challenge_model",
    "compromise",
    "forecast_issue",
    "forecast_scenario",
    "issue_arrays",
    "median",
    "nash_bargaining",
    "smp_model",
    "trajectory_chart_data",
    "trajectory_svg",
]


_MOVED_TO_FORMATS = ("load_ktab_csv", "read_ktab_csv", "write_ktab_csv")


def __getattr__(name: str) -> Any:
    """Deprecated names that moved to :mod:`crisislab.formats.ktab_csv`."""
    if name in _MOVED_TO_FORMATS:
        from crisislab.formats import ktab_csv

        return getattr(ktab_csv, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
