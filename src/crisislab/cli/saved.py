"""``crisislab show``: a saved analysis (``analyze --json``) reported again, not rerun."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from crisislab.cli.common import console, ensure_outputs, err_console, user_errors, write_atomic


@user_errors
def show(
    file: Annotated[str, typer.Argument(help="An analysis saved by `crisislab analyze --json`.")],
    details: Annotated[bool, typer.Option(
        help="Add states, stability per actor and what-if changes.")] = False,
    html_out: Annotated[str | None, typer.Option(
        "--html", help="Write the self-contained HTML report to this file.")] = None,
    figures: Annotated[str | None, typer.Option(
        "--figures", help="Write every figure (state graph per view, outcome curves, "
        "forecast trajectories) into this folder.")] = None,
    fmt: Annotated[str, typer.Option(
        "--format", help="Figure format: svg, png, pdf, json (Vega-Lite) or html.")] = "svg",
    force: Annotated[bool, typer.Option(help="Replace existing output files.")] = False,
) -> None:
    """Report a saved analysis exactly as `analyze` did, without rerunning it."""
    from crisislab.api import load_analysis
    from crisislab.report import terminal

    ensure_outputs(html_out, force=force)  # before any work
    analysis = load_analysis(file)
    if figures is not None:
        save_figures(analysis, figures, fmt, force=force)
    if html_out is not None:
        from crisislab.report.html import render_scenario_html

        write_atomic(html_out, render_scenario_html(analysis), force=force)
        err_console.print(f"wrote {html_out}")
    if html_out is None and figures is None:
        terminal.render_scenario(analysis, console, details=details)


def save_figures(analysis: Any, folder: str, fmt: str, *, force: bool = False) -> list[Path]:
    """Every figure of the analysis into ``folder`` (created), named by what it shows."""
    from crisislab.report.figures import forecast_trajectories, outcome_curves
    from crisislab.report.graph_figure import state_graph

    suffix = figure_suffix(fmt)
    figs = [(f"state-graph-{v.id}", state_graph(analysis, v.id)) for v in analysis.views]
    figs += [(f.name, f) for f in outcome_curves(analysis)]
    figs += [(f.name, f) for f in forecast_trajectories(analysis)]
    return write_figures(figs, folder, suffix, force=force)


def figure_suffix(fmt: str) -> str:
    """The file suffix of a ``--format`` value, or a located error (before any work)."""
    from crisislab.errors import input_error
    from crisislab.report.figures import FORMATS

    suffix = "." + fmt.lower().lstrip(".")
    if suffix not in FORMATS:
        raise input_error("unknown figure format", value=fmt,
                          expected=", ".join(f.lstrip(".") for f in FORMATS))
    return suffix


def write_figures(figs: list[tuple[str, Any]], folder: str, suffix: str, *,
                  force: bool = False) -> list[Path]:
    """Each (name, figure) into ``folder`` (created) as ``<name as a file stem><suffix>``."""
    import re

    from crisislab.errors import input_error

    out = Path(folder)
    if out.exists() and not out.is_dir():
        raise input_error(f"{out} is not a folder", value=str(out), expected="a folder")
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, fig in figs:
        stem = re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-").lower()
        written.append(fig.save(out / f"{stem}{suffix}", force=force))
        err_console.print(f"wrote {written[-1]}")
    return written


def register(app: typer.Typer) -> None:
    """Add ``crisislab show`` to the application."""
    app.command("show")(show)
