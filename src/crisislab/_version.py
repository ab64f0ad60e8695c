"""The crisislab version, recorded in every result for provenance."""

__version__ = "0.1.0"
