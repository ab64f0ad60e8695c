"""Cruxes beyond the conflict: the game priors and payoffs and the issue positions and
saliences that decide a view's P(war), P(deal) or negotiation forecast.

For each compared pair of views (the same pairs as the conflict's cruxes), each
game and each policy, the conclusion is the game's headline outcome probabilities
(war and deal where the game has them) over every equilibrium found, rounded to
the percent; for each issue, where the headline model expects it to settle,
rounded to one decimal.  The atomic assumptions are the lens's parameter values
(one per game parameter) and its issue overrides (one per actor and field); a
crux is a minimal set of view B's values that, switched into view A, gives B's
conclusion — found exhaustively over subsets in order of size (the same search as
:mod:`crisislab.compare.cruxes`, here over parameter values).
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from crisislab.compare.explain import tied
from crisislab.games.spec import TemplateGameSpec
from crisislab.model.scenario import Lens, Scenario

MAX_EXHAUSTIVE = 10
FORECAST_MODEL = "challenge"


Number = float | tuple[float, ...]
"""A parameter's value: one number, or one per dimension of a multi-dimensional issue."""


@dataclass(frozen=True)
class ValueAssumption:
    """One parameter value on which two views differ, with each side's evidence."""

    key: str  # "parameter" or "actor.field"
    value_a: Number | None
    value_b: Number | None
    evidence_a: str | None
    evidence_b: str | None


def as_number(v: Any) -> Number | None:
    """A value as stored in a result: a float, a tuple of floats (one per dimension; a
    JSON list read back), or None."""
    if v is None:
        return None
    if isinstance(v, (list, tuple)):
        return tuple(float(x) for x in v)
    return float(v)


def number_text(v: Number | None) -> str:
    """'60', '(10, 90)', or 'not set'."""
    if v is None:
        return "not set"
    if isinstance(v, tuple):
        return "(" + ", ".join(f"{x:g}" for x in v) + ")"
    return f"{v:g}"


@dataclass(frozen=True)
class EngineCrux:
    """Minimal sets of assumptions deciding a game's or an issue's conclusion."""

    kind: str  # "game", "safest_policy" or "forecast"
    subject: str  # game or issue id
    policy: str | None
    view_a: str
    view_b: str
    value_a: str
    value_b: str
    assumptions: tuple[ValueAssumption, ...]
    sets: tuple[tuple[int, ...], ...]
    exhaustive: bool
    text: str


def _raw(v: Any) -> tuple[Number | None, str | None]:
    """A parameter given as a number (or one per dimension) or as {value, quote/assumption}."""
    if isinstance(v, Mapping):
        ev = v.get("quote") or v.get("assumption")
        return (as_number(v.get("value")),
                f"'{ev}'" if v.get("quote") else (f"assumption: {ev}" if ev else None))
    val = getattr(v, "value", v)
    ev = getattr(v, "quote", None) or getattr(v, "assumption", None)
    return (as_number(val), ev)


def minimal_sets(n: int, value: Callable[[frozenset[int]], Hashable],
                 max_exhaustive: int = MAX_EXHAUSTIVE) -> tuple[tuple[tuple[int, ...], ...], bool]:
    """Inclusion-minimal subsets whose switch turns value(∅) into value(all)."""
    target = value(frozenset(range(n)))
    if value(frozenset()) == target:
        return (), True
    if n > max_exhaustive:
        return ((tuple(range(n)),), False)
    found: list[tuple[int, ...]] = []
    for size in range(1, n + 1):
        for combo in itertools.combinations(range(n), size):
            if any(set(f) <= set(combo) for f in found):
                continue
            if value(frozenset(combo)) == target:
                found.append(combo)
    return tuple(found), True


def _lens(scenario: Scenario, view: str) -> Lens | None:
    return next((lz for lz in scenario.lenses if lz.id == view), None)


def _game_value(probabilities: Sequence[Mapping[str, float]], shown: Sequence[str]) -> str:
    parts = []
    for o in shown:
        vals = [p.get(o, 0.0) for p in probabilities]
        lo, hi = (round(100 * min(vals)), round(100 * max(vals))) if vals else (None, None)
        parts.append(f"P({o}) {lo}%" if lo == hi else f"P({o}) {lo}–{hi}%")
    return "; ".join(parts) if probabilities else "no equilibrium"


Probabilities = Sequence[Mapping[str, float]]
SolveMany = Callable[[Any, str | None, list[dict[str, Any]]], Sequence[Probabilities]]

#: With up to this many differing values (16 subsets), the game is solved for every
#: subset, of every compared pair at once, under each policy: one batched solve costs
#: less than the few the search would skip.
PREFETCH_MAX = 4


def _switched(pa: Mapping[str, Any], pb: Mapping[str, Any], keys: Sequence[str],
              switched: frozenset[int]) -> dict[str, Any]:
    """View A's parameter values with those at ``switched`` (indices into ``keys``)
    taken from view B."""
    params = {k: v for k, v in pa.items() if k not in keys}
    for i, k in enumerate(keys):
        src = pb if i in switched else pa
        if k in src:
            params[k] = src[k]
    return params


@dataclass
class _GamePair:
    """Two views' values of one game's parameters, and the games solved so far for
    subsets of the differing ones: (policy, switched indices) -> probabilities."""

    va: str
    vb: str
    pa: dict[str, Any]
    pb: dict[str, Any]
    keys: list[str]
    assumptions: tuple[ValueAssumption, ...]
    solved: dict[tuple[str | None, frozenset[int]], Probabilities]


def _game_pairs(scenario: Scenario, spec: Any, pairs: Sequence[tuple[str, str]]
                ) -> list[_GamePair]:
    """The compared pairs of views whose values of the game's parameters differ."""
    base = dict(spec.parameters if isinstance(spec, TemplateGameSpec)
                else spec.tree.parameters)
    out = []
    for va, vb in pairs:
        la, lb = _lens(scenario, va), _lens(scenario, vb)
        pa = dict(la.games.get(spec.id, {})) if la else {}
        pb = dict(lb.games.get(spec.id, {})) if lb else {}
        keys = sorted(k for k in set(pa) | set(pb)
                      if _raw(pa.get(k))[0] != _raw(pb.get(k))[0] or (k in pa) != (k in pb))
        if keys:
            out.append(_GamePair(va, vb, pa, pb, keys, tuple(ValueAssumption(
                k, _raw(pa.get(k, base.get(k)))[0], _raw(pb.get(k, base.get(k)))[0],
                _raw(pa.get(k, base.get(k)))[1], _raw(pb.get(k, base.get(k)))[1])
                for k in keys), {}))
    return out


def _prefetch(spec: Any, policies: Sequence[str | None], plans: Sequence[_GamePair],
              solve: SolveMany) -> None:
    """Every subset's game of every pair with at most :data:`PREFETCH_MAX` differing
    values, one batched solve per policy for all pairs together."""
    wanted = [(plan, frozenset(c)) for plan in plans if len(plan.keys) <= PREFETCH_MAX
              for r in range(len(plan.keys) + 1)
              for c in itertools.combinations(range(len(plan.keys)), r)]
    if not wanted:
        return
    for policy in policies:
        probs = solve(spec, policy, [_switched(plan.pa, plan.pb, plan.keys, s)
                                     for plan, s in wanted])
        for (plan, s), p in zip(wanted, probs, strict=True):
            plan.solved[policy, s] = p


def game_cruxes(scenario: Scenario, pairs: Sequence[tuple[str, str]],
                solve: SolveMany) -> list[EngineCrux]:
    """Cruxes of every game under every policy for every compared pair of views.

    ``solve(spec, policy, settings)`` returns, for each setting (lens parameter
    values), the outcome probabilities of every equilibrium (the pipeline passes its
    cached, batched solver).
    """
    out: list[EngineCrux] = []
    for spec in scenario.games:
        # a policy the game declares no setting for gives the status quo's game
        policies: list[str | None] = [None, *[p for p in scenario.policy_ids()
                                              if p in spec.policies]]
        plans = _game_pairs(scenario, spec, pairs)
        _prefetch(spec, policies, plans, solve)
        for plan in plans:
            def probabilities(policy: str | None, switched: frozenset[int],
                              plan: _GamePair = plan, spec: Any = spec) -> Probabilities:
                if (policy, switched) not in plan.solved:
                    plan.solved[policy, switched] = solve(
                        spec, policy, [_switched(plan.pa, plan.pb, plan.keys, switched)])[0]
                return plan.solved[policy, switched]

            n = len(plan.keys)
            for policy in policies:
                def value(switched: frozenset[int], policy: str | None = policy,
                          probabilities: Callable[[str | None, frozenset[int]],
                                                  Probabilities] = probabilities) -> str:
                    probs = probabilities(policy, switched)
                    return _game_value(probs, headline_outcomes_of(probs))

                sets, exhaustive = minimal_sets(n, value)
                if not sets:
                    continue
                label = "the status quo" if policy is None else scenario.policy(policy).label
                out.append(EngineCrux(
                    "game", spec.id, policy or "status_quo", plan.va, plan.vb,
                    value(frozenset()), value(frozenset(range(n))), plan.assumptions, sets,
                    exhaustive,
                    f"the outcome probabilities of {spec.label or spec.id} under {label}"))
            if len(policies) > 1:
                out += _safest_policy(scenario, spec, plan.va, plan.vb, n, plan.assumptions,
                                      policies, probabilities)
    return out


def _safest_policy(scenario: Scenario, spec: Any, va: str, vb: str, n_keys: int,
                   assumptions: tuple[ValueAssumption, ...], policies: list[str | None],
                   probabilities: Callable[[str | None, frozenset[int]], Probabilities]
                   ) -> list[EngineCrux]:
    """Which policy gives the lowest P(war) in the game (its highest value over the
    equilibria), and the parameter values that decide it."""
    names: dict[str | None, str] = {None: "the status quo"}
    names.update({p: scenario.policy(p).label for p in policies if p is not None})
    memo: dict[frozenset[int], str] = {}

    def value(switched: frozenset[int]) -> str:
        if switched not in memo:
            worst: dict[str | None, float] = {}
            for policy in policies:
                probs = probabilities(policy, switched)
                worst[policy] = round(max((p.get("war", 0.0) for p in probs), default=1.0), 2)
            low = min(worst.values())
            memo[switched] = tied([names[p] for p in policies if worst[p] == low])
        return memo[switched]

    sets, exhaustive = minimal_sets(n_keys, value)
    if not sets:
        return []
    return [EngineCrux("safest_policy", spec.id, None, va, vb, value(frozenset()),
                       value(frozenset(range(n_keys))), assumptions, sets, exhaustive,
                       f"which policy gives the lowest P(war) in {spec.label or spec.id}")]


def headline_outcomes_of(probabilities: Sequence[Mapping[str, float]]) -> list[str]:
    """The outcomes that occur in any of the equilibria, sorted."""
    found = sorted({o for p in probabilities for o in p})
    shown: list[str] = [o for o in ("war", "deal") if o in found]
    return shown or found


def forecast_cruxes(scenario: Scenario, pairs: Sequence[tuple[str, str]],
                    known: Mapping[tuple[str, str], Sequence[float]] | None = None
                    ) -> list[EngineCrux]:
    """Cruxes of the headline negotiation model's forecast of each issue.

    ``known`` holds forecasts already computed by the headline model, by (issue id,
    :func:`overrides_key` of the actor overrides): the views' own forecasts, which are
    the ends of every search."""
    from crisislab.bargaining.forecast import forecast_issue

    done: dict[tuple[str, str], Sequence[float]] = dict(known or {})

    def forecast(issue: Any, over: dict[str, dict[str, Any]]) -> Sequence[float]:
        key = (issue.id, overrides_key(over))
        if key not in done:
            done[key] = forecast_issue(issue, FORECAST_MODEL, overrides=over).forecast
        return done[key]

    out: list[EngineCrux] = []
    for issue in scenario.issues:
        for va, vb in pairs:
            la, lb = _lens(scenario, va), _lens(scenario, vb)
            oa = dict(la.issues.get(issue.id, {})) if la else {}
            ob = dict(lb.issues.get(issue.id, {})) if lb else {}
            fields = ("position", "salience", "capability")
            keys = sorted({(a, f) for src in (oa, ob) for a, fs in src.items() for f in fs
                           if f in fields
                           and json.dumps(oa.get(a, {}).get(f), sort_keys=True, default=str)
                           != json.dumps(ob.get(a, {}).get(f), sort_keys=True, default=str)})
            if not keys:
                continue
            memo: dict[frozenset[int], str] = {}

            def value(switched: frozenset[int], oa: dict[str, Any] = oa,
                      ob: dict[str, Any] = ob, keys: list[tuple[str, str]] = keys,
                      issue: Any = issue, memo: dict[frozenset[int], str] = memo) -> str:
                if switched not in memo:
                    over: dict[str, dict[str, Any]] = {a: {f: v for f, v in fs.items()
                                                           if (a, f) not in keys}
                                                       for a, fs in oa.items()}
                    for i, (a, f) in enumerate(keys):
                        src = ob if i in switched else oa
                        if f in src.get(a, {}):
                            over.setdefault(a, {})[f] = src[a][f]
                    fc = forecast(issue, {a: fs for a, fs in over.items() if fs})
                    memo[switched] = " / ".join(f"{x:.1f}" for x in fc)
                return memo[switched]

            sets, exhaustive = minimal_sets(len(keys), value)
            if not sets:
                continue

            def side(src: dict[str, Any], a: str, f: str, issue: Any = issue
                     ) -> tuple[Number | None, str | None]:
                v = src.get(a, {}).get(f)
                if v is None:  # the view keeps the scenario's own value
                    base = issue.positions.get(a)
                    return ((as_number(getattr(base, f)), "as in the scenario")
                            if base is not None else (None, None))
                ev = src.get(a, {}).get("quote") or src.get(a, {}).get("assumption")
                return _raw(v)[0], ev

            assumptions = tuple(ValueAssumption(f"{a}.{f}", *side(oa, a, f)[:1],
                                                *side(ob, a, f)[:1], side(oa, a, f)[1],
                                                side(ob, a, f)[1]) for a, f in keys)
            out.append(EngineCrux("forecast", issue.id, None, va, vb, value(frozenset()),
                                  value(frozenset(range(len(keys)))), assumptions, sets,
                                  exhaustive, f"where {issue.label} settles "
                                  f"({FORECAST_MODEL} model)"))
    return out


def overrides_key(overrides: Mapping[str, Any] | None) -> str:
    """A view's actor overrides of one issue as a key: the same values, the same key
    (no overrides and an empty mapping alike)."""
    kept = {a: fs for a, fs in (overrides or {}).items() if fs}
    return json.dumps(kept, sort_keys=True, default=str)


def engine_crux_sentence(crux: EngineCrux, names: Mapping[str, str]) -> str:
    """One engine crux in words: what each view concludes (view B's first), then the
    values that decide it, with each side's evidence."""
    a, b = names.get(crux.view_a, crux.view_a), names.get(crux.view_b, crux.view_b)
    sets = []
    for s in crux.sets:
        parts = []
        for i in s:
            x = crux.assumptions[i]
            ev_b = f" ({x.evidence_b.rstrip('.')})" if x.evidence_b else ""
            ev_a = f" ({x.evidence_a.rstrip('.')})" if x.evidence_a else ""
            parts.append(f"{x.key}: {b} {number_text(x.value_b)}{ev_b}; "
                         f"{a} {number_text(x.value_a)}{ev_a}")
        sets.append(" and ".join(parts))
    head = f"{crux.text[0].upper()}{crux.text[1:]} ({b}: {crux.value_b}; {a}: {crux.value_a})"
    return f"{head}; the difference turns on " + " — or — ".join(sets) + "."


__all__ = ["EngineCrux", "ValueAssumption", "engine_crux_sentence", "forecast_cruxes",
           "game_cruxes", "headline_outcomes_of", "minimal_sets", "overrides_key"]
