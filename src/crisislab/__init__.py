"""crisislab: strategic analysis of international crises.

See :mod:`crisislab.api` for the Python API: ``load``, ``analyze``,
``stability``, ``solve``, ``forecast`` and ``sweep``.

The API is imported on first use (PEP 562), so ``import crisislab`` and
``crisislab --version`` do not pay for numpy, scipy, pandas or the engines.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from crisislab._version import __version__

if TYPE_CHECKING:
    from crisislab.api import (
        ScenarioAnalysis,
        analyze,
        analyze_conflict,
        coalition_structure,
        diff,
        forecast,
        load,
        load_analysis,
        solve,
        stability,
        sweep,
    )

__all__ = ["ScenarioAnalysis", "__version__", "analyze", "analyze_conflict", "coalition_structure",
           "diff", "forecast", "load", "load_analysis", "solve", "stability", "sweep"]

_API = frozenset(__all__) - {"__version__"}


def __getattr__(name: str) -> Any:
    if name in _API:
        from crisislab import api

        value = getattr(api, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | _API)
