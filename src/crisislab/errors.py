"""User-facing errors.

Bad input must never end in a traceback.  Every problem found in a scenario is
a :class:`Problem` with the file, line and column, the offending value and what
was expected; a :class:`ScenarioError` carries one or more of them and the CLI
prints them and exits with code 2.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Problem:
    """One problem in an input file."""

    message: str
    file: str | None = None
    line: int | None = None  # 1-based
    column: int | None = None  # 1-based
    path: str | None = None  # e.g. "preferences.US.prioritization[2]"
    value: Any = None
    expected: str | None = None

    def location(self) -> str:
        """``file:line:column`` of the problem, as far as known."""
        parts = [self.file or "<input>"]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def render(self) -> str:
        """The problem as the command line prints it: location, message, path, value, expected."""
        text = f"{self.location()}: {self.message}"
        if self.path:
            text += f"\n    at: {self.path}"
        if self.value is not None:
            shown = repr(self.value)
            if len(shown) > 120:
                shown = shown[:117] + "..."
            text += f"\n    value: {shown}"
        if self.expected:
            text += f"\n    expected: {self.expected}"
        return text


@dataclass
class CrisislabError(Exception):
    """Base class of errors shown to the user without a traceback (exit code 2)."""

    problems: list[Problem] = field(default_factory=list)

    def __str__(self) -> str:
        return "\n".join(p.render() for p in self.problems)


class ScenarioError(CrisislabError):
    """The scenario file is invalid."""


class InputError(CrisislabError):
    """A command-line argument or auxiliary input file is invalid."""


def input_error(message: str, *, value: Any = None, expected: str | None = None,
                file: str | None = None, line: int | None = None,
                column: int | None = None) -> InputError:
    """Shorthand for a single-problem :class:`InputError`."""
    return InputError([Problem(message, file=file, line=line, column=column,
                               value=value, expected=expected)])
