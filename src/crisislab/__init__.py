"""crisislab: strategic analysis of international crises.

See :mod:`crisislab.api` for the Python API: ``load``, ``analyze``,
``stability``, ``solve`` and ``forecast``.
"""

from crisislab._version import __version__
from crisislab.api import analyze, coalition_structure, forecast, load, solve, stability

__all__ = ["__version__", "analyze", "coalition_structure", "forecast", "load", "solve",
           "stability"]
