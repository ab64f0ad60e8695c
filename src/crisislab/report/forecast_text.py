"""Negotiation forecasts in the terminal: one row per issue, view and model, the vetoes,
and with ``trajectory`` the median and mean round by round.

Render only: the numbers come from :mod:`crisislab.compare.forecast_runs`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table

if TYPE_CHECKING:
    from crisislab.bargaining.results import ForecastSet


def print_forecasts(result: ForecastSet, console: Console, *, trajectory: bool = False) -> None:
    """The forecasts as a table; an actor whose ideal is its disagreement point is named
    once per issue (no bargain moves it, whatever the model)."""
    table = Table(title="Negotiation forecasts", show_lines=False)
    for col in ("issue", "view", "model", "forecast", "rounds", "stop"):
        table.add_column(col, justify="right" if col in ("forecast", "rounds") else "left")
    for f in result.forecasts:
        fc = ", ".join(f"{v:.2f}" for v in f.forecast)
        table.add_row(f.issue, f.lens or "base", f.model, fc,
                      str(max(len(f.rounds) - 1, 0)) if f.rounds else "-", f.stop_reason)
    console.print(table)
    vetoes: dict[tuple[str, tuple[str, ...]], list[str]] = {}
    for f in result.forecasts:
        if f.veto:
            vetoes.setdefault((f.issue, tuple(f.veto)), []).append(f.lens or "base")
    for (iss, who), in_views in vetoes.items():
        console.print(f"veto: {', '.join(who)} on {iss} — ideal equals the Nash disagreement "
                      f"point, so no bargain moves it (views: {', '.join(in_views)})")
    if trajectory:
        for f in result.forecasts:
            if not f.rounds:
                continue
            t = Table(title=f"{f.issue} · {f.lens or 'base'} · {f.model}")
            t.add_column("round", justify="right")
            t.add_column("median", justify="right")
            t.add_column("mean", justify="right")
            t.add_column("moves")
            for r in f.rounds:
                moves = "; ".join(f"{m.actor}→{m.toward} ({m.kind})" for m in r.moves[:6])
                if len(r.moves) > 6:
                    moves += f"; +{len(r.moves) - 6}"
                t.add_row(str(r.round), ", ".join(f"{v:.2f}" for v in r.median),
                          ", ".join(f"{v:.2f}" for v in r.mean), moves)
            console.print(t)
