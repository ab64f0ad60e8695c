"""Summaries of the other engines for the conflict report.

``crisislab analyze`` is the one command that shows a scenario whole: when the
scenario also declares negotiation issues (and games), their headline results
appear beside the conflict analysis.  This module turns those engines' results
into the plain dicts the HTML report and the terminal summary take.
"""

from __future__ import annotations

from typing import Any

from crisislab.bargaining.results import ForecastSet
from crisislab.model.scenario import Scenario

HEADLINE_MODEL = "challenge"
TRAJECTORY_MODELS = ("challenge", "smp")


def view_name(scenario: Scenario, lens: str | None) -> str:
    if lens is None:
        return "Base case"
    return next((lz.name for lz in scenario.lenses if lz.id == lens), lens)


def forecast_sections(scenario: Scenario, forecasts: ForecastSet) -> list[dict[str, Any]]:
    """One section per issue dimension: every model's forecast in the base case, the
    headline model's forecast under each lens, and the round-by-round trajectories."""
    issues = {i.id: i for i in scenario.issues}
    out: list[dict[str, Any]] = []
    for issue_id, issue in issues.items():
        mine = [f for f in forecasts.forecasts if f.issue == issue_id]
        if not mine:
            continue
        for k, (dim, scale) in enumerate(zip(issue.dimension_ids(), issue.scales(),
                                             strict=True)):
            models = [{"name": f.model, "forecast": f.forecast[k]} for f in mine
                      if f.lens is None]
            models += [{"name": f"{f.model} · {view_name(scenario, f.lens)}",
                        "forecast": f.forecast[k]}
                       for f in mine if f.lens is not None and f.model == HEADLINE_MODEL]
            trajectories = {
                f.model: {a: [r.positions[a][k] for r in f.rounds] for a in f.actors}
                for f in mine if f.lens is None and f.model in TRAJECTORY_MODELS and f.rounds}
            label = issue.label if len(issue.dimension_ids()) == 1 else f"{issue.label}: {dim}"
            out.append({"issue": label,
                        "scale": {"min": scale.min, "max": scale.max,
                                  "min_label": scale.min_label or "",
                                  "max_label": scale.max_label or ""},
                        "models": models, "trajectories": trajectories})
    return out
