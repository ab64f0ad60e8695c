"""``crisislab show``: a saved analysis (``analyze --json``) reported again, not rerun."""

from __future__ import annotations

from typing import Annotated

import typer

from crisislab.cli.common import console, err_console, user_errors, write_atomic


@user_errors
def show(
    file: Annotated[str, typer.Argument(help="An analysis saved by `crisislab analyze --json`.")],
    details: Annotated[bool, typer.Option(
        help="Add states, stability per actor and what-if changes.")] = False,
    html_out: Annotated[str | None, typer.Option(
        "--html", help="Write the self-contained HTML report to this file.")] = None,
    force: Annotated[bool, typer.Option(help="Replace an existing output file.")] = False,
) -> None:
    """Report a saved analysis exactly as `analyze` did, without rerunning it."""
    from crisislab.api import load_analysis
    from crisislab.report import terminal

    analysis = load_analysis(file)
    if html_out is None:
        terminal.render_scenario(analysis, console, details=details)
        return
    from crisislab.report.html import render_scenario_html

    write_atomic(html_out, render_scenario_html(analysis), force=force)
    err_console.print(f"wrote {html_out}")


def register(app: typer.Typer) -> None:
    app.command("show")(show)
