"""A progress bar on stderr for long engine runs, fed by the engines' progress callbacks.

Engines never print: they accept ``progress(fraction, message)``.  The command
line passes :func:`progress_bar`'s callback, which draws a transient rich bar
on stderr (nothing when stderr is not a terminal, so pipes and JSON on stdout
stay clean).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from crisislab.cli.common import err_console

Callback = Callable[[float, str], None]


@contextmanager
def progress_bar(title: str) -> Iterator[Callback]:
    """``with progress_bar("coalitions") as cb: engine(..., progress=cb)``."""
    if not err_console.is_terminal:
        yield lambda fraction, message: None
        return
    columns = (TextColumn("[bold]{task.description}"), BarColumn(),
               TextColumn("{task.percentage:>3.0f}%"), TimeElapsedColumn(),
               TextColumn("{task.fields[note]}"))
    with Progress(*columns, console=err_console, transient=True) as bar:
        task = bar.add_task(title, total=1.0, note="")

        def update(fraction: float, message: str) -> None:
            bar.update(task, completed=max(0.0, min(1.0, fraction)), note=message)

        yield update
