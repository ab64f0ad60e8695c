"""The state graph drawn by Graphviz: DOT text, SVG or PNG.

Nodes are states with their full labels (ordinal id, Y/N pattern, and what
is happening in words); edges are the moves handed in, one colour per actor,
a two-way move drawn once with arrows at both ends.  Equilibria (of a
stability result computed elsewhere) are drawn with a double border, the
status quo with a bold one.  Graphviz's ``dot`` lays the graph out in layers
so labels stay readable; the ``graphviz`` Python package writes the DOT text
(pure Python) and runs ``dot`` for SVG and PNG.  When ``dot`` is not
installed, SVG and PNG fail with :class:`GraphvizMissing`; DOT still works.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

import numpy as np
import scipy.sparse as sp

from crisislab.errors import InputError, Problem
from crisislab.model.describe import state_words
from crisislab.model.scenario import Scenario
from crisislab.model.states import StateSpace

#: One colour per actor (colour-blind-safe Okabe–Ito palette), cycled.
ACTOR_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9",
                 "#000000", "#F0E442")
FORMATS = ("dot", "svg", "png")


class GraphvizMissing(InputError):
    """Graphviz's ``dot`` program is needed and not installed."""


def _label(scenario: Scenario, space: StateSpace, s: int, width: int) -> str:
    head = space.state_id(s)
    pattern = space.pattern(s)
    if pattern != head:
        head += f"  {pattern}"
    return node_label(head, state_words(scenario, space, s), width)


def state_graph_dot(scenario: Scenario, space: StateSpace, moves: Sequence[sp.sparray],
                    *, equilibria: Sequence[int] = (), status_quo: int | None = None,
                    title: str | None = None, label_width: int = 28,
                    max_edge_labels: int = 40, unperceived: Sequence[int] = ()) -> str:
    """The DOT text of the state graph.

    ``moves`` holds one (n, n) sparse matrix per actor (in ``space.actors`` order):
    the moves to draw — every move, or only the unilateral improvements, as the
    caller chooses.  ``equilibria`` are state indices to mark.  Edges carry their
    actor's name up to ``max_edge_labels`` edges; a legend gives the colours always.
    ``unperceived`` states (of the view's holder) are drawn dashed and grey.
    """
    names = {a.id: a.name for a in scenario.actors}
    g = _digraph(title)
    eq = {int(s) for s in equilibria}
    hidden = {int(s) for s in unperceived}
    for s in range(space.n):
        attrs: dict[str, str] = {}
        if s in hidden:
            attrs.update(style="rounded,dashed", color="#9ca3af", fontcolor="#6b7280",
                         tooltip="not perceived by the view's holder")
        if s in eq:
            attrs["peripheries"] = "2"
            attrs["style"] = "rounded,filled" + (",dashed" if s in hidden else "")
            attrs["fillcolor"] = "#f3f4f6"
        if s == status_quo:
            attrs["penwidth"] = "2.5"
        g.node(f"n{s + 1}", _label(scenario, space, s, label_width), **attrs)
    per_actor = []
    for mat in moves:
        coo = sp.csr_array(mat, dtype=bool).tocoo()
        per_actor.append(set(zip(coo.row.tolist(), coo.col.tolist(), strict=True)))
    labelled = sum(len(p) for p in per_actor) <= max_edge_labels
    for i, (actor, pairs) in enumerate(zip(space.actors, per_actor, strict=True)):
        colour = ACTOR_COLOURS[i % len(ACTOR_COLOURS)]
        for f, t in sorted(pairs):
            both = (t, f) in pairs
            if both and t < f:
                continue  # drawn once, from the lower state
            extra = {"xlabel": names.get(actor, actor), "fontcolor": colour} if labelled else {}
            g.edge(f"n{f + 1}", f"n{t + 1}", color=colour,
                   dir="both" if both else "forward", **extra)
    rows = "".join(f'<TR><TD><FONT COLOR="{ACTOR_COLOURS[i % len(ACTOR_COLOURS)]}">'
                   f"&#8594; {escape(names.get(a, a))}</FONT></TD></TR>"
                   for i, a in enumerate(space.actors))
    g.node("legend", f'<<TABLE BORDER="0" CELLBORDER="0">{rows}</TABLE>>', shape="plaintext")
    return str(g.source)


def _digraph(title: str | None = None) -> Any:
    """The graph with the drawing's layout settings (layers left to right, boxed
    labels): shared by :func:`state_graph_dot` and :func:`layout_positions`, so a
    figure laid out by the one matches the drawing made by the other."""
    import graphviz

    g = graphviz.Digraph("states", format="svg")
    g.attr(rankdir="LR", fontname="Helvetica", fontsize="11", nodesep="0.3", ranksep="0.6")
    if title:
        g.attr(label=title, labelloc="t")
    g.attr("node", shape="box", style="rounded", fontname="Helvetica", fontsize="10")
    g.attr("edge", fontname="Helvetica", fontsize="9", arrowsize="0.7")
    return g


def node_label(state_id: str, words: str, width: int = 28) -> str:
    """A state's label as the drawing writes it: its id, then its words wrapped."""
    return f"{state_id}\n{textwrap.fill(words, width=width)}"


def layout_positions(labels: Mapping[str, str], edges: Sequence[tuple[str, str]]
                     ) -> dict[str, tuple[float, float]]:
    """Where Graphviz's ``dot`` places each node (inches, y upwards) when it lays out
    these labelled nodes and directed edges as :func:`state_graph_dot` does; node keys
    are any strings.  Needs ``dot`` (:class:`GraphvizMissing` otherwise)."""
    import graphviz

    g = _digraph()
    keys = {k: f"n{i + 1}" for i, k in enumerate(labels)}
    for k, label in labels.items():
        g.node(keys[k], label)
    for f, t in edges:
        g.edge(keys[f], keys[t])
    try:
        plain = graphviz.Source(str(g.source)).pipe(format="plain", engine="dot")
    except graphviz.ExecutableNotFound:
        raise _missing() from None
    back = {v: k for k, v in keys.items()}
    out: dict[str, tuple[float, float]] = {}
    for line in plain.decode().splitlines():
        parts = line.split(" ")
        if parts[0] == "node" and parts[1] in back:  # node NAME X Y WIDTH HEIGHT ...
            out[back[parts[1]]] = (float(parts[2]), float(parts[3]))
    return out


def _missing() -> GraphvizMissing:
    return GraphvizMissing([Problem(
        "drawing the state graph as SVG or PNG needs Graphviz's 'dot' program, which is "
        "not installed", value="dot",
        expected="Graphviz installed (Debian/Ubuntu: apt-get install graphviz; macOS: "
        "brew install graphviz), or --graph-dot FILE for the DOT text")])


def require_dot() -> None:
    """Refuse up front, before a long analysis, when ``dot`` is not on the PATH."""
    import shutil

    if shutil.which("dot") is None:
        raise _missing()


def render_dot(dot: str, fmt: str) -> bytes:
    """Lay out and render DOT text as ``svg`` or ``png`` bytes with Graphviz's ``dot``."""
    import graphviz

    if fmt not in ("svg", "png"):
        raise ValueError(f"format {fmt!r}")
    try:
        return bytes(graphviz.Source(dot).pipe(format=fmt, engine="dot"))
    except graphviz.ExecutableNotFound:
        raise _missing() from None


def equilibrium_states(stable: np.ndarray) -> list[int]:
    """Indices of the states stable for every actor in an (n_actors, n_states) array
    already computed by the stability engine."""
    return np.flatnonzero(np.asarray(stable, dtype=bool).all(axis=0)).tolist()
