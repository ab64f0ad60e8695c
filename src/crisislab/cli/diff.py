"""``crisislab diff A B``: what differs between two scenarios and which conclusions differ
because of it."""

from __future__ import annotations

from typing import Annotated

import typer

from crisislab.cli.common import (
    console,
    ensure_outputs,
    err_console,
    load_scenario_or_exit,
    user_errors,
    write_atomic,
)


@user_errors
def diff(
    a: Annotated[str, typer.Argument(help="Scenario A (file or built-in name).")],
    b: Annotated[str, typer.Argument(help="Scenario B (file or built-in name).")],
    analyze: Annotated[bool, typer.Option(
        "--analyze/--no-analyze", help="Compare the conclusions too (runs both).")] = True,
    json_out: Annotated[str | None, typer.Option(
        "--json", help="Write the differences as JSON to this file ('-': stdout).")] = None,
    force: Annotated[bool, typer.Option(help="Replace an existing output file.")] = False,
) -> None:
    """What differs between A and B (actors, options, preferences, lenses, games, issues)
    and which conclusions differ because of it, with the changes that decide each."""
    from crisislab.api import diff as diff_api
    from crisislab.report.diff import render_diff

    ensure_outputs(None if json_out == "-" else json_out, force=force)  # before any work
    sa = load_scenario_or_exit(a)
    sb = load_scenario_or_exit(b)
    result = diff_api(sa, sb, analyze=analyze)
    result = type(result)(**{**result.__dict__, "a_name": a, "b_name": b})
    if json_out == "-":
        typer.echo(result.to_json(), nl=False)
        return
    render_diff(result, console)
    if json_out is not None:
        write_atomic(json_out, result.to_json(), force=force)
        err_console.print(f"wrote {json_out}")


def register(app: typer.Typer) -> None:
    """Add ``crisislab diff`` to the application."""
    app.command("diff")(diff)
