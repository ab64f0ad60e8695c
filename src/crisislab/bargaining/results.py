"""Typed results of the negotiation models.

A :class:`Forecast` holds the predicted settlement of one issue under one
model and one lens, the round-by-round trajectory of every stakeholder's
position, who moved toward whom and why, and the provenance needed to
reproduce it.  ``to_pandas()`` gives the long table an analyst plots;
``to_json()`` is byte-identical for the same input and seed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from crisislab.provenance import Provenance, canonical_json

if TYPE_CHECKING:
    import pandas as pd


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class Move(_Frozen):
    """One stakeholder changing position in one round, and why."""

    actor: str
    toward: str | None = Field(description="The actor whose offer or bargain was taken.")
    kind: str = Field(description="conflict, compromise, capitulation (challenge model) or "
                                  "bargain (spatial model).")
    before: list[float]
    after: list[float]
    detail: dict[str, float] = Field(default_factory=dict,
                                     description="Expected utilities, probabilities.")


class Round(_Frozen):
    """The state after a round (round 0 is the input)."""

    round: int
    positions: dict[str, list[float]]
    median: list[float] = Field(description="Median voter (Condorcet) position.")
    mean: list[float] = Field(description="Capability x salience weighted mean position.")
    moves: list[Move] = Field(default_factory=list)
    extra: dict[str, Any] = Field(default_factory=dict,
                                  description="Model-specific per-round values.")


class Forecast(_Frozen):
    """Where one model expects one issue to settle."""

    issue: str
    model: str
    lens: str | None = None
    dimensions: list[str]
    actors: list[str]
    forecast: list[float] = Field(description="Predicted settlement, one value per dimension.")
    rounds: list[Round] = Field(default_factory=list,
                                description="Trajectory; empty for the one-shot models.")
    converged: bool = True
    stop_reason: str = "closed form"
    notes: list[str] = Field(default_factory=list)
    veto: list[str] = Field(
        default_factory=list,
        description="Stakeholders whose ideal equals the disagreement point (Nash bargaining): "
        "no settlement gives them a gain, so each alone blocks any bargain.")
    provenance: Provenance

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data (every field)."""
        return self.model_dump(mode="json")

    def __repr__(self) -> str:
        at = ", ".join(f"{d} {v:.1f}" for d, v in zip(self.dimensions, self.forecast,
                                                       strict=True))
        return (f"<Forecast {self.issue!r} by {self.model}"
                f"{f' under {self.lens}' if self.lens else ''}: settles at {at}>")

    def _repr_html_(self) -> str:
        from crisislab.display import html

        return html(self)

    def to_json(self) -> str:
        """Deterministic JSON (sorted keys)."""
        return canonical_json(self.to_dict())

    def to_pandas(self) -> pd.DataFrame:
        """Long table: one row per (round, actor, dimension) position."""
        import pandas as pd

        rows = []
        for r in self.rounds:
            moved = {m.actor: m for m in r.moves}
            for actor, pos in r.positions.items():
                m = moved.get(actor)
                for k, dim in enumerate(self.dimensions):
                    rows.append({"issue": self.issue, "model": self.model, "lens": self.lens,
                                 "round": r.round, "actor": actor, "dimension": dim,
                                 "position": pos[k], "median": r.median[k], "mean": r.mean[k],
                                 "move": m.kind if m else None,
                                 "toward": m.toward if m else None})
        if not rows:
            rows = [{"issue": self.issue, "model": self.model, "lens": self.lens,
                     "round": None, "actor": None, "dimension": dim, "position": None,
                     "median": None, "mean": None, "move": None, "toward": None,
                     "forecast": self.forecast[k]}
                    for k, dim in enumerate(self.dimensions)]
        return pd.DataFrame(rows)


class ForecastSet(_Frozen):
    """Forecasts of several issues, models and lenses side by side."""

    forecasts: list[Forecast]

    @property
    def provenance(self) -> Provenance:
        """The set's provenance: the forecasts' common scenario and version, every
        model and lens run (each forecast keeps its own, with its parameters)."""
        first = self.forecasts[0].provenance if self.forecasts else Provenance(method="")
        return Provenance(
            method="bargaining.forecast_set",
            parameters={"models": sorted({f.model for f in self.forecasts}),
                        "issues": sorted({f.issue for f in self.forecasts}),
                        "lenses": sorted({f.lens or "base" for f in self.forecasts})},
            scenario=first.scenario, seed=first.seed)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data: ``{"forecasts": [...]}`` (``to_json`` writes the bare list)."""
        return {"forecasts": [f.to_dict() for f in self.forecasts]}

    def to_json(self) -> str:
        """Deterministic JSON: the list of every forecast's data."""
        return canonical_json([f.to_dict() for f in self.forecasts])

    def __repr__(self) -> str:
        issues = sorted({f.issue for f in self.forecasts})
        models = sorted({f.model for f in self.forecasts})
        return (f"<ForecastSet {len(self.forecasts)} forecasts: issues {', '.join(issues)}; "
                f"models {', '.join(models)}>")

    def _repr_html_(self) -> str:
        from crisislab.display import html

        return html(self)

    def to_pandas(self) -> pd.DataFrame:
        """One row per (issue, lens, model, dimension) with the forecast."""
        import pandas as pd

        rows = [{"issue": f.issue, "lens": f.lens, "model": f.model, "dimension": d,
                 "forecast": f.forecast[k], "rounds": max(len(f.rounds) - 1, 0),
                 "converged": f.converged}
                for f in self.forecasts for k, d in enumerate(f.dimensions)]
        return pd.DataFrame(rows)
