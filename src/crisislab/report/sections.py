"""Sections of the reports built from a :class:`ScenarioAnalysis` (rendering only).

The headline table (policies as rows, views as columns), the games' equilibria and
curves, and the negotiation forecasts, as the plain dicts the HTML report and the
terminal summary take.  Nothing here calls an engine: every figure is read from the
analysis.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from crisislab.compare.scenario_analysis import GameOutcome, PolicyHypergame, ScenarioAnalysis
from crisislab.compare.summary import game_text, headline_outcomes, percent
from crisislab.provenance import fixed

HEADLINE_MODEL = "challenge"
TRAJECTORY_MODELS = ("challenge", "smp")


def forecast_text(sa: ScenarioAnalysis, view: str) -> str:
    """The headline model's forecast of every issue under a view (base when the view
    does not change the issues)."""
    values = [f for f in sa.forecasts if f.model == HEADLINE_MODEL and f.view == view] or \
        [f for f in sa.forecasts if f.model == HEADLINE_MODEL and f.view == "base"]
    return "; ".join(f"{f.label} {f.value:.0f}" for f in values)


def policy_table(sa: ScenarioAnalysis) -> dict[str, Any]:
    """Headline table: one row per policy, one column per view."""
    rows = []
    for p in sa.policies:
        cells = []
        for v in sa.views:
            c = sa.cell(p.id, v.id)
            cells.append({
                "ends": [{"label": e.label, "ref": e.ref, "outcome": e.outcome,
                          "steps": [{"actor": s.actor, "to": f"s{s.target + 1}"}
                                    for s in e.path]} for e in c.ends],
                "games": [game_text(g) for g in c.games],
                "games_short": [game_text(g, short=True) for g in c.games],
                "game_titles": [g.title for g in c.games],
                "unchanged_games": [g.title for g in c.games
                                    if p.id != "status_quo" and not g.applies],
                "forecast": forecast_text(sa, v.id),
                "same": c.differs_from_status_quo is False,
                "why": c.why})
        rows.append({"id": p.id, "label": p.label, "kind": p.kind,
                     "start": f"s{p.start + 1}",
                     "commit": ", ".join(f"{k}={'yes' if val else 'no'}" for k, val in p.commit),
                     "coalitions": p.coalition_text(),
                     "cells": cells})
    return {"views": [{"id": v.id, "name": v.name} for v in sa.views], "rows": rows,
            "concept": sa.cells[0].concept if sa.cells else None,
            "rule": sa.cells[0].rule if sa.cells else None}


def equilibrium_text(g: GameOutcome, k: int) -> str:
    """One equilibrium's outcome probabilities in words; numbered, and the selected one marked,
    only when the game has several."""
    probs = ", ".join(f"{o.replace('_', ' ')} {percent(p)}" for o, p in g.equilibria[k]
                      if p > 0)
    if len(g.equilibria) == 1:
        return probs
    mark = " (selected)" if g.selected == k else ""
    return f"equilibrium {k + 1}: {probs}{mark}"


def game_sections(sa: ScenarioAnalysis) -> list[dict[str, Any]]:
    """One section per game: every equilibrium under every policy and view, and one
    outcome curve per view (every other parameter at that view's values)."""
    sections = []
    for spec in sa.scenario.games:
        rows = []
        unchanged = []
        for p in sa.policies:
            games = [(v, next((g for g in sa.cell(p.id, v.id).games if g.game == spec.id),
                              None)) for v in sa.views]
            if p.id != "status_quo" and not any(g is not None and g.applies
                                                for _v, g in games):
                unchanged.append(p.label)
                continue
            for v, g in games:
                if g is None:
                    continue
                label = f"{p.label} · {v.name}"
                if not g.equilibria:
                    rows.append({"label": label, "value": "no equilibrium found"})
                    continue
                search = "search complete" if g.complete else "search not complete"
                rule = f"; selected by {g.selection_rule}" if g.selected is not None \
                    and g.selection_rule and len(g.equilibria) > 1 else ""
                eqs = "; ".join(equilibrium_text(g, k) for k in range(len(g.equilibria)))
                rows.append({"label": label,
                             "value": f"{eqs} ({len(g.equilibria)} found, {search}{rule})"})
        if unchanged:
            rows.append({"label": ", ".join(unchanged),
                         "value": "the game has no setting for this policy: solved unchanged, "
                                  "as under the status quo"})
        curves = [c for c in sa.curves if c.game == spec.id]
        charts = []
        if curves:
            shown = headline_outcomes(next(g for g in sa.games if g.game == spec.id)) \
                if sa.games else []
            series: dict[str, list[float | None]] = {}
            markers = []
            for c in curves:
                for o, vals in c.series:
                    if o in shown or not shown:
                        series[f"{o.replace('_', ' ')} · {c.view_name}"] = list(vals)
                if c.marker is not None:
                    markers.append({"label": c.view_name, "x": c.marker})
            charts.append({"parameter": curves[0].parameter, "x": list(curves[0].x),
                           "series": series, "markers": markers,
                           "title": f"Outcome probabilities against {curves[0].parameter}, "
                                    "one curve per view (first equilibrium found)"})
        for qc in (c for c in sa.qre_curves if c.game == spec.id):
            charts.append({"kind": "qre", "parameter": "lambda", "x": list(qc.lam),
                           "series": {o.replace("_", " "): list(v) for o, v in qc.series},
                           "markers": [],
                           # lambda = 0 is uniform play; as it grows the branch tends
                           # to the equilibrium the logit QRE limit selects
                           "title": f"{qc.link.capitalize()} QRE branch, {qc.view_name}: "
                                    "outcomes against precision lambda"})
        sections.append({"title": spec.label or spec.id, "summary_rows": rows,
                         "curves": charts})
    return sections


def forecast_sections(sa: ScenarioAnalysis) -> list[dict[str, Any]]:
    """One section per issue dimension: every model in the base case, the headline model
    under each view that changes the issue, and the models' round-by-round trajectories."""
    out: list[dict[str, Any]] = []
    labels = list(dict.fromkeys((f.issue, f.dimension, f.label) for f in sa.forecasts))
    names = {v.id: v.name for v in sa.views}
    for issue, dim, label in labels:
        mine = [f for f in sa.forecasts if f.issue == issue and f.dimension == dim]
        models = [{"name": f.model, "forecast": f.value} for f in mine if f.view == "base"]
        vetoes = sorted({a for f in mine if f.view == "base" for a in f.veto})
        if vetoes:
            label += f" ({', '.join(vetoes)}: ideal at the status quo, a Nash veto)"
        models += [{"name": f"{f.model} · {names.get(f.view, f.view)}", "forecast": f.value}
                   for f in mine if f.view != "base" and f.model == HEADLINE_MODEL]
        trajectories: dict[str, dict[str, list[float]]] = {}
        if sa.forecast_set is not None:
            for fc in sa.forecast_set.forecasts:
                if fc.issue == issue and fc.lens is None and fc.model in TRAJECTORY_MODELS \
                        and fc.rounds and dim in fc.dimensions:
                    k = fc.dimensions.index(dim)
                    # at the saved JSON's precision: a loaded analysis draws the same
                    trajectories[fc.model] = {a: [fixed(r.positions[a][k]) for r in fc.rounds]
                                              for a in fc.actors}
        f0 = mine[0]
        out.append({"issue": label, "id": issue, "dimension": dim,
                    "scale": {"min": f0.scale[0], "max": f0.scale[1],
                              "min_label": f0.scale_labels[0], "max_label": f0.scale_labels[1]},
                    "models": models, "trajectories": trajectories})
    return out


def outcome_groups_text(states: Sequence[int],
                        groups: Sequence[tuple[str, Sequence[int]]], shown: int | None = 6,
                        empty: str = "none", sep: str = "; ") -> str:
    """States by named outcome first ("Stalemate (24 states: s23, s29, ...); War (s173,
    s174)"), the first ``shown`` state ids of each (None: all); the bare ids without
    ``groups``."""
    def refs(members: Sequence[int]) -> str:
        cut = len(members) if shown is None else shown
        ids = ", ".join(f"s{e + 1}" for e in list(members)[:cut])
        return ids + (", …" if len(members) > cut else "")

    if not states:
        return empty
    if not groups:
        return refs(states)
    return sep.join(f"{label} ({len(members)} states: {refs(members)})" if len(members) > 1
                    else f"{label} ({refs(members)})" for label, members in groups)


def policy_hypergame_text(h: PolicyHypergame, shown: int = 6) -> str:
    """A policy's hypergame equilibria by named outcome first."""
    return outcome_groups_text(h.equilibria, h.by_outcome, shown)


def held_policy_hypergames(sa: ScenarioAnalysis) -> list[tuple[str, str]]:
    """(policy label, equilibria in words) for each policy that holds a commitment (the
    others' hypergame is the status quo's)."""
    held = {p.id for p in sa.policies if p.commit}
    return [(sa.policy_label(h.policy), policy_hypergame_text(h)) for h in sa.hypergames
            if h.policy in held]
