"""A saved analysis rebuilt as the typed result, so results travel without rerunning.

:func:`saved_analysis` turns the data of ``crisislab analyze --json`` (read by
:mod:`crisislab.formats.analysis_json`) back into a :class:`SavedAnalysis`: a
:class:`~crisislab.compare.scenario_analysis.ScenarioAnalysis` whose every part is
the typed object the pipeline made (cells, end states and paths, game solutions,
forecasts, the conflict's views, stability, cruxes, hypergame), so the terminal
and HTML reports and the notebook display render it exactly as the original.
Nothing is recomputed: the scenario is compiled into its states and moves (which
are checked against the saved ones), and every result is read from the file.

Two things are not saved and so not available: the sanctions behind each
stability verdict (``--explain`` and witnesses need the analysis rerun), and the
second-level hypergame beyond each actor's expected equilibria.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from pydantic import ValidationError

from crisislab.bargaining.results import ForecastSet
from crisislab.compare.analysis import Conclusion, ConflictAnalysis, Crux, WhatIf
from crisislab.compare.cruxes import Assumption
from crisislab.compare.engine_cruxes import EngineCrux, ValueAssumption, as_number
from crisislab.compare.scenario_analysis import (
    Comparison,
    EndState,
    ForecastValue,
    GameCurve,
    GameOutcome,
    GameQRECurve,
    PolicyHypergame,
    PolicyInfo,
    PolicyView,
    ScenarioAnalysis,
    Step,
    ViewInfo,
)
from crisislab.compare.views import ConflictModel, ViewResult, all_views
from crisislab.conflict.coalitions import CoalitionalImprovement
from crisislab.conflict.foresight import MixedResult
from crisislab.conflict.hypergame import FirstLevel, SecondLevel
from crisislab.errors import CrisislabError, input_error
from crisislab.games.results import GameSolution
from crisislab.model.scenario import PreferenceOverride, Scenario
from crisislab.provenance import Provenance, canonical_json

JSON = dict[str, Any]


@dataclass(frozen=True, repr=False)
class SavedAnalysis(ScenarioAnalysis):
    """A :class:`ScenarioAnalysis` read from a file: ``to_dict``/``to_json`` give back
    the saved data unchanged (byte-identical JSON), ``source`` names the file."""

    source: str | None = field(default=None, compare=False)
    saved: JSON = field(default_factory=dict, compare=False, repr=False)

    def to_dict(self) -> JSON:
        """The saved data as read (a copy: a caller's edit does not change what ``to_json``
        writes)."""
        return copy.deepcopy(self.saved)

    def to_json(self) -> str:
        """The saved data in canonical JSON: byte-identical to the file it was read from when
        that was canonical."""
        return canonical_json(self.saved)


def _ref(ref: str) -> int:
    """'s3' -> 2 (ordinal id to index)."""
    return int(ref[1:]) - 1


def _members(ordinals: list[int], n: int) -> np.ndarray:
    """Ordinal ids (1-based, as saved) as a boolean membership vector over indices."""
    out = np.zeros(n, dtype=bool)
    out[np.asarray(ordinals, dtype=np.int64) - 1] = True
    return out


def _stable(by_actor: Mapping[str, list[int]], actors: tuple[str, ...], n: int) -> np.ndarray:
    return np.stack([_members(by_actor[a], n) for a in actors]) if actors else \
        np.zeros((0, n), dtype=bool)


def _value(v: Any) -> Any:
    """A crux value: a bool, outcome or policy ids, or ordinal ids (back to indices)."""
    if isinstance(v, bool):
        return v
    return frozenset(x if isinstance(x, str) else int(x) - 1 for x in v)


def _conflict(d: JSON, scenario: Scenario) -> ConflictAnalysis:
    model = ConflictModel(scenario)
    space = model.space
    codes = [int(s["code"]) for s in d["states"]]
    if codes != [int(c) for c in space.codes.tolist()] or list(d["actors"]) != list(space.actors):
        raise input_error("the saved states do not match the saved scenario",
                          value=f"{len(codes)} states",
                          expected=f"{space.n} states of the scenario, in the same order")
    actors, n = space.actors, space.n
    concepts = tuple(d["concepts"])
    views = {v.id: v for v in all_views(scenario)}
    masks = {st.id: st.mask for st in model.starts()}
    results = []
    for vd in d["views"]:
        payoffs = np.array([vd["payoffs"][a] for a in actors], dtype=float)
        paths = {sid: {c: {int(item["equilibrium"]) - 1: [
            (actors.index(st["actor"]), int(st["from"]) - 1, int(st["to"]) - 1)
            for st in item["path"]] for item in by[c]} for c in concepts}
                 for sid, by in vd["paths"].items()}
        movers = {st.id: st.bloc_labels(actors) for st in model.starts() if st.blocs}
        bloc_stable = {(sid, c): np.stack([_members(by[c][lab], n) for lab in movers[sid]])
                       for sid, by in vd.get("bloc_stable", {}).items() for c in concepts}
        for sid, by in vd.get("bloc_paths", {}).items():
            paths[sid] = {c: {int(item["equilibrium"]) - 1: [
                (movers[sid].index(st["actor"]), int(st["from"]) - 1, int(st["to"]) - 1)
                for st in item["path"]] for item in by[c]} for c in concepts}
        view = views[vd["id"]]
        # the view's moves (a perception lens may hide states from its holder), the saved
        # preferences
        seen_by = view.lens if view.kind == "perception" else None
        results.append(ViewResult(view, model.moves_seen_by(seen_by).with_payoffs(payoffs),
                                  {c: _stable(vd["stable"][c], actors, n) for c in concepts},
                                  paths, {}, dict(masks), model.outcome_of, movers,
                                  bloc_stable))
    first = second = None
    if d["hypergame"] is not None:
        fl = d["hypergame"]["first_level"]
        first = FirstLevel(tuple(fl), {c: _stable(fl[c]["stable"], actors, n) for c in fl})
        sl = d["hypergame"]["second_level"]
        if sl is not None:
            # each actor's expected equilibria: every j column stable exactly there
            second = SecondLevel(tuple(sl), {
                c: np.stack([np.tile(_members(sl[c]["expected_by"][a], n), (len(actors), 1))
                             for a in actors]) for c in sl})
    outcome_ids = tuple(o.id for o in scenario.outcomes)
    cruxes = []
    for cd in d["cruxes"]:
        c = cd["conclusion"]
        va, vb = cd["views"]
        conclusion = Conclusion(c["kind"], c["concept"],
                                None if c["state"] is None else c["state"] - 1, c["start"],
                                c["actor"],
                                outcome_ids if c["kind"] == "outcome" else ())
        assumptions = tuple(
            Assumption((a["actor"], a["statement"] if a["statement"] is not None else "*"),
                       tuple(PreferenceOverride.model_validate(o) for o in a["a"]),
                       tuple(PreferenceOverride.model_validate(o) for o in a["b"]))
            for a in cd["assumptions"])
        cruxes.append(Crux(conclusion, va, vb, _value(cd["values"][va]),
                           _value(cd["values"][vb]), assumptions,
                           tuple(tuple(s) for s in cd["minimal_sets"]), cd["exhaustive"],
                           c["text"], tuple(cd["sentences"])))
    what_if = [WhatIf(w["holder"], w["actor"], w["change"], w["concept"],
                      tuple(s - 1 for s in w["new_equilibria"]),
                      tuple(s - 1 for s in w["lost_equilibria"])) for w in d["what_if"]]
    coalitions = [CoalitionalImprovement(tuple(c["coalition"]), c["source"] - 1, c["target"] - 1,
                                         tuple((p["actor"], p["state"] - 1) for p in c["path"]),
                                         {k: (v[0], v[1]) for k, v in c["gains"].items()})
                  for c in d["coalitions"]]
    prov = Provenance.model_validate(d["conflict_provenance"])
    params = prov.parameters
    return ConflictAnalysis(scenario, model, concepts, d["mode"], results, first, second,
                            cruxes, what_if, prov, coalitions,
                            cruxes_searched=bool(d["cruxes_searched"]),
                            paths=str(params.get("paths", "credible")),
                            sim_variant=params.get("sim_variant"),
                            crux_concepts=None if params.get("crux_concepts") is None
                            else tuple(params["crux_concepts"]))


def _game(g: JSON) -> GameOutcome:
    return GameOutcome(
        g["game"], g["title"], g["policy"], g["view"], g["policy_applies"],
        tuple(sorted((k, float(v)) for k, v in g["parameters"].items())),
        tuple(sorted(g["committed_actions"].items())), g["method"], g["complete"],
        tuple(tuple(sorted((o, float(p)) for o, p in eq.items())) for eq in g["equilibria"]),
        g["selected"], g["selection_rule"], GameSolution.model_validate(g["solution"]))


def _series(by: Mapping[str, list[float | None]]) -> tuple[tuple[str, tuple[float | None, ...]],
                                                           ...]:
    return tuple((o, tuple(v)) for o, v in sorted(by.items()))


def _rebuild(d: JSON, source: str | None) -> SavedAnalysis:
    scenario = Scenario.model_validate(d["scenario_source"])
    cells = tuple(PolicyView(
        c["policy"], c["view"], c["concept"], c["path_rule"],
        tuple(EndState(e["state"] - 1, e["outcome"], e["label"], e["words"],
                       tuple(Step(s["actor"], _ref(s["from"]), _ref(s["to"]))
                             for s in e["path"])) for e in c["ends"]),
        tuple(_game(g) for g in c["games"]), c["differs_from_status_quo"],
        c["why_no_difference"]) for c in d["cells"])
    per_actor = None
    if "per_actor_concepts" in d:
        pa = d["per_actor_concepts"]
        actors = tuple(d["actors"])
        per_actor = MixedResult(actors, dict(pa["concepts"]),
                                np.array([pa["stable"][a] for a in actors], dtype=bool),
                                Provenance.model_validate(pa["provenance"]))
    return SavedAnalysis(
        scenario=scenario,
        conflict=_conflict(d, scenario),
        policies=tuple(PolicyInfo(p["id"], p["label"], p["kind"], p["start"] - 1,
                                  tuple(sorted(p["commit"].items())),
                                  tuple(tuple(b) for b in p.get("coalitions", [])),
                                  p.get("coalition_structure")) for p in d["policies"]),
        views=tuple(ViewInfo(v["id"], v["name"], v["kind"], v["holder"]) for v in d["columns"]),
        cells=cells,
        forecasts=tuple(ForecastValue(f["issue"], f["label"], f["dimension"], f["model"],
                                      f["view"], f["value"], (f["scale"][0], f["scale"][1]),
                                      (f["scale_labels"][0], f["scale_labels"][1]),
                                      tuple(f["veto"])) for f in d["forecasts"]),
        curves=tuple(GameCurve(c["game"], c["parameter"], c["view"], c["view_name"],
                               tuple(c["x"]), _series(c["series"]), _series(c["low"]),
                               _series(c["high"]), c["marker"]) for c in d["curves"]),
        qre_curves=tuple(GameQRECurve(c["game"], c["view"], c["view_name"], c["link"],
                                      tuple(c["lambda"]),
                                      tuple((o, tuple(v)) for o, v in c["series"].items()))
                         for c in d.get("qre_curves", [])),
        comparisons=tuple(Comparison(c["views"][0], c["views"][1], c["differing_conclusions"],
                                     c["cruxes"]) for c in d["comparisons"]),
        cruxes_searched=bool(d["cruxes_searched"]),
        summary=tuple(d["summary"]),
        warnings=tuple(d["warnings"]),
        provenance=Provenance.model_validate(d["provenance"]),
        forecast_set=None if d["forecast_results"] is None
        else ForecastSet.model_validate(d["forecast_results"]),
        per_actor=per_actor,
        engine_cruxes=tuple(EngineCrux(
            c["kind"], c["subject"], c["policy"], c["views"][0], c["views"][1],
            c["values"][c["views"][0]], c["values"][c["views"][1]],
            tuple(ValueAssumption(a["key"], as_number(a["value_a"]), as_number(a["value_b"]),
                                  a["evidence_a"], a["evidence_b"]) for a in c["assumptions"]),
            tuple(tuple(s) for s in c["minimal_sets"]), c["exhaustive"], c["text"])
            for c in d["engine_cruxes"]),
        hypergames=tuple(PolicyHypergame(h["policy"], h["concept"],
                                         tuple(_ref(e) for e in h["equilibria"]),
                                         tuple((g["outcome"], tuple(_ref(e) for e in g["states"]))
                                               for g in h.get("by_outcome", ())))
                         for h in d["policy_hypergames"]),
        source=source,
        saved=d,
    )


def saved_analysis(data: JSON, source: str | None = None) -> SavedAnalysis:
    """The typed analysis of saved data; a missing or malformed part is named."""
    try:
        return _rebuild(data, source)
    except CrisislabError:
        raise
    except (KeyError, IndexError, TypeError, ValueError, ValidationError) as exc:
        what = f"missing key {exc.args[0]!r}" if isinstance(exc, KeyError) else str(exc)
        raise input_error(f"the saved analysis is incomplete or damaged: {what}",
                          file=source, value=type(exc).__name__,
                          expected="a file written by `crisislab analyze --json`") from None
