"""``crisislab sweep``: how likely each conclusion is when the inputs are uncertain."""

from __future__ import annotations

from typing import Annotated

import typer

from crisislab.cli.common import (
    MaxStates,
    console,
    ensure_outputs,
    err_console,
    load_scenario_or_exit,
    parse_csv_option,
    user_errors,
    write_atomic,
)
from crisislab.errors import input_error

METHOD_CHOICES = ["lhs", "sobol", "mc", "exhaustive"]
CONCEPT_CHOICES = ["nash", "gmr", "smr", "seq"]


@user_errors
def sweep(
    file: Annotated[str | None, typer.Argument(
        help="Scenario file (YAML/JSON) with an 'uncertainty' section, or a built-in name; "
        "default: korea-2017.")] = None,
    samples: Annotated[int, typer.Option(
        "--samples", "-n", help="Number of samples (Sobol: rounded up to Saltelli's "
        "design).")] = 128,
    seed: Annotated[int, typer.Option(help="Random seed: the same seed gives the same "
                                      "result, byte for byte.")] = 0,
    method: Annotated[str, typer.Option(
        help="lhs (Latin hypercube), mc (Monte Carlo), sobol (adds Sobol indices), "
        "exhaustive (every combination of discrete inputs, exact).")] = "lhs",
    concepts: Annotated[list[str] | None, typer.Option(
        "--concepts", "-c", help="Comma-separated or repeated: nash, gmr, smr, seq (default: "
        "all four; paths follow the headline concept, SEQ when listed).")] = None,
    target_se: Annotated[float | None, typer.Option(
        "--target-se", help="Stop once every standard error is at or below this "
        "(lhs, mc).")] = None,
    level: Annotated[float | None, typer.Option(
        help="The level a game's outcome probability is compared with (default: the "
        "scenario's uncertainty.level, else 0.5).")] = None,
    conflict_only: Annotated[bool, typer.Option(
        "--conflict-only", help="Leave out the scenario's games and negotiation forecasts.")]
        = False,
    dask: Annotated[str | None, typer.Option(
        "--dask", help="Run on the Dask scheduler at this address (tcp://host:8786).")]
        = None,
    resume: Annotated[str | None, typer.Option(
        "--resume", help="Continue an interrupted sweep from its --parquet output (same "
        "scenario and options).")] = None,
    processes: Annotated[int | None, typer.Option(
        "--processes", help="Run on this many local processes (0: all cores).")] = None,
    json_out: Annotated[str | None, typer.Option(
        "--json", help="Write the result with provenance to this file ('-': stdout).")] = None,
    parquet_out: Annotated[str | None, typer.Option(
        "--parquet", help="Write every sample (inputs and conclusions) as Parquet.")] = None,
    html_out: Annotated[str | None, typer.Option(
        "--html", help="Write a self-contained HTML report.")] = None,
    alpha: Annotated[float | None, typer.Option(
        "--alpha", help="Also report the stable states under probabilistic preferences "
        "(Rêgo & dos Santos 2015): a move improves when the actor prefers it with "
        "probability above alpha.")] = None,
    beta: Annotated[float | None, typer.Option(
        "--beta", help="With --alpha: a state sanctions when the actor prefers it with "
        "probability at most beta (default 1 - alpha).")] = None,
    gamma: Annotated[float | None, typer.Option(
        "--gamma", help="With --alpha: SEQ sanctions are moves the sanctioner prefers "
        "with probability above gamma (default alpha).")] = None,
    figures: Annotated[str | None, typer.Option(
        "--figures", help="Write the sensitivity charts of the uncertain conclusions (the "
        "one-at-a-time tornado; Sobol indices with --method sobol) into this folder.")]
        = None,
    fmt: Annotated[str, typer.Option(
        "--format", help="Figure format: svg, png, pdf, json (Vega-Lite) or html.")] = "svg",
    details: Annotated[bool, typer.Option(help="Show every uncertain conclusion.")] = False,
    force: Annotated[bool, typer.Option(help="Replace existing output files.")] = False,
    max_states: MaxStates = None,
) -> None:
    """How likely each conclusion is over the uncertain inputs, and which input decides it."""
    from crisislab.compare.sweep import sweep as run_sweep
    from crisislab.report.sweep_terminal import render_sweep

    if method not in METHOD_CHOICES:
        raise input_error(f"unknown sampling method {method!r}", value=method,
                          expected=", ".join(METHOD_CHOICES))
    chosen = parse_csv_option(concepts or "nash,gmr,smr,seq", CONCEPT_CHOICES, "concept") or []
    if dask is not None and processes is not None:
        raise input_error("--dask and --processes exclude each other", value=dask,
                          expected="one of them")
    if processes is not None and processes < 0:
        raise input_error("the number of processes cannot be negative", value=processes,
                          expected="0 (all cores) or more")
    if level is not None and not 0.0 <= level <= 1.0:
        raise input_error("the level is a probability", value=level, expected="a number in "
                          "[0, 1]")
    for name, value in (("--alpha", alpha), ("--beta", beta), ("--gamma", gamma)):
        if value is not None and not 0.0 <= value <= 1.0:
            raise input_error(f"{name} is a probability threshold", value=value,
                              expected="a number in [0, 1]")
    if alpha is None and (beta is not None or gamma is not None):
        raise input_error("--beta and --gamma go with --alpha", value=beta or gamma,
                          expected="--alpha as well, e.g. --alpha 0.8")
    ensure_outputs(json_out, parquet_out, html_out, force=force)
    if figures is not None:
        from crisislab.cli.saved import figure_suffix

        suffix = figure_suffix(fmt)
    scenario = load_scenario_or_exit(file, max_states=max_states)
    from crisislab.compare.views import refuse_bloc_policies

    refuse_bloc_policies(scenario, "the sweep")
    earlier = None
    if resume is not None:
        import pandas as pd

        try:
            earlier = pd.read_parquet(resume)
        except (OSError, ValueError) as exc:
            raise input_error(f"cannot read {resume} as Parquet ({exc})", value=resume,
                              expected="a file written by crisislab sweep --parquet") \
                from None
    quiet = json_out == "-"
    from rich.progress import Progress

    with Progress(console=err_console, transient=True, disable=quiet) as bar:
        job = bar.add_task("sweeping", total=None)

        def progress(done: int, total: int) -> None:
            bar.update(job, completed=done, total=total)

        result = run_sweep(scenario, samples=samples, seed=seed, method=method,
                           concepts=chosen, games=not conflict_only,
                           forecasts=not conflict_only, level=level,
                           target_se=target_se, progress=progress, resume=earlier,
                           alpha=alpha, beta=beta, gamma=gamma,
                           scheduler=dask if dask is not None else
                           (f"processes:{processes}" if processes is not None else None))
    if not quiet:
        render_sweep(result, console, details=details)
    if json_out is not None:
        write_atomic(json_out, result.to_json(), force=force)
        if not quiet:
            err_console.print(f"wrote {json_out}")
    if parquet_out is not None:
        write_atomic(parquet_out, result.parquet_bytes(), force=force)
        err_console.print(f"wrote {parquet_out}")
    if html_out is not None:
        from crisislab.report.sweep_html import render_sweep_html

        write_atomic(html_out, render_sweep_html(result), force=force)
        err_console.print(f"wrote {html_out}")
    if figures is not None:
        from crisislab.cli.saved import write_figures
        from crisislab.report.figures import sensitivity_figures

        write_figures([(f.name, f) for f in sensitivity_figures(result)], figures, suffix,
                      force=force)


def register(app: typer.Typer) -> None:
    """Add the ``sweep`` command to ``app``."""
    app.command("sweep")(sweep)
