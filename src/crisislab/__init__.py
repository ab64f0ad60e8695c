"""crisislab: strategic analysis of international crises.

See :mod:`crisislab.api` for the Python API: ``load``, ``analyze``,
``stability``, ``solve`` and ``forecast``.
"""

from crisislab._version import __version__
from crisislab.api import (
    ScenarioAnalysis,
    analyze,
    analyze_conflict,
    forecast,
    load,
    solve,
    stability,
)

__all__ = ["ScenarioAnalysis", "__version__", "analyze", "analyze_conflict", "forecast", "load",
           "solve", "stability"]
