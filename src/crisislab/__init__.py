"""crisislab: strategic analysis of international crises."""

from crisislab._version import __version__

__all__ = ["__version__"]
