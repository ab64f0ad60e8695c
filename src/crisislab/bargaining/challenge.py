"""Bueno de Mesquita's expected-utility challenge model, after Scholz et al.

The model (Bueno de Mesquita 1994, "Political forecasting: an expected
utility method") as reconstructed, with all its equations, by Scholz, Calbert
& Smith (2011), "Unravelling Bueno de Mesquita's group decision model"
(ICAART 2011; J. Theoretical Politics 23(4)).  Each round:

1. every actor k votes between positions a and b with
   c_k s_k (|x_k - x_b|^r_k - |x_k - x_a|^r_k) / range (Scholz eq. 1);
2. the probability that i's position prevails against j's is the support
   for i over j divided by a normalising sum (eq. 2, option ``probability``);
3. utilities of success, failure and the status quo with risk exponent r:
   U^s = 2 - 4 (0.5 - 0.5 d_ij)^r, U^f = 2 - 4 (0.5 + 0.5 d_ij)^r,
   U^sq = 2 - 4 (0.5)^r (eqs. 4-6), d_ij = |x_i - x_j| / range;
4. expected utility of i challenging j:
   EU = s (P U^s + (1-P) U^f) + (1 - s) U^s - Q U^sq, s the resisting
   side's salience (option ``target_salience``) (eq. 3);
5. security level of i (sum of the expected utilities of challenges against
   i), risk acceptance R_i = (2 S_i - S_max - S_min) / (S_max - S_min) and
   risk exponent r_i = (1 - R_i/3) / (1 + R_i/3) (eqs. 7-8);
6. every actor i looks at every other j from its own perspective, x =
   E^i(U_ij), y = E^i(U_ji), classifies the pair into an octant (conflict,
   compromise, capitulation) and receives the corresponding offer; each
   actor takes one offer (option ``offer_selection``) and all move at once.

The printed text is ambiguous in known places; each is an option of
:class:`ChallengeOptions`, and the defaults follow the public replication code
(github jmckib/bdm-scholz-expected-utility-model, described in Scholz et
al.), which reproduces Table 2 of the paper (mean voter position, rounds
1-8) within 0.1 year on the EC car-emission case.  Everything is computed
for all dyads (and, for the normalising sum, all triads) at once.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from crisislab.bargaining.baselines import weighted_mean, weighted_median
from crisislab.bargaining.results import Forecast, Move, Round
from crisislab.bargaining.spec import IssueArrays
from crisislab.provenance import Provenance


class ChallengeOptions(BaseModel):
    """Every ambiguity of the published model as an explicit choice.

    The defaults reproduce Scholz et al.'s replication (Table 2).
    """

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

    q: float = Field(default=1.0, ge=0.0, le=1.0,
                     description="Probability that the status quo persists (Scholz's Q).")
    target_salience: Literal["target", "challenger"] = Field(
        default="target",
        description="Salience in the resisting side's term of EU: the challenged actor's "
                    "(replication code; symmetric with the challenger's equation) or the "
                    "challenger's own (as printed).")
    security_risk: Literal["neutral", "current"] = Field(
        default="neutral",
        description="Risk exponents while computing security levels: all 1 (replication "
                    "code) or the current round's.")
    security_estimates: Literal["own", "adversaries"] = Field(
        default="own",
        description="Whose estimates enter i's security level: i's own, sum_j E^i(U_ji) "
                    "(printed), or the adversaries', sum_j E^j(U_ji) (prose).  Identical "
                    "under security_risk='neutral'.")
    probability: Literal["all_triads", "pairwise"] = Field(
        default="all_triads",
        description="Normalisation of P(i beats j): by the sum of all absolute votes over "
                    "every pair (replication code), or by the votes on this pair only "
                    "so that P_ij + P_ji = 1 (as printed).")
    octants: Literal["replication_code", "text", "figure"] = Field(
        default="replication_code",
        description="Sign convention of the compromise octant.  With x = E^i(U_ij) < 0 < "
                    "y = E^i(U_ji): 'text' -> compromise if y > |x|, capitulation if y < |x|; "
                    "'figure' -> the reverse; 'replication_code' -> compromise if y > |x|, "
                    "capitulation never (the published code's condition cannot hold).")
    offer_selection: Literal["replication_code", "least_move", "highest_eu"] = Field(
        default="replication_code",
        description="Which offer an actor accepts: conflict before compromise before "
                    "capitulation, least move within a kind but, for compromises, the lowest "
                    "EU-weighted position (replication code); the least move of all "
                    "(the prose); or the offer of the proposer with the highest expected "
                    "utility.")
    median: Literal["condorcet", "weighted_mean"] = Field(
        default="condorcet",
        description="The 'median' position reported and forecast: the Condorcet winner "
                    "among positions (the appendix) or the capability x salience mean.")
    position_range: Literal["positions", "scale"] = Field(
        default="positions",
        description="Normaliser of distances: max - min of the initial positions "
                    "(replication code) or the issue's scale.")
    stop: Literal["rounds", "convergence", "settled"] = Field(
        default="convergence",
        description="'rounds': run exactly max_rounds; 'convergence': stop once no "
                    "position moves by more than tolerance x range, or the positions "
                    "return to an earlier state (a cycle), at most max_rounds; "
                    "'settled': as 'convergence', and also once the forecast "
                    "(median or mean) has held within tolerance x range for `patience` "
                    "consecutive rounds.")
    patience: int = Field(default=3, ge=2,
                          description="Rounds the forecast must hold under stop='settled'.")
    max_rounds: int = Field(default=100, ge=0)
    tolerance: float = Field(default=1e-6, gt=0,
                             description="Fraction of the range below which a move is nil.")
    forecast: Literal["median", "mean"] = Field(
        default="median", description="Which trajectory gives the forecast.")


# ---------------------------------------------------------------- vectorised core


def _probabilities(x: np.ndarray, cs: np.ndarray, rho: np.ndarray, rng: float,
                   mode: str) -> np.ndarray:
    """P[a, b]: probability that a's position prevails when a challenges b."""
    dist = np.abs(x[:, None] - x[None, :]) / rng                 # (k, a)
    u = dist ** rho[:, None]                                     # k's distance^r_k to a
    votes = cs[:, None, None] * (u[:, None, :] - u[:, :, None])  # (k, a, b): k's vote a over b
    support = np.maximum(votes, 0.0).sum(axis=0)                 # (a, b)
    if mode == "all_triads":
        total = np.abs(votes).sum()
        p = support / total if total > 0 else np.zeros_like(support)
    else:
        tot = support + support.T
        p = np.divide(support, tot, out=np.full_like(support, 0.5), where=tot > 0)
    p[x[:, None] == x[None, :]] = 0.0
    return p


def _eu(dist: np.ndarray, p: np.ndarray, s_resist: np.ndarray, r: np.ndarray,
        q: float) -> np.ndarray:
    """Expected utility of challenges, elementwise (Scholz eqs. 3-6)."""
    u_s = 2.0 - 4.0 * (0.5 - 0.5 * dist) ** r
    u_f = 2.0 - 4.0 * (0.5 + 0.5 * dist) ** r
    u_sq = 2.0 - 4.0 * 0.5 ** r
    return s_resist * (p * u_s + (1.0 - p) * u_f) + (1.0 - s_resist) * u_s - q * u_sq


def _risk_exponents(x: np.ndarray, c: np.ndarray, s: np.ndarray, r_prev: np.ndarray,
                    rng: float, o: ChallengeOptions) -> tuple[np.ndarray, np.ndarray]:
    """Security levels and the risk exponents derived from them (eqs. 7-8)."""
    n = len(x)
    cs = c * s
    rho = np.ones(n) if o.security_risk == "neutral" else r_prev
    p = _probabilities(x, cs, rho, rng, o.probability)
    dist = np.abs(x[:, None] - x[None, :]) / rng
    # challenger j (rows) against target i (columns)
    s_res = s[None, :] if o.target_salience == "target" else s[:, None]
    est_r = rho[None, :] if o.security_estimates == "own" else rho[:, None]
    eu = _eu(dist, p, s_res, est_r, o.q)                     # eu[j, i] = E(U_ji)
    np.fill_diagonal(eu, 0.0)
    security = eu.sum(axis=0)
    smax, smin = security.max(), security.min()
    big_r = ((2 * security - smax - smin) / (smax - smin) if smax > smin
             else np.zeros(n))
    return security, (1 - big_r / 3.0) / (1 + big_r / 3.0)


_CONFLICT, _COMPROMISE, _CAPITULATION = 0, 1, 2
_KINDS = ("conflict", "compromise", "capitulation")


def _offers(x: np.ndarray, c: np.ndarray, s: np.ndarray, r: np.ndarray, rng: float,
            o: ChallengeOptions) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray,
                                          np.ndarray, np.ndarray]:
    """For receiver a (rows) and proposer b (columns): offer kind, new position, EUs."""
    n = len(x)
    p = _probabilities(x, c * s, r, rng, o.probability)
    dist = np.abs(x[:, None] - x[None, :]) / rng
    ra = r[:, None]                                               # a's perspective
    s_b = np.broadcast_to(s[None, :], (n, n))
    s_a = np.broadcast_to(s[:, None], (n, n))
    # x_eu[a, b] = E^a(U_ab): a challenging b;  y_eu[a, b] = E^a(U_ba): b challenging a
    x_eu = _eu(dist, p, s_b if o.target_salience == "target" else s_a, ra, o.q)
    y_eu = _eu(dist, p.T, s_a if o.target_salience == "target" else s_b, ra, o.q)
    valid = x[:, None] != x[None, :]
    kind = np.full((n, n), -1)
    conflict = valid & (y_eu > x_eu) & (x_eu > 0)
    lopsided = valid & (y_eu > 0) & (x_eu < 0)
    big_y = y_eu > np.abs(x_eu)
    small_y = y_eu < np.abs(x_eu)
    if o.octants == "figure":
        compromise, capitulation = lopsided & small_y, lopsided & big_y
    else:
        compromise = lopsided & big_y
        capitulation = lopsided & small_y if o.octants == "text" else np.zeros_like(valid)
    kind[capitulation] = _CAPITULATION
    kind[compromise] = _COMPROMISE
    kind[conflict] = _CONFLICT
    ax, ay = np.abs(x_eu), np.abs(y_eu)
    frac = np.divide(np.minimum(ax, ay), np.maximum(ax, ay),
                     out=np.zeros((n, n)), where=np.maximum(ax, ay) > 0)
    target = np.broadcast_to(x[None, :], (n, n))
    new = np.where(kind == _COMPROMISE, x[:, None] + (target - x[:, None]) * frac, target)
    key_comp = np.divide(ax * x[:, None] + ay * target, ax + ay,
                         out=np.array(target, dtype=float), where=(ax + ay) > 0)
    return kind, new, x_eu, y_eu, key_comp, p


def _select(x: np.ndarray, kind: np.ndarray, new: np.ndarray, y_eu: np.ndarray,
            key_comp: np.ndarray, mode: str) -> np.ndarray:
    """Index of the accepted offer per receiver, -1 for none (first index on ties)."""
    n = len(x)
    has = kind >= 0
    move = np.abs(new - x[:, None])
    inf = np.inf
    if mode == "least_move":
        score = np.where(has, move, inf)
    elif mode == "highest_eu":
        score = np.where(has, -y_eu, inf)
    else:
        score = np.full((n, n), inf)
        best_kind = np.where(has, kind, 9).min(axis=1)            # conflict < compromise < ...
        use = has & (kind == best_kind[:, None])
        score = np.where(use & (kind == _COMPROMISE), key_comp, score)
        score = np.where(use & (kind != _COMPROMISE), move, score)
    choice = np.argmin(score, axis=1)
    return np.where(np.isfinite(score[np.arange(n), choice]), choice, -1)


def challenge_round(x: np.ndarray, c: np.ndarray, s: np.ndarray, r_prev: np.ndarray,
                    rng: float, o: ChallengeOptions) -> dict[str, np.ndarray]:
    """One round on one dimension: new positions and why each actor moved."""
    security, r = _risk_exponents(x, c, s, r_prev, rng, o)
    kind, new, x_eu, y_eu, key_comp, _ = _offers(x, c, s, r, rng, o)
    choice = _select(x, kind, new, y_eu, key_comp, o.offer_selection)
    rows = np.arange(len(x))
    picked = choice >= 0
    safe = np.where(picked, choice, 0)
    x_new = np.where(picked, new[rows, safe], x)
    return {"x": x_new, "risk": r, "security": security, "choice": choice,
            "kind": np.where(picked, kind[rows, safe], -1),
            "eu_self": np.where(picked, x_eu[rows, safe], np.nan),
            "eu_other": np.where(picked, y_eu[rows, safe], np.nan)}


def condorcet_median(x: np.ndarray, w: np.ndarray) -> float:
    """Condorcet winner among positions with linear utilities: the weighted median."""
    return float(weighted_median(x[:, None], w[:, None])[0])


# ---------------------------------------------------------------- driver


def challenge_model(arr: IssueArrays, options: ChallengeOptions | None = None, *,
                    lens: str | None = None) -> Forecast:
    """Run the expected-utility challenge model on an issue, round by round.

    Multi-dimensional issues are bargained dimension by dimension (the model
    is one-dimensional), each with its own saliences.
    """
    o = options or ChallengeOptions()
    n, nd = arr.positions.shape
    c = arr.capability.astype(float)
    x = arr.positions.astype(float).copy()
    sal = arr.salience
    ranges = np.empty(nd)
    for k in range(nd):
        spread = float(x[:, k].max() - x[:, k].min())
        scale_range = float(arr.upper[k] - arr.lower[k])
        ranges[k] = spread if (o.position_range == "positions" and spread > 0) else scale_range
    risk = np.ones((n, nd))

    def summary(xx: np.ndarray) -> tuple[list[float], list[float]]:
        w = c[:, None] * sal
        mean = weighted_mean(xx, w)
        med = (mean if o.median == "weighted_mean"
               else np.array([condorcet_median(xx[:, k], w[:, k]) for k in range(nd)]))
        return [float(v) for v in med], [float(v) for v in mean]

    def snapshot(t: int, xx: np.ndarray, moves: list[Move],
                 extra: dict[str, object]) -> Round:
        med, mean = summary(xx)
        return Round(round=t, positions={a: [float(v) for v in xx[i]]
                                         for i, a in enumerate(arr.actors)},
                     median=med, mean=mean, moves=moves, extra=extra)

    rounds = [snapshot(0, x, [], {})]
    history = [x.copy()]
    converged, stop_reason, cycle_start = False, "max_rounds", None
    for t in range(1, o.max_rounds + 1):
        x_next = x.copy()
        moves: list[Move] = []
        extra: dict[str, object] = {}
        for k in range(nd):
            out = challenge_round(x[:, k], c, sal[:, k], risk[:, k], ranges[k], o)
            risk[:, k] = out["risk"]
            x_next[:, k] = out["x"]
            for i in np.flatnonzero(out["choice"] >= 0):
                j = int(out["choice"][i])
                before = [float(v) for v in x[i]]
                after = list(before)
                after[k] = float(out["x"][i])
                detail = {"eu_self": float(out["eu_self"][i]),
                          "eu_other": float(out["eu_other"][i])}
                if nd > 1:
                    detail["dimension"] = float(k)
                moves.append(Move(actor=arr.actors[i], toward=arr.actors[j],
                                  kind=_KINDS[int(out["kind"][i])], before=before,
                                  after=after, detail=detail))
            extra[f"risk[{arr.dimensions[k]}]"] = [float(v) for v in out["risk"]]
        x = x_next
        rounds.append(snapshot(t, x, moves, extra))
        if o.stop == "settled" and t >= o.patience:
            recent = np.array([r.median if o.forecast == "median" else r.mean
                               for r in rounds[-o.patience:]])
            if np.all(recent.max(axis=0) - recent.min(axis=0) <= o.tolerance * ranges):
                converged, stop_reason = True, f"settled for {o.patience} rounds"
                history.append(x.copy())
                break
        if o.stop in ("convergence", "settled"):
            tol = o.tolerance * ranges
            if np.all(np.abs(x - history[-1]) <= tol):
                converged, stop_reason = True, "converged"
                history.append(x.copy())
                break
            back = [s for s, h in enumerate(history) if np.all(np.abs(x - h) <= tol)]
            if back:
                converged, stop_reason, cycle_start = True, f"cycle of length {t - back[-1]}", \
                    back[-1]
                history.append(x.copy())
                break
        history.append(x.copy())
    if o.stop == "rounds":
        stop_reason = f"{o.max_rounds} rounds"
    series = [r.median if o.forecast == "median" else r.mean for r in rounds]
    notes: list[str] = []
    if cycle_start is not None:
        cyc = np.array(series[cycle_start + 1:])
        forecast = [float(v) for v in cyc.mean(axis=0)]
        notes.append(f"positions cycle from round {cycle_start}; the forecast is the "
                     f"{o.forecast} averaged over the cycle")
    else:
        forecast = series[-1]
        if o.stop != "rounds" and not converged:
            notes.append(f"no convergence within {o.max_rounds} rounds; the forecast is the "
                         f"last round's {o.forecast}")
    return Forecast(issue=arr.issue, model="challenge", lens=lens,
                    dimensions=list(arr.dimensions), actors=list(arr.actors),
                    forecast=forecast, rounds=rounds, converged=converged,
                    stop_reason=stop_reason, notes=notes,
                    provenance=Provenance(method="bargaining.challenge.bdm_scholz2011",
                                          parameters=o.model_dump(), lens=lens,
                                          scenario=arr.issue))
