"""What a game template provides: parameters, a tree builder and a closed-form solution."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from crisislab.games.solvers.assess import Candidate
from crisislab.games.tree import GameTree


@dataclass(frozen=True)
class ParameterInfo:
    """A template parameter: default, admissible range and meaning."""

    default: float
    description: str
    low: float = float("-inf")
    high: float = float("inf")
    integer: bool = False


@dataclass(frozen=True)
class ClosedForm:
    """Closed-form equilibria of a template at one parameter point.

    ``complete`` is True when the closed form lists every equilibrium of the
    class it characterises (stated in the template's docstring).
    """

    candidates: list[Candidate]
    complete: bool
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Template:
    """A published crisis model: how to build its tree and solve it in closed form."""

    name: str
    title: str
    source: str
    roles: tuple[str, ...]
    parameters: Mapping[str, ParameterInfo]
    build: Callable[[Mapping[str, float], Mapping[str, str]], GameTree]
    solve: Callable[[Mapping[str, float], GameTree, Mapping[str, str]], ClosedForm]
    check: Callable[[Mapping[str, float]], list[tuple[str, str]]]
    assumptions: tuple[str, ...] = ()

    def resolve(self, given: Mapping[str, float]) -> dict[str, float]:
        """Defaults overlaid with the given values (names are checked by the caller)."""
        out = {k: p.default for k, p in self.parameters.items()}
        out.update({k: float(v) for k, v in given.items()})
        return out
