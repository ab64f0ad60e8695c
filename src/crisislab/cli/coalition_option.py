"""``analyze --coalitions``: a coalition structure by id or as ``"US+CN,KP"``, computed on the
view being analysed and rendered by :mod:`crisislab.report.coalition_structure`."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console

from crisislab.conflict.coalition_structure import CoalitionStructureResult, parse_partition
from crisislab.conflict.concepts import BASIC_CONCEPTS, BasicConcept, check_mode
from crisislab.conflict.graph import ConflictGraph
from crisislab.errors import input_error
from crisislab.model.scenario import Scenario


def structure_from_option(scenario: Scenario, text: str) -> tuple[str | None, list[list[str]]]:
    """The id of a declared structure, or blocs written ``A+B,C``."""
    ids = [c.id for c in scenario.coalition_structures]
    t = text.strip()
    if t in ids:
        return t, [list(b) for b in scenario.coalition_structure(t).blocs]
    if "+" not in t and "," not in t and t not in scenario.actor_ids():
        raise input_error(f"{t!r} is neither a coalition structure of the scenario nor blocs "
                          "of actors", value=t,
                          expected=(f"one of {', '.join(ids)}, or " if ids else "")
                          + "blocs such as " + "+".join(scenario.actor_ids()[:2]))
    return None, parse_partition(t)


def run_coalition_option(scenario: Scenario, graph: ConflictGraph, text: str,
                         concepts: Sequence[str], mode: str, view: str,
                         console: Console | None) -> CoalitionStructureResult:
    """Compute the structure on ``graph`` (with a progress bar) and render it unless quiet."""
    from crisislab.cli.progress import progress_bar
    from crisislab.conflict.coalition_structure import coalition_structure
    from crisislab.model.states import state_space
    from crisislab.report.coalition_structure import render_coalition_structure

    name, blocs = structure_from_option(scenario, text)
    basic: list[BasicConcept] = [c for c in BASIC_CONCEPTS if c in concepts] \
        or list(BASIC_CONCEPTS)
    with progress_bar("coalition structure") as progress:
        result = coalition_structure(graph, blocs, basic, mode=check_mode(mode), name=name,
                                     lens=None if view == "base" else view,
                                     scenario=scenario.metadata.title, progress=progress)
    if console is not None:
        space = state_space(scenario)

        def label(s: int) -> str:
            if space.names is not None:
                return f"s{s + 1} {space.names[s]}"
            taken = space.taken(s)
            return f"s{s + 1} ({', '.join(taken) if taken else 'no option taken'})"

        render_coalition_structure(result, console, label)
    return result
