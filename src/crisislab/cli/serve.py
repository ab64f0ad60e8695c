"""``crisislab serve``: the local web app (see :mod:`crisislab.app`)."""

from __future__ import annotations

from typing import Annotated

import typer

from crisislab.cli.common import user_errors
from crisislab.errors import input_error

LOOPBACK = ("127.0.0.1", "localhost", "::1")


@user_errors
def serve(
    file: Annotated[str | None, typer.Argument(
        help="Scenario file inside the working directory, or a built-in name; "
        "default: korea-2017.")] = None,
    host: Annotated[str, typer.Option(
        help="Address to bind.  The default serves this machine only; another address "
        "exposes the app (and every scenario opened in it) to the network.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8765,
    no_browser: Annotated[bool, typer.Option(
        "--no-browser", help="Do not open a browser window.")] = False,
    workers: Annotated[int, typer.Option(
        help="Analyses run at the same time (the rest wait, at most 64).")] = 2,
) -> None:
    """Explore a scenario in the browser: edit it with validation as you type, run the
    analysis, move beliefs and see which conclusions flip; download the results."""
    if not 0 < port < 65536:
        raise input_error("port out of range", value=port, expected="1 to 65535")
    if not 1 <= workers <= 16:
        raise input_error("workers out of range", value=workers, expected="1 to 16")
    from crisislab.app import initial_scenario
    from crisislab.app import serve as run_app

    initial_scenario(file)  # a bad FILE is reported before the server starts
    if host not in LOOPBACK:
        typer.echo(f"warning: binding {host}: anyone who can reach this address can use "
                   "the app", err=True)
    run_app(file, host=host, port=port, open_browser=not no_browser, workers=workers)


def register(app: typer.Typer) -> None:
    """Add ``serve`` to the crisislab command line."""
    app.command(name="serve")(serve)
