"""The analysis as plain data (moved to :mod:`crisislab.compare.serialize`; kept here so
old imports keep working)."""

from crisislab.compare.serialize import (
    analysis_dict,
    crux_dict,
    headline_concept,
    scenario_analysis_dict,
    scenario_dict,
)

__all__ = ["analysis_dict", "crux_dict", "headline_concept", "scenario_analysis_dict",
           "scenario_dict"]
