"""Shared plumbing of the command-line interface: loading, errors, output.

Commands only present results: they parse options, load a scenario, call the
comparison layer (:mod:`crisislab.compare`, which calls the engines), and hand the
results to :mod:`crisislab.report`.  Command modules import that layer, pydantic
and numpy inside the commands, not at the top, so that ``crisislab --help``
and ``--version`` start fast.  Every user error (bad file, bad argument)
is a :class:`~crisislab.errors.CrisislabError`, printed without a traceback,
exit code 2.  Outputs are written atomically and never over an existing file
unless the user passes ``--force``.
"""

from __future__ import annotations

import contextlib
import functools
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from rich.text import Text

from crisislab.cli.console import SafeConsole
from crisislab.errors import CrisislabError, input_error

if TYPE_CHECKING:
    from crisislab.model.scenario import Scenario

console = SafeConsole()
err_console = SafeConsole(stderr=True)

F = TypeVar("F", bound=Callable[..., Any])

EXIT_USER_ERROR = 2


def fail(exc: CrisislabError) -> typer.Exit:
    """Print a user error (no traceback) and return the exit to raise."""
    err_console.print(Text.assemble(("error", "bold red"), f" ({len(exc.problems)} problem"
                      f"{'s' if len(exc.problems) != 1 else ''}):"), highlight=False)
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


TMP_MARK = ".crisislab-tmp-"
"""Temporary outputs are named ``.OUT.crisislab-tmp-PID``: visible to ``ls -a`` and
removed by the next run if the process that made them is gone."""


def ensure_writable(path: str | Path, *, force: bool = False) -> None:
    """Check an output path before any computation, so a long run does not end in an
    error: an existing file needs ``force``; a directory, a symbolic link, a missing or
    read-only folder are refused.  Also removes temporary files left by killed runs."""
    if str(path) == "-":
        return
    target = Path(path)
    if target.is_symlink():
        raise input_error(f"{target} is a symbolic link; not writing through it",
                          value=str(target), expected="a plain file name")
    if target.is_dir():
        raise input_error(f"{target} is a directory", value=str(target), expected="a file name")
    if target.exists() and not force:
        raise input_error(f"{target} already exists; not overwriting it", value=str(target),
                          expected="a new file name, or --force to replace it")
    parent = target.parent if str(target.parent) else Path(".")
    if not parent.is_dir():
        raise input_error(f"folder {parent} does not exist", value=str(parent),
                          expected="an existing folder")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise input_error(f"folder {parent} is not writable", value=str(parent),
                          expected="a folder you may write to")
    _remove_stale_temporaries(parent, target.name)


def _remove_stale_temporaries(folder: Path, name: str) -> None:
    for old in folder.glob(f".{glob_escape(name)}{TMP_MARK}*"):
        pid = old.name.rsplit("-", 1)[-1]
        if pid.isdigit() and not _alive(int(pid)):
            with contextlib.suppress(OSError):
                old.unlink()


def glob_escape(name: str) -> str:
    """``name`` with glob metacharacters bracketed, to match it literally."""
    return "".join(f"[{c}]" if c in "*?[" else c for c in name)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def write_atomic(path: str | Path, text: str | bytes, *, force: bool = False) -> Path:
    """Write ``text`` (or bytes) to ``path`` via a temporary file in the same folder,
    flushed to disk, then renamed over the target.

    An existing file is never replaced unless ``force`` is set; a reader never sees a
    half-written file; a symbolic link at ``path`` is refused, not followed; a full,
    read-only or missing target is an :class:`~crisislab.errors.InputError` (exit 2).
    """
    target = Path(path)
    if str(path) == "-":
        if isinstance(text, bytes):
            sys.stdout.buffer.write(text)
        else:
            _write_stdout(text)
        return target
    ensure_writable(target, force=force)
    parent = target.parent if str(target.parent) else Path(".")
    tmp = parent / f".{target.name}{TMP_MARK}{os.getpid()}"
    try:
        data = text.encode("utf-8") if isinstance(text, str) else text
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0),
                     0o666)  # the umask applies, as for any ordinary file
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        finally:
            if target.is_symlink():  # appeared meanwhile: still not written through
                raise input_error(f"{target} is a symbolic link; not writing through it",
                                  value=str(target), expected="a plain file name")
        os.replace(tmp, target)
    except UnicodeEncodeError as exc:
        _unlink_quietly(tmp)
        raise input_error(f"cannot write {target}: the text holds a character that is not "
                          f"valid Unicode ({exc.reason})", value=str(target)) from None
    except OSError as exc:
        _unlink_quietly(tmp)
        raise input_error(f"cannot write {target}: {exc.strerror or exc}", value=str(target),
                          expected="a folder with free space that you may write to") from None
    except BaseException:
        _unlink_quietly(tmp)
        raise
    return target


def _unlink_quietly(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()


def _write_stdout(text: str) -> None:
    """Text to stdout in its encoding; characters it cannot hold become '?'."""
    stream = sys.stdout
    encoding = getattr(stream, "encoding", None) or "utf-8"
    buffer = getattr(stream, "buffer", None)
    if buffer is not None and encoding.lower().replace("-", "") != "utf8":
        stream.flush()
        buffer.write(text.encode(encoding, errors="replace"))
        buffer.flush()
    else:
        stream.write(text)


@contextlib.contextmanager
def working(what: str) -> Iterator[None]:
    """A spinner with elapsed time on stderr while a long computation runs (shown on a
    terminal only; engines never print)."""
    if not err_console.is_terminal:
        yield
        return
    with err_console.status(f"{what}…"):
        yield


def ensure_outputs(*paths: str | None, force: bool = False) -> None:
    """:func:`ensure_writable` for every output a command was given, before any work."""
    for path in paths:
        if path is not None:
            ensure_writable(path, force=force)


def budget_option(value: int | None) -> int | None:
    """Typer callback of every size budget option: a positive integer or nothing
    (0 and negative values are refused, never read as 'the default')."""
    if value is not None and value <= 0:
        raise typer.BadParameter(f"{value} is not a positive integer; give a budget of at "
                                 "least 1 (leave the option out for the default)")
    return value


def parse_csv_option(value: str | Sequence[str] | None, allowed: list[str], what: str
                     ) -> list[str] | None:
    """Split a comma-separated option value, given once or repeated (``-c nash -c seq``
    is ``-c nash,seq``), and check every item; repeats are kept once, in order."""
    if value is None:
        return None
    joined = value if isinstance(value, str) else ",".join(value)
    items = list(dict.fromkeys(v.strip() for v in joined.split(",") if v.strip()))
    bad = [v for v in items if v not in allowed]
    if bad:
        raise input_error(f"unknown {what} {bad[0]!r}", value=bad[0],
                          expected=f"one or more of {', '.join(allowed)} "
                          "(comma-separated or repeated)")
    return items


def canonical_json(data: Any) -> str:
    """:func:`crisislab.provenance.canonical_json`, imported when first needed (pydantic)."""
    from crisislab.provenance import canonical_json as dump

    return dump(data)


MaxStates = Annotated[int | None, typer.Option(
    "--max-states", callback=budget_option, metavar="N",
    help="Largest raw option space (2^options) to enumerate (default 4,194,304 or "
    "CRISISLAB_MAX_STATES).")]
"""The state budget option shared by every command that builds the state space."""
