"""Deprecated: the gmcr-py importer moved to :mod:`crisislab.formats.gmcr_import`.

This module only re-exports it so that older imports keep working.  Engines
neither read nor write files, so exchange formats live in :mod:`crisislab.formats`.
"""

from crisislab.formats.gmcr_import import (
    DIRECTIONS,
    Condition,
    GmcrModel,
    Literal_,
    condition_formula,
    evaluate_condition,
    gmcr_option_order,
    option_form_graph,
    parse_gmcr,
    read_gmcr,
)

__all__ = [
    "DIRECTIONS",
    "Condition",
    "GmcrModel",
    "Literal_",
    "condition_formula",
    "evaluate_condition",
    "gmcr_option_order",
    "option_form_graph",
    "parse_gmcr",
    "read_gmcr",
]
