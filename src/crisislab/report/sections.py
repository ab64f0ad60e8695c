"""Summaries of the other engines for the conflict report.

``crisislab analyze`` is the one command that shows a scenario whole: when the
scenario also declares negotiation issues (and games), their headline results
appear beside the conflict analysis.  This module turns those engines' results
into the plain dicts the HTML report and the terminal summary take.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from crisislab.bargaining.results import ForecastSet
from crisislab.model.lenses import game_views
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


CURVE_POINTS = 21


def _number(value: Any) -> float:
    return float(value["value"] if isinstance(value, dict) else value)


def summary_method(spec: Any) -> str:
    """The dependency-free solver for a game: closed form for templates, backward
    induction for perfect information, else the search over pure strategies.  The
    report's summary never depends on optional backends, so it is the same everywhere;
    ``crisislab solve`` offers Gambit's methods."""
    from crisislab.games.spec import compile_game

    compiled = compile_game(spec)
    if compiled.template is not None:
        return "closed_form"
    return "backward_induction" if compiled.tree.is_perfect_information() else "pure"


def game_results(scenario: Scenario) -> list[dict[str, Any]]:
    """Each game solved under the base case and every lens that changes it, with the
    curve of outcome probabilities against the parameter the lenses disagree on."""
    from crisislab.games.solve import solve_game
    from crisislab.games.thresholds import outcome_curve, parameter_range

    out = []
    for k, spec in enumerate(scenario.games):
        views = game_views(scenario, spec.id)
        method = summary_method(spec)
        solutions = [(lens, solve_game(spec, method, overrides=params or None, lens=lens,
                                       scenario=scenario.metadata.title, path=f"games[{k}]"))
                     for lens, params in views]
        # the parameter most views override (ties: by name), never the mapping's order
        counts = Counter(name for _l, params in views for name in params)
        contested = min(counts, key=lambda name: (-counts[name], name)) if counts else None
        curve = None
        if contested is not None:
            lo, hi = parameter_range(spec, contested)
            xs = [lo + (hi - lo) * i / (CURVE_POINTS - 1) for i in range(CURVE_POINTS)]
            curve = (contested, outcome_curve(spec, contested, xs, method=method),
                     [(view_name(scenario, lens), _number(params[contested]))
                      for lens, params in views if contested in params])
        out.append({"spec": spec, "solutions": solutions, "curve": curve})
    return out


def game_sections(scenario: Scenario, results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The HTML report's games sections (see :func:`crisislab.report.html.render_html`)."""
    sections = []
    for res in results:
        spec = res["spec"]
        rows = []
        for lens, sol in res["solutions"]:
            name = view_name(scenario, lens)
            if not sol.equilibria:
                rows.append({"label": name, "value": "no equilibrium found"})
                continue
            eq = sol.equilibria[0]
            probs = ", ".join(f"{o.replace('_', ' ')} {p:.0%}"
                              for o, p in sorted(eq.outcome_probabilities.items()) if p > 0)
            more = f" ({len(sol.equilibria)} equilibria; the first shown)" \
                if len(sol.equilibria) > 1 else ""
            rows.append({"label": name, "value": probs + more})
        curves = []
        if res["curve"] is not None:
            param, curve, marks = res["curve"]
            series = {o: [p.equilibria[0].get(o, 0.0) if p.equilibria else None
                          for p in curve.points] for o in curve.outcomes}
            curves.append({"parameter": param, "x": [p.value for p in curve.points],
                           "series": series,
                           "markers": [{"label": lab, "x": x} for lab, x in marks]})
        sections.append({"title": spec.label or spec.id, "summary_rows": rows,
                         "curves": curves})
    return sections
