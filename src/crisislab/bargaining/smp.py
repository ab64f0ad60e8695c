"""A spatial model of politics in the style of KTAB's SMP.

The Spatial Model of Politics of the KAPSARC Toolkit for Behavioral Analysis
(B. Wise; documented in Efird, Lester & Wise 2016, "Analyzing Coalitions in
China's Policy Formulation", J. East Asian Studies 16:117-145; source
``examples/smp/libsrc/smp.cpp``, ``smpbcn.cpp`` and ``kmodel.cpp`` of KTAB,
MIT licence).  Each turn:

1. **Probabilistic Condorcet election.**  Every actor votes between every two
   positions with its capability times its utility difference; coalition
   strengths give pairwise victory probabilities (Linear: c_ij / (c_ij +
   c_ji)) and the conditional PCE the probability that each position beats
   all others (``Model::condPCE``).
2. **Risk attitudes** from that distribution (``Model::bigRfromProb``, Mid
   range): actors whose positions are likely to win are risk averse.
   Utility of a position at salience-weighted distance d is
   (1 - d)(1 + d R) (``SMPModel::bsUtil``); actor h estimates i's risk
   attitude as a mix of its own and i's (``BigRAdjust``, one third).
3. **Challenges.**  Each actor i evaluates challenging every j from its own
   perspective: the principals' and every third party's votes (third
   parties judge the little (i:j) contest with themselves weighed in,
   ``Actor::thirdPartyVoteSU``, semi-commitment) give P(i beats j); the
   expected gain over the status quo weighs victory and contest by j's
   salience (``SMPState::probEduChlg``).  Each i targets the j with the
   largest positive gain.
4. **Bargains** interpolated by salience squared and probability squared
   (``interpBrgnSnPm``, S2P2, rounded to 4 decimals on the 0-1 scale).
5. **Resolution.**  Each actor's status quo and the bargains it is party to
   are put to a scalar PCE among all actors (utilities of the whole
   resulting state); the most likely bargain is taken (deterministic) or one
   is drawn with those probabilities (stochastic, seeded).
6. **Stop** when the summed movement of a turn falls below 2% of the first
   turn's (at least 2, at most 100 turns): KTAB's ``smpStopFn``.

All dyad and triad computations are whole-array numpy work (the triads in
blocks of initiators to bound memory).  With the defaults (KTAB's defaults
for CSV input) the trajectories of KTAB's published reference runs are
reproduced to the printed precision.  The stochastic mode draws from numpy's
PCG64 generator, not KTAB's, so stochastic runs are reproducible under a seed
but not draw-for-draw identical to KTAB's.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from crisislab.bargaining.baselines import weighted_mean, weighted_median
from crisislab.bargaining.results import Forecast, Move, Round
from crisislab.bargaining.spec import IssueArrays
from crisislab.provenance import Provenance

VotingRule = Literal["proportional", "binary", "prop_bin", "prop_cubic", "cubic",
                     "asym_prospect"]


class SMPOptions(BaseModel):
    """SMP parameters; names follow KTAB's, defaults are KTAB's for CSV input."""

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

    victory_prob: Literal["linear", "square", "quartic"] = "linear"
    pce: Literal["conditional", "markov_uniform"] = "conditional"
    state_transition: Literal["deterministic", "stochastic"] = "deterministic"
    voting_rule: VotingRule = "proportional"
    big_r_adjust: Literal["full", "two_thirds", "half", "one_third", "none"] = Field(
        default="one_third", description="h's estimate of i's risk attitude: "
        "one_third -> (2 R_h + R_i) / 3.")
    big_r_range: Literal["min", "mid", "max"] = "mid"
    third_party_commit: Literal["full", "semi", "none"] = "semi"
    inter_vec_bargain: Literal["s1p1", "s2p2", "s2pmax"] = "s2p2"
    seed: int | None = Field(default=None, description="Seed of the stochastic mode.")
    min_iter: int = Field(default=2, ge=1)
    max_iter: int = Field(default=100, ge=1)
    min_delta_ratio: float = Field(default=0.02, gt=0)
    min_sig_delta: float = Field(default=1e-4, gt=0)


_MIN_C = 1e-8           # Model::coalitions
_MIN_CLTN = 1e-10       # probEduChlg
_MIN_SIG_EDU = 1e-5     # bestChallenge
_POS_TOL = 1e-10        # equivalent positions


def _vote(rule: str, w: np.ndarray | float, du: np.ndarray) -> np.ndarray:
    """KTAB ``Model::vote``: the weighted response to a utility difference."""
    if rule == "proportional":
        return w * du
    b = np.clip(du / 1e-8, -1.0, 1.0)
    if rule == "binary":
        return w * b
    if rule == "prop_bin":
        return w * (0.8 * du + 0.2 * b)
    if rule == "prop_cubic":
        return w * (0.5 * du + 0.5 * du ** 3)
    if rule == "cubic":
        return w * du ** 3
    return np.where(du < 0, w * du, 2.0 * w * du / 3.0)  # asym_prospect


def _bs_util(d: np.ndarray, r: np.ndarray | float) -> np.ndarray:
    """KTAB ``bsUtil``: (1 - d)(1 + d R), 0 <= d <= 1, -1 <= R <= 1."""
    return np.where(d <= 1, (1 - d) * (1 + d * r), (1 - d) * (1 + r))


def _bv_diff(delta: np.ndarray, sal: np.ndarray) -> np.ndarray:
    """KTAB ``bvDiff``: sqrt(sum (d s)^2 / sum s^2) over the last axis."""
    ds = delta * sal
    return np.sqrt((ds * ds).sum(axis=-1) / (sal * sal).sum(axis=-1))


def _victory(vpm: str, c: np.ndarray) -> np.ndarray:
    """Pairwise victory probabilities from coalition strengths (``Model::vProb``)."""
    x = {"linear": c, "square": c ** 2, "quartic": c ** 4}[vpm]
    p = x / (x + x.T)
    np.fill_diagonal(p, 0.5)
    return p


def _pce(pv: np.ndarray, mode: str) -> np.ndarray:
    """Probability that each option wins, from pairwise probabilities."""
    if mode == "conditional":
        logp = np.log(np.maximum(pv, 1e-300)).sum(axis=1)   # product over j, in logs
        logp -= logp.max()
        p = np.exp(logp)
        return p / p.sum()
    n = pv.shape[0]                                         # markov_uniform
    p = np.full(n, 1.0 / n)
    for _ in range(1000):
        q = (pv * (p[:, None] + p[None, :])).sum(axis=1) / n
        change = np.abs(q - p).max()
        p = (p + q) / 2.0
        if change <= 1e-6:
            break
    return p


def _scalar_pce(w: np.ndarray, u: np.ndarray, o: SMPOptions) -> np.ndarray:
    """KTAB ``Model::scalarPCE``: voters w (n,), utilities u (n, m) -> p (m,)."""
    du = u[:, :, None] - u[:, None, :]                     # (k, i, j)
    v = _vote(o.voting_rule, w[:, None, None], du)
    c = _MIN_C + np.maximum(v, 0.0).sum(axis=0)
    np.fill_diagonal(c, _MIN_C)
    return _pce(_victory(o.victory_prob, c), o.pce)


def _big_r(p: np.ndarray, rr: str) -> np.ndarray:
    pmin, pmax = p.min(), p.max()
    if pmax - pmin <= 0:
        return np.zeros_like(p)
    if rr == "min":
        return (p - pmin) / (pmax - pmin)
    if rr == "mid":
        return (3 * p - (pmax + 2 * pmin)) / (2 * (pmax - pmin))
    return (2 * p - (pmax + pmin)) / (pmax - pmin)


def _est_nra(rh: np.ndarray, ri: np.ndarray, ra: str) -> np.ndarray:
    if ra == "full":
        return ri + 0.0 * rh
    if ra == "two_thirds":
        return (rh + 2.0 * ri) / 3.0
    if ra == "half":
        return (rh + ri) / 2
    if ra == "one_third":
        return (2.0 * rh + ri) / 3.0
    return rh + 0.0 * ri


def _round4(x: np.ndarray) -> np.ndarray:
    return np.floor(0.5 + x * 10000.0) / 10000.0


class _Turn:
    """Everything computed from one state's positions."""

    def __init__(self, pos: np.ndarray, sal: np.ndarray, cap: np.ndarray, o: SMPOptions):
        self.pos, self.sal, self.cap, self.o = pos, sal, cap, o
        n = pos.shape[0]
        # d[a, b]: distance from a's ideal (= position) to b's position, a's saliences
        self.d = _bv_diff(pos[:, None, :] - pos[None, :, :], sal[:, None, :])
        rn_util = _bs_util(self.d, 0.0)
        p = _scalar_pce(cap, rn_util, o)
        self.p_rn = p
        self.r = _big_r(p, o.big_r_range)
        self.r_own = _est_nra(self.r, self.r, o.big_r_adjust)       # h's estimate of h
        self.u_own = _bs_util(self.d, self.r_own[:, None])          # aUtil[a](a, b)
        self.n = n

    def win_probabilities(self) -> np.ndarray:
        """Each actor's position's probability of winning (KTAB ``pDist(-1)``)."""
        n = self.n
        same = np.linalg.norm(self.pos[:, None, :] - self.pos[None, :, :], axis=-1) < _POS_TOL
        first = np.argmax(same, axis=1)                 # representative of each class
        uniq = np.flatnonzero(first == np.arange(n))
        p = _scalar_pce(self.cap, self.u_own[:, uniq], self.o)
        cls = np.searchsorted(uniq, first)
        return p[cls]

    def challenges(self, block: int = 0) -> tuple[np.ndarray, np.ndarray]:
        """phi[i, j], edu[i, j]: i's estimate that i beats j, and i's expected gain."""
        o, n, d, r = self.o, self.n, self.d, self.r
        w = self.sal.sum(axis=1) * self.cap                          # s_i c_i
        s_tot = self.sal.sum(axis=1)
        phi = np.zeros((n, n))
        edu = np.full((n, n), -np.inf)
        block = block or max(1, min(n, 4_000_000 // max(n * n, 1)))
        idx = np.arange(n)
        for start in range(0, n, block):
            ii = idx[start:start + block]                            # initiators (= estimators)
            rh = r[ii]
            # u[b, a, m] = U^{h=i_b}(a, m) for every a, m:  (B, n, n)
            rha = _est_nra(rh[:, None], r[None, :], o.big_r_adjust)  # (B, n) h's estimate of a
            u = _bs_util(d[None, :, :], rha[:, :, None])
            b = np.arange(len(ii))
            u_ii = u[b, ii, ii]                                      # (B,)
            u_ij = u[b, ii, :]                                       # (B, n_j)
            u_ji = u[b, :, ii]                                       # (B, n_j)  U^i(j, i)
            u_jj = np.diagonal(u, axis1=1, axis2=2)                  # (B, n_j)  U^i(j, j)
            c_i = _vote(o.voting_rule, w[ii][:, None], u_ii[:, None] - u_ij)
            c_j = _vote(o.voting_rule, w[None, :], u_ji - u_jj)
            chij = _MIN_CLTN + np.maximum(c_i, 0) + np.maximum(c_j, 0)
            chji = _MIN_CLTN + np.maximum(-c_i, 0) + np.maximum(-c_j, 0)
            # third parties n: u_ni = U^i(n, i) (B, n_n); u_nj = U^i(n, j) (B, n_j, n_n)
            u_ni = u_ji                                              # same array: U^i(n, i)
            u_nj = np.swapaxes(u, 1, 2)                              # [b, j, n] = U^i(n, j)
            u_nn = u_jj                                              # U^i(n, n)
            vn = _vote(o.voting_rule, w[None, None, :], u_ni[:, None, :] - u_nj)
            cni = chij[:, :, None] + np.maximum(vn, 0)
            cnj = chji[:, :, None] + np.maximum(-vn, 0)
            pin = cni / (cni + cnj)
            pjn = 1.0 - pin
            uni3 = u_ni[:, None, :]
            unn3 = u_nn[:, None, :]
            if o.third_party_commit == "full":
                ik_j, j_ik, i_jk, jk_i = 3 * uni3, 3 * u_nj, 3 * uni3, 3 * u_nj
            elif o.third_party_commit == "semi":
                ik_j, j_ik = uni3 + uni3 + unn3, u_nj + u_nj + u_nj
                i_jk, jk_i = uni3 + uni3 + uni3, u_nj + u_nj + unn3
            else:
                ik_j, j_ik = uni3 + uni3 + unn3, u_nj + u_nj + unn3
                i_jk, jk_i = uni3 + uni3 + unn3, u_nj + u_nj + unn3
            vk = _vote(o.voting_rule, w[None, None, :],
                       (pin * ik_j + pjn * j_ik) - (pin * i_jk + pjn * jk_i))
            third = np.ones((len(ii), n, n), dtype=bool)
            third[b, :, ii] = False                                  # n != i
            third[:, np.arange(n), np.arange(n)] = False             # n != j
            ch_ij = chij + np.where(third & (vk > 0), vk, 0).sum(axis=2)
            ch_ji = chji + np.where(third & (vk < 0), -vk, 0).sum(axis=2)
            ph = ch_ij / (ch_ij + ch_ji)
            u_ki = u_ii[:, None]                                     # k = i
            u_kj = u_ij
            eu_sq = u_ki + u_kj
            eu_vict = u_ki + u_ki
            eu_cntst = ph * (u_ki + u_ki) + (1 - ph) * (u_kj + u_kj)
            sj = s_tot[None, :]
            du = ((1 - sj) * eu_vict + sj * eu_cntst) - eu_sq
            du[b, ii] = -np.inf
            phi[ii] = ph
            edu[ii] = du
        return phi, edu

    def util_of_states(self, init: np.ndarray, rcvr: np.ndarray, pos_i: np.ndarray,
                       pos_r: np.ndarray) -> np.ndarray:
        """u[a, m]: a's utility of the state after bargain m (``brgnUtil``)."""
        n = self.n
        total = self.u_own.sum(axis=1)                                        # (a,)
        pu_i = _bs_util(_bv_diff(self.pos[:, None, :] - pos_i[None, :, :],
                                 self.sal[:, None, :]), self.r[:, None])      # (a, m)
        pu_r = _bs_util(_bv_diff(self.pos[:, None, :] - pos_r[None, :, :],
                                 self.sal[:, None, :]), self.r[:, None])
        rest = total[:, None] - self.u_own[:, init] - self.u_own[:, rcvr]
        return (pu_i + pu_r + rest) / n


def _interpolate(o: SMPOptions, ti: np.ndarray, si: np.ndarray, pi: np.ndarray,
                 tj: np.ndarray, sj: np.ndarray, pj: np.ndarray
                 ) -> tuple[np.ndarray, np.ndarray]:
    """Bargain positions of initiator and receiver (``interpolateBrgn``)."""
    min_w = 1e-6
    if o.inter_vec_bargain == "s2pmax":
        di = np.maximum(pj - pi, 0.0)
        dj = np.maximum(pi - pj, 0.0)
        si2, sj2 = si * si, sj * sj
        dik = (di * sj2) / ((di * sj2) + min_w + ((1 - di) * si2))
        djk = (dj * si2) / ((dj * si2) + min_w + ((1 - dj) * sj2))
        return ti + dik * (tj - ti), tj + djk * (ti - tj)
    m = 1 if o.inter_vec_bargain == "s1p1" else 2
    wi = si ** m * pi ** m
    wj = sj ** m * pj ** m
    bi = _round4(((wi + min_w) * ti + wj * tj) / (wi + min_w + wj))
    bj = _round4((wi * ti + (min_w + wj) * tj) / (wi + min_w + wj))
    return bi, bj


def smp_model(arr: IssueArrays, options: SMPOptions | None = None, *,
              lens: str | None = None) -> Forecast:
    """Run the spatial model to its stopping rule; positions in the issue's units."""
    o = options or SMPOptions()
    rng = np.random.default_rng(o.seed) if o.state_transition == "stochastic" else None
    pos = arr.normalised().astype(float)
    sal = arr.salience.astype(float)
    cap = arr.capability.astype(float)
    n = pos.shape[0]
    if n < 2:
        return _single(arr, o, lens)
    notes: list[str] = []
    zero = sal.sum(axis=1) <= 0
    if np.any(zero):
        sal = sal.copy()
        sal[zero] = 1e-9
        notes.append("actors with zero salience get 1e-9 so that distances are defined: "
                     + ", ".join(a for a, z in zip(arr.actors, zero, strict=True) if z))
    w_report = cap[:, None] * arr.salience

    def make_round(t: int, p: np.ndarray, turn: _Turn, moves: list[Move]) -> Round:
        x = arr.denormalise(p)
        probs = turn.win_probabilities()
        return Round(round=t, positions={a: [float(v) for v in x[i]]
                                         for i, a in enumerate(arr.actors)},
                     median=[float(v) for v in weighted_median(x, w_report)],
                     mean=[float(v) for v in weighted_mean(x, w_report)], moves=moves,
                     extra={"win_probability": {a: float(probs[i])
                                                for i, a in enumerate(arr.actors)},
                            "risk_attitude": {a: float(turn.r[i])
                                              for i, a in enumerate(arr.actors)}})

    history = [pos]
    turn = _Turn(pos, sal, cap, o)
    rounds: list[Round] = []
    pending_moves: list[Move] = []
    stop_reason = "max_iter"
    converged = False
    d01 = 0.0
    for it in range(1, o.max_iter + 1):
        rounds.append(make_round(it - 1, pos, turn, pending_moves))
        phi, edu = turn.challenges()
        best = np.argmax(edu, axis=1)
        gain = edu[np.arange(n), best]
        init = np.flatnonzero(gain > _MIN_SIG_EDU)
        rcvr = best[init]
        p_ij = phi[init, rcvr]
        bi, bj = _interpolate(o, pos[init], sal[init], p_ij[:, None],
                              pos[rcvr], sal[rcvr], 1 - p_ij[:, None])
        # option 0 is the status quo of everyone; bargains 1..m
        all_init = np.concatenate([[-1], init])
        all_rcvr = np.concatenate([[-1], rcvr])
        u_b = turn.util_of_states(init, rcvr, bi, bj) if len(init) else np.zeros((n, 0))
        u_sq = (turn.u_own.sum(axis=1) / n)[:, None]
        u_all = np.concatenate([u_sq, u_b], axis=1)
        new = pos.copy()
        moves = []
        for k in range(n):
            involved = np.flatnonzero((all_init == k) | (all_rcvr == k))
            opts = np.concatenate([[0], involved[np.argsort(all_init[involved],
                                                             kind="stable")]])
            if len(opts) == 1:
                continue
            p = _scalar_pce(cap, u_all[:, opts], o)
            pick = (int(np.argmax(p)) if rng is None
                    else int(rng.choice(len(opts), p=p / p.sum())))
            m = int(opts[pick])
            if m == 0:
                continue
            b = m - 1
            new[k] = bi[b] if init[b] == k else bj[b]
            other = int(rcvr[b]) if init[b] == k else int(init[b])
            moves.append(Move(actor=arr.actors[k], toward=arr.actors[other], kind="bargain",
                              before=[float(v) for v in arr.denormalise(pos[k])],
                              after=[float(v) for v in arr.denormalise(new[k])],
                              detail={"probability": float(p[pick]),
                                      "initiator": float(init[b]),
                                      "challenge_gain": float(gain[init[b]]),
                                      "p_initiator_wins": float(p_ij[b])}))
        pending_moves = moves
        pos = new
        history.append(pos)
        turn = _Turn(pos, sal, cap, o)
        step = float(np.linalg.norm(history[-1] - history[-2], axis=1).sum())
        if it == 1:
            d01 = step + o.min_sig_delta
        if it >= o.max_iter:
            break
        if it >= o.min_iter and step / d01 < o.min_delta_ratio:
            converged, stop_reason = True, "converged"
            break
    rounds.append(make_round(len(history) - 1, pos, turn, pending_moves))
    probs = turn.win_probabilities()
    same = np.linalg.norm(pos[:, None, :] - pos[None, :, :], axis=-1) < _POS_TOL
    first = np.argmax(same, axis=1)
    uniq = np.flatnonzero(first == np.arange(n))
    expected = (probs[uniq, None] * pos[uniq]).sum(axis=0) / probs[uniq].sum()
    forecast = arr.denormalise(expected)
    notes.append("forecast: the final positions weighted by their probability of winning "
                 "the probabilistic Condorcet election")
    return Forecast(issue=arr.issue, model="smp", lens=lens, dimensions=list(arr.dimensions),
                    actors=list(arr.actors), forecast=[float(v) for v in forecast],
                    rounds=rounds, converged=converged, stop_reason=stop_reason, notes=notes,
                    provenance=Provenance(method="bargaining.smp.ktab_style",
                                          parameters=o.model_dump(exclude={"seed"}),
                                          lens=lens, seed=o.seed if rng is not None else None,
                                          scenario=arr.issue))


def _single(arr: IssueArrays, o: SMPOptions, lens: str | None) -> Forecast:
    x = [float(v) for v in arr.positions[0]]
    r = Round(round=0, positions={arr.actors[0]: x}, median=x, mean=x)
    return Forecast(issue=arr.issue, model="smp", lens=lens, dimensions=list(arr.dimensions),
                    actors=list(arr.actors), forecast=x, rounds=[r], converged=True,
                    stop_reason="one actor",
                    provenance=Provenance(method="bargaining.smp.ktab_style",
                                          parameters=o.model_dump(exclude={"seed"}), lens=lens,
                                          seed=o.seed, scenario=arr.issue))
