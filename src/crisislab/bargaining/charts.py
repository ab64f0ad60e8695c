"""Trajectory charts of negotiation forecasts, for reports.

:func:`trajectory_chart_data` gives plain data (series per actor plus the
median and mean) that any renderer can draw; :func:`trajectory_svg` draws it
as a self-contained inline SVG with no JavaScript.
"""

from __future__ import annotations

from html import escape
from typing import Any

from crisislab.bargaining.results import Forecast

_PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
            "#7f7f7f", "#bcbd22", "#17becf")


def trajectory_chart_data(forecast: Forecast, dimension: int = 0) -> dict[str, Any]:
    """Series of positions by round for one dimension of a forecast."""
    rounds = [r.round for r in forecast.rounds]
    series = [{"name": a, "kind": "actor",
               "values": [r.positions[a][dimension] for r in forecast.rounds]}
              for a in forecast.actors]
    if forecast.rounds:
        series.append({"name": "median", "kind": "median",
                       "values": [r.median[dimension] for r in forecast.rounds]})
        series.append({"name": "mean", "kind": "mean",
                       "values": [r.mean[dimension] for r in forecast.rounds]})
    return {"issue": forecast.issue, "model": forecast.model, "lens": forecast.lens,
            "dimension": forecast.dimensions[dimension], "rounds": rounds,
            "series": series, "forecast": forecast.forecast[dimension]}


def trajectory_svg(forecast: Forecast, dimension: int = 0, *, width: int = 640,
                   height: int = 320, lower: float | None = None,
                   upper: float | None = None) -> str:
    """An inline SVG line chart of the trajectories (no external resources)."""
    data = trajectory_chart_data(forecast, dimension)
    rounds = data["rounds"] or [0]
    values = [v for s in data["series"] for v in s["values"]] or [data["forecast"]]
    lo = min(values) if lower is None else lower
    hi = max(values) if upper is None else upper
    if hi <= lo:
        lo, hi = lo - 1.0, hi + 1.0
    ml, mr, mt, mb = 48, 110, 24, 32
    pw, ph = width - ml - mr, height - mt - mb
    last = max(rounds[-1], 1)

    def px(t: float) -> float:
        return ml + pw * t / last  # type: ignore[no-any-return]

    def py(v: float) -> float:
        return mt + ph * (1 - (v - lo) / (hi - lo))

    title = f"{data['issue']} — {data['model']}" + (f" ({data['lens']})" if data["lens"] else "")
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}">',
           f'<text x="{ml}" y="16" font-size="13" font-family="sans-serif">'
           f'{escape(title)}</text>',
           f'<rect x="{ml}" y="{mt}" width="{pw}" height="{ph}" fill="none" stroke="#ccc"/>']
    for v, anchor in ((lo, "end"), (hi, "end")):
        out.append(f'<text x="{ml - 4}" y="{py(v) + 4:.1f}" font-size="10" '
                   f'font-family="sans-serif" text-anchor="{anchor}">{v:.3g}</text>')
    out.append(f'<text x="{ml + pw / 2:.1f}" y="{height - 8}" font-size="10" '
               f'font-family="sans-serif" text-anchor="middle">round</text>')
    for k, s in enumerate(data["series"]):
        if s["kind"] == "actor":
            colour, dash, w = _PALETTE[k % len(_PALETTE)], "", 1.2
        elif s["kind"] == "median":
            colour, dash, w = "#000", "", 2.5
        else:
            colour, dash, w = "#000", ' stroke-dasharray="5,3"', 2.0
        pts = " ".join(f"{px(t):.1f},{py(v):.1f}" for t, v in zip(rounds, s["values"],
                                                                   strict=False))
        out.append(f'<polyline fill="none" stroke="{colour}" stroke-width="{w}"{dash} '
                   f'points="{pts}"><title>{escape(s["name"])}</title></polyline>')
        if s["values"]:
            out.append(f'<text x="{px(rounds[-1]) + 4:.1f}" y="{py(s["values"][-1]) + 3:.1f}" '
                       f'font-size="9" font-family="sans-serif" fill="{colour}">'
                       f'{escape(s["name"])}</text>')
    out.append("</svg>")
    return "\n".join(out)
