"""Deprecated: graph and result export moved to :mod:`crisislab.formats.graph_export`.

This module only re-exports it so that older imports keep working.  Engines
neither read nor write files, so exchange formats live in :mod:`crisislab.formats`.
"""

from crisislab.formats.graph_export import (
    graph_dict,
    graph_json,
    result_csv,
    result_json,
    stability_csv,
)

__all__ = ["graph_dict", "graph_json", "result_csv", "result_json", "stability_csv"]
