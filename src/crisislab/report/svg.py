"""Inline SVG drawing for the HTML report: line charts, scale strips, the state graph.

Every function returns a self-contained ``<svg>`` string (no scripts, fonts,
images or links), with all text escaped, so the report works offline and a
reader can hover any node for its ``<title>``.  Output depends only on the
arguments: the same input gives the same bytes.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from markupsafe import escape

# Okabe & Ito's colour-blind-safe palette (yellow left out: unreadable on white).
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000",
           "#8C564B")
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"


def esc(value: object) -> str:
    """Text or attribute value, escaped for HTML/SVG."""
    return str(escape(str(value)))


def colour(k: int) -> str:
    """The ``k``-th colour of the palette, repeating: series keep their colours across charts."""
    return PALETTE[k % len(PALETTE)]


def fmt(v: float) -> str:
    """A number as a short, stable label (no trailing zeros, no '-0')."""
    if v == 0 or abs(v) < 1e-12:
        return "0"
    if abs(v) >= 1e5 or abs(v) < 1e-3:
        return f"{v:.3g}"
    return f"{v:.4f}".rstrip("0").rstrip(".")


def _c(v: float) -> str:
    """A coordinate with two decimals: short, and identical across runs."""
    return f"{v:.2f}".rstrip("0").rstrip(".")


def nice_ticks(lo: float, hi: float, max_ticks: int = 6) -> list[float]:
    """Round tick values (1, 2, 2.5 or 5 × 10^k apart) covering [lo, hi].

    Heckbert's "nice numbers" (Graphics Gems, 1990): the step is the smallest
    nice number giving at most ``max_ticks`` intervals.
    """
    if not (math.isfinite(lo) and math.isfinite(hi)):
        raise ValueError("tick range must be finite")
    if hi < lo:
        lo, hi = hi, lo
    if hi - lo <= max(1e-9 * max(abs(lo), abs(hi)), 1e-12):  # one value, up to rounding
        pad = abs(lo) * 0.1 or 1.0
        lo, hi = lo - pad, hi + pad
    raw = (hi - lo) / max(1, max_ticks - 1)
    mag = 10.0 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw * (1 - 1e-9))
    first = math.floor(lo / step + 1e-9) * step
    last = math.ceil(hi / step - 1e-9) * step
    count = round((last - first) / step)
    return [float(f"{first + i * step:.12g}") + 0.0 for i in range(count + 1)]


@dataclass(frozen=True)
class Marker:
    """A labelled vertical line at ``x`` (a lens's value of the parameter)."""

    label: str
    x: float


@dataclass(frozen=True)
class HLine:
    """A labelled horizontal reference line (a forecast, the real outcome)."""

    label: str
    y: float
    dashed: bool = True


def _text(x: float, y: float, s: str, *, size: float = 11, anchor: str = "start",
          fill: str = "#374151", weight: str = "normal", extra: str = "") -> str:
    w = f' font-weight="{weight}"' if weight != "normal" else ""
    return (f'<text x="{_c(x)}" y="{_c(y)}" font-size="{size}" text-anchor="{anchor}" '
            f'fill="{fill}"{w}{extra}>{esc(s)}</text>')


def line_chart(x: Sequence[float], series: Mapping[str, Sequence[float | None]], *,
               title: str = "", x_label: str = "", y_label: str = "",
               y_range: tuple[float, float] | None = None, markers: Sequence[Marker] = (),
               hlines: Sequence[HLine] = (), y_end_labels: tuple[str, str] | None = None,
               width: int = 720, height: int = 340) -> str:
    """A line chart with axes, round ticks, a legend and optional reference lines.

    ``None`` values leave gaps.  ``y_end_labels`` names the bottom and top of the
    y scale (e.g. "no sanctions" / "total embargo").
    """
    if any(len(v) != len(x) for v in series.values()):
        raise ValueError("every series needs one value per x")
    ys = [v for vals in series.values() for v in vals if v is not None]
    ys += [h.y for h in hlines]
    if y_range is not None:
        ylo, yhi = y_range
        yticks = nice_ticks(ylo, yhi)
        yticks = [t for t in yticks if ylo - 1e-9 <= t <= yhi + 1e-9]
    else:
        yticks = nice_ticks(min(ys, default=0.0), max(ys, default=1.0))
        ylo, yhi = yticks[0], yticks[-1]
    xs = [*x, *(m.x for m in markers)]
    xticks = nice_ticks(min(xs, default=0.0), max(xs, default=1.0), 8)
    xlo, xhi = (min(xs), max(xs)) if xs and max(xs) > min(xs) else (xticks[0], xticks[-1])
    xticks = [t for t in xticks if xlo - 1e-9 <= t <= xhi + 1e-9]
    names = list(series)
    legend_w = min(220, 24 + 7 * max((len(n) for n in names), default=4)) if names else 0
    ml, mr, mt, mb = 58, 16 + legend_w, 30 if title else 14, 46 if x_label else 30
    pw, ph = width - ml - mr, height - mt - mb

    def px(v: float) -> float:
        return ml + pw * (v - xlo) / (xhi - xlo)

    def py(v: float) -> float:
        return mt + ph * (1 - (v - ylo) / (yhi - ylo))

    out = [f'<svg class="chart" viewBox="0 0 {width} {height}" width="{width}" '
           f'height="{height}" role="img" aria-label="{esc(title or y_label)}" '
           f'font-family="{esc(FONT)}">']
    if title:
        out.append(_text(ml, 18, title, size=13, weight="600", fill="#111827"))
    out.append(f'<rect x="{ml}" y="{mt}" width="{pw}" height="{ph}" fill="#ffffff" '
               'stroke="#d1d5db"/>')
    for t in yticks:
        y = py(t)
        out.append(f'<line x1="{ml}" x2="{ml + pw}" y1="{_c(y)}" y2="{_c(y)}" '
                   'stroke="#eef0f3"/>')
        out.append(_text(ml - 6, y + 4, fmt(t), size=10, anchor="end", fill="#6b7280"))
    for t in xticks:
        xp = px(t)
        out.append(f'<line x1="{_c(xp)}" x2="{_c(xp)}" y1="{mt + ph}" y2="{mt + ph + 4}" '
                   'stroke="#9ca3af"/>')
        out.append(_text(xp, mt + ph + 16, fmt(t), size=10, anchor="middle", fill="#6b7280"))
    if x_label:
        out.append(_text(ml + pw / 2, height - 8, x_label, size=11, anchor="middle"))
    if y_label:
        out.append(_text(14, mt + ph / 2, y_label, size=11, anchor="middle",
                         extra=f' transform="rotate(-90 14 {_c(mt + ph / 2)})"'))
    if y_end_labels:
        out.append(_text(ml + 6, mt + ph - 6, "▼ " + y_end_labels[0], size=10, fill="#6b7280"))
        out.append(_text(ml + 6, mt + 14, "▲ " + y_end_labels[1], size=10, fill="#6b7280"))
    for h in hlines:
        y = py(h.y)
        dash = ' stroke-dasharray="6 4"' if h.dashed else ""
        out.append(f'<line x1="{ml}" x2="{ml + pw}" y1="{_c(y)}" y2="{_c(y)}" '
                   f'stroke="#111827" stroke-width="1.2"{dash}><title>{esc(h.label)}: '
                   f'{fmt(h.y)}</title></line>')
        out.append(_text(ml + pw - 4, y - 4, h.label, size=10, anchor="end", fill="#111827"))
    for k, m in enumerate(sorted(markers, key=lambda m: (m.x, m.label))):
        xp = px(m.x)
        out.append(f'<line x1="{_c(xp)}" x2="{_c(xp)}" y1="{mt}" y2="{mt + ph}" '
                   f'stroke="#6b7280" stroke-dasharray="3 3"><title>{esc(m.label)}: '
                   f'{fmt(m.x)}</title></line>')
        out.append(_text(xp + 3, mt + 12 + 12 * (k % 4), m.label, size=10, fill="#374151"))
    for k, name in enumerate(names):
        col = colour(k)
        runs: list[list[str]] = [[]]
        for xv, yv in zip(x, series[name], strict=True):
            if yv is None:
                runs.append([])
            else:
                runs[-1].append(f"{_c(px(xv))},{_c(py(yv))}")
        for run in runs:
            if len(run) > 1:
                out.append(f'<polyline fill="none" stroke="{col}" stroke-width="2" '
                           f'points="{" ".join(run)}"><title>{esc(name)}</title></polyline>')
            elif len(run) == 1:
                cx, cy = run[0].split(",")
                out.append(f'<circle cx="{cx}" cy="{cy}" r="3" fill="{col}"/>')
        ly = mt + 8 + 18 * k
        lx = width - legend_w - 4
        out.append(f'<line x1="{lx}" x2="{lx + 16}" y1="{ly}" y2="{ly}" stroke="{col}" '
                   'stroke-width="3"/>')
        out.append(_text(lx + 22, ly + 4, name, size=11))
    out.append("</svg>")
    return "".join(out)


def scale_strip(lo: float, hi: float, points: Sequence[tuple[str, float]], *,
                lo_label: str = "", hi_label: str = "",
                reference: tuple[str, float] | None = None, width: int = 720) -> str:
    """Forecasts as dots on the issue's scale, with the real outcome as a diamond."""
    if hi <= lo:
        raise ValueError("scale needs max > min")
    ml, mr = 24, 24
    pw = width - ml - mr
    row = 22
    height = 64 + row * len(points)

    def px(v: float) -> float:
        return ml + pw * (min(max(v, lo), hi) - lo) / (hi - lo)

    axis_y = height - 34
    out = [f'<svg class="chart" viewBox="0 0 {width} {height}" width="{width}" '
           f'height="{height}" role="img" aria-label="forecasts on the scale" '
           f'font-family="{esc(FONT)}">',
           f'<line x1="{ml}" x2="{ml + pw}" y1="{axis_y}" y2="{axis_y}" stroke="#6b7280" '
           'stroke-width="1.5"/>']
    for t in nice_ticks(lo, hi, 6):
        if lo - 1e-9 <= t <= hi + 1e-9:
            out.append(f'<line x1="{_c(px(t))}" x2="{_c(px(t))}" y1="{axis_y}" '
                       f'y2="{axis_y + 5}" stroke="#6b7280"/>')
            out.append(_text(px(t), axis_y + 17, fmt(t), size=10, anchor="middle",
                             fill="#6b7280"))
    out.append(_text(ml, height - 4, lo_label, size=10, fill="#374151"))
    out.append(_text(ml + pw, height - 4, hi_label, size=10, anchor="end", fill="#374151"))
    if reference is not None:
        rx = px(reference[1])
        out.append(f'<line x1="{_c(rx)}" x2="{_c(rx)}" y1="10" y2="{axis_y}" stroke="#111827" '
                   f'stroke-dasharray="4 3"/><path d="M{_c(rx)},{axis_y - 7} l6,7 l-6,7 l-6,-7 z" '
                   f'fill="#111827"><title>{esc(reference[0])}: {fmt(reference[1])}</title>'
                   '</path>')
        out.append(_text(rx + 5, 18, f"{reference[0]}: {fmt(reference[1])}", size=10,
                         fill="#111827", anchor="end" if rx > ml + pw * 0.7 else "start"))
    for k, (label, v) in enumerate(points):
        y = 30 + row * k
        col = colour(k)
        out.append(f'<line x1="{ml}" x2="{ml + pw}" y1="{y}" y2="{y}" stroke="#f1f2f4"/>')
        out.append(f'<circle cx="{_c(px(v))}" cy="{y}" r="5" fill="{col}"><title>'
                   f'{esc(label)}: {fmt(v)}</title></circle>')
        right = px(v) > ml + pw * 0.7
        out.append(_text(px(v) + (-9 if right else 9), y + 4, f"{label}: {fmt(v)}", size=10,
                         anchor="end" if right else "start"))
    out.append("</svg>")
    return "".join(out)


# --- the state graph -------------------------------------------------------------


@dataclass(frozen=True)
class GraphNode:
    """A state: its id, its option configuration per actor (indices), its words."""

    key: str
    configs: tuple[int, ...]
    title: str
    equilibrium: bool = False
    start: str | None = None


@dataclass(frozen=True)
class GraphEdge:
    """A move by actor ``actor`` (index) between two node keys."""

    source: str
    target: str
    actor: int
    on_path: bool = False


@dataclass(frozen=True)
class GridLayout:
    """Cell (column, row) of each node; the actors spread along each axis."""

    cells: dict[str, tuple[int, int]]
    col_keys: list[tuple[int, ...]]
    row_keys: list[tuple[int, ...]]
    col_actors: tuple[int, ...]
    row_actors: tuple[int, ...]
    by_ordinal: bool


def grid_layout(nodes: Sequence[GraphNode], n_actors: int, aspect: float = 3.0) -> GridLayout:
    """Columns by the first actors' configurations, rows by the rest.

    Every move then runs along a row (column actors) or a column (row actors),
    so one actor's choices read straight off the picture.  The split is the one
    whose grid is closest to ``aspect`` (width/height).  Falls back to a grid by
    ordinal when two nodes would share a cell (graph-form scenarios).
    """
    best: tuple[float, int] | None = None
    for m in range(n_actors + 1):
        cols = {nd.configs[:m] for nd in nodes}
        rows = {nd.configs[m:] for nd in nodes}
        score = abs(math.log(max(1, len(cols)) / max(1, len(rows))) - math.log(aspect))
        if best is None or score < best[0] - 1e-12:
            best = (score, m)
    m = best[1] if best else 0
    col_keys = sorted({nd.configs[:m] for nd in nodes})
    row_keys = sorted({nd.configs[m:] for nd in nodes})
    ci = {k: i for i, k in enumerate(col_keys)}
    ri = {k: i for i, k in enumerate(row_keys)}
    cells = {nd.key: (ci[nd.configs[:m]], ri[nd.configs[m:]]) for nd in nodes}
    if len(set(cells.values())) == len(nodes):
        return GridLayout(cells, col_keys, row_keys, tuple(range(m)),
                          tuple(range(m, n_actors)), False)
    ncols = max(1, math.ceil(math.sqrt(len(nodes) * aspect)))
    cells = {nd.key: (k % ncols, k // ncols) for k, nd in enumerate(nodes)}
    nrows = math.ceil(len(nodes) / ncols) if nodes else 0
    return GridLayout(cells, [(i,) for i in range(ncols)], [(i,) for i in range(nrows)],
                      (), (), True)


def _wrap(text: str, width: int, lines: int = 3) -> list[str]:
    """Greedy word wrap into at most ``lines`` lines (the last one cut with '…')."""
    out: list[str] = []
    for word in text.split():
        if out and len(out[-1]) + 1 + len(word) <= width:
            out[-1] += " " + word
        else:
            out.append(word)
    if len(out) > lines:
        out = [*out[:lines - 1], " ".join(out[lines - 1:])]
    return [w if len(w) <= width else w[:width - 1] + "…" for w in out] or [""]


def _arc(x1: float, y1: float, x2: float, y2: float, r1: float, r2: float,
         bend: float) -> str:
    """A quadratic arc bulging to the left of the direction of travel, trimmed to the
    node circles (so a->b and b->a never overlap)."""
    dx, dy = x2 - x1, y2 - y1
    d = math.hypot(dx, dy) or 1.0
    nx, ny = -dy / d, dx / d
    h = min(bend, 0.22 * d)
    cx, cy = (x1 + x2) / 2 + nx * h, (y1 + y2) / 2 + ny * h

    def trim(px: float, py: float, r: float) -> tuple[float, float]:
        vx, vy = cx - px, cy - py
        vd = math.hypot(vx, vy) or 1.0
        return px + vx / vd * r, py + vy / vd * r

    sx, sy = trim(x1, y1, r1)
    ex, ey = trim(x2, y2, r2 + 2)
    return f"M{_c(sx)},{_c(sy)} Q{_c(cx)},{_c(cy)} {_c(ex)},{_c(ey)}"


def state_graph(nodes: Sequence[GraphNode], edges: Sequence[GraphEdge],
                actors: Sequence[str], config_names: Sequence[Sequence[str]], *,
                uid: str, caption: str = "") -> str:
    """The states on a grid with the actors' moves as arcs coloured per actor.

    Background moves are thin and light; moves on a path from a starting
    point are thick with arrowheads.  Equilibria are filled; starting points
    carry a ring and their name.  ``config_names[i][k]`` names actor i's k-th
    option configuration (axis labels).
    """
    lay = grid_layout(nodes, len(actors), aspect=3.0 if len(nodes) > 12 else 1.5)
    ncols, nrows = max(1, len(lay.col_keys)), max(1, len(lay.row_keys))
    dx = max(40.0, min(84.0, 840.0 / ncols))
    dy = max(64.0, min(104.0, dx * 1.45))
    r = max(8.0, min(14.0, dx * 0.2))
    head_h = 0 if lay.by_ordinal else 20 * len(lay.col_actors) + 4
    left = 16 if lay.by_ordinal else 20 + 104 * max(1, len(lay.row_actors))
    top = 16 + head_h
    width = int(left + dx * ncols + 16)
    height = int(top + dy * nrows + 10)

    def pos(key: str) -> tuple[float, float]:
        c, rw = lay.cells[key]
        return left + dx * (c + 0.5), top + dy * (rw + 0.5)

    out = [f'<svg class="state-graph" id="{esc(uid)}" viewBox="0 0 {width} {height}" '
           f'width="{width}" height="{height}" role="img" '
           f'aria-label="{esc(caption or "state graph")}" font-family="{esc(FONT)}"><defs>']
    for k in range(len(actors)):
        out.append(f'<marker id="{esc(uid)}-ah{k}" viewBox="0 0 10 10" refX="8" refY="5" '
                   'markerWidth="5" markerHeight="5" orient="auto-start-reverse">'
                   f'<path d="M0,0 L10,5 L0,10 z" fill="{colour(k)}"/></marker>')
    out.append("</defs>")
    if not lay.by_ordinal:
        # Column headers: one band per column actor, merging equal prefixes;
        # the actor's name in the margin on the left.
        for depth, a in enumerate(lay.col_actors):
            y = 14.0 + 20 * depth
            out.append(_text(left - 8, y, actors[a], size=10.5, anchor="end", fill=colour(a),
                             weight="600"))
            start = 0
            for c in range(1, len(lay.col_keys) + 1):
                if c == len(lay.col_keys) or lay.col_keys[c][:depth + 1] != \
                        lay.col_keys[start][:depth + 1]:
                    x0, x1 = left + dx * start, left + dx * c
                    name = config_names[a][lay.col_keys[start][depth]]
                    out.append(f'<rect x="{_c(x0 + 1)}" y="{y - 12}" width="{_c(x1 - x0 - 2)}" '
                               f'height="17" rx="3" fill="{colour(a)}" fill-opacity="0.07" '
                               f'stroke="{colour(a)}" stroke-opacity="0.35"/>')
                    max_chars = max(3, int((x1 - x0) / 6.0))
                    label = name if len(name) <= max_chars else name[:max_chars - 1] + "…"
                    out.append(f'<text x="{_c((x0 + x1) / 2)}" y="{y}" font-size="10.5" '
                               f'text-anchor="middle" fill="{colour(a)}"><title>{esc(actors[a])}: '
                               f'{esc(name)}</title>{esc(label)}</text>')
                    start = c
        # Row headers: one column per row actor, its name on top.
        for depth, a in enumerate(lay.row_actors):
            x = 12.0 + 104 * depth
            out.append(_text(x, top - 6, actors[a], size=10.5, fill=colour(a), weight="600"))
            for rw, key in enumerate(lay.row_keys):
                if rw and lay.row_keys[rw - 1][:depth + 1] == key[:depth + 1]:
                    continue
                name = config_names[a][key[depth]]
                words = _wrap(name, 17)
                y0 = top + dy * (rw + 0.5) + 4 - 6.5 * (len(words) - 1)
                for j, line in enumerate(words):
                    out.append(f'<text x="{x}" y="{_c(y0 + 13 * j)}" font-size="10.5" '
                               f'fill="{colour(a)}"><title>{esc(actors[a])}: {esc(name)}</title>'
                               f'{esc(line)}</text>')
        for rw in range(1, nrows):
            out.append(f'<line x1="{left}" x2="{_c(left + dx * ncols)}" '
                       f'y1="{_c(top + dy * rw)}" y2="{_c(top + dy * rw)}" stroke="#eceef1"/>')
    known = set(lay.cells)
    for on_path in (False, True):
        for e in edges:
            if e.on_path != on_path or e.source not in known or e.target not in known:
                continue
            (x1, y1), (x2, y2) = pos(e.source), pos(e.target)
            d = _arc(x1, y1, x2, y2, r, r, bend=0.45 * dy if y1 == y2 else 0.45 * dx)
            title = f"<title>{esc(actors[e.actor])}: {esc(e.source)} → {esc(e.target)}</title>"
            if on_path:
                out.append(f'<path class="move path" d="{d}" fill="none" '
                           f'stroke="{colour(e.actor)}" stroke-width="2.6" '
                           f'marker-end="url(#{esc(uid)}-ah{e.actor})">{title}</path>')
            else:
                out.append(f'<path class="move" d="{d}" fill="none" stroke="{colour(e.actor)}" '
                           f'stroke-opacity="0.28" stroke-width="1">{title}</path>')
    for nd in nodes:
        x, y = pos(nd.key)
        title = f"<title>{esc(nd.title)}</title>"
        fill, stroke, text = ("#1f2937", "#1f2937", "#ffffff") if nd.equilibrium else \
            ("#ffffff", "#9ca3af", "#1f2937")
        ring = ""
        if nd.start:
            ring = (f'<circle cx="{_c(x)}" cy="{_c(y)}" r="{_c(r + 4)}" fill="none" '
                    'stroke="#B45309" stroke-width="2.5"/>')
        tag = ""
        if nd.start:
            tag = _text(x, y + r + 16, nd.start, size=9.5 if dx < 60 else 10, anchor="middle",
                        fill="#92400E", weight="600")
        out.append(f'<g class="node" data-state="{esc(nd.key)}">{title}{ring}'
                   f'<circle cx="{_c(x)}" cy="{_c(y)}" r="{_c(r)}" fill="{fill}" '
                   f'stroke="{stroke}" stroke-width="1.3"/>'
                   f'<text x="{_c(x)}" y="{_c(y + 3.5)}" font-size="{9 if r < 11 else 10}" '
                   f'text-anchor="middle" fill="{text}">{esc(nd.key)}</text>{tag}</g>')
    out.append("</svg>")
    return "".join(out)
