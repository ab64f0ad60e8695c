"""The benchmark models every strategic forecast is held against.

* **compromise** — the capability x salience weighted mean of positions.  On
  EU legislative data it matches or beats the strategic models (Thomson,
  Stokman, Achen & König 2006; Achen 2006).
* **weighted median** — the position of the median voter, weights
  capability x salience: the Condorcet winner when utilities fall off
  linearly with distance (Black 1948).
* **Nash bargaining solution** proper (Nash 1950; asymmetric form, Kalai
  1977): the point maximising the weighted product of every stakeholder's
  utility gain over the disagreement point, found numerically.  Not the
  weighted mean some tools call by that name.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

import numpy as np

from crisislab.bargaining.results import Forecast
from crisislab.bargaining.spec import IssueArrays
from crisislab.provenance import Provenance


def weights(arr: IssueArrays) -> np.ndarray:
    """(n_actors, n_dims) capability x salience weights."""
    return arr.capability[:, None] * arr.salience  # type: ignore[no-any-return]


def weighted_mean(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Per-dimension weighted mean of positions x (n, d) with weights w (n, d)."""
    tot = w.sum(axis=0)
    safe = np.where(tot > 0, tot, 1.0)
    mean = (w * x).sum(axis=0) / safe
    return np.where(tot > 0, mean, x.mean(axis=0))  # type: ignore[no-any-return]


def weighted_median(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Per-dimension weighted median: the lowest position holding half the weight.

    With linear (distance) utilities it is the Condorcet winner among the
    positions.  On an exact tie (a cumulative weight of exactly one half)
    the lower of the two tied positions is returned.
    """
    x = np.atleast_2d(np.asarray(x, dtype=float))
    w = np.atleast_2d(np.asarray(w, dtype=float))
    out = np.empty(x.shape[1])
    for k in range(x.shape[1]):
        order = np.argsort(x[:, k], kind="stable")
        xs, ws = x[order, k], w[order, k]
        total = ws.sum()
        if total <= 0:
            ws = np.ones_like(ws)
            total = ws.sum()
        cum = np.cumsum(ws)
        idx = int(np.searchsorted(cum, total / 2.0 * (1 - 1e-12), side="left"))
        out[k] = xs[min(idx, len(xs) - 1)]
    return out


def _prov(method: str, arr: IssueArrays, lens: str | None, **params: object) -> Provenance:
    return Provenance(method=method, parameters=dict(params), lens=lens, scenario=arr.issue)


def compromise(arr: IssueArrays, *, lens: str | None = None) -> Forecast:
    """Capability x salience weighted mean of positions (the compromise model)."""
    f = weighted_mean(arr.positions, weights(arr))
    return Forecast(issue=arr.issue, model="compromise", lens=lens,
                    dimensions=list(arr.dimensions), actors=list(arr.actors),
                    forecast=[float(v) for v in f],
                    provenance=_prov("bargaining.compromise", arr, lens,
                                     weights="capability*salience"))


def median(arr: IssueArrays, *, lens: str | None = None) -> Forecast:
    """Capability x salience weighted median of positions (median voter)."""
    f = weighted_median(arr.positions, weights(arr))
    return Forecast(issue=arr.issue, model="median", lens=lens,
                    dimensions=list(arr.dimensions), actors=list(arr.actors),
                    forecast=[float(v) for v in f],
                    provenance=_prov("bargaining.weighted_median", arr, lens,
                                     weights="capability*salience", ties="lower"))


Utility = Literal["linear", "quadratic"]


def salience_distance(ideal: np.ndarray, x: np.ndarray, sal: np.ndarray) -> np.ndarray:
    """Salience-weighted distance on the normalised [0,1] scales, in [0, 1].

    sqrt(sum_d (s_d * dx_d)^2 / sum_d s_d^2): KTAB's ``bvDiff``.  In one
    dimension it is |dx|.  ``ideal`` and ``sal`` are (n, d); ``x`` is (d,) or
    broadcastable (..., n, d).
    """
    s2 = np.square(sal)
    s2 = np.where(s2.sum(axis=-1, keepdims=True) > 0, s2, 1.0)  # no salience: equal weights
    return np.sqrt((np.square(ideal - x) * s2).sum(axis=-1) / s2.sum(axis=-1))  # type: ignore[no-any-return]


def _utility(dist: np.ndarray, shape: Utility) -> np.ndarray:
    return 1.0 - dist if shape == "linear" else 1.0 - np.square(dist)


def nash_bargaining(arr: IssueArrays, *, lens: str | None = None,
                    utility: Utility = "quadratic",
                    disagreement: Literal["auto", "status_quo", "worst"] = "auto",
                    weighted: bool = True) -> Forecast:
    """The (asymmetric) Nash bargaining solution over the issue's scales.

    Maximises sum_i w_i log(u_i(x) - d_i) over the box of the scales, with
    u_i = 1 - dist (``linear``) or 1 - dist**2 (``quadratic``), dist the
    salience-weighted normalised distance from i's position, w_i =
    capability x total salience (``weighted``; else equal weights), and d_i
    the utility of the disagreement point: the issue's status quo when it has
    one (``auto``/``status_quo``), else each stakeholder's worst point on the
    scale (``worst``).  If no point gives every stakeholder a gain, there is
    no bargain and the forecast is the status quo.  Stakeholders whose ideal
    is the disagreement point are listed in ``veto``: they gain from no
    settlement, so any one of them blocks every bargain.
    """
    ideal = arr.normalised()
    sal = arr.salience
    from scipy import optimize  # here: half a second to import

    n, nd = ideal.shape
    w = arr.capability * sal.sum(axis=1) if weighted else np.ones(n)
    if not np.any(w > 0):
        w = np.ones(n)
    use_sq = arr.status_quo is not None and disagreement in ("auto", "status_quo")
    if disagreement == "status_quo" and arr.status_quo is None:
        use_sq = False
    if use_sq:
        assert arr.status_quo is not None
        sq = (arr.status_quo - arr.lower) / (arr.upper - arr.lower)
        d = _utility(salience_distance(ideal, sq, sal), utility)
    else:
        sq = None
        worst = np.where(ideal > 0.5, 0.0, 1.0)  # the farther end on every dimension
        d = _utility(salience_distance(ideal, worst, sal), utility)
    active = w > 0
    # An ideal at the disagreement point: utility there is already the maximum, 1.
    veto = [a for a, di, on in zip(arr.actors, d, active, strict=True) if on and di >= 1 - 1e-12]

    objective, objective_on = nash_objectives(ideal, sal, d, w, active, utility)
    notes: list[str] = []
    start = _feasible_start(arr, objective, objective_on)
    if start is None:
        best = sq if sq is not None else weighted_mean(ideal, arr.capability[:, None] * sal)
        notes.append("no point gives every stakeholder a gain over the disagreement point: "
                     "no bargain, forecast is the disagreement point")
        x = best
    elif nd == 1:
        grid = np.linspace(0.0, 1.0, 2001)
        vals = objective_on(grid[:, None])
        k = int(np.argmin(vals))
        lo, hi = grid[max(k - 1, 0)], grid[min(k + 1, len(grid) - 1)]
        slope = _slope_1d(ideal[:, 0], w, d, utility, active)
        if vals[max(k - 1, 0)] < 1e6 and vals[min(k + 1, len(grid) - 1)] < 1e6 \
                and slope(lo) > 0 > slope(hi):
            x = np.array([optimize.brentq(slope, lo, hi, xtol=1e-15, rtol=1e-15)])
        else:
            res = optimize.minimize_scalar(lambda t: objective(np.array([t])), bounds=(lo, hi),
                                           method="bounded", options={"xatol": 1e-12})
            x = np.array([res.x]) if res.fun <= vals[k] else np.array([grid[k]])
    else:
        res = optimize.minimize(objective, start, method="L-BFGS-B",
                                bounds=[(0.0, 1.0)] * nd, options={"ftol": 1e-14})
        res2 = optimize.minimize(objective, res.x, method="Nelder-Mead",
                                 options={"xatol": 1e-9, "fatol": 1e-13, "maxiter": 4000})
        x = np.clip(res2.x if res2.fun < res.fun else res.x, 0, 1)
    f = arr.denormalise(x)
    return Forecast(issue=arr.issue, model="nash", lens=lens,
                    dimensions=list(arr.dimensions), actors=list(arr.actors),
                    forecast=[float(v) for v in f], notes=notes, veto=veto,
                    stop_reason="optimum" if start is not None else "no bargain",
                    provenance=_prov("bargaining.nash_bargaining_solution", arr, lens,
                                     utility=utility, weighted=weighted,
                                     disagreement="status_quo" if use_sq else "worst",
                                     optimiser="grid+bounded Brent (1-D); "
                                               "L-BFGS-B+Nelder-Mead (n-D)"))


def _slope_1d(ideal: np.ndarray, w: np.ndarray, d: np.ndarray, utility: Utility,
              active: np.ndarray) -> Callable[[float], float]:
    """Derivative of the weighted log Nash product in one dimension (decreasing)."""

    def slope(t: float) -> float:
        dx = t - ideal
        u = 1.0 - np.abs(dx) if utility == "linear" else 1.0 - dx * dx
        du = -np.sign(dx) if utility == "linear" else -2.0 * dx
        return float(np.sum((w * du / (u - d))[active]))

    return slope


def nash_objectives(ideal: np.ndarray, sal: np.ndarray, d: np.ndarray, w: np.ndarray,
                    active: np.ndarray, utility: Utility
                    ) -> tuple[Callable[[np.ndarray], float],
                               Callable[[np.ndarray], np.ndarray]]:
    """The minimised objective of the Nash bargaining solution (the negative weighted
    log Nash product, or 1e6 plus the shortfall where someone gains nothing), at one
    point and at every row of a (k, dims) array of points.

    The array form serves the 1-D grid search (2,001 points), one array computation
    instead of a call per point.  It does the same arithmetic element by element and
    sums each point's terms over a contiguous row, as the one-point form sums its 1-D
    array, so the values are the same to the bit.
    """
    w_active = w[active]

    def objective(x: np.ndarray) -> float:
        gain = _utility(salience_distance(ideal, np.clip(x, 0, 1), sal), utility) - d
        g = gain[active]
        if np.any(g <= 0):
            return 1e6 + float(np.sum(np.maximum(-g, 0)))
        return -float(np.sum(w_active * np.log(g)))

    def objective_on(points: np.ndarray) -> np.ndarray:
        x = np.clip(points, 0, 1)[:, None, :]
        gain = _utility(salience_distance(ideal, x, sal), utility) - d
        g = np.ascontiguousarray(gain[:, active])
        bad = np.any(g <= 0, axis=1)
        penalty = 1e6 + np.sum(np.maximum(-g, 0), axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            value = -np.sum(w_active * np.log(g), axis=1)
        return np.where(bad, penalty, value)  # type: ignore[no-any-return]

    return objective, objective_on


def _feasible_start(arr: IssueArrays, objective: Callable[[np.ndarray], float],
                    objective_on: Callable[[np.ndarray], np.ndarray]) -> np.ndarray | None:
    ideal = arr.normalised()
    cands = [weighted_mean(ideal, weights(arr)), weighted_median(ideal, weights(arr)),
             ideal.mean(axis=0), *list(ideal)]
    for c in cands:
        if objective(np.asarray(c)) < 1e6:
            return np.asarray(c, dtype=float)
    if ideal.shape[1] == 1:
        grid = np.linspace(0, 1, 2001)
        ok = np.flatnonzero(objective_on(grid[:, None]) < 1e6)
        if ok.size:
            return np.array([grid[int(ok[0])]])
    return None
