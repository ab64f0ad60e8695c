"""A problem found in a scenario, located by its path in the document.

Checks (:mod:`crisislab.model.validate`, and the engines' checks of their own
sections) report :class:`RawProblem` with a path such as
``("preferences", "US", "prioritization", 2)``; the loader
(:mod:`crisislab.model.io`) maps each path back to a line and column.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from crisislab.errors import Problem

if TYPE_CHECKING:
    from crisislab.model.scenario import Scenario

PathKey = str | int
DocPath = tuple[PathKey, ...]


@dataclass(frozen=True)
class RawProblem:
    """A problem found in the data, located by its path in the document."""

    path: tuple[PathKey, ...]
    message: str
    value: Any = None
    expected: str | None = None
    offset: int | None = None  # character offset inside a string value (formulas)


SectionCheck = Callable[["Scenario"], list[tuple[DocPath, Problem]]]
"""An engine's check of its own section of a scenario (its games, say): every
problem with the document path it concerns.  The model cannot check these
sections itself (that needs the engine), so the loader is handed the checks."""
