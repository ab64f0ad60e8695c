"""The stability table in the layout of the GMCR literature.

Fang, Hipel & Kilgour (1993, ch. 5) and the GMCR II manuals tabulate a
conflict with one **column per state**: above, each actor's options with a
``Y`` or ``N`` in every state column and the state's number; below, per
concept, one row per actor with a mark where the state is stable for that
actor, and an equilibrium row.  :func:`gmcr_table` arranges an already
computed stability result in that layout; the small renderers put it in the
terminal, HTML or CSV.  Nothing here computes stability.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

import numpy as np

from crisislab.compare.analysis import CONCEPT_NAMES, ConflictAnalysis
from crisislab.model.describe import state_words
from crisislab.model.scenario import Scenario
from crisislab.model.states import StateSpace

STABLE, UNSTABLE, EQUILIBRIUM = "✓", "·", "E"


@dataclass(frozen=True)
class OptionRow:
    """One option's row of the GMCR table: whose it is and Y/N in each state."""

    actor: str  # actor name
    option: str  # option label
    cells: tuple[str, ...]  # "Y" / "N" per state


@dataclass(frozen=True)
class StabilityRow:
    """One concept's verdicts for one actor (or the equilibrium row) across the states."""

    concept: str  # display name
    actor: str  # actor name, or "Equilibrium"
    cells: tuple[bool, ...]
    is_equilibrium: bool = False


@dataclass(frozen=True)
class GmcrTable:
    """A stability result laid out as in the literature: states as columns."""

    title: str
    states: tuple[str, ...]  # column headers: state ids (s1..sN, or graph names)
    codes: tuple[int, ...]  # decimal code of each column (graph form: index)
    words: tuple[str, ...]  # each state in words (the options' labels, or the graph label)
    options: tuple[OptionRow, ...]  # empty in graph form
    rows: tuple[StabilityRow, ...]
    graph_form: bool = False  # then the state row gives the labels, not decimal codes

    def state_row(self) -> tuple[str, tuple[str, ...]]:
        """The row under the options: decimal codes (option form) or labels (graph form)."""
        if self.graph_form:
            return "state", self.words
        return "decimal code", tuple(str(c) for c in self.codes)

    def to_dict(self) -> dict[str, Any]:
        """The table as plain data, for JSON and for the HTML report's own layout."""
        return {"title": self.title, "states": list(self.states), "codes": list(self.codes),
                "words": list(self.words),
                "options": [{"actor": o.actor, "option": o.option, "cells": list(o.cells)}
                            for o in self.options],
                "rows": [{"concept": r.concept, "actor": r.actor, "cells": list(r.cells),
                          "equilibrium": r.is_equilibrium} for r in self.rows]}


def gmcr_table(scenario: Scenario, space: StateSpace, stable: Mapping[str, np.ndarray],
               concepts: Sequence[str] | None = None, *, title: str = "Stability",
               states: Sequence[int] | None = None) -> GmcrTable:
    """Arrange ``stable`` (concept -> bool array (n_actors, n_states), as computed by the
    stability engine) over the columns ``states`` (default: every state)."""
    cols = list(range(space.n)) if states is None else [int(s) for s in states]
    idx = np.asarray(cols, dtype=np.int64)
    names = {a.id: a.name for a in scenario.actors}
    options: list[OptionRow] = []
    if not space.is_graph_form:
        codes = space.codes[idx]
        for actor in scenario.actors:
            for k, opt in enumerate(scenario.options):
                if opt.owner == actor.id:
                    bits = (codes >> k) & 1
                    options.append(OptionRow(actor.name, opt.label,
                                             tuple("Y" if b else "N" for b in bits.tolist())))
    rows: list[StabilityRow] = []
    for c in concepts or list(stable):
        arr = np.asarray(stable[c], dtype=bool)[:, idx]
        cname = CONCEPT_NAMES.get(c, c)
        for i, aid in enumerate(space.actors):
            rows.append(StabilityRow(cname, names.get(aid, aid),
                                     tuple(bool(x) for x in arr[i])))
        rows.append(StabilityRow(cname, "Equilibrium",
                                 tuple(bool(x) for x in np.all(arr, axis=0).tolist()), True))
    return GmcrTable(title, tuple(space.state_id(s) for s in cols),
                     tuple(int(space.codes[s]) for s in cols),
                     tuple(state_words(scenario, space, s) for s in cols),
                     tuple(options), tuple(rows), space.is_graph_form)


MAX_COLUMNS = 64
"""Above this many states a table shows only the equilibria and the starting points."""


def analysis_tables(analysis: ConflictAnalysis) -> list[tuple[str, GmcrTable]]:
    """One GMCR-layout table per view of a computed analysis, (view name, table).

    With more than :data:`MAX_COLUMNS` states, the columns are the view's equilibria
    under any concept and the starting points."""
    model = analysis.model
    starts = {s for _sid, _label, s in model.start_states()}
    out = []
    for vr in analysis.views:
        cols = None
        if model.space.n > MAX_COLUMNS:
            keep = set(starts)
            for c in analysis.concepts:
                keep |= set(vr.equilibria(c))
            cols = sorted(keep)
        out.append((vr.view.name, gmcr_table(
            analysis.scenario, model.space, vr.stable, analysis.concepts,
            title=f"{vr.view.name}: stability by concept", states=cols)))
    return out


def _mark(row: StabilityRow, ok: bool) -> str:
    if row.is_equilibrium:
        return EQUILIBRIUM if ok else ""
    return STABLE if ok else UNSTABLE


def table_rich(table: GmcrTable) -> Any:
    """A rich Table for the terminal (columns = states)."""
    from rich.table import Table

    t = Table(title=table.title, caption="✓ stable · unstable   E equilibrium",
              show_lines=False, header_style="bold")
    t.add_column("")
    t.add_column("")
    for sid in table.states:
        t.add_column(sid, justify="center")
    last = None
    for o in table.options:
        t.add_row(o.actor if o.actor != last else "", o.option, *o.cells)
        last = o.actor
    if table.options:
        t.add_section()
    name, cells = table.state_row()
    t.add_row("", name, *cells)
    last = None
    for r in table.rows:
        if r.concept != last:
            t.add_section()
        label = f"[bold]{r.actor}[/bold]" if r.is_equilibrium else r.actor
        t.add_row(r.concept if r.concept != last else "", label,
                  *[_mark(r, ok) for ok in r.cells])
        last = r.concept
    return t


def table_html(table: GmcrTable) -> str:
    """The table as an HTML fragment (class ``gmcr-table``; equilibria in ``td.eq``)."""
    out = [f'<table class="gmcr-table"><caption>{escape(table.title)}</caption>', "<thead><tr>",
           '<th scope="col"></th><th scope="col"></th>']
    out += [f'<th scope="col" title="{escape(w)}">{escape(s)}</th>'
            for s, w in zip(table.states, table.words, strict=True)]
    out.append("</tr></thead><tbody>")
    for o in table.options:
        out.append(f'<tr class="option"><th scope="row">{escape(o.actor)}</th>'
                   f"<td>{escape(o.option)}</td>"
                   + "".join(f"<td>{c}</td>" for c in o.cells) + "</tr>")
    name, heads = table.state_row()
    out.append(f'<tr class="code"><th scope="row"></th><td>{name}</td>'
               + "".join(f"<td>{escape(c)}</td>" for c in heads) + "</tr>")
    for r in table.rows:
        cls = "equilibrium" if r.is_equilibrium else "stability"
        marks = "".join(
            (f'<td class="eq">{EQUILIBRIUM}</td>' if ok else "<td></td>") if r.is_equilibrium
            else (f'<td class="stable">{STABLE}</td>' if ok else f"<td>{UNSTABLE}</td>")
            for ok in r.cells)
        out.append(f'<tr class="{cls}"><th scope="row">{escape(r.concept)}</th>'
                   f"<td>{escape(r.actor)}</td>{marks}</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def table_csv(table: GmcrTable) -> str:
    """The table as CSV in the same layout: a header row of states, option rows of Y/N,
    the decimal codes (graph form: the state labels), then per concept one 1/0 row per
    actor and an equilibrium row."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["section", "row", *table.states])
    for o in table.options:
        w.writerow([o.actor, o.option, *o.cells])
    name, cells = table.state_row()
    w.writerow(["", name, *cells])
    for r in table.rows:
        w.writerow([r.concept, r.actor, *[int(ok) for ok in r.cells]])
    return buf.getvalue()
