"""The analysis as plain data: the JSON output and the HTML report's input.

One function turns a :class:`~crisislab.compare.analysis.ConflictAnalysis`
into nested dicts and lists of JSON types with deterministic order, so that
``--json`` is byte-identical for the same scenario and options, and the HTML
report renders exactly what the JSON holds.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

import numpy as np

from crisislab.compare.analysis import CONCEPT_NAMES, ConflictAnalysis, Crux, headline
from crisislab.compare.cruxes import Assumption, statement_of
from crisislab.compare.explain import question, side
from crisislab.model.describe import state_by_actor, state_words
from crisislab.model.numbering import numbering_note, ordinal_ids
from crisislab.model.scenario import Scenario


def headline_concept(analysis: ConflictAnalysis) -> str:
    """The concept the summary leads with: SEQ when computed (credible sanctions)."""
    return headline(analysis.concepts)


def _evidence(item: Any) -> dict[str, Any]:
    return {k: getattr(item, k) for k in ("source", "quote", "assumption")
            if getattr(item, k, None)}


def scenario_dict(scenario: Scenario) -> dict[str, Any]:
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


def _value(value: Hashable) -> bool | list[int]:
    """A conclusion's value as JSON: a bool, or the sorted states (ordinal ids) a path
    reaches."""
    if isinstance(value, bool):
        return value
    assert isinstance(value, frozenset)
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
    c = crux.conclusion
    value_a = _value(crux.value_a)
    value_b = _value(crux.value_b)
    names = {vr.view.id: vr.view.name for vr in analysis.views}
    return {
        "conclusion": {"kind": c.kind, "concept": c.concept,
                       "state": None if c.state is None else c.state + 1, "start": c.start,
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
               "words": state_words(sc, space, s), "by_actor": state_by_actor(sc, space, s)}
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
                            for c in analysis.concepts} for sid in vr.paths},
            "payoffs": {a: vr.graph.payoffs[i].tolist()
                        for i, a in enumerate(actors)},
        })
    hyper = None
    if analysis.hypergame is not None:
        hg = analysis.hypergame
        sl = analysis.second_level
        hyper = {
            "first_level": {c: {"stable": {a: ordinal_ids(np.flatnonzero(hg.stable[c][i]))
                                           for i, a in enumerate(actors)},
                                "equilibria": ordinal_ids(hg.equilibria(c))} for c in hg.concepts},
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
