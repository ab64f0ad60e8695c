"""The analysis as plain data: the JSON output and the HTML report's input.

One function turns a :class:`~crisislab.compare.analysis.ConflictAnalysis`
into nested dicts and lists of JSON types with deterministic order, so that
``--json`` is byte-identical for the same scenario and options, and the HTML
report renders exactly what the JSON holds.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import TYPE_CHECKING, Any

import numpy as np

from crisislab.compare.analysis import CONCEPT_NAMES, ConflictAnalysis, Crux, headline
from crisislab.compare.cruxes import Assumption, statement_of
from crisislab.compare.explain import question, side
from crisislab.model.describe import state_by_actor
from crisislab.model.numbering import numbering_note, ordinal_ids
from crisislab.model.scenario import Scenario
from crisislab.provenance import fixed

if TYPE_CHECKING:
    from crisislab.compare.scenario_analysis import GameOutcome, ScenarioAnalysis

ANALYSIS_FORMAT = "crisislab.scenario-analysis/1"
"""Marks a saved analysis (``crisislab analyze --json``), which
:func:`crisislab.load_analysis` reads back; the scenario itself is saved in full under
``scenario_source`` so the loaded objects are the typed ones."""


def headline_concept(analysis: ConflictAnalysis) -> str:
    """The concept the summary leads with: SEQ when computed (credible sanctions)."""
    return headline(analysis.concepts)


def _evidence(item: Any) -> dict[str, Any]:
    return {k: getattr(item, k) for k in ("source", "quote", "assumption")
            if getattr(item, k, None)}


def scenario_dict(scenario: Scenario) -> dict[str, Any]:
    """The scenario's metadata, actors, options and constraints as JSON-ready data."""
    md = scenario.metadata
    return {
        "title": md.title,
        "description": md.description,
        "date": md.date,
        "sources": [s.model_dump(exclude_none=True) for s in md.sources],
        "actors": [{"id": a.id, "name": a.name, **_evidence(a)} for a in scenario.actors],
        "options": [{"id": o.id, "label": o.label, "owner": o.owner,
                     "reversibility": o.reversibility, **_evidence(o)}
                    for o in scenario.options],
        "constraints": [{"text": c.formula or next(
            f"{h}({', '.join(getattr(c, h))})" for h in
            ("mutually_exclusive", "at_least_one", "exactly_one") if getattr(c, h)),
            "label": c.label, **_evidence(c)} for c in scenario.constraints()],
        "preferences": {
            actor: ([{"id": st.id, "formula": st.formula, "question": st.question,
                      **_evidence(st)} for st in pref.statements()]
                    if pref.prioritization is not None else {"form": "ranking" if pref.ranking
                                                             is not None else "scores"})
            for actor, pref in sorted(scenario.preferences.items())},
        "lenses": [{"id": lens.id, "name": lens.name, "kind": lens.kind, "holder": lens.holder,
                    "description": lens.description,
                    "unperceived": lens.model_dump(mode="json")["unperceived"],
                    "overrides": [{"id": ov.id, "actor": ov.actor, "statement": ov.statement,
                                   "formula": ov.formula, "remove": ov.remove,
                                   "question": ov.question, "answer": ov.answer,
                                   **_evidence(ov)} for ov in lens.overrides]}
                   for lens in scenario.lenses],
    }


def _path_dict(path: list[tuple[int, int, int]], actors: tuple[str, ...]) -> list[dict[str, Any]]:
    return [{"actor": actors[a], "from": f + 1, "to": t + 1} for a, f, t in path]


def _value(value: Hashable) -> bool | list[int] | list[str]:
    """A conclusion's value as JSON: a bool, the sorted states (ordinal ids) a path
    reaches, or the sorted outcome or policy ids."""
    if isinstance(value, bool):
        return value
    assert isinstance(value, frozenset)
    if all(isinstance(v, str) for v in value):
        return sorted(str(v) for v in value)
    return sorted(int(v) + 1 for v in value)


def _side_dict(scenario: Scenario, assumption: Assumption, which: str, view: str) \
        -> dict[str, Any]:
    """One view's answer to an assumption, with its evidence (absent override: base case)."""
    s = side(scenario, assumption, which, view)
    ovs = assumption.a if which == "a" else assumption.b
    item: Any = ovs[-1] if ovs else statement_of(scenario, assumption.actor,
                                                 assumption.statement)
    return {"view": s.view, "answer": s.answer, "formula": s.formula, "evidence": s.evidence,
            "quote": getattr(item, "quote", None), "assumption": getattr(item, "assumption", None),
            "source": getattr(item, "source", None), "base_case": not ovs}


def crux_dict(analysis: ConflictAnalysis, crux: Crux) -> dict[str, Any]:
    """One crux as JSON-ready data: the conclusion, the views and the assumptions."""
    c = crux.conclusion
    value_a = _value(crux.value_a)
    value_b = _value(crux.value_b)
    names = {vr.view.id: vr.view.name for vr in analysis.views}
    return {
        "conclusion": {"kind": c.kind, "concept": c.concept,
                       "state": None if c.state is None else c.state + 1, "start": c.start,
                       "actor": c.actor,
                       "text": crux.text},
        "views": [crux.view_a, crux.view_b],
        "values": {crux.view_a: value_a, crux.view_b: value_b},
        "assumptions": [{"actor": a.actor, "statement": a.statement,
                         "question": question(analysis.scenario, a),
                         "sides": {crux.view_a: _side_dict(analysis.scenario, a, "a",
                                                           names[crux.view_a]),
                                   crux.view_b: _side_dict(analysis.scenario, a, "b",
                                                           names[crux.view_b])},
                         "a": [ov.model_dump(exclude_none=True) for ov in a.a],
                         "b": [ov.model_dump(exclude_none=True) for ov in a.b]}
                        for a in crux.assumptions],
        "minimal_sets": [list(s) for s in crux.sets],
        "exhaustive": crux.exhaustive,
        "sentences": list(crux.sentences),
    }


def analysis_dict(analysis: ConflictAnalysis) -> dict[str, Any]:
    """Everything in the analysis, as JSON-ready data."""
    sc = analysis.scenario
    space = analysis.model.space
    graph = analysis.model.graph
    actors = space.actors
    states = [{"id": f"s{space.ordinal(s)}", "ordinal": space.ordinal(s),
               "name": space.names[s] if space.names is not None else None,
               "code": int(space.codes[s]), "pattern": space.pattern(s),
               "words": analysis.describe(s), "by_actor": state_by_actor(sc, space, s),
               "outcome": (sc.outcomes[int(analysis.model.outcome_of[s])].id
                           if analysis.model.outcome_of[s] >= 0 else None)}
              for s in range(space.n)]
    moves = {}
    for i, a in enumerate(actors):
        m = graph.moves[i].tocoo()
        pairs = sorted(zip(m.row.tolist(), m.col.tolist(), strict=True))
        moves[a] = [[int(f) + 1, int(t) + 1] for f, t in pairs]
    starts = [{"id": sid, "label": label, "state": st + 1}
              for sid, label, st in analysis.model.start_states()]
    views = []
    for vr in analysis.views:
        v = vr.view
        views.append({
            "id": v.id, "name": v.name, "kind": v.kind, "holder": v.holder,
            "description": v.lens.description if v.lens else None,
            "stable": {c: {a: ordinal_ids(np.flatnonzero(vr.stable[c][i]))
                           for i, a in enumerate(actors)} for c in analysis.concepts},
            "equilibria": {c: ordinal_ids(vr.equilibria(c)) for c in analysis.concepts},
            "paths": {sid: {c: [{"equilibrium": int(e) + 1, "path": _path_dict(p, actors)}
                                for e, p in sorted(vr.paths[sid][c].items())]
                            for c in analysis.concepts} for sid in vr.paths
                      if sid not in vr.movers},
            # starts whose policy holds a coalition structure: blocs move, so their
            # steps are not moves of one actor's graph
            "bloc_paths": {sid: {c: [{"equilibrium": int(e) + 1,
                                      "path": _path_dict(p, vr.movers[sid])}
                                     for e, p in sorted(vr.paths[sid][c].items())]
                                 for c in analysis.concepts} for sid in vr.movers},
            "bloc_stable": {sid: {c: {lab: ordinal_ids(np.flatnonzero(
                vr.bloc_stability(sid, c)[b])) for b, lab in enumerate(vr.movers[sid])}
                for c in analysis.concepts} for sid in vr.movers},
            "payoffs": {a: vr.graph.payoffs[i].tolist()
                        for i, a in enumerate(actors)},
        })
    hyper = None
    if analysis.hypergame is not None:
        hg = analysis.hypergame
        sl = analysis.second_level
        misperceived = {c: reading.misperception for c in hg.concepts
                        if (reading := analysis.hypergame_reading(c)) is not None}
        hyper = {
            "first_level": {c: {"stable": {a: ordinal_ids(np.flatnonzero(hg.stable[c][i]))
                                           for i, a in enumerate(actors)},
                                "equilibria": ordinal_ids(hg.equilibria(c)),
                                "misperception": ordinal_ids(misperceived[c])}
                            for c in hg.concepts},
            "second_level": None if sl is None else {
                c: {"expected_by": {a: ordinal_ids(sl.expected_equilibria(c, i))
                                    for i, a in enumerate(actors)},
                    "equilibria": ordinal_ids(sl.equilibria(c))} for c in sl.concepts},
        }
    return {
        "provenance": analysis.provenance.model_dump(),
        "scenario": scenario_dict(sc),
        "concepts": list(analysis.concepts),
        "concept_names": {c: CONCEPT_NAMES.get(c, c) for c in analysis.concepts},
        "headline_concept": headline_concept(analysis),
        "mode": analysis.mode,
        "numbering": numbering_note(space),
        "actors": list(actors),
        "states": states,
        "moves": moves,
        "starts": starts,
        "views": views,
        "hypergame": hyper,
        "cruxes": [crux_dict(analysis, c) for c in analysis.cruxes],
        "crux_groups": [{"concept": g.concept, "views": [g.view_a, g.view_b],
                         "sets": [list(x) for x in g.sets], "members": list(g.members)}
                        for g in analysis.crux_groups()],
        "what_if": [{"holder": w.holder, "actor": w.actor, "change": w.change,
                     "concept": w.concept, "new_equilibria": ordinal_ids(w.new_equilibria),
                     "lost_equilibria": ordinal_ids(w.lost_equilibria)} for w in analysis.what_if],
        "coalitions": [c.to_dict() if hasattr(c, "to_dict") else c for c in analysis.coalitions],
    }


def _round(x: float | None) -> float | None:
    return None if x is None else fixed(x)


def _game_dict(g: GameOutcome) -> dict[str, Any]:
    return {
        "game": g.game, "title": g.title, "policy": g.policy, "view": g.view,
        "policy_applies": g.applies,
        "parameters": {k: fixed(v) for k, v in g.parameters},
        "committed_actions": dict(g.actions), "method": g.method,
        "complete": g.complete,
        "equilibria": [{o: fixed(p) for o, p in eq} for eq in g.equilibria],
        "ranges": {o: [fixed(r[0]), fixed(r[1])] for o in g.outcomes()
                   if (r := g.probability_range(o)) is not None},
        "selected": g.selected, "selection_rule": g.selection_rule,
        "provenance": g.solution.provenance.model_dump(mode="json"),
        "solution": fixed_floats(g.solution.model_dump(mode="json")),
    }


def fixed_floats(data: Any) -> Any:
    """``data`` with every float rounded by :func:`~crisislab.provenance.fixed` (the
    JSON's precision), so saved results are byte-identical across platforms."""
    if isinstance(data, float):
        return fixed(data)
    if isinstance(data, dict):
        return {k: fixed_floats(v) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return [fixed_floats(v) for v in data]
    return data


def scenario_analysis_dict(sa: ScenarioAnalysis) -> dict[str, Any]:
    """The whole :class:`ScenarioAnalysis` as JSON-ready data: the conflict analysis's
    keys (views, cruxes, ...; see :func:`analysis_dict`) plus the policy x view cells,
    games, forecasts, comparisons and summary.  States appear as ordinal ids: numbers
    (``state``, ``start``) and ``sN`` strings (``ref``), as in the conflict keys."""
    sc = sa.scenario
    conflict = analysis_dict(sa.conflict)
    return {
        **conflict,
        "format": ANALYSIS_FORMAT,
        "scenario_source": sc.model_dump(mode="json", exclude_none=True),
        "forecast_results": None if sa.forecast_set is None else fixed_floats(
            sa.forecast_set.model_dump(mode="json")),
        "conflict_provenance": conflict["provenance"],
        "provenance": sa.provenance.model_dump(mode="json"),
        "outcomes": [{"id": o.id, "label": o.label, "when": o.when,
                      **_evidence(o)} for o in sc.outcomes],
        "policies": [{"id": p.id, "label": p.label, "kind": p.kind, "start": p.start + 1,
                      "start_ref": f"s{p.start + 1}", "commit": dict(p.commit),
                      "coalitions": [list(b) for b in p.coalitions],
                      "coalition_structure": p.structure}
                     for p in sa.policies],
        "columns": [{"id": v.id, "name": v.name, "kind": v.kind, "holder": v.holder}
                    for v in sa.views],
        "cells": [{"policy": c.policy, "view": c.view, "concept": c.concept,
                   "path_rule": c.rule,
                   "ends": [{"state": e.state + 1, "ref": e.ref, "outcome": e.outcome,
                             "label": e.label, "words": e.words,
                             "path": [{"actor": s.actor, "from": f"s{s.source + 1}",
                                       "to": f"s{s.target + 1}"} for s in e.path]}
                            for e in c.ends],
                   "games": [_game_dict(g) for g in c.games],
                   "differs_from_status_quo": c.differs_from_status_quo,
                   "why_no_difference": c.why} for c in sa.cells],
        "forecasts": [{"issue": f.issue, "label": f.label, "dimension": f.dimension,
                       "model": f.model, "view": f.view, "value": fixed(f.value),
                       "scale": [fixed(f.scale[0]), fixed(f.scale[1])],
                       "scale_labels": list(f.scale_labels), "veto": list(f.veto)}
                      for f in sa.forecasts],
        "curves": [{"game": c.game, "parameter": c.parameter, "view": c.view,
                    "x": [fixed(x) for x in c.x],
                    "view_name": c.view_name,
                    "series": {o: [_round(v) for v in vals] for o, vals in c.series},
                    "low": {o: [_round(v) for v in vals] for o, vals in c.low},
                    "high": {o: [_round(v) for v in vals] for o, vals in c.high},
                    "marker": _round(c.marker)} for c in sa.curves],
        "qre_curves": [{"game": c.game, "view": c.view, "view_name": c.view_name,
                        "link": c.link,
                        "lambda": [fixed(x) for x in c.lam],
                        "series": {o: [_round(v) for v in vals] for o, vals in c.series}}
                       for c in sa.qre_curves],
        "comparisons": [{"views": [c.view_a, c.view_b], "differing_conclusions": c.differing,
                         "cruxes": c.cruxes} for c in sa.comparisons],
        "cruxes_searched": sa.cruxes_searched,
        "policy_hypergames": [{"policy": h.policy, "concept": h.concept,
                               "equilibria": [f"s{e + 1}" for e in h.equilibria],
                               "by_outcome": [{"outcome": label,
                                               "states": [f"s{e + 1}" for e in states]}
                                              for label, states in h.by_outcome]}
                              for h in sa.hypergames],
        "engine_cruxes": [{"kind": c.kind, "subject": c.subject, "policy": c.policy,
                           "views": [c.view_a, c.view_b],
                           "values": {c.view_a: c.value_a, c.view_b: c.value_b},
                           "assumptions": [{"key": x.key, "value_a": x.value_a,
                                            "value_b": x.value_b, "evidence_a": x.evidence_a,
                                            "evidence_b": x.evidence_b}
                                           for x in c.assumptions],
                           "minimal_sets": [list(s) for s in c.sets],
                           "exhaustive": c.exhaustive, "text": c.text}
                          for c in sa.engine_cruxes],
        "summary": list(sa.summary),
        "warnings": list(sa.warnings),
        **({"per_actor_concepts": {**sa.per_actor.to_dict(),
                                   "provenance": sa.per_actor.provenance.model_dump()}}
           if sa.per_actor is not None else {}),
    }
