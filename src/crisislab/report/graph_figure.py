"""The state graph as a Vega-Altair :class:`~crisislab.report.figures.Figure`.

The same states, grid and paths as the HTML report's drawing (read from the data of
``--json``), as a chart a notebook shows with hover details and a user saves as SVG,
PNG or PDF.  The report keeps its own drawing: Vega-Lite has no arrowheads and no
curved arcs, which the report needs to show direction and to keep moves along a row
apart.

Two layouts, each shared with a drawing so a figure and a drawing of one view show the
graph the same way: ``layout="grid"`` (the default) is the HTML report's
(:func:`crisislab.report.svg.grid_layout`: one axis per actor's options, every move
along a row or a column; pure Python, deterministic); ``layout="graphviz"`` asks
Graphviz's ``dot`` for the positions with the settings of the ``analyze --graph-svg``
drawing (:func:`crisislab.report.state_graph.layout_positions`: layers left to right,
readable where no option grid exists, e.g. graph-form scenarios).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from crisislab.errors import input_error
from crisislab.report.figures import HEIGHT, WIDTH, Figure

if TYPE_CHECKING:
    from crisislab.compare.scenario_analysis import ScenarioAnalysis


def state_graph(sa: ScenarioAnalysis, view: str = "base", *, max_states: int = 150,
                layout: Literal["grid", "graphviz"] = "grid") -> Figure:
    """The states of one view on the report's grid (one axis per actor's options), or
    where Graphviz's ``dot`` puts them (``layout="graphviz"``, see the module docstring),
    the actors' unilateral improvements as light lines coloured per actor, the credible
    paths from the starting points bold; equilibria of the headline concept filled.
    Hover a state for its words, a line for who moves where."""
    import altair as alt

    from crisislab.compare.serialize import analysis_dict
    from crisislab.report import svg
    from crisislab.report.html import _Report

    if layout not in ("grid", "graphviz"):
        raise input_error(f"unknown layout {layout!r}", value=layout,
                          expected="grid or graphviz")
    data = analysis_dict(sa.conflict)
    views = {v["id"]: v for v in data["views"]}
    if view not in views:
        raise input_error(f"unknown view {view!r}", value=view, expected=", ".join(views))
    rep = _Report(data)
    v = views[view]
    configs, _names = rep._configs()
    eq = set(v["equilibria"][rep.concept])
    starts = {st["state"]: st for st in data["starts"]}
    path_edges: set[tuple[int, int, int]] = set()
    for per_start in v["paths"].values():
        for item in per_start.get(rep.concept, []):
            for step in item["path"]:
                path_edges.add((rep.actor_ids.index(step["actor"]), step["from"], step["to"]))
    full = len(rep.states) <= max_states
    shown = sorted(rep.states) if full else sorted(
        eq | set(starts) | {f for _a, f, _t in path_edges} | {t for _a, _f, t in path_edges})
    nodes = [svg.GraphNode(rep.sid(s), configs[s], "") for s in shown]
    lay = svg.grid_layout(nodes, len(rep.actor_ids))
    pos = {s: lay.cells[rep.sid(s)] for s in shown}
    names = [rep.actor_names.get(a, a) for a in rep.actor_ids]
    points = [{"col": pos[s][0], "row": pos[s][1], "id": rep.sid(s),
               "words": rep.states[s]["words"],
               "kind": "equilibrium" if s in eq else "state",
               "start": rep.start_tags[starts[s]["id"]] if s in starts else ""}
              for s in shown]
    edges = []
    if full:
        for i, a in enumerate(rep.actor_ids):
            pay = v["payoffs"][a]
            for f, t in data["moves"][a]:
                if pay[t - 1] > pay[f - 1] and (i, f, t) not in path_edges:  # ordinal ids
                    edges.append((i, f, t, False))
    edges += [(i, f, t, True) for i, f, t in sorted(path_edges)]
    lines = [{"col": pos[f][0], "row": pos[f][1], "col2": pos[t][0], "row2": pos[t][1],
              "actor": names[i], "move": f"{names[i]}: {rep.sid(f)} → {rep.sid(t)}",
              "path": "credible path" if on else "improvement"}
             for i, f, t, on in edges if f in pos and t in pos]
    ncols, nrows = max(1, len(lay.col_keys)), max(1, len(lay.row_keys))
    x = alt.X("col:Q", axis=None, scale=alt.Scale(domain=[-0.5, ncols - 0.5]))
    y = alt.Y("row:Q", axis=None, scale=alt.Scale(domain=[nrows - 0.5, -0.5]))
    size = (max(WIDTH, 46 * ncols), max(HEIGHT, 56 * nrows))
    if layout == "graphviz":
        from crisislab.report.state_graph import layout_positions, node_label

        placed = layout_positions(
            {p["id"]: node_label(p["id"], p["words"]) for p in points},
            [(rep.sid(f), rep.sid(t)) for _i, f, t, _on in edges if f in pos and t in pos])
        by_id = {s: placed[rep.sid(s)] for s in shown}  # inches, y upwards
        for p, s in zip(points, shown, strict=True):
            p["col"], p["row"] = by_id[s]
        for line, (_i, f, t, _on) in zip(lines, [e for e in edges
                                                 if e[1] in pos and e[2] in pos],
                                         strict=True):
            (line["col"], line["row"]), (line["col2"], line["row2"]) = by_id[f], by_id[t]
        xs = [c for c, _r in by_id.values()] or [0.0]
        ys = [r for _c, r in by_id.values()] or [0.0]
        x = alt.X("col:Q", axis=None, scale=alt.Scale(domain=[min(xs) - 1, max(xs) + 1]))
        y = alt.Y("row:Q", axis=None, scale=alt.Scale(domain=[min(ys) - 0.6, max(ys) + 0.6]))
        size = (max(WIDTH, round(60 * (max(xs) - min(xs) + 2))),
                max(HEIGHT, round(60 * (max(ys) - min(ys) + 1.2))))
    colour = alt.Color("actor:N", title="moves by", scale=alt.Scale(
        domain=names, range=[svg.colour(k) for k in range(len(names))]))
    arcs = alt.Chart(alt.Data(values=lines)).mark_rule().encode(
        x=x, y=y, x2="col2:Q", y2="row2:Q", color=colour,
        strokeWidth=alt.StrokeWidth("path:N", title=None, scale=alt.Scale(
            domain=["improvement", "credible path"], range=[0.8, 3])),
        opacity=alt.Opacity("path:N", legend=None, scale=alt.Scale(
            domain=["improvement", "credible path"], range=[0.3, 1])),
        tooltip=["move:N", "path:N"])
    dots = alt.Chart(alt.Data(values=points)).mark_circle(size=260, stroke="#111827").encode(
        x=x, y=y,
        fill=alt.Fill("kind:N", title=None, scale=alt.Scale(
            domain=["state", "equilibrium"], range=["#ffffff", "#111827"])),
        tooltip=["id:N", "words:N", "kind:N", "start:N"])
    ids = alt.Chart(alt.Data(values=points)).mark_text(dy=-14, fontSize=9).encode(
        x=x, y=y, text="id:N")
    tags = alt.Chart(alt.Data(values=[p for p in points if p["start"]])).mark_text(
        dy=16, fontSize=10, fontWeight="bold").encode(x=x, y=y, text="start:N")
    title = (f"{v['name']}: {len(shown)} of {len(rep.states)} states, {len(eq)} "
             f"{rep.cname(rep.concept)} equilibria (filled)")
    chart = alt.layer(arcs, dots, ids, tags).properties(width=size[0], height=size[1],
                                                        title=title)
    return Figure(chart, f"state graph: {v['name']}")
