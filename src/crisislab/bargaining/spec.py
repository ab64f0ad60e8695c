"""Compilation of the model's issues into the arrays the bargaining models use.

The issue models (:class:`IssueSpec`, :class:`Scale` ...) and
:func:`apply_issue_overrides` are model data in :mod:`crisislab.model.issue_spec`;
they are re-exported here so that older imports keep working.  Importing them
from this module is deprecated: import them from :mod:`crisislab.model.issue_spec`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from crisislab.model.issue_spec import (
    OVERRIDABLE,
    ActorPosition,
    Dimension,
    IssueSpec,
    Scale,
    ScalePoint,
    Stakeholder,
    _as_list,
    apply_issue_overrides,
)

__all__ = [
    "OVERRIDABLE",
    "ActorPosition",
    "Dimension",
    "IssueArrays",
    "IssueSpec",
    "Scale",
    "ScalePoint",
    "Stakeholder",
    "apply_issue_overrides",
    "arrays_to_issue",
    "issue_arrays",
]


@dataclass(frozen=True, eq=False)
class IssueArrays:
    """An issue as the engines see it: plain arrays, actors in declared order.

    Attributes:
        issue: issue id.
        actors: stakeholder ids.
        dimensions: dimension ids.
        positions: (n_actors, n_dims) in the issue's own units.
        salience: (n_actors, n_dims), divided by ``salience_max`` (0..1).
        capability: (n_actors,).
        lower, upper: (n_dims,) scale bounds.
        status_quo: (n_dims,) or None.
    """

    issue: str
    actors: tuple[str, ...]
    dimensions: tuple[str, ...]
    positions: np.ndarray
    salience: np.ndarray
    capability: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    status_quo: np.ndarray | None = None

    @property
    def n_actors(self) -> int:
        """Number of actors with a position on the issue."""
        return len(self.actors)

    @property
    def n_dims(self) -> int:
        """Number of dimensions of the issue."""
        return len(self.dimensions)

    def normalised(self) -> np.ndarray:
        """Positions mapped onto [0, 1] per dimension."""
        return (self.positions - self.lower) / (self.upper - self.lower)  # type: ignore[no-any-return]

    def denormalise(self, x: np.ndarray) -> np.ndarray:
        """Positions on the 0-1 scale back on the issue's own scale."""
        return self.lower + np.asarray(x) * (self.upper - self.lower)  # type: ignore[no-any-return]


def issue_arrays(spec: IssueSpec) -> IssueArrays:
    """Engine-facing arrays of an issue."""
    actors = tuple(spec.positions)
    pos = np.array([_as_list(spec.positions[a].position) for a in actors], dtype=float)
    sal = np.array([_as_list(spec.positions[a].salience) for a in actors],
                   dtype=float) / spec.salience_max
    cap = np.array([spec.positions[a].capability for a in actors], dtype=float)
    scales = spec.scales()
    sq = None if spec.status_quo is None else np.array(_as_list(spec.status_quo))
    return IssueArrays(
        issue=spec.id, actors=actors, dimensions=tuple(spec.dimension_ids()),
        positions=pos, salience=sal, capability=cap,
        lower=np.array([s.min for s in scales]), upper=np.array([s.max for s in scales]),
        status_quo=sq)


def arrays_to_issue(arrays: IssueArrays, *, label: str | None = None,
                    salience_max: float = 100.0) -> IssueSpec:
    """The inverse of :func:`issue_arrays` (tests, generated cases, imports)."""
    nd = arrays.n_dims

    def vec(row: np.ndarray) -> float | list[float]:
        return float(row[0]) if nd == 1 else [float(x) for x in row]

    positions = {a: {"position": vec(arrays.positions[i]),
                     "salience": vec(arrays.salience[i] * salience_max),
                     "capability": float(arrays.capability[i])}
                 for i, a in enumerate(arrays.actors)}
    data: dict[str, Any] = {"id": arrays.issue, "label": label or arrays.issue,
                            "salience_max": salience_max, "positions": positions}
    if nd == 1:
        data["scale"] = {"min": float(arrays.lower[0]), "max": float(arrays.upper[0])}
    else:
        data["dimensions"] = [{"id": d, "label": d,
                               "scale": {"min": float(arrays.lower[k]),
                                         "max": float(arrays.upper[k])}}
                              for k, d in enumerate(arrays.dimensions)]
    if arrays.status_quo is not None:
        data["status_quo"] = vec(arrays.status_quo)
    return IssueSpec.model_validate(data)
