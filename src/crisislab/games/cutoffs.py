"""Equilibria of games with a continuum of types, which take the form of cutoffs.

With a continuum of private types, equilibrium strategies are thresholds: a
type acts one way below a cutoff and the other way above it.  The cutoff
solves an indifference condition, found here by bracketing every sign change
on a fine grid and refining each with Brent's method, for any type
distribution scipy.stats provides.

* Fearon (1995), risk-return trade-off: the responder's cost of war c has
  distribution F; it accepts a demand x iff c >= x - p, so the cutoff type is
  c* = x* - p, where the proposer's demand maximises
  U(x) = x (1 - F(x - p)) + (p - c_P) F(x - p), with first-order condition
  1 - F(c) - (c + c_P) f(c) = 0.
* Kydd (2005, ch. 2), the security dilemma with a continuum of types: each
  state's temptation t to exploit a cooperator is private, with distribution
  F; both cooperate 1, both defect 0, a cooperator exploited gets -c.  Type t
  cooperates iff s - c (1 - s) >= s t, s the other's probability of
  cooperating; in a symmetric cutoff equilibrium s = F(t*), so
  (t* - 1 - c) F(t*) + c = 0.  Mutual defection (no type cooperates) is
  always an equilibrium too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

GRID = 4001


def _roots(fn: Any, lo: float, hi: float) -> list[float]:
    from scipy import optimize  # here: half a second to import

    xs = np.linspace(lo, hi, GRID)
    ys = np.asarray(fn(xs), dtype=float)  # one whole-array evaluation of the grid
    out: list[float] = []
    for i in range(len(xs) - 1):
        if ys[i] == 0:
            out.append(float(xs[i]))
        elif ys[i] * ys[i + 1] < 0:
            out.append(float(optimize.brentq(lambda x: float(fn(x)), xs[i], xs[i + 1],
                                             xtol=1e-14, rtol=1e-14)))
    if ys[-1] == 0:
        out.append(float(xs[-1]))
    return out


def _support(dist: Any, cap: float = 1e6) -> tuple[float, float]:
    lo, hi = (float(v) for v in dist.support())
    if not np.isfinite(lo):
        lo = float(dist.ppf(1e-12))
    if not np.isfinite(hi):
        hi = min(float(dist.ppf(1 - 1e-12)), cap)
    return lo, hi


@dataclass(frozen=True)
class FearonCutoff:
    """The proposer's demand, the cutoff type and the risk of war."""

    offer: float
    cutoff: float
    p_war: float
    proposer_payoff: float
    candidates: list[float] = field(default_factory=list)  # stationary cutoffs examined


def fearon_cutoff(p: float, cost_proposer: float, cost_dist: Any) -> FearonCutoff:
    """Fearon's risk-return equilibrium for a responder cost distribution (scipy frozen)."""
    lo, hi = _support(cost_dist)
    lo = max(lo, 0.0)
    hi = min(hi, 1.0 - p)

    def utility(c: float) -> float:
        f = float(cost_dist.cdf(c))
        return (p + c) * (1 - f) + (p - cost_proposer) * f

    def foc(c: Any) -> Any:
        return 1 - cost_dist.cdf(c) - (c + cost_proposer) * cost_dist.pdf(c)

    cands = [lo, hi, *_roots(foc, lo, hi)]
    best = max(cands, key=utility)
    f = float(cost_dist.cdf(best))
    return FearonCutoff(p + best, best, f, utility(best), sorted(cands))


@dataclass(frozen=True)
class KyddCutoffs:
    """Symmetric cutoff equilibria: each type below ``cutoffs[k]`` cooperates."""

    cutoffs: list[float]
    cooperation: list[float]  # F(cutoff): probability that a state cooperates
    notes: list[str]


def kydd_cutoff(sucker_cost: float, temptation_dist: Any) -> KyddCutoffs:
    """Symmetric cutoff equilibria of the security dilemma with a continuum of temptations."""
    c = sucker_cost
    lo, hi = _support(temptation_dist)

    def phi(t: Any) -> Any:
        return (t - 1 - c) * temptation_dist.cdf(t) + c

    roots = [t for t in _roots(phi, lo, hi) if temptation_dist.cdf(t) > 0]
    notes = ["mutual defection (no type cooperates) is always an equilibrium"]
    if float(phi(hi)) <= 0 and hi <= 1:
        roots.append(hi)
        notes.append("every type cooperates at the top of the support")
    if len(roots) >= 2:
        notes.append("the lower interior cutoff is unstable (a small rise in expected "
                     "cooperation raises cooperation further)")
    roots = sorted(set(roots))
    return KyddCutoffs(roots, [float(temptation_dist.cdf(t)) for t in roots], notes)
