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
    issue: Annotated[list[str] | None, typer.Option(
        "--issue", "-i", help="Only these issues (ids, comma-separated or repeated).")]
        = None,
    model: Annotated[list[str] | None, typer.Option(
        "--model", "-m", help="Comma-separated or repeated: compromise, median, nash, "
        "challenge, smp "
        "(default: all).")] = None,
    lens: Annotated[list[str] | None, typer.Option(
        help="Views to forecast under (lens ids, comma-separated or repeated; 'base' for the "
        "base case; "
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
    from crisislab.compare.forecast_runs import MODELS, forecasts, issue_scenario
    from crisislab.formats.ktab_csv import load_ktab_csv
    from crisislab.report.forecast_text import print_forecasts

    models = parse_csv_option(model, list(MODELS), "model") or list(MODELS)
    ensure_outputs(json_out, ktab_out, force=force)
    scenario: Any
    if file is not None and file.lower().endswith(".csv"):
        scenario = issue_scenario(load_ktab_csv(file))
    else:
        scenario = load_scenario_or_exit(file)
    if not scenario.issues:
        raise input_error("this scenario declares no issues to forecast", value=file,
                          expected="a scenario with an 'issues:' section, or a KTAB CSV file")
    if ktab_out is not None:
        from crisislab.formats.ktab_csv import write_ktab_csv

        only = parse_csv_option(issue, [i.id for i in scenario.issues], "issue")
        chosen_issues = [i for i in scenario.issues if not only or i.id in only]
        if len(chosen_issues) != 1:
            raise input_error("exporting to KTAB needs one issue",
                              value=[i.id for i in scenario.issues], expected="--issue ID")
        write_atomic(ktab_out, write_ktab_csv(chosen_issues[0]), force=force)
        console.print(f"wrote {ktab_out}")
        return
    lens_ids = [getattr(lz, "id", "") for lz in scenario.lenses]
    views: list[str | None]
    if not lens:
        views = [None, *lens_ids]
    else:
        chosen = parse_csv_option(lens, ["base", *lens_ids], "lens") or ["base"]
        views = [None if v == "base" else v for v in chosen]
    issues = parse_csv_option(issue, [i.id for i in scenario.issues], "issue") or None
    with working("forecasting"):
        result = forecasts(scenario, issues=issues, models=models, lenses=views, seed=seed)

    print_forecasts(result, console, trajectory=trajectory)
    if json_out:
        write_atomic(json_out, result.to_json(), force=force)
        if json_out != "-":
            console.print(f"wrote {json_out}")


def register(app: typer.Typer) -> None:
    """Add ``forecast`` to the crisislab command line."""
    app.command(name="forecast")(forecast)
