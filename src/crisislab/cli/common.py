"""Shared plumbing of the command-line interface: loading, errors, output.

Commands only present results: they load a scenario, call engines, and hand the
results to :mod:`crisislab.report`.  Command modules import engines, pydantic
and numpy inside the commands, not at the top, so that ``crisislab --help``
and ``--version`` start fast.  Every user error (bad file, bad argument)
is a :class:`~crisislab.errors.CrisislabError`, printed without a traceback,
exit code 2.  Outputs are written atomically and never over an existing file
unless the user passes ``--force``.
"""

from __future__ import annotations

import functools
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import typer
from rich.console import Console

from crisislab.errors import CrisislabError, input_error

if TYPE_CHECKING:
    from crisislab.model.scenario import Scenario

console = Console()
err_console = Console(stderr=True)

F = TypeVar("F", bound=Callable[..., Any])

EXIT_USER_ERROR = 2


def fail(exc: CrisislabError) -> typer.Exit:
    """Print a user error (no traceback) and return the exit to raise."""
    err_console.print(f"[bold red]error[/bold red] ({len(exc.problems)} problem"
                      f"{'s' if len(exc.problems) != 1 else ''}):", highlight=False)
    for p in exc.problems:
        err_console.print(p.render(), highlight=False, markup=False, soft_wrap=True)
    return typer.Exit(EXIT_USER_ERROR)


def user_errors(func: F) -> F:
    """Turn crisislab errors raised by a command into a clean message and exit 2."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except CrisislabError as exc:
            raise fail(exc) from None
        except KeyboardInterrupt:
            err_console.print("interrupted")
            raise typer.Exit(130) from None

    return wrapper  # type: ignore[return-value]


def load_scenario_or_exit(path: str | None, *, max_states: int | None = None) -> Scenario:
    """Load a scenario file or built-in (None: the default); errors exit with code 2."""
    from crisislab.formats.scenario import load

    try:
        return load(path, max_states=max_states)
    except CrisislabError as exc:
        raise fail(exc) from None


def ensure_writable(path: str | Path, *, force: bool = False) -> None:
    """Refuse up front to replace an existing file without ``force`` (so a long run
    does not end in that error)."""
    if str(path) != "-" and Path(path).exists() and not force:
        raise input_error(f"{path} already exists; not overwriting it", value=str(path),
                          expected="a new file name, or --force to replace it")


def write_atomic(path: str | Path, text: str | bytes, *, force: bool = False) -> Path:
    """Write ``text`` (or bytes) to ``path`` via a temporary file and rename.

    An existing file is never replaced unless ``force`` is set; a reader never
    sees a half-written file.
    """
    target = Path(path)
    if str(path) == "-":
        if isinstance(text, bytes):
            sys.stdout.buffer.write(text)
        else:
            sys.stdout.write(text)
        return target
    ensure_writable(target, force=force)
    if target.exists() and target.is_dir():
        raise input_error(f"{target} is a directory", value=str(target), expected="a file name")
    parent = target.parent if str(target.parent) else Path(".")
    if not parent.exists():
        raise input_error(f"folder {parent} does not exist", value=str(parent),
                          expected="an existing folder")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=parent)
    try:
        if isinstance(text, bytes):
            with os.fdopen(fd, "wb") as bfh:
                bfh.write(text)
        else:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp creates 0600; outputs are ordinary files
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return target


def parse_csv_option(value: str | None, allowed: list[str], what: str) -> list[str] | None:
    """Split a comma-separated option value and check every item."""
    if value is None:
        return None
    items = [v.strip() for v in value.split(",") if v.strip()]
    bad = [v for v in items if v not in allowed]
    if bad:
        raise input_error(f"unknown {what} {bad[0]!r}", value=bad[0],
                          expected=f"one or more of {', '.join(allowed)} (comma-separated)")
    return items


def canonical_json(data: Any) -> str:
    """:func:`crisislab.provenance.canonical_json`, imported when first needed (pydantic)."""
    from crisislab.provenance import canonical_json as dump

    return dump(data)
