"""``analyze`` outputs for GMCR users: the state graph drawn by Graphviz (SVG, PNG, DOT)
and the stability table in the literature's layout (terminal and CSV).

Everything here renders a computed :class:`~crisislab.compare.analysis.ConflictAnalysis`;
the edges to draw are the view's moves or its unilateral improvements, which the
conflict engine supplies.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from crisislab.cli.common import console, err_console, write_atomic
from crisislab.errors import input_error

if TYPE_CHECKING:
    from crisislab.compare.analysis import ConflictAnalysis
    from crisislab.compare.views import ViewResult

EDGE_CHOICES = ["auto", "moves", "improvements"]
TABLE_CHOICES = ["gmcr"]
CSV_LAYOUTS = ["long", "gmcr"]
AUTO_ALL_MOVES = 16
"""``--graph-edges auto`` draws every move up to this many states, above it only the
unilateral improvements."""


def check_choices(edges: str, table: str | None, csv_layout: str,
                  needs_dot: bool = False) -> None:
    """Refuse unknown values of the new options (and SVG/PNG without Graphviz's ``dot``)
    before any work is done."""
    if needs_dot:
        from crisislab.report.state_graph import require_dot

        require_dot()
    for value, allowed, what in ((edges, EDGE_CHOICES, "--graph-edges"),
                                 (table, TABLE_CHOICES, "--table"),
                                 (csv_layout, CSV_LAYOUTS, "--csv-layout")):
        if value is not None and value not in allowed:
            raise input_error(f"unknown {what} value {value!r}", value=value,
                              expected=", ".join(allowed))


def _view(result: ConflictAnalysis, view: str) -> ViewResult:
    ids = [vr.view.id for vr in result.views]
    if view not in ids:
        raise input_error(f"unknown view {view!r}", value=view, expected=", ".join(ids))
    return result.view(view)


def write_state_graph(result: ConflictAnalysis, view: str, *, svg: str | None = None,
                      png: str | None = None, dot: str | None = None, edges: str = "auto",
                      force: bool = False) -> None:
    """Draw the chosen view's state graph to the requested files."""
    from crisislab.compare.analysis import CONCEPT_NAMES, headline
    from crisislab.compare.conflict_runs import drawn_moves
    from crisislab.report.state_graph import equilibrium_states, render_dot, state_graph_dot

    vr = _view(result, view)
    space = result.model.space
    every = edges == "moves" or (edges == "auto" and space.n <= AUTO_ALL_MOVES)
    moves = drawn_moves(vr.graph, every)
    lead = headline(result.concepts)
    sq = next((s for sid, _l, s in result.model.start_states() if sid == "status_quo"), None)
    title = (f"{result.scenario.metadata.title} — {vr.view.name}: "
             f"{'moves' if every else 'unilateral improvements'}; double border = "
             f"{CONCEPT_NAMES.get(lead, lead)} equilibrium"
             + ("; bold = status quo" if sq is not None else ""))
    hidden: list[int] = []
    if vr.view.kind == "perception" and vr.view.lens is not None and vr.view.lens.unperceived:
        from crisislab.model.perception import unperceived_mask

        hidden = np.flatnonzero(unperceived_mask(space, vr.view.lens)).tolist()
        title += "; dashed = not perceived by the holder"
    text = state_graph_dot(result.scenario, space, moves,
                           equilibria=equilibrium_states(vr.stable[lead]), status_quo=sq,
                           title=title, unperceived=hidden)
    rendered = {fmt: render_dot(text, fmt) for fmt, path in (("svg", svg), ("png", png))
                if path is not None}
    for fmt, path in (("dot", dot), ("svg", svg), ("png", png)):
        if path is not None:
            write_atomic(path, text if fmt == "dot" else rendered[fmt], force=force)
            err_console.print(f"wrote {path}")


def print_table(result: ConflictAnalysis, view: str) -> None:
    """The view's stability table in the GMCR layout, in the terminal."""
    from crisislab.report.stability_table import gmcr_table, table_rich

    vr = _view(result, view)
    table = gmcr_table(result.scenario, result.model.space, vr.stable, result.concepts,
                       title=f"{vr.view.name}: stability by concept")
    console.print(table_rich(table))


def gmcr_csv(result: ConflictAnalysis, view: str) -> str:
    """The view's stability table in the GMCR layout, as CSV."""
    from crisislab.report.stability_table import gmcr_table, table_csv

    vr = _view(result, view)
    return table_csv(gmcr_table(result.scenario, result.model.space, vr.stable,
                                result.concepts, title=vr.view.name))
