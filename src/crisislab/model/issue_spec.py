"""The ``issues:`` section of a scenario: continuous issues to be bargained over.

An issue is a scale (or several scales bargained together, ``dimensions``) and,
for each stakeholder, a position on it, a salience (how much the stakeholder
cares, 0..``salience_max``) and a capability (clout, any positive unit).  The
stakeholders of an issue are the scenario's actors or *issue-only*
stakeholders declared in the issue itself (``stakeholders: [{id, name}]``):
parties that bargain over sanctions without being decision makers of the
ordinal conflict model (South Korea, Japan, Russia in ``korea-2017``).

Every number may carry its evidence (``source``/``quote``/``assumption`` or a
free ``note``), as everywhere else in a scenario.  Engines never see these
models: the bargaining engine's :func:`crisislab.bargaining.spec.issue_arrays`
turns an issue into plain arrays.  This module is pure data and imports no engine.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field, ValidationError, field_validator, model_validator

from crisislab.errors import InputError, Problem
from crisislab.model.evidence import ID_PATTERN, Evidence, Strict

OVERRIDABLE = ("position", "salience", "capability")


_Strict = Strict


class _Evidence(Evidence):
    note: str | None = Field(default=None, description="Free justification of the numbers.")


class ScalePoint(_Strict):
    """A notable point of a scale, with the words an analyst uses for it."""

    value: float
    label: str


class Scale(_Strict):
    """A bounded continuous scale with words for its ends."""

    min: float = 0.0
    max: float = 100.0
    min_label: str | None = None
    max_label: str | None = None
    unit: str | None = None
    points: list[ScalePoint] = Field(default_factory=list)

    @model_validator(mode="after")
    def _bounds(self) -> Scale:
        if not self.max > self.min:
            raise ValueError(f"scale max ({self.max}) must exceed min ({self.min})")
        for p in self.points:
            if not self.min <= p.value <= self.max:
                raise ValueError(f"scale point {p.label!r} ({p.value}) lies outside "
                                 f"[{self.min}, {self.max}]")
        return self


class Dimension(_Strict):
    """One scale of a multi-dimensional issue."""

    id: str = Field(pattern=ID_PATTERN)
    label: str
    scale: Scale = Field(default_factory=Scale)


class Stakeholder(_Evidence):
    """An issue-only stakeholder: bargains over this issue, is no scenario actor."""

    id: str = Field(pattern=ID_PATTERN)
    name: str


class ActorPosition(_Evidence):
    """One stakeholder on one issue.  Vectors for multi-dimensional issues."""

    position: float | list[float]
    salience: float | list[float]
    capability: float = Field(gt=0)

    @field_validator("salience")
    @classmethod
    def _salience_non_negative(cls, v: float | list[float]) -> float | list[float]:
        values = v if isinstance(v, list) else [v]
        if any(x < 0 for x in values):
            raise ValueError("salience must be non-negative")
        return v


class IssueSpec(_Evidence):
    """A continuous issue: its scale(s) and every stakeholder's position on it."""

    id: str = Field(pattern=ID_PATTERN)
    label: str
    description: str | None = None
    scale: Scale | None = Field(default=None, description="One-dimensional issues.")
    dimensions: list[Dimension] = Field(
        default_factory=list, description="Multi-dimensional issues: one scale each.")
    salience_max: float = Field(default=100.0, gt=0,
                                description="Salience of an actor who cares about nothing else.")
    status_quo: float | list[float] | None = Field(
        default=None, description="Today's position (the Nash bargaining disagreement point).")
    stakeholders: list[Stakeholder] = Field(default_factory=list)
    positions: dict[str, ActorPosition]

    @field_validator("positions")
    @classmethod
    def _canonical_order(cls, value: dict[str, ActorPosition]) -> dict[str, ActorPosition]:
        """Positions in actor-id order: a forecast must not depend on the order the file
        lists them in (floating-point sums do, in the last digits)."""
        return dict(sorted(value.items()))

    @model_validator(mode="after")
    def _consistent(self) -> IssueSpec:
        if self.scale is not None and self.dimensions:
            raise ValueError("give either 'scale' (one dimension) or 'dimensions', not both")
        if not self.positions:
            raise ValueError("an issue needs at least one actor position")
        scales = self.scales()
        nd = len(scales)
        for actor, p in self.positions.items():
            pos = _as_list(p.position)
            sal = _as_list(p.salience)
            if len(pos) != nd:
                raise ValueError(f"positions.{actor}.position has {len(pos)} values; "
                                 f"the issue has {nd} dimension(s)")
            if len(sal) != nd:
                raise ValueError(f"positions.{actor}.salience has {len(sal)} values; "
                                 f"the issue has {nd} dimension(s)")
            for x, sc in zip(pos, scales, strict=True):
                if not sc.min <= x <= sc.max:
                    raise ValueError(f"positions.{actor}.position {x} lies outside the scale "
                                     f"[{sc.min}, {sc.max}]")
            if sum(sal) > self.salience_max * (1 + 1e-9):
                raise ValueError(f"positions.{actor}.salience totals {sum(sal)}, above "
                                 f"salience_max {self.salience_max}")
        if self.status_quo is not None and len(_as_list(self.status_quo)) != nd:
            raise ValueError("status_quo must have one value per dimension")
        ids = [s.id for s in self.stakeholders]
        if len(set(ids)) != len(ids):
            raise ValueError("duplicate stakeholder id in 'stakeholders'")
        return self

    def scales(self) -> list[Scale]:
        if self.dimensions:
            return [d.scale for d in self.dimensions]
        return [self.scale if self.scale is not None else Scale()]

    def dimension_ids(self) -> list[str]:
        if self.dimensions:
            return [d.id for d in self.dimensions]
        return [self.id]

    def actor_ids(self) -> list[str]:
        return list(self.positions)

    def check_actors(self, scenario_actor_ids: list[str] | set[str],
                     file: str | None = None) -> list[Problem]:
        """Problems for stakeholders that are neither scenario actors nor declared here."""
        from crisislab.limits import current_limits

        known = set(scenario_actor_ids) | {s.id for s in self.stakeholders}
        problems = []
        limit = current_limits().max_stakeholders
        n = len(self.positions)
        if n > limit:
            cells = (n + 2) ** 3
            problems.append(Problem(
                f"issue {self.id!r} has {n:,} positions; the spatial models compare every "
                f"pair of positions for every actor, arrays of about {cells:,} numbers "
                f"({cells * 8 / 2**20:,.0f} MiB each), above the limit of {limit:,} positions",
                file=file, path=f"issues.{self.id}.positions", value=n,
                expected="fewer positions, or a higher limit (CRISISLAB_MAX_STAKEHOLDERS)"))
            return problems
        for actor in self.positions:
            if actor not in known:
                problems.append(Problem(
                    f"issue {self.id!r}: unknown actor {actor!r}", file=file,
                    path=f"issues.{self.id}.positions.{actor}", value=actor,
                    expected="a scenario actor id or a stakeholder declared in the issue's "
                             "'stakeholders' list"))
        clash = {s.id for s in self.stakeholders} & set(scenario_actor_ids)
        for sid in sorted(clash):
            problems.append(Problem(
                f"issue {self.id!r}: stakeholder {sid!r} is already a scenario actor",
                file=file, path=f"issues.{self.id}.stakeholders", value=sid,
                expected="issue-only stakeholders with ids distinct from the scenario's actors"))
        return problems


def _as_list(v: float | list[float]) -> list[float]:
    return [float(x) for x in v] if isinstance(v, list) else [float(v)]


def apply_issue_overrides(spec: IssueSpec,
                          overrides: dict[str, dict[str, Any]] | None) -> IssueSpec:
    """The issue as a lens sees it: positions, saliences or capabilities replaced.

    ``overrides`` maps actor id -> {field: value}; fields are ``position``,
    ``salience`` and ``capability``, and the evidence fields (``source``,
    ``quote``, ``assumption``, ``note``) that justify the change.
    """
    if not overrides:
        return spec
    positions = dict(spec.positions)
    problems: list[Problem] = []
    for actor, fields in overrides.items():
        if actor not in positions:
            problems.append(Problem(
                f"lens override for issue {spec.id!r} names actor {actor!r}, who holds no "
                "position on it", path=f"issues.{spec.id}.{actor}", value=actor,
                expected="one of " + ", ".join(sorted(positions))))
            continue
        unknown = set(fields) - set(OVERRIDABLE) - {"source", "quote", "assumption", "note"}
        if unknown:
            problems.append(Problem(
                f"lens override for {spec.id}.{actor} has unknown field(s)",
                path=f"issues.{spec.id}.{actor}", value=sorted(unknown),
                expected="position, salience, capability (with source/quote/assumption/note)"))
            continue
        merged = {**positions[actor].model_dump(exclude_none=True), **dict(fields)}
        try:
            positions[actor] = ActorPosition.model_validate(merged)
        except ValidationError as exc:
            for err in exc.errors():
                field = ".".join(str(k) for k in err["loc"])
                problems.append(Problem(
                    f"lens override for {spec.id}.{actor}: {err['msg']}",
                    path=f"issues.{spec.id}.{actor}" + (f".{field}" if field else ""),
                    value=err.get("input")))
    if problems:
        raise InputError(problems)
    data = spec.model_dump()
    data["positions"] = {a: p.model_dump() for a, p in positions.items()}
    try:
        return IssueSpec.model_validate(data)
    except Exception as exc:  # pydantic.ValidationError
        raise InputError([Problem(f"lens override makes issue {spec.id!r} invalid: {exc}",
                                  path=f"issues.{spec.id}")]) from exc
