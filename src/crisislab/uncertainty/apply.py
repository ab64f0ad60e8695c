"""One sample of the uncertain inputs applied to a scenario: the scenario it describes.

A number in the base case replaces the scenario's own value, but a lens that
sets the same number keeps its value (a lens is a belief that differs from the
base case); a number given for a lens replaces that lens's value.  A
probabilistic statement takes the sampled formula, or is left out.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from crisislab.model.scenario import Preference, Scenario, Statement
from crisislab.uncertainty.distributions import LEFT_OUT, InputSpace


def _statement(pref: Preference, statement: str, formula: str | None) -> Preference:
    out: list[str | Statement] = []
    for st in pref.statements():
        if st.id != statement:
            out.append(st)
        elif formula is not None:
            out.append(st.model_copy(update={"formula": formula}))
    return pref.model_copy(update={"prioritization": out})


def apply_preferences(scenario: Scenario, inputs: Sequence[InputSpace],
                      values: Sequence[float]) -> Scenario:
    """The scenario with each probabilistic statement's sampled choice applied."""
    prefs = dict(scenario.preferences)
    lenses = {lz.id: lz for lz in scenario.lenses}
    changed_lenses = False
    for space, value in zip(inputs, values, strict=True):
        u = space.spec
        if not u.is_preference:
            continue
        k = int(value)
        formula = None if k == LEFT_OUT else space.choices[k][0]
        if u.kind == "statement":
            prefs[str(u.actor)] = _statement(prefs[str(u.actor)], str(u.statement), formula)
        else:
            lens = lenses[str(u.lens)]
            overrides = [ov if ov.id != u.override
                         else ov.model_copy(update={"formula": formula})
                         for ov in lens.overrides if not (ov.id == u.override and k == LEFT_OUT)]
            lenses[lens.id] = lens.model_copy(update={"overrides": overrides})
            changed_lenses = True
    update: dict[str, Any] = {"preferences": prefs}
    if changed_lenses:
        update["lenses"] = [lenses[lz.id] for lz in scenario.lenses]
    return scenario.model_copy(update=update)


def game_parameters(scenario: Scenario, game: str, view: str | None,
                    inputs: Sequence[InputSpace], values: Sequence[float]) -> dict[str, Any]:
    """A game's parameter overrides under a view (None: base case) for one sample."""
    lens = next((lz for lz in scenario.lenses if lz.id == view), None)
    own = dict(lens.games.get(game, {})) if lens is not None else {}
    base: dict[str, Any] = {}
    sampled: dict[str, Any] = {}
    for space, value in zip(inputs, values, strict=True):
        u = space.spec
        if u.kind != "game" or u.game != game:
            continue
        if u.lens is None:
            base[str(u.parameter)] = float(value)
        elif u.lens == view:
            sampled[str(u.parameter)] = float(value)
    return {**base, **own, **sampled}


def issue_overrides(scenario: Scenario, issue: str, view: str | None,
                    inputs: Sequence[InputSpace], values: Sequence[float]
                    ) -> dict[str, dict[str, Any]]:
    """An issue's per-actor field overrides under a view for one sample."""
    lens = next((lz for lz in scenario.lenses if lz.id == view), None)
    out: dict[str, dict[str, Any]] = {}
    for space, value in zip(inputs, values, strict=True):
        u = space.spec
        if u.kind == "issue" and u.issue == issue and u.lens is None:
            out.setdefault(str(u.actor), {})[str(u.field)] = float(value)
    if lens is not None:
        for actor, fields in lens.issues.get(issue, {}).items():
            out.setdefault(actor, {}).update(dict(fields))
        for space, value in zip(inputs, values, strict=True):
            u = space.spec
            if u.kind == "issue" and u.issue == issue and u.lens == view:
                out.setdefault(str(u.actor), {})[str(u.field)] = float(value)
    return out
