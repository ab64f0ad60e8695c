"""The ``crisislab`` command.

``crisislab`` with no arguments analyses the built-in default scenario
(``korea-2017``).  Each engine's commands live in their own module with a
``register(app)`` function, so this file only assembles them.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

import typer

from crisislab._version import __version__
from crisislab.cli import analyze as analyze_cli
from crisislab.cli import conflict_extra as conflict_extra_cli
from crisislab.cli import diff as diff_cli
from crisislab.cli import estimate as estimate_cli
from crisislab.cli import forecast as forecast_cli
from crisislab.cli import games as games_cli
from crisislab.cli import saved as saved_cli
from crisislab.cli import serve as serve_cli
from crisislab.cli import sweep as sweep_cli
from crisislab.cli.common import (
    MaxStates,
    console,
    ensure_outputs,
    load_scenario_or_exit,
    user_errors,
    write_atomic,
)

if TYPE_CHECKING:
    from crisislab.model.scenario import Scenario

app = typer.Typer(
    name="crisislab",
    help="Strategic analysis of international crises: which outcomes are stable, under whose "
    "beliefs, and which assumption decides it.",
    no_args_is_help=False,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)


def _version(value: bool) -> None:
    if value:
        console.print(f"crisislab {__version__}")
        raise typer.Exit()


@app.callback(invoke_without_command=True)
def main(
    ctx: typer.Context,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Show the version and exit.")] = False,
) -> None:
    """Run with no command to analyse the built-in default scenario (korea-2017)."""
    if ctx.invoked_subcommand is None:
        from crisislab.cli.analyze import analyze

        ctx.invoke(analyze)


@app.command()
@user_errors
def validate(
    file: Annotated[str, typer.Argument(help="Scenario file (YAML or JSON) or built-in name.")],
    max_states: MaxStates = None,
) -> None:
    """Check a scenario file; report every problem with file, line and column."""
    scenario: Scenario = load_scenario_or_exit(file, max_states=max_states)
    from crisislab.model.states import state_space

    space = state_space(scenario)
    from rich.text import Text

    console.print(Text.assemble(("ok", "green"), f": {scenario.metadata.title} — "
                                f"{len(scenario.actors)} actors, {len(scenario.options)} "
                                f"options, {space.n} feasible states, "
                                f"{len(scenario.lenses)} lenses"),
                  highlight=False, soft_wrap=True)
    from crisislab.model.validate import scenario_warnings

    for warning in scenario_warnings(scenario, space):
        console.print(Text.assemble(("warning", "yellow"), f": {warning}"), highlight=False,
                      soft_wrap=True)
    if space.names_shadow_ordinals:
        console.print("note: graph states are named like ordinal ids of other states, so "
                      "crisislab shows and reads every state by its name (s1 is the state "
                      "named s1); see docs/reference/state-numbering.md", highlight=False,
                      soft_wrap=True)


@app.command()
@user_errors
def schema(
    output: Annotated[str | None, typer.Option(
        "--output", "-o", help="Write to this file instead of stdout.")] = None,
    force: Annotated[bool, typer.Option(help="Replace an existing output file.")] = False,
) -> None:
    """Print the JSON Schema of scenario files."""
    from crisislab.model.schema import scenario_schema

    ensure_outputs(output, force=force)

    text = json.dumps(scenario_schema(), indent=2, sort_keys=True) + "\n"
    if output is None:
        typer.echo(text, nl=False)
    else:
        write_atomic(output, text, force=force)
        console.print(f"wrote {output}")


@app.command()
def scenarios() -> None:
    """List the built-in scenarios."""
    from crisislab.model.io import builtin_names

    for name in builtin_names():
        console.print(name)


for _module in (analyze_cli, games_cli, forecast_cli, conflict_extra_cli, estimate_cli,
                saved_cli, diff_cli, serve_cli, sweep_cli):
    _module.register(app)


def run() -> None:
    """Console-script entry point.

    User errors exit with code 2 inside each command.  Anything else is a bug in
    crisislab: it is reported in one line (exit code 1) with a request to report
    it; ``CRISISLAB_DEBUG=1`` shows the traceback.
    """
    import os
    import sys

    from crisislab.cli.console import tolerate_any_encoding

    tolerate_any_encoding()
    try:
        app()
    except Exception as exc:  # a bug, not bad input
        if os.environ.get("CRISISLAB_DEBUG"):
            raise
        print(f"crisislab: internal error ({type(exc).__name__}: {exc}). This is a bug; "
              "please report it with the input that caused it (CRISISLAB_DEBUG=1 shows "
              "the traceback).", file=sys.stderr)
        sys.exit(1)
