"""Figures as objects: Vega-Altair charts a notebook shows and a user saves.

A :class:`Figure` wraps an Altair chart built from what an analysis holds (the report
never computes): the state graph of a view (:mod:`crisislab.report.graph_figure`), the
games' outcome curves against a belief, the negotiation models' trajectories by round.
In a notebook it shows as an interactive Vega-Lite chart (with an SVG beside it for
front ends without Vega); :meth:`Figure.save` writes SVG, PNG, PDF, the Vega-Lite JSON
or a one-file HTML page. SVG and PNG are rendered offline by vl-convert (Vega bundled in
the wheel, no browser, no network), which is also how the HTML report embeds its charts:
the report stays one file that needs nothing from the web.

Why Altair: its specifications are plain JSON data (deterministic, testable, readable in
any Vega viewer), it renders in Jupyter, VS Code and browsers, and it exports to SVG/PNG
without a browser through vl-convert.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any

from crisislab.errors import input_error

if TYPE_CHECKING:
    import altair as alt

    from crisislab.compare.scenario_analysis import ScenarioAnalysis
    from crisislab.games.regime_map import RegimeMap
    from crisislab.uncertainty.results import Conclusion, SweepResult

WIDTH, HEIGHT = 560, 260
_GEOMETRY = re.compile(r'( (?:d|transform|x|y|x1|x2|y1|y2|width|height|points)=")([^"]*)"')
_NUMBER = re.compile(r"-?\d+\.\d+")


_LINE_BREAKS = re.compile("[\u2028\u2029\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _clean(value: Any) -> Any:
    """The specification with the line and paragraph separators and control characters in
    its text replaced by spaces: Vega-Lite compiles titles and labels into expressions,
    where U+2028 is an illegal token (the chart would not render), and a control
    character is never wanted in a picture."""
    if isinstance(value, str):
        return _LINE_BREAKS.sub(" ", value)
    if isinstance(value, dict):
        return {_clean(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def _round(m: re.Match[str]) -> str:
    """Drawing coordinates to 1/100 pixel: the renderer writes float noise
    (28.000000503999996), which would make the same chart differ by platform and by the
    precision of its input."""
    return f"{float(m.group(0)):.2f}".rstrip("0").rstrip(".")
FORMATS = (".svg", ".png", ".pdf", ".json", ".html")


@dataclass(frozen=True)
class Marker:
    """A vertical reference line: a view's own value of the varied parameter."""

    label: str
    x: float


@dataclass(frozen=True)
class HLine:
    """A horizontal reference line: a forecast, or the real outcome."""

    label: str
    y: float
    dashed: bool = True


class Figure:
    """An Altair chart with offline export (see the module docstring)."""

    def __init__(self, chart: alt.TopLevelMixin, name: str) -> None:
        self.chart = chart
        self.name = name

    def __repr__(self) -> str:
        return f"<Figure {self.name!r}: save as {', '.join(FORMATS)}>"

    def to_dict(self) -> dict[str, Any]:
        """The Vega-Lite specification (its text cleaned, see :func:`_clean`)."""
        spec: dict[str, Any] = _clean(self.chart.to_dict())
        return spec

    def to_svg(self, uid: str = "fig") -> str:
        """The chart as SVG, rendered offline.  Element ids are renumbered in order as
        ``{uid}-1``, ``{uid}-2``, ...: the renderer numbers clip paths across calls, and
        several charts inlined in one page must not share one (give each its own uid)."""
        import vl_convert as vlc

        svg: str = vlc.vegalite_to_svg(self.to_dict())
        ids: dict[str, str] = {}
        for old in re.findall(r' id="([^"]+)"', svg):
            ids.setdefault(old, f"{uid}-{len(ids) + 1}")
        svg = re.sub(r' id="([^"]+)"', lambda m: f' id="{ids[m.group(1)]}"', svg)
        svg = re.sub(r"url\(#([^)]+)\)", lambda m: f"url(#{ids.get(m.group(1), m.group(1))})",
                     svg)
        svg = _GEOMETRY.sub(lambda m: m.group(1) + _NUMBER.sub(_round, m.group(2)) + '"', svg)
        # the renderer escapes < > & but leaves ' in text: escaped too, so no quote from a
        # label can ever close an attribute wherever the SVG is pasted
        return svg.replace("'", "&#39;")

    def to_png(self, scale: float = 2.0) -> bytes:
        """The figure as PNG (rendered offline by vl-convert; ``scale`` 2 for sharp text)."""
        import vl_convert as vlc

        png: bytes = vlc.vegalite_to_png(self.to_dict(), scale=scale)
        return png

    def save(self, path: str | Path, *, force: bool = False, scale: float = 2.0) -> Path:
        """Write the figure by the file's suffix (.svg, .png, .pdf, .json, .html),
        atomically; an existing file is replaced only with ``force``."""
        import vl_convert as vlc

        from crisislab.provenance import canonical_json

        target = Path(path)
        suffix = target.suffix.lower()
        if suffix not in FORMATS:
            raise input_error("unknown figure format", value=target.suffix or str(target),
                              expected=", ".join(FORMATS))
        if target.exists() and not force:
            raise input_error(f"{target} exists", value=str(target),
                              expected="a new file name, or force=True (--force)")
        data: bytes
        if suffix == ".svg":
            data = self.to_svg().encode()
        elif suffix == ".png":
            data = self.to_png(scale)
        elif suffix == ".pdf":
            data = vlc.vegalite_to_pdf(self.to_dict())
        elif suffix == ".json":
            data = canonical_json(self.to_dict()).encode()
        else:
            from html import escape

            data = (f"<!doctype html><meta charset='utf-8'><title>{escape(self.name)}</title>"
                    f"<body>{self.to_svg()}</body>\n").encode()
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp",
                                   dir=target.parent if str(target.parent) else ".")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, target)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        return target

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        import altair as alt

        major = alt.SCHEMA_VERSION.lstrip("v").split(".")[0]
        return {f"application/vnd.vegalite.v{major}+json": self.to_dict(),
                "image/svg+xml": self.to_svg(), "text/plain": repr(self)}


# -- charts from plain data (shared with the HTML report) ------------------------------


def line_figure(x: Sequence[float], series: Mapping[str, Sequence[float | None]], *,
                title: str = "", x_label: str = "", y_label: str = "",
                y_range: tuple[float, float] | None = None, markers: Sequence[Marker] = (),
                hlines: Sequence[HLine] = (), y_end_labels: tuple[str, str] | None = None,
                integer_x: bool = False, name: str = "chart") -> Figure:
    """Lines (one per series, ``None`` leaves a gap) with labelled reference lines;
    ``y_end_labels`` names the bottom and top of the y scale."""
    import altair as alt

    if any(len(v) != len(x) for v in series.values()):
        raise ValueError("every series needs one value per x")
    rows = [{"x": float(xv), "y": None if yv is None else float(yv), "series": s}
            for s, vals in series.items() for xv, yv in zip(x, vals, strict=True)]
    subtitle = f"{y_label}: {y_end_labels[0]} (bottom) … {y_end_labels[1]} (top)" \
        if y_end_labels else None
    y_scale = alt.Scale(domain=list(y_range)) if y_range is not None else alt.Scale(zero=False)
    base = alt.Chart(alt.Data(values=rows))
    lines = base.mark_line(point=alt.OverlayMarkDef(size=16), clip=True).encode(
        x=alt.X("x:Q", title=x_label, scale=alt.Scale(zero=False),
                axis=alt.Axis(tickMinStep=1, format="d") if integer_x else alt.Axis()),
        y=alt.Y("y:Q", title=y_label, scale=y_scale),
        color=alt.Color("series:N", title=None, sort=list(series)),
        tooltip=[alt.Tooltip("series:N"), alt.Tooltip("x:Q", title=x_label or "x"),
                 alt.Tooltip("y:Q", title=y_label or "y", format=".3~g")])
    layers: list[Any] = [lines]
    if markers:
        mk = alt.Chart(alt.Data(values=[{"x": m.x, "label": m.label} for m in markers]))
        layers.append(mk.mark_rule(strokeDash=[3, 3], color="#6b7280").encode(
            x="x:Q", tooltip=["label:N", "x:Q"]))
        layers.append(mk.mark_text(align="left", dx=3, dy=-4, baseline="bottom",
                                   color="#374151", fontSize=10).encode(
            x="x:Q", y=alt.value(10), text="label:N"))
    for h in hlines:
        hl = alt.Chart(alt.Data(values=[{"y": h.y, "label": h.label}]))
        layers.append(hl.mark_rule(strokeDash=[6, 4] if h.dashed else [1, 0],
                                   color="#111827").encode(y="y:Q", tooltip=["label:N", "y:Q"]))
        layers.append(hl.mark_text(align="right", dy=-4, fontSize=10, color="#111827").encode(
            y="y:Q", x=alt.value(WIDTH - 4), text="label:N"))
    chart = alt.layer(*layers).properties(width=WIDTH, height=HEIGHT)
    if subtitle:
        chart = chart.properties(title=alt.TitleParams(title or "", subtitle=subtitle))
    elif title:
        chart = chart.properties(title=title)
    return Figure(chart, name)


# -- figures of an analysis -----------------------------------------------------------


def outcome_curves(sa: ScenarioAnalysis, game: str | None = None) -> list[Figure]:
    """Each game's outcome probabilities against its contested belief, one curve per
    view, the views' own values marked (needs ``analyze(..., curves=True)``)."""
    from crisislab.report.sections import game_sections

    out = []
    specs = {s.label or s.id: s.id for s in sa.scenario.games}
    for sec in game_sections(sa):
        gid = specs.get(sec["title"], sec["title"])
        if game is not None and gid != game:
            continue
        for cv in sec["curves"]:
            if cv.get("kind") == "qre":  # against the QRE precision, not a belief
                continue
            out.append(line_figure(
                cv["x"], cv["series"], title=cv["title"], x_label=cv["parameter"],
                y_label="probability", y_range=(0.0, 1.0),
                markers=[Marker(m["label"], m["x"]) for m in cv["markers"]],
                name=f"{gid}: outcomes against {cv['parameter']}"))
    if game is not None and not out:
        raise input_error("no outcome curves for this game", value=game,
                          expected="a game of the scenario, analysed with curves=True: "
                          + (", ".join(g.id for g in sa.scenario.games) or "(no games)"))
    return out


def forecast_trajectories(sa: ScenarioAnalysis, issue: str | None = None) -> list[Figure]:
    """Each negotiation model's positions by round (base case), with its forecast."""
    from crisislab.report.sections import forecast_sections

    out = []
    for sec in forecast_sections(sa):
        if issue is not None and sec["id"] != issue:
            continue
        sc = sec["scale"]
        for model, by_actor in sec["trajectories"].items():
            rounds = max((len(v) for v in by_actor.values()), default=0)
            series = {a: [*v, *[None] * (rounds - len(v))] for a, v in by_actor.items()}
            value = next((m["forecast"] for m in sec["models"] if m["name"] == model), None)
            out.append(line_figure(
                list(range(rounds)), series, title=f"{model}: positions by round",
                x_label="round", y_label=sec["issue"], y_range=(sc["min"], sc["max"]),
                integer_x=True,
                y_end_labels=(sc["min_label"] or "", sc["max_label"] or ""),
                hlines=[] if value is None else [HLine("forecast", value)],
                name=f"{sec['issue']}: {model}"))
    if issue is not None and not out:
        raise input_error("no forecast trajectories for this issue", value=issue,
                          expected=", ".join(sorted({f.issue for f in sa.forecasts}))
                          or "(no issues)")
    return out


# -- a game's regime map --------------------------------------------------------------

# Paul Tol's bright and muted schemes: 16 colours told apart also by colour-blind
# readers; a map with more regimes repeats them (its legend still names each)
_REGIME_COLOURS = ["#4477aa", "#ee6677", "#228833", "#ccbb44", "#66ccee", "#aa3377",
                   "#bbbbbb", "#000000", "#ee7733", "#009988", "#882255", "#999933",
                   "#332288", "#cc6677", "#44aa99", "#ddcc77"]


def _edges(values: Sequence[float]) -> list[tuple[float, float]]:
    """Each grid point's cell: from the midpoint with its left neighbour to the midpoint
    with its right one, the end cells stopping at the ends of the range (the map says
    nothing outside it)."""
    v = [float(x) for x in values]
    if len(v) == 1:
        return [(v[0] - 0.5, v[0] + 0.5)]
    mids = [(a + b) / 2 for a, b in pairwise(v)]
    return list(zip([v[0], *mids], [*mids, v[-1]], strict=True))


def regime_map_figure(rmap: RegimeMap) -> Figure:
    """A computed regime map (:func:`crisislab.games.regime_map`) as a figure: one cell per
    grid point coloured by its regime, the regimes in words in the legend; hover a cell for
    its two parameter values.  Renders the map; solves nothing."""
    import altair as alt

    xs, ys = _edges(rmap.x), _edges(rmap.y)
    rows = [{"x": float(rmap.x[i]), "y": float(rmap.y[j]),
             "x1": xs[i][0], "x2": xs[i][1], "y1": ys[j][0], "y2": ys[j][1],
             "regime": int(c), "what": rmap.descriptions[c]}
            for j, row in enumerate(rmap.cells) for i, c in enumerate(row)]
    domain = list(dict.fromkeys(rmap.descriptions))  # the words, in the map's numbering
    palette = [_REGIME_COLOURS[k % len(_REGIME_COLOURS)] for k in range(len(domain))]
    chart = alt.Chart(alt.Data(values=rows)).mark_rect(stroke="#ffffff", strokeWidth=0.3
                                                       ).encode(
        x=alt.X("x1:Q", title=rmap.x_parameter, scale=alt.Scale(
            domain=[xs[0][0], xs[-1][1]], nice=False, zero=False)),
        x2="x2:Q",
        y=alt.Y("y1:Q", title=rmap.y_parameter, scale=alt.Scale(
            domain=[ys[0][0], ys[-1][1]], nice=False, zero=False)),
        y2="y2:Q",
        color=alt.Color("what:N", title=None, sort=domain, scale=alt.Scale(
            domain=domain, range=palette), legend=alt.Legend(
                orient="bottom", direction="vertical", labelLimit=900)),
        tooltip=[alt.Tooltip("x:Q", title=rmap.x_parameter, format=".4~g"),
                 alt.Tooltip("y:Q", title=rmap.y_parameter, format=".4~g"),
                 alt.Tooltip("what:N", title="regime")],
    ).properties(width=360, height=360, title=alt.TitleParams(
        f"{rmap.game_id}: regimes over {rmap.x_parameter} and {rmap.y_parameter}",
        subtitle=f"{rmap.refinement} equilibria on a {len(rmap.x)} x {len(rmap.y)} grid "
                 "(boundaries to the grid spacing)"))
    return Figure(chart, f"{rmap.game_id}: regimes over {rmap.x_parameter} and "
                         f"{rmap.y_parameter}")


# -- a sweep's sensitivity charts -----------------------------------------------------


def _conclusion(result: SweepResult, conclusion: str | Conclusion) -> Conclusion:
    if not isinstance(conclusion, str):
        return conclusion
    try:
        return result.conclusion(conclusion)
    except KeyError:
        near = [c.id for c in result.conclusions if conclusion in c.id][:8]
        raise input_error("no such conclusion in the sweep", value=conclusion,
                          expected="a conclusion id of the sweep (SweepResult.conclusions"
                          + (f"), e.g. {', '.join(near)}" if near else ")")) from None


def _score_label(c: Conclusion) -> str:
    """What a conclusion's score is: the outcome probability of a game, the forecast of a
    negotiation model, else whether the conclusion holds (1) or not (0)."""
    if c.kind == "game":
        return f"P({c.subject.split(':', 1)[-1]})"
    if c.kind == "forecast":
        return "forecast"
    return "holds (1) or not (0)"


def tornado_figure(result: SweepResult, conclusion: str | Conclusion, *,
                   top: int = 8, titled: bool = True) -> Figure:
    """One conclusion's one-at-a-time sensitivity (the sweep's tornado): per input, the
    range of the conclusion's score as that input alone moves from its 10th to its 90th
    percentile (every value, for a discrete input), the others at their medians; the widest
    ``top`` inputs, widest first, the score at the medians as a dashed line.  Without
    ``titled`` the chart leaves out the conclusion (a report names it beside the chart)."""
    import altair as alt

    c = _conclusion(result, conclusion)
    bars = list(c.tornado[:top])
    if not bars:
        raise input_error("the sweep has no one-at-a-time (tornado) run", value=c.id,
                          expected="a sweep run with its tornado chart (the default)")
    rows = [{"input": b.input, "low": float(b.low), "high": float(b.high),
             "base": float(b.base), "low_value": b.low_value, "high_value": b.high_value,
             "swing": float(b.high - b.low)} for b in bars]
    order = [b.input for b in bars]
    label = _score_label(c)
    base = alt.Chart(alt.Data(values=rows))
    y = alt.Y("input:N", title=None, sort=order, axis=alt.Axis(labelLimit=240))
    ranges = base.mark_bar(color="#6a8caf", size=14).encode(
        y=y, x=alt.X("low:Q", title=label), x2="high:Q",
        tooltip=[alt.Tooltip("input:N"),
                 alt.Tooltip("low_value:N", title="input value at the low end"),
                 alt.Tooltip("low:Q", format=".3~g"),
                 alt.Tooltip("high_value:N", title="input value at the high end"),
                 alt.Tooltip("high:Q", format=".3~g")])
    # a range of zero width is still drawn, as a tick, so no input looks missing
    ticks = base.mark_tick(color="#6a8caf", thickness=2, size=14).encode(y=y, x="low:Q")
    at_median = alt.Chart(alt.Data(values=[{"base": float(bars[0].base)}])).mark_rule(
        color="#cc3333", strokeDash=[3, 2]).encode(
        x="base:Q", tooltip=[alt.Tooltip("base:Q", title="every input at its median",
                                         format=".3~g")])
    chart = alt.layer(ranges, ticks, at_median).properties(
        width=WIDTH - 160 if titled else 300, height=max(40, 24 * len(bars)))
    if titled:
        chart = chart.properties(title=alt.TitleParams(
            c.text, subtitle=f"one input at a time, the others at their medians; "
                             f"probability over the sweep {100 * c.probability:.0f}%"))
    return Figure(chart, f"{c.id}: tornado")


def sobol_figure(result: SweepResult, conclusion: str | Conclusion) -> Figure:
    """One conclusion's Sobol indices (a ``method="sobol"`` sweep): per input the share of
    the conclusion's variance due to that input alone (S1) and counting its interactions
    (ST), each with its 95% bootstrap interval, inputs by ST, largest first."""
    import altair as alt

    c = _conclusion(result, conclusion)
    if not c.sobol:
        raise input_error("the sweep has no Sobol indices", value=c.id,
                          expected="a sweep run with method='sobol' (--method sobol)")
    ranked = sorted(c.sobol, key=lambda s: (-s.st, s.input))
    rows = [{"input": s.input, "index": name, "value": float(v), "conf": float(cf),
             "low": float(v - cf), "high": float(v + cf)}
            for s in ranked for name, v, cf in (("S1", s.s1, s.s1_conf),
                                                 ("ST", s.st, s.st_conf))]
    order = [s.input for s in ranked]
    base = alt.Chart(alt.Data(values=rows))
    y = alt.Y("input:N", title=None, sort=order, axis=alt.Axis(labelLimit=240))
    offset = alt.YOffset("index:N", sort=["S1", "ST"])
    colour = alt.Color("index:N", title=None, sort=["S1", "ST"], scale=alt.Scale(
        domain=["S1", "ST"], range=["#6a8caf", "#1f3b57"]), legend=alt.Legend(
            labelExpr="datum.label == 'S1' ? 'S1 (alone)' : 'ST (with interactions)'"))
    bars = base.mark_bar().encode(
        y=y, yOffset=offset, x=alt.X("value:Q", title="share of the variance"),
        color=colour, tooltip=[alt.Tooltip("input:N"), alt.Tooltip("index:N"),
                               alt.Tooltip("value:Q", format=".3f"),
                               alt.Tooltip("conf:Q", title="± (95%)", format=".3f")])
    whiskers = base.mark_rule(color="#111827").encode(
        y=y, yOffset=offset, x="low:Q", x2="high:Q")
    chart = alt.layer(bars, whiskers).properties(
        width=WIDTH - 160, height=max(60, 30 * len(ranked)), title=alt.TitleParams(
            c.text, subtitle=f"Sobol indices over {result.samples} samples "
                             f"(Saltelli's design), with 95% intervals"))
    return Figure(chart, f"{c.id}: Sobol indices")


def sensitivity_figures(result: SweepResult, conclusion: str | None = None, *,
                        limit: int = 12) -> list[Figure]:
    """The tornado (and, from a Sobol sweep, the Sobol indices) of one conclusion, or of
    the sweep's uncertain conclusions (those the HTML report lists: neither certain nor
    impossible, closest to even odds first, at most ``limit``)."""
    from crisislab.report.sweep_terminal import uncertain_conclusions

    chosen = [_conclusion(result, conclusion)] if conclusion is not None \
        else uncertain_conclusions(result)[:limit]
    out = []
    for c in chosen:
        if c.tornado:
            out.append(tornado_figure(result, c))
        if c.sobol:
            out.append(sobol_figure(result, c))
    if conclusion is not None and not out:
        raise input_error("the sweep has no sensitivity charts for this conclusion",
                          value=conclusion, expected="a sweep with its tornado run, or "
                          "method='sobol'")
    return out
