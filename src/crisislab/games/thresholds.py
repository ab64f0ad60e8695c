"""Switch points and outcome curves: how conclusions move with one belief or parameter.

**Switch points.**  The *regime* of a solution is, for every equilibrium found,
the set of actions played with positive probability at each information set
(optionally only one player's), so a regime changes exactly where an
equilibrium outcome or a player's policy switches, while probabilities
moving within a mixed equilibrium do not count as a switch.  The search
evaluates the regime on a uniform grid over [lo, hi] and, for each pair of
neighbouring grid points with different regimes, runs bisection
(:func:`scipy.optimize.bisect` on +1/-1 "same regime as the left end") with
the full solver inside until the bracket is narrower than ``xtol``.  Two
switches closer together than the grid spacing can be missed; the result
states the spacing.

With ``method="auto"`` an explicit tree is searched with the pure-strategy
search (fast and deterministic); mixed equilibria then do not count.  Pass a
Gambit method to include them, at the cost of one Gambit run per step.

**Curves.**  The probability of each outcome class at each value of the
parameter, for every equilibrium found, ready for plotting;
:func:`curve_svg` draws them as a self-contained SVG (no scripts) with lens
values marked.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from crisislab.errors import InputError, Problem
from crisislab.games.methods import CREDIBLE
from crisislab.games.results import GameSolution, tidy
from crisislab.games.solve import solve_game
from crisislab.games.spec import TemplateGameSpec, TreeGameSpec, game_parameters
from crisislab.games.templates import TEMPLATES
from crisislab.provenance import Provenance

if TYPE_CHECKING:
    import pandas as pd

SUPPORT = 1e-6


class Switch(BaseModel):
    """One switch: the value (within ``bracket``), the regimes either side, and words."""

    model_config = ConfigDict(frozen=True)

    value: float
    bracket: tuple[float, float]
    before: list[str]
    after: list[str]
    display: str = Field("", description="The value rounded to the precision it has: the "
                                         "shortest decimal inside the bracket.")
    description: str = Field("", description="The switch in words.")


def shortest_decimal(value: float, tol: float) -> str:
    """The shortest decimal within ``tol`` of ``value`` (how precisely it is known)."""
    for d in range(0, 16):
        r = round(value, d)
        if abs(r - value) <= tol:
            return f"{r:.{d}f}"
    return f"{value:.15g}"


def regime_moves(regime_text: str) -> dict[str, str]:
    """``"k1: a/b | k2: c"`` -> {k1: "a/b", k2: "c"}."""
    out = {}
    for part in regime_text.split(" | "):
        if ": " in part:
            k, acts = part.split(": ", 1)
            out[k] = acts
    return out


def _words(acts: str) -> str:
    parts = acts.split("/")
    return parts[0] if len(parts) == 1 else " or ".join(parts) + " (mixed)"


def describe_regime(regime: list[str], players: dict[str, str]) -> str:
    """A regime in words: per equilibrium, what each actor does at each information set."""
    if regime == ["no equilibrium"]:
        return "no equilibrium found"
    eqs = []
    for text in regime:
        moves = regime_moves(text)
        eqs.append("; ".join(f"{players.get(k, '?')} at {k}: {_words(a)}"
                             for k, a in moves.items()))
    if len(eqs) == 1:
        return eqs[0]
    return " — or — ".join(f"equilibrium {i + 1}: {e}" for i, e in enumerate(eqs))


def describe_switch(param: str, display: str, before: list[str], after: list[str],
                    players: dict[str, str]) -> str:
    """``above p ≈ 0.6 US switches from talks to embargo at K`` (or the regime change)."""
    head = f"above {param} ≈ {display}"
    if len(before) == 1 and len(after) == 1 and "no equilibrium" not in before + after:
        b, a = regime_moves(before[0]), regime_moves(after[0])
        changes = [f"{players.get(k, '?')} switches from {_words(b.get(k, '-'))} to "
                   f"{_words(a.get(k, '-'))} at {k}" for k in dict.fromkeys([*b, *a])
                   if b.get(k) != a.get(k)]
        if changes:
            return f"{head}: " + "; ".join(changes)
    return (f"{head}: from {describe_regime(before, players)} to "
            f"{describe_regime(after, players)}")


class ThresholdResult(BaseModel):
    """Switch points of one parameter over [lo, hi]."""

    model_config = ConfigDict(frozen=True)

    game_id: str
    parameter: str
    low: float
    high: float
    grid_spacing: float
    player: str | None
    switches: list[Switch]
    regimes: list[tuple[float, float, list[str]]]
    regime_descriptions: list[str] = Field(default_factory=list,
                                           description="Each regime in words, same order.")
    refinement: str = "pbe"
    provenance: Provenance

    def to_pandas(self) -> pd.DataFrame:
        import pandas as pd

        return pd.DataFrame([{"value": s.value, "display": s.display, "before": "; ".join(
            s.before), "after": "; ".join(s.after), "description": s.description}
            for s in self.switches])

    def regimes_frame(self) -> pd.DataFrame:
        """One row per regime: from, to, what happens (in words)."""
        import pandas as pd

        return pd.DataFrame([{"from": lo, "to": hi, "regime": desc}
                             for (lo, hi, _r), desc in zip(self.regimes,
                                                           self.regime_descriptions,
                                                           strict=True)])


class CurvePoint(BaseModel):
    """Outcome probabilities of every equilibrium at one value; the selected one's
    strategies, beliefs and expected payoffs (curves of those, not only outcomes)."""

    model_config = ConfigDict(frozen=True)

    value: float
    equilibria: list[dict[str, float]]
    selected: int | None = None
    behaviour: dict[str, dict[str, float]] = Field(default_factory=dict)
    beliefs: dict[str, dict[str, float]] = Field(default_factory=dict)
    payoffs: dict[str, float] = Field(default_factory=dict)


class OutcomeCurve(BaseModel):
    """Outcome probabilities against one parameter."""

    model_config = ConfigDict(frozen=True)

    game_id: str
    parameter: str
    outcomes: list[str]
    points: list[CurvePoint]
    provenance: Provenance

    def to_pandas(self) -> pd.DataFrame:
        import pandas as pd

        rows = [{"value": p.value, "equilibrium": i, "selected": i == p.selected, **eq}
                for p in self.points for i, eq in enumerate(p.equilibria)]
        return pd.DataFrame(rows)

    def selected_frame(self) -> pd.DataFrame:
        """One row per value: the selected equilibrium's action probabilities, beliefs
        and expected payoffs as columns ``move:SET:ACTION``, ``belief:SET:NODE``,
        ``payoff:ACTOR``."""
        rows = []
        for p in self.points:
            row: dict[str, Any] = {"value": p.value}
            row.update({f"move:{k}:{a}": v for k, acts in p.behaviour.items()
                        for a, v in acts.items()})
            row.update({f"belief:{k}:{n}": v for k, mu in p.beliefs.items()
                        for n, v in mu.items()})
            row.update({f"payoff:{k}": v for k, v in p.payoffs.items()})
            rows.append(row)
        return pd.DataFrame(rows)


def parameter_range(spec: TemplateGameSpec | TreeGameSpec, name: str) -> tuple[float, float]:
    """Admissible range of a parameter: the template's, [0, 1] for probabilities-like names."""
    if isinstance(spec, TemplateGameSpec) and spec.template in TEMPLATES:
        info = TEMPLATES[spec.template].parameters.get(name)
        if info is not None and np.isfinite(info.low) and np.isfinite(info.high):
            return info.low, info.high
    value = game_parameters(spec).get(name)
    if value is None:
        raise InputError([Problem(f"game {spec.id!r} has no parameter {name!r}", value=name,
                                  expected=", ".join(sorted(game_parameters(spec))))])
    if 0.0 <= value <= 1.0:
        return 0.0, 1.0
    return value - abs(value), value + abs(value) + 1.0


def regime(solution: GameSolution, player: str | None = None) -> list[str]:
    """Sorted description of every equilibrium's supports (the thing whose change we seek)."""
    out = []
    for eq in solution.equilibria:
        parts = [f"{k}: {'/'.join(a for a, p in acts.items() if p > SUPPORT)}"
                 for k, acts in sorted(eq.behaviour.items())
                 if player is None or solution.infoset_players[k] == player]
        out.append(" | ".join(parts))
    return sorted(out) or ["no equilibrium"]


def _solve_at(spec: TemplateGameSpec | TreeGameSpec, name: str, x: float, method: str,
              overrides: dict[str, Any] | None, refinement: str = CREDIBLE) -> GameSolution:
    return solve_game(spec, method, overrides={**(overrides or {}), name: float(x)},
                      refinement=refinement)


def find_switches(spec: TemplateGameSpec | TreeGameSpec, name: str, lo: float | None = None,
                  hi: float | None = None, *, method: str = "auto", player: str | None = None,
                  overrides: dict[str, Any] | None = None, grid: int = 41,
                  xtol: float = 1e-9, lens: str | None = None,
                  refinement: str = CREDIBLE) -> ThresholdResult:
    """Values of ``name`` in [lo, hi] where the equilibrium regime switches (module docstring).

    A regime narrower than ``50 * xtol`` (a knife edge, e.g. exact indifference at a
    grid point) is merged into its neighbours, so one threshold gives one switch.
    """
    if method == "auto" and isinstance(spec, TreeGameSpec):
        # the solver runs dozens of times: the dependency-free, deterministic pair
        method = "pure+qre-limit"
    rlo, rhi = parameter_range(spec, name)
    lo = rlo if lo is None else lo
    hi = rhi if hi is None else hi
    if not lo < hi:
        raise InputError([Problem(f"empty search interval [{lo}, {hi}]", value=(lo, hi),
                                  expected="lo < hi")])
    xs = np.linspace(lo, hi, grid)
    # endpoints of a prior's range often violate template assumptions (priors in (0, 1))
    eps = (hi - lo) * 1e-9
    xs[0], xs[-1] = xs[0] + eps, xs[-1] - eps
    sols = [_solve_at(spec, name, x, method, overrides, refinement) for x in xs]
    players = sols[0].infoset_players
    regs = [regime(sol, player) for sol in sols]
    from scipy.optimize import bisect

    raw: list[tuple[float, list[str], list[str]]] = []
    for i in range(len(xs) - 1):
        if regs[i] == regs[i + 1]:
            continue
        left = regs[i]

        def same(x: float, left: list[str] = left) -> float:
            sol = _solve_at(spec, name, x, method, overrides, refinement)
            return 1.0 if regime(sol, player) == left else -1.0

        root = float(bisect(same, float(xs[i]), float(xs[i + 1]), xtol=xtol))
        raw.append((root, left, regs[i + 1]))
    merged: list[tuple[float, list[str], list[str]]] = []
    for root, before, after in raw:
        if merged and root - merged[-1][0] < 50 * xtol:
            prev_root, prev_before, _ = merged.pop()
            if prev_before != after:
                merged.append(((prev_root + root) / 2, prev_before, after))
            continue
        merged.append((root, before, after))
    switches: list[Switch] = []
    regimes: list[tuple[float, float, list[str]]] = []
    start = float(xs[0])
    for root, before, after in merged:
        shown = shortest_decimal(root, 2 * xtol)
        switches.append(Switch(value=tidy(root), bracket=(tidy(root - xtol), tidy(root + xtol)),
                               before=before, after=after, display=shown,
                               description=describe_switch(name, shown, before, after,
                                                           players)))
        regimes.append((tidy(start), tidy(root), before))
        start = root
    regimes.append((tidy(start), tidy(float(xs[-1])), regs[-1]))
    return ThresholdResult(
        game_id=spec.id, parameter=name, low=lo, high=hi, grid_spacing=tidy((hi - lo) /
                                                                             (grid - 1)),
        player=player, switches=switches, regimes=regimes,
        regime_descriptions=[describe_regime(r, players) for _a, _b, r in regimes],
        refinement=refinement,
        provenance=Provenance(method="games.threshold.grid_bisection", lens=lens,
                              parameters={"parameter": name, "low": lo, "high": hi,
                                          "grid": grid, "xtol": xtol, "solver": method,
                                          "player": player, "refinement": refinement}))


def outcome_curve(spec: TemplateGameSpec | TreeGameSpec, name: str, values: list[float] |
                  np.ndarray, *, method: str = "auto", overrides: dict[str, Any] | None = None,
                  lens: str | None = None) -> OutcomeCurve:
    """Outcome-class probabilities of every equilibrium at each value of ``name``."""
    points = []
    outcomes: set[str] = set()
    for x in values:
        sol = _solve_at(spec, name, float(x), method, overrides)
        eqs = [dict(e.outcome_probabilities) for e in sol.equilibria]
        for e in eqs:
            outcomes.update(e)
        sel = sol.equilibria[sol.selected] if sol.selected is not None else None
        points.append(CurvePoint(value=tidy(float(x)), equilibria=eqs, selected=sol.selected,
                                 behaviour=sel.behaviour if sel else {},
                                 beliefs=sel.beliefs if sel else {},
                                 payoffs=sel.expected_payoffs if sel else {}))
    return OutcomeCurve(game_id=spec.id, parameter=name, outcomes=sorted(outcomes),
                        points=points,
                        provenance=Provenance(method="games.outcome_curve", lens=lens,
                                              parameters={"parameter": name, "solver": method,
                                                          "n": len(points)}))


_COLOURS = {"war": "#b2182b", "deal": "#1a9850", "status_quo": "#777777"}
_OTHER = ["#2166ac", "#e08214", "#762a83", "#35978f"]


def curve_svg(curve: OutcomeCurve, lens_marks: dict[str, float] | None = None,
              width: int = 560, height: int = 320, equilibrium: int | None = None) -> str:
    """Self-contained SVG line chart of ``curve``, lenses as dashed lines.

    Plots the selected equilibrium at each value (``equilibrium=None``) or the
    equilibrium with that index; values without one leave a gap."""
    ml, mr, mt, mb = 48, 130, 16, 40
    pw, ph = width - ml - mr, height - mt - mb
    xs = [p.value for p in curve.points]
    x0, x1 = (min(xs), max(xs)) if xs else (0.0, 1.0)
    span = (x1 - x0) or 1.0

    def sx(x: float) -> float:
        return ml + (x - x0) / span * pw

    def sy(y: float) -> float:
        return mt + (1 - y) * ph

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="11">',
             f'<rect x="{ml}" y="{mt}" width="{pw}" height="{ph}" fill="none" stroke="#333"/>']
    for t in (0.0, 0.25, 0.5, 0.75, 1.0):
        parts.append(f'<text x="{ml - 6}" y="{sy(t) + 4:.1f}" text-anchor="end">{t:g}</text>')
        parts.append(f'<text x="{sx(x0 + t * span):.1f}" y="{mt + ph + 14}" '
                     f'text-anchor="middle">{x0 + t * span:.3g}</text>')
    parts.append(f'<text x="{ml + pw / 2:.1f}" y="{height - 6}" text-anchor="middle">'
                 f'{escape(curve.parameter)}</text>')
    others = iter(_OTHER * 4)
    for j, oc in enumerate(curve.outcomes):
        colour = _COLOURS.get(oc) or next(others)
        pts = []
        for p in curve.points:
            idx = p.selected if equilibrium is None else equilibrium
            if idx is not None and idx < len(p.equilibria):
                pts.append((sx(p.value), sy(p.equilibria[idx].get(oc, 0.0))))
        if pts:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in pts)
            parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" '
                         f'points="{path}"/>')
        parts.append(f'<line x1="{ml + pw + 10}" x2="{ml + pw + 28}" y1="{mt + 10 + 16 * j}" '
                     f'y2="{mt + 10 + 16 * j}" stroke="{colour}" stroke-width="2"/>')
        parts.append(f'<text x="{ml + pw + 32}" y="{mt + 14 + 16 * j}">{escape(oc)}</text>')
    for name, value in sorted((lens_marks or {}).items()):
        if x0 <= value <= x1:
            parts.append(f'<line x1="{sx(value):.1f}" x2="{sx(value):.1f}" y1="{mt}" '
                         f'y2="{mt + ph}" stroke="#000" stroke-dasharray="4 3"/>')
            parts.append(f'<text x="{sx(value) + 3:.1f}" y="{mt + 12}">{escape(name)}</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"
