"""Applying lenses: a lens plus a scenario gives another scenario.

A lens is a list of atomic overrides.  Each override replaces one actor's
preferences or changes one of its prioritization statements (replace, insert
at a position, remove).  Atomic overrides are what the crux finder combines, so
applying any subset of a lens's overrides must give a valid scenario.

* an **analyst's** lens is an alternative truth for the whole scenario;
* a **perception** lens is its holder's view of the others: the game *as the
  holder sees it* keeps the holder's own true preferences and takes the
  holder's beliefs for everyone else (overrides about the holder itself are
  ignored there — an actor knows its own preferences);
* ``views`` (second level) hold the holder's belief about how another actor
  sees the others.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from crisislab.model.scenario import (
    Lens,
    Policy,
    Preference,
    PreferenceOverride,
    Scenario,
    Statement,
)
from crisislab.model.states import StateRefError, StateSpace


def _apply_statement(pref: Preference, ov: PreferenceOverride) -> Preference:
    statements = pref.statements()
    ids = [st.id for st in statements]
    if ov.remove:
        if ov.statement not in ids:
            raise ValueError(f"no statement {ov.statement!r}")
        statements = [st for st in statements if st.id != ov.statement]
    else:
        assert ov.formula is not None
        new = Statement(formula=ov.formula, id=ov.statement, question=ov.question, answer=ov.answer,
                        source=ov.source, quote=ov.quote, assumption=ov.assumption)
        if ov.statement in ids and ov.position is None:
            statements = [new if st.id == ov.statement else st for st in statements]
        else:
            statements = [st for st in statements if st.id != ov.statement]
            pos = (ov.position - 1) if ov.position is not None else len(statements)
            statements.insert(min(pos, len(statements)), new)
    return Preference(prioritization=list(statements), source=pref.source, quote=pref.quote,
                      assumption=pref.assumption)


def apply_overrides(scenario: Scenario, overrides: Iterable[PreferenceOverride]) -> Scenario:
    """The scenario with ``overrides`` applied in order."""
    prefs = dict(scenario.preferences)
    for ov in overrides:
        if ov.preferences is not None:
            prefs[ov.actor] = ov.preferences
        else:
            base = prefs[ov.actor]
            if base.prioritization is None:
                raise ValueError(f"statement override on {ov.actor!r} without prioritization")
            prefs[ov.actor] = _apply_statement(base, ov)
    return scenario.model_copy(update={"preferences": prefs})


def holder_overrides(lens: Lens) -> list[PreferenceOverride]:
    """Overrides of a lens that describe actors other than its holder."""
    return [ov for ov in lens.overrides if lens.holder is None or ov.actor != lens.holder]


def lens_scenario(scenario: Scenario, lens: Lens | None) -> Scenario:
    """The whole game under a lens (analyst's case, or the holder's view)."""
    if lens is None:
        return scenario
    return apply_overrides(scenario, holder_overrides(lens))


def perception_lens(scenario: Scenario, actor: str) -> Lens | None:
    """The perception lens held by ``actor``, if the scenario has one."""
    for lens in scenario.lenses:
        if lens.kind == "perception" and lens.holder == actor:
            return lens
    return None


def second_level_scenario(scenario: Scenario, lens: Lens, other: str) -> Scenario:
    """The holder's belief about the game as ``other`` sees it (G_other^holder).

    ``other`` keeps the preferences the holder attributes to it; the rest follow
    the holder's belief about ``other``'s view, defaulting to the holder's own view.
    """
    first = lens_scenario(scenario, lens)
    view = lens.views.get(other)
    if view is None:
        return first
    return apply_overrides(first, [ov for ov in view.overrides if ov.actor != other])


def commitment_bits(space: StateSpace, policy: Policy | None) -> tuple[int, int]:
    """(mask, value) of the options a policy holds fixed: a state keeps the commitment
    when ``code & mask == value``.  A ``start`` policy commits nothing."""
    if policy is None or policy.kind == "start":
        return 0, 0
    index = space.option_index
    mask = value = 0
    for opt, taken in policy.commit.items():
        mask |= 1 << index[opt]
        value |= (1 << index[opt]) if taken else 0
    return mask, value


def policy_blocs(scenario: Scenario, policy: Policy) -> tuple[tuple[int, ...], ...]:
    """Actor indices per bloc of the coalition structure a policy holds (by id or
    inline), actors not named as blocs of their own after the named ones; ``()`` when
    the policy names none or every bloc has one actor (ordinary stability).  The
    scenario is assumed validated (known ids, each actor in one bloc)."""
    spec = policy.coalitions
    if spec is None:
        return ()
    blocs = scenario.coalition_structure(spec).blocs if isinstance(spec, str) else spec
    ids = scenario.actor_ids()
    named = [tuple(ids.index(a) for a in bloc) for bloc in blocs if bloc]
    if all(len(b) == 1 for b in named):
        return ()
    placed = {k for b in named for k in b}
    return (*named, *((k,) for k in range(len(ids)) if k not in placed))


def policy_state(scenario: Scenario, space: StateSpace, policy: Policy) -> int:
    """Index of the state a policy starts from: its explicit ``state``, or the status
    quo with ``set`` and then ``commit`` applied."""
    if policy.state is not None:
        return space.resolve(policy.state)
    if scenario.status_quo is None:
        raise StateRefError("no status quo", "a status_quo in the scenario")
    code = int(space.codes[space.resolve(scenario.status_quo)])
    index = space.option_index
    for opt, taken in [*policy.set.items(), *policy.commit.items()]:
        bit = 1 << index[opt]
        code = (code | bit) if taken else (code & ~bit)
    idx = space.index_of_code(code)
    if idx is None:
        raise StateRefError(f"policy {policy.id!r} leads to an infeasible state (code {code})",
                            "changes that keep the state feasible")
    return idx


BASE_VIEW = "base"


def game_views(scenario: Scenario, game_id: str, lenses: Sequence[str] | None = None) \
        -> list[tuple[str | None, dict[str, Any]]]:
    """(lens id, parameter overrides) pairs under which to solve a game.

    ``lenses=None``: the base case (lens id None) and every lens that sets
    parameters of this game.  Otherwise the named views in order, ``"base"``
    for the base case; an unknown name is an :class:`InputError`.
    """
    from crisislab.errors import input_error

    known = {lens.id: lens for lens in scenario.lenses}
    wanted = list(lenses) if lenses is not None else \
        [BASE_VIEW, *[lid for lid, lens in known.items() if game_id in lens.games]]
    out: list[tuple[str | None, dict[str, Any]]] = []
    for lid in wanted:
        if lid == BASE_VIEW:
            out.append((None, {}))
        elif lid in known:
            out.append((lid, dict(known[lid].games.get(game_id, {}))))
        else:
            raise input_error(f"unknown lens {lid!r}", value=lid,
                              expected=", ".join([BASE_VIEW, *known]))
    return out
