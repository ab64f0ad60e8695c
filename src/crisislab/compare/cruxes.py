"""Cruxes: the smallest sets of assumptions that decide a conclusion.

Two views (say Washington's and Beijing's) reach different conclusions — a
state is an equilibrium under one and not the other, or a policy leads to
different outcomes.  The views differ in a set of *atomic assumptions*: one
preference statement of one actor (or, where the lenses replace an actor's
preferences wholesale, that actor's preferences).  A **crux** is a set of
those assumptions that, switched alone from view A's answer to view B's,
flips A's conclusion to B's.  We report the inclusion-minimal ones.

Search.  With up to ``max_exhaustive`` differing assumptions (default 12, at
most 4,095 combinations) every subset is tried in order of size, skipping
supersets of cruxes already found, so the result is exactly the set of
minimal cruxes.  Beyond that, a deletion filter finds minimal cruxes: start
from all differences (which by construction reproduce view B), drop each
assumption in turn if the conclusion still flips; repeated with seeded random
orders to find further minimal sets.  That search is partial and is labelled so.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass

from crisislab.model.lenses import apply_overrides
from crisislab.model.scenario import Lens, PreferenceOverride, Scenario, Statement

Key = tuple[str, str]  # (actor, statement id) or (actor, "*") for whole preferences
Evaluate = Callable[[Scenario], Hashable]


@dataclass(frozen=True)
class Assumption:
    """One atomic assumption on which two views differ."""

    key: Key
    a: tuple[PreferenceOverride, ...]  # view A's overrides for this key (empty: base case)
    b: tuple[PreferenceOverride, ...]

    @property
    def actor(self) -> str:
        """The actor whose preference the assumption concerns."""
        return self.key[0]

    @property
    def statement(self) -> str | None:
        """The prioritization statement concerned, or None for the actor's whole ranking."""
        return None if self.key[1] == "*" else self.key[1]


@dataclass(frozen=True)
class CruxSearch:
    """Minimal cruxes for one conclusion between two views."""

    assumptions: tuple[Assumption, ...]
    cruxes: tuple[tuple[int, ...], ...]  # indices into ``assumptions``
    exhaustive: bool
    evaluations: int


def _view_overrides(lens: Lens | None) -> list[PreferenceOverride]:
    if lens is None:
        return []
    return [ov for ov in lens.overrides if lens.holder is None or ov.actor != lens.holder]


Keyed = dict[str, list[tuple[Key, PreferenceOverride]]]


def _keys(overrides: Sequence[PreferenceOverride]) -> Keyed:
    by_actor: Keyed = {}
    for ov in overrides:
        key: Key = (ov.actor, ov.statement if ov.statement is not None else "*")
        by_actor.setdefault(ov.actor, []).append((key, ov))
    return by_actor


def _semantics(ovs: Sequence[PreferenceOverride]) -> list[object]:
    return [ov.model_dump(include={"preferences", "statement", "formula", "position", "remove"})
            for ov in ovs]


def differing_assumptions(lens_a: Lens | None, lens_b: Lens | None) -> list[Assumption]:
    """The atomic assumptions on which two views differ, in a stable order."""
    a_by = _keys(_view_overrides(lens_a))
    b_by = _keys(_view_overrides(lens_b))
    out: list[Assumption] = []
    for actor in list(dict.fromkeys([*a_by, *b_by])):
        a_items = a_by.get(actor, [])
        b_items = b_by.get(actor, [])
        whole = any(k[1] == "*" for k, _ in a_items + b_items)
        if whole:  # mixed granularity: one assumption for the actor's whole preferences
            a_ovs = tuple(ov for _, ov in a_items)
            b_ovs = tuple(ov for _, ov in b_items)
            if _semantics(a_ovs) != _semantics(b_ovs):
                out.append(Assumption((actor, "*"), a_ovs, b_ovs))
            continue
        keys = list(dict.fromkeys([k for k, _ in a_items] + [k for k, _ in b_items]))
        for key in keys:
            a_ovs = tuple(ov for k, ov in a_items if k == key)
            b_ovs = tuple(ov for k, ov in b_items if k == key)
            if _semantics(a_ovs) != _semantics(b_ovs):
                out.append(Assumption(key, a_ovs, b_ovs))
    return out


def scenario_with(base: Scenario, lens_a: Lens | None, assumptions: Sequence[Assumption],
                  switched: Sequence[int]) -> Scenario:
    """View A with the assumptions at ``switched`` taken from view B."""
    switched_keys = {assumptions[i].key for i in switched}
    switched_actors_whole = {assumptions[i].actor for i in switched
                             if assumptions[i].key[1] == "*"}
    keep: list[PreferenceOverride] = []
    for ov in _view_overrides(lens_a):
        key = (ov.actor, ov.statement if ov.statement is not None else "*")
        if key in switched_keys or ov.actor in switched_actors_whole:
            continue
        keep.append(ov)
    for i in sorted(switched):
        keep.extend(assumptions[i].b)
    return apply_overrides(base, keep)


def find_cruxes(base: Scenario, lens_a: Lens | None, lens_b: Lens | None,
                evaluate: Evaluate, *, max_exhaustive: int = 12, restarts: int = 8,
                seed: int = 0, scenarios: dict[frozenset[int], Scenario] | None = None
                ) -> CruxSearch:
    """Minimal sets of B's assumptions that turn A's conclusion into B's.

    ``evaluate`` maps a scenario to the conclusion (any hashable value: a bool
    for "is s an equilibrium", a frozenset for "where the path ends").
    ``scenarios`` shares the scenarios built for each subset of assumptions between
    searches over the same pair of views (each conclusion of a pair switches the
    same assumptions), so a caller can also cache its evaluations by scenario.
    """
    assumptions = differing_assumptions(lens_a, lens_b)
    cache: dict[frozenset[int], Hashable] = {}
    built = scenarios if scenarios is not None else {}

    def value(subset: Sequence[int]) -> Hashable:
        key = frozenset(subset)
        if key not in cache:
            if key not in built:
                built[key] = scenario_with(base, lens_a, assumptions, sorted(key))
            cache[key] = evaluate(built[key])
        return cache[key]

    start = value(())
    target = value(range(len(assumptions)))
    if start == target:
        return CruxSearch(tuple(assumptions), (), True, len(cache))
    found: list[tuple[int, ...]] = []
    n = len(assumptions)
    if n <= max_exhaustive:
        for size in range(1, n + 1):
            for combo in itertools.combinations(range(n), size):
                if any(set(f) <= set(combo) for f in found):
                    continue
                if value(combo) == target:
                    found.append(combo)
        return CruxSearch(tuple(assumptions), tuple(found), True, len(cache))
    rng = random.Random(seed)
    for attempt in range(restarts):
        order = list(range(n))
        if attempt:
            rng.shuffle(order)
        current = set(range(n))
        for i in order:
            trial = current - {i}
            if value(sorted(trial)) == target:
                current = trial
        crux = tuple(sorted(current))
        if crux not in found:
            found.append(crux)
    found.sort(key=lambda c: (len(c), c))
    return CruxSearch(tuple(assumptions), tuple(found), False, len(cache))


def statement_of(scenario: Scenario, actor: str, statement: str | None) -> Statement | None:
    """The base scenario's statement with this id, if any."""
    pref = scenario.preferences.get(actor)
    if pref is None or pref.prioritization is None or statement is None:
        return None
    for st in pref.statements():
        if st.id == statement:
            return st
    return None
