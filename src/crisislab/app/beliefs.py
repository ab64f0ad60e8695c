"""Belief controls: the numbers and statements of a scenario an analyst moves by hand.

A control names one belief in the scenario — a game's prior or a lens's value for
it, a lens's issue position, salience or capability, a preference statement of
an actor in the base case, an override of a lens — and :func:`apply_beliefs`
returns the scenario with the chosen values in place (a new object; the
scenario is never edited in place and no text is executed).  The page draws a
slider or a toggle for each control; the pipeline recomputes with them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from crisislab.errors import input_error
from crisislab.model.game_spec import TreeGameSpec
from crisislab.model.scenario import Lens, Preference, Scenario

Value = float | bool


@dataclass(frozen=True)
class Control:
    """One belief the page can change (``id`` keys it in a change request)."""

    id: str
    kind: str  # "prior", "lens_prior", "lens_issue", "statement" or "override"
    group: str  # heading on the page
    label: str
    value: Value
    low: float = 0.0
    high: float = 1.0
    step: float = 0.05
    note: str | None = None  # the evidence or assumption behind the value
    subject: str | None = None  # parameter key, or "actor:statement", for crux matching


def _number(v: Any) -> float:
    return float(v["value"] if isinstance(v, Mapping) else getattr(v, "value", v))


def _note(v: Any) -> str | None:
    if isinstance(v, Mapping):
        return v.get("quote") or v.get("assumption")
    return getattr(v, "quote", None) or getattr(v, "assumption", None)


def _game_parameters(spec: Any) -> dict[str, Any]:
    return dict(spec.tree.parameters if isinstance(spec, TreeGameSpec) else spec.parameters)


def is_prior(name: str, value: float) -> bool:
    """A parameter read as a probability: a value in [0, 1] whose name says so (p_, q_,
    prob) or any value strictly inside (0, 1)."""
    return 0.0 <= value <= 1.0 and (name.startswith(("p_", "q_")) or "prob" in name
                                    or 0.0 < value < 1.0)


def controls(scenario: Scenario) -> list[Control]:
    """Every control the scenario offers, in the order the page shows them."""
    out: list[Control] = []
    for spec in scenario.games:
        title = spec.label or spec.id
        for name, raw in _game_parameters(spec).items():
            value = _number(raw)
            if is_prior(name, value):
                out.append(Control(f"prior:{spec.id}:{name}", "prior",
                                   f"Game priors (base case): {title}", name, value,
                                   note=_note(raw), subject=name))
    for lens in scenario.lenses:
        for game, params in lens.games.items():
            for name, raw in params.items():
                value = _number(raw)
                if is_prior(name, value):
                    out.append(Control(f"lens_prior:{lens.id}:{game}:{name}", "lens_prior",
                                       f"{lens.name}: game priors", name, value,
                                       note=_note(raw), subject=name))
        for issue, actors in lens.issues.items():
            for actor, fields in actors.items():
                for fld, raw in fields.items():
                    if fld in ("source", "quote", "assumption") or \
                            not isinstance(raw, int | float) or isinstance(raw, bool):
                        continue
                    out.append(Control(f"lens_issue:{lens.id}:{issue}:{actor}:{fld}",
                                       "lens_issue", f"{lens.name}: negotiation issues",
                                       f"{issue} · {actor} · {fld}", float(raw),
                                       1.0 if fld == "capability" else 0.0, 100.0, 1.0,
                                       note=_note(fields), subject=f"{actor}.{fld}"))
    for actor, pref in scenario.preferences.items():
        for st in pref.statements() if pref.prioritization is not None else []:
            if st.id is None:
                continue
            out.append(Control(f"statement:{actor}:{st.id}", "statement",
                               f"Preference statements of {actor} (base case)",
                               st.question or f"{st.id}: {st.formula}", True,
                               note=st.quote or st.assumption, subject=f"{actor}:{st.id}"))
    for lens in scenario.lenses:
        for ov in lens.overrides:
            if ov.id is None:
                continue
            text = ov.question or (f"{ov.statement}: {ov.formula}" if ov.formula
                                   else f"{ov.actor}: {ov.statement or 'preferences'}")
            out.append(Control(f"override:{lens.id}:{ov.id}", "override",
                               f"{lens.name}: overrides", text, True,
                               note=ov.quote or ov.assumption,
                               subject=f"{ov.actor}:{ov.statement}" if ov.statement else None))
    return out


def _bad(cid: str, value: Any, expected: str) -> Exception:
    return input_error(f"cannot apply the belief {cid!r}", value=value, expected=expected)


def _with_value(raw: Any, value: float) -> Any:
    """A parameter with a new number, keeping its evidence."""
    if isinstance(raw, Mapping):
        return {**raw, "value": value}
    if hasattr(raw, "model_copy"):
        return raw.model_copy(update={"value": value})
    return value


def apply_beliefs(scenario: Scenario, changes: Mapping[str, Value]) -> Scenario:
    """The scenario with each control in ``changes`` set to its value (numbers for
    sliders, booleans for toggles: False removes the statement or override)."""
    known = {c.id: c for c in controls(scenario)}
    games = {g.id: g for g in scenario.games}
    lenses = {lz.id: lz for lz in scenario.lenses}
    prefs = dict(scenario.preferences)
    for cid, value in sorted(changes.items()):
        control = known.get(cid)
        if control is None:
            raise _bad(cid, cid, "a control of this scenario")
        if control.kind in ("statement", "override"):
            if not isinstance(value, bool):
                raise _bad(cid, value, "true or false")
        elif isinstance(value, bool) or not isinstance(value, int | float) or \
                not control.low <= float(value) <= control.high:
            raise _bad(cid, value, f"a number from {control.low:g} to {control.high:g}")
        parts = cid.split(":")
        if control.kind == "prior":
            spec = games[parts[1]]
            params = _game_parameters(spec)
            params[parts[2]] = _with_value(params[parts[2]], float(value))
            if isinstance(spec, TreeGameSpec):
                spec = spec.model_copy(update={
                    "tree": spec.tree.model_copy(update={"parameters": params})})
            else:
                spec = spec.model_copy(update={"parameters": params})
            games[spec.id] = spec
        elif control.kind == "lens_prior":
            lens = lenses[parts[1]]
            lgames = {k: dict(v) for k, v in lens.games.items()}
            lgames[parts[2]][parts[3]] = _with_value(lgames[parts[2]][parts[3]], float(value))
            lenses[lens.id] = lens.model_copy(update={"games": lgames})
        elif control.kind == "lens_issue":
            lens = lenses[parts[1]]
            issues = {i: {a: dict(f) for a, f in acts.items()} for i, acts in lens.issues.items()}
            issues[parts[2]][parts[3]][parts[4]] = float(value)
            lenses[lens.id] = lens.model_copy(update={"issues": issues})
        elif control.kind == "statement" and value is False:
            pref = prefs[parts[1]]
            kept = [st for st in pref.statements() if st.id != parts[2]]
            prefs[parts[1]] = Preference(prioritization=list(kept), source=pref.source,
                                         quote=pref.quote, assumption=pref.assumption)
        elif control.kind == "override" and value is False:
            lens = lenses[parts[1]]
            lenses[lens.id] = _without_override(lens, parts[2])
    return scenario.model_copy(update={
        "games": [games[g.id] for g in scenario.games],
        "lenses": [lenses[lz.id] for lz in scenario.lenses],
        "preferences": prefs})


def _without_override(lens: Lens, override: str) -> Lens:
    return lens.model_copy(update={"overrides": [ov for ov in lens.overrides
                                                 if ov.id != override]})
