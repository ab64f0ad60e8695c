"""Deprecated: Gambit's .efg/.nfg formats moved to :mod:`crisislab.formats.efg`.

This module only re-exports it so that older imports keep working.  Engines
neither read nor write files, so exchange formats live in :mod:`crisislab.formats`.
"""

from crisislab.formats.efg import (
    MAX_NFG_CONTINGENCIES,
    parse_efg,
    pure_strategies,
    to_efg,
    to_nfg,
)

__all__ = ["MAX_NFG_CONTINGENCIES", "parse_efg", "pure_strategies", "to_efg", "to_nfg"]
