"""Render a coalition-structure result: stability of every bloc, equilibria of the structure.

Render only: the numbers come from
:func:`crisislab.conflict.coalition_structure.coalition_structure`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np
from rich.console import Console
from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:
    from crisislab.conflict.coalition_structure import CoalitionStructureResult

#: States listed per cell before "and N more".
MAX_LISTED = 10


def _states(indices: np.ndarray, label: Callable[[int], str]) -> str:
    shown = [label(int(s)) for s in indices[:MAX_LISTED]]
    more = f" and {indices.size - MAX_LISTED} more" if indices.size > MAX_LISTED else ""
    return (", ".join(shown) + more) if shown else "none"


def render_coalition_structure(result: CoalitionStructureResult, console: Console,
                               label: Callable[[int], str] | None = None) -> None:
    """A table per structure: rows are blocs, columns the concepts, cells the stable states
    (ordinal ids); then the equilibria of the structure in words (``label(index)``)."""
    name = label if label is not None else (lambda s: f"s{s + 1}")
    title = (f"coalition structure {' | '.join(result.labels)}"
             + (f" ({result.name})" if result.name else ""))
    table = Table("bloc", "moves", *[c.upper() for c in result.concepts], title=title)

    def short(s: int) -> str:
        return f"s{s + 1}"

    for b, lab in enumerate(result.labels):
        table.add_row(lab, result.move_kinds[b],
                      *[_states(np.flatnonzero(result.stable[c][b]), short)
                        for c in result.concepts])
    table.add_row(Text("equilibria", style="bold"), "",
                  *[_states(result.equilibria(c), short) for c in result.concepts])
    console.print(table)
    for c in result.concepts:
        console.print(f"  {c.upper()} equilibria of the structure: "
                      f"{_states(result.equilibria(c), name)}", highlight=False)
    agree = ("strictly prefers" if result.improvement == "strict"
             else "weakly prefers, one strictly")
    hurt = "some member" if result.rule == "any_member" else "every member"
    console.print(f"  Improvements: {result.improvement} (every member {agree}); a sanction "
                  f"deters a bloc when it hurts {hurt}; sanctions: {result.mode} sequences of "
                  "the other blocs' moves.", highlight=False)
