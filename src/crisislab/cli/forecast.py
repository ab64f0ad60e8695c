"""``crisislab forecast``: where a negotiation over a continuous issue settles."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from crisislab.cli.common import (
    console,
    ensure_outputs,
    load_scenario_or_exit,
    parse_csv_option,
    user_errors,
    working,
    write_atomic,
)
from crisislab.errors import input_error


@user_errors
def forecast(
    file: Annotated[str | None, typer.Argument(
        help="Scenario file or built-in name (default: korea-2017), or a KTAB CSV file "
        "(*.csv).")] = None,
    issue: Annotated[str | None, typer.Option(
        "--issue", "-i", help="Only these issues (comma-separated ids).")] = None,
    model: Annotated[str | None, typer.Option(
        "--model", "-m", help="Comma-separated: compromise, median, nash, challenge, smp "
        "(default: all).")] = None,
    lens: Annotated[str | None, typer.Option(
        help="Views to forecast under (comma-separated lens ids; 'base' for the base case; "
        "default: base and every lens).")] = None,
    seed: Annotated[int | None, typer.Option(
        help="Seed: makes the spatial model's resolution stochastic and reproducible.")]
        = None,
    trajectory: Annotated[bool, typer.Option(
        "--trajectory", "-t", help="Also show the median and mean round by round.")] = False,
    json_out: Annotated[str | None, typer.Option(
        "--json", help="Write every forecast with trajectories and provenance to this file "
        "('-': stdout).")] = None,
    force: Annotated[bool, typer.Option(help="Replace an existing output file.")] = False,
    ktab_out: Annotated[str | None, typer.Option(
        "--ktab", help="Instead of forecasting, export one issue (--issue) to KTAB's CSV "
        "format.")] = None,
) -> None:
    """Where a negotiation settles: compromise, median, Nash, challenge and SMP models."""
    from rich.table import Table

    from crisislab.bargaining import MODELS, forecast_scenario
    from crisislab.formats.ktab_csv import load_ktab_csv

    models = parse_csv_option(model, list(MODELS), "model") or list(MODELS)
    ensure_outputs(json_out, ktab_out, force=force)
    scenario: Any
    if file is not None and file.lower().endswith(".csv"):
        spec = load_ktab_csv(file)

        from types import SimpleNamespace

        scenario = SimpleNamespace(issues=[spec], lenses=[])
    else:
        scenario = load_scenario_or_exit(file)
    if not scenario.issues:
        raise input_error("this scenario declares no issues to forecast", value=file,
                          expected="a scenario with an 'issues:' section, or a KTAB CSV file")
    if ktab_out is not None:
        from crisislab.formats.ktab_csv import write_ktab_csv

        chosen_issues = [i for i in scenario.issues if issue is None or i.id == issue]
        if len(chosen_issues) != 1:
            raise input_error("exporting to KTAB needs one issue",
                              value=[i.id for i in scenario.issues], expected="--issue ID")
        write_atomic(ktab_out, write_ktab_csv(chosen_issues[0]), force=force)
        console.print(f"wrote {ktab_out}")
        return
    lens_ids = [getattr(lz, "id", "") for lz in scenario.lenses]
    views: list[str | None]
    if lens is None:
        views = [None, *lens_ids]
    else:
        chosen = parse_csv_option(lens, ["base", *lens_ids], "lens") or ["base"]
        views = [None if v == "base" else v for v in chosen]
    issues = [s.strip() for s in issue.split(",") if s.strip()] if issue else None
    with working("forecasting"):
        result = forecast_scenario(scenario, issues=issues, models=models, lenses=views,
                                   seed=seed)

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
    if json_out:
        write_atomic(json_out, result.to_json(), force=force)
        if json_out != "-":
            console.print(f"wrote {json_out}")


def register(app: typer.Typer) -> None:
    """Add ``forecast`` to the crisislab command line."""
    app.command(name="forecast")(forecast)
