"""``analyze --coalitions``: a coalition structure by id or as ``"US+CN,KP"``, computed on the
view being analysed (:func:`crisislab.compare.conflict_runs.structure_stability`) and
rendered by :mod:`crisislab.report.coalition_structure`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.console import Console

from crisislab.model.scenario import Scenario

if TYPE_CHECKING:
    from crisislab.conflict.coalition_structure import CoalitionStructureResult
    from crisislab.conflict.graph import ConflictGraph


def run_coalition_option(scenario: Scenario, graph: ConflictGraph, text: str,
                         concepts: Sequence[str], mode: str, view: str,
                         console: Console | None) -> CoalitionStructureResult:
    """Compute the structure on ``graph`` (with a progress bar) and render it unless quiet."""
    from crisislab.cli.progress import progress_bar
    from crisislab.compare.conflict_runs import structure_stability
    from crisislab.model.states import state_space
    from crisislab.report.coalition_structure import render_coalition_structure

    with progress_bar("coalition structure") as progress:
        result = structure_stability(scenario, graph, text, concepts, mode, view, progress)
    if console is not None:
        space = state_space(scenario)

        def label(s: int) -> str:
            if space.names is not None:
                return f"s{s + 1} {space.names[s]}"
            taken = space.taken(s)
            return f"s{s + 1} ({', '.join(taken) if taken else 'no option taken'})"

        render_coalition_structure(result, console, label)
    return result
