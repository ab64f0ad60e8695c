"""Agent quantal response equilibria (AQRE) of any tree, without optional dependencies.

At every information set the mover picks action ``a`` with probability
``F(lambda * v)``, where ``v`` are its expected action values under Bayes'
beliefs (every set is reached, since every move has positive probability)
and ``F`` is the *link*:

* ``logit``   ``exp(lambda v_a) / sum_b exp(lambda v_b)``  (McKelvey & Palfrey 1995,
              1998: i.i.d. type-I extreme-value errors on each action's value);
* ``probit``  ``P(lambda v_a + e_a >= lambda v_b + e_b for all b)`` with i.i.d.
              standard normal errors (Signorino 1999's agent-error probit): for two
              actions ``Phi(lambda (v_a - v_b) / sqrt 2)``, for more a one-dimensional
              Gauss–Hermite integral.

An AQRE is a fixed point.  The *principal branch* starts at ``lambda = 0``
(uniform play) and is followed by pseudo-arclength continuation in
``(log-probabilities, lambda)``, so the path can turn back in ``lambda``
(Turocy 2005).  As ``lambda`` grows the branch converges to a sequential
equilibrium (McKelvey & Palfrey 1998); :func:`qre_limit` follows it far out
and then *polishes* the end point: on the support it has reached, the
indifference conditions are solved exactly, with beliefs off the path taken
from the branch's own (consistent) limit beliefs.

Lambda is in payoff units: ``lambda = 1/sigma`` for error scale ``sigma``.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np
from scipy.special import log_ndtr, logsumexp, ndtr

from crisislab.games.consistency import ZERO_MOVE, belief_classes, deviation_paths
from crisislab.games.methods import LINKS as LINKS
from crisislab.games.profile import node_values
from crisislab.games.tree import TERMINAL, GameTree

_GH_T, _GH_W = np.polynomial.hermite_e.hermegauss(60)
_GH_W = _GH_W / _GH_W.sum()


class QREError(RuntimeError):
    """The continuation could not follow the branch (reported with the lambda reached)."""


@dataclass(frozen=True)
class QREPoint:
    """One point of an AQRE branch: precision and behaviour profile (flat vector)."""

    lam: float
    behaviour: np.ndarray


class _Structure:
    """Flat index arrays for evaluating action values of all information sets at once."""

    def __init__(self, tree: GameTree):
        self.tree = tree
        mem, child, slot, owner, iset = [], [], [], [], []
        for k, s in enumerate(tree.infosets):
            o = tree.player_index(s.player)
            for m in s.members:
                for j, c in enumerate(tree.children[m]):
                    mem.append(m)
                    child.append(c)
                    slot.append(int(tree.slot_offset[k]) + j)
                    owner.append(o)
                    iset.append(k)
        self.mem = np.array(mem, dtype=np.int64)
        self.child = np.array(child, dtype=np.int64)
        self.slot = np.array(slot, dtype=np.int64)
        self.owner = np.array(owner, dtype=np.int64)
        self.iset_of_triple = np.array(iset, dtype=np.int64)
        # each member appears once per action: normalise beliefs over first-action triples
        self.first = self.slot == np.asarray(tree.slot_offset)[self.iset_of_triple]
        self.slot_iset = np.repeat(np.arange(len(tree.infosets)),
                                   [len(s.actions) for s in tree.infosets])
        self.n_sets = len(tree.infosets)
        self.log_chance = np.zeros(tree.n_nodes)
        ch = np.flatnonzero(~np.isnan(tree.edge_chance))
        with np.errstate(divide="ignore"):
            self.log_chance[ch] = np.log(tree.edge_chance[ch])
        self.dec_edges = np.flatnonzero(tree.edge_slot >= 0)
        self.sizes = np.array([len(s.actions) for s in tree.infosets])
        span = tree.payoffs[tree.kind == TERMINAL]
        self.payoff_range = float(np.ptp(span)) if span.size else 1.0
        self.payoff_range = self.payoff_range or 1.0

    def values(self, x: np.ndarray) -> np.ndarray:
        """Conditional expected value of each action (slot) for its mover; ``x`` = log b,
        one profile (n_slots,) or a batch (P, n_slots)."""
        tree = self.tree
        xx = np.atleast_2d(np.minimum(x, 0.0))
        n_p = xx.shape[0]
        ep = np.ones((n_p, tree.n_nodes))
        ch = ~np.isnan(tree.edge_chance)
        ep[:, ch] = tree.edge_chance[ch]
        ep[:, self.dec_edges] = np.exp(xx[:, tree.edge_slot[self.dec_edges]])
        vals = node_values(tree, ep)
        logr = np.zeros((n_p, tree.n_nodes))
        edge_log = np.repeat(self.log_chance[None, :], n_p, axis=0)
        edge_log[:, self.dec_edges] = xx[:, tree.edge_slot[self.dec_edges]]
        for lvl in tree.levels:
            logr[:, lvl] = logr[:, tree.parent[lvl]] + edge_log[:, lvl]
        # beliefs: softmax of log-reach over each set's members (one entry per triple)
        lr = logr[:, self.mem]
        top = np.full((n_p, self.n_sets), -np.inf)
        np.maximum.at(top, (slice(None), self.iset_of_triple), lr)  # type: ignore[arg-type]
        top = np.where(np.isfinite(top), top, 0.0)
        w = np.exp(lr - top[:, self.iset_of_triple])
        norm = np.zeros((n_p, self.n_sets))
        np.add.at(norm, (slice(None), self.iset_of_triple[self.first]),  # type: ignore[arg-type]
                  w[:, self.first])
        mu = w / np.where(norm > 0, norm, 1.0)[:, self.iset_of_triple]
        v = np.zeros((n_p, tree.n_slots))
        np.add.at(v, (slice(None), self.slot),  # type: ignore[arg-type]
                  mu * vals[:, self.child, self.owner])
        return v[0] if np.ndim(x) == 1 else v

    def log_choice(self, u: np.ndarray, link: str) -> np.ndarray:
        """Log choice probabilities from scaled values ``u = lambda * v`` (batch-aware)."""
        uu2 = np.atleast_2d(u)
        if link == "logit":
            top = np.full((uu2.shape[0], self.n_sets), -np.inf)
            np.maximum.at(top, (slice(None), self.slot_iset), uu2)  # type: ignore[arg-type]
            z = np.exp(uu2 - top[:, self.slot_iset])
            tot = np.zeros((uu2.shape[0], self.n_sets))
            np.add.at(tot, (slice(None), self.slot_iset), z)  # type: ignore[arg-type]
            out = uu2 - top[:, self.slot_iset] - np.log(tot)[:, self.slot_iset]
            return out[0] if np.ndim(u) == 1 else out  # type: ignore[no-any-return]
        out = np.empty_like(uu2)
        off = self.tree.slot_offset
        for k, n in enumerate(self.sizes):
            sl = slice(off[k], off[k] + n)
            uu = uu2[:, sl]
            if n == 1:
                out[:, sl] = 0.0
            elif n == 2:
                d = (uu[:, 0] - uu[:, 1]) / np.sqrt(2.0)
                out[:, sl] = np.stack([log_ndtr(d), log_ndtr(-d)], axis=1)
            else:
                diff = uu[:, :, None] - uu[:, None, :]  # (P, a, b)
                terms = np.log(np.clip(ndtr(_GH_T[None, None, None, :] + diff[..., None]),
                                       1e-300, None))
                terms[:, np.arange(n), np.arange(n), :] = 0.0
                out[:, sl] = logsumexp(terms.sum(axis=2), b=_GH_W[None, None, :], axis=2)
        return out[0] if np.ndim(u) == 1 else out

    def residual(self, x: np.ndarray, lam: float | np.ndarray, link: str) -> np.ndarray:
        lam_ = np.asarray(lam)[..., None] if np.ndim(x) == 2 else lam
        return x - self.log_choice(lam_ * self.values(x), link)  # type: ignore[no-any-return]


def _jacobian(f: Callable[[np.ndarray], np.ndarray], y: np.ndarray, fy: np.ndarray) -> np.ndarray:
    """Forward differences, all columns in one batched evaluation of ``f``."""
    h = 1e-7 * np.maximum(1.0, np.abs(y))
    ys = y[None, :] + np.diag(h)
    return ((f(ys) - fy[None, :]) / h[:, None]).T  # type: ignore[no-any-return]


def _value_and_jacobian(f: Callable[[np.ndarray], np.ndarray], y: np.ndarray
                        ) -> tuple[np.ndarray, np.ndarray]:
    """``f(y)`` and its forward-difference Jacobian from one batched evaluation (the
    rows are independent, so each equals its own evaluation: one call, not two)."""
    h = 1e-7 * np.maximum(1.0, np.abs(y))
    out = f(np.vstack([y[None, :], y[None, :] + np.diag(h)]))
    fy = out[0]
    return fy, ((out[1:] - fy[None, :]) / h[:, None]).T


def _check_link(link: str) -> None:
    if link not in LINKS:
        raise ValueError(f"unknown QRE link {link!r}; choose from {', '.join(LINKS)}")


def _uniform(tree: GameTree) -> np.ndarray:
    return np.concatenate([np.full(len(s.actions), -np.log(len(s.actions)))
                           for s in tree.infosets]) if tree.infosets else np.zeros(0)


def _trace(st: _Structure, link: str, max_steps: int = 4000) -> Iterator[np.ndarray]:
    """Branch points ``y = (log b, lambda)`` of the principal branch from lambda = 0, by
    pseudo-arclength continuation (predictor along the tangent, Newton corrector on the
    hyperplane orthogonal to it); runs until the caller stops."""
    n = st.tree.n_slots

    def f(y: np.ndarray) -> np.ndarray:
        return st.residual(y[..., :n], y[..., n], link)

    y = np.concatenate([_uniform(st.tree), [0.0]])
    yield y
    tangent = np.zeros(n + 1)
    tangent[n] = 1.0
    # arclength in units where lambda is scaled by the payoff range
    scale = np.ones(n + 1)
    scale[n] = st.payoff_range
    metric = scale * scale
    h = 0.3
    fy = f(y)
    jac = _jacobian(f, y, fy)
    for _step in range(max_steps):
        # tangent: null vector of the n x (n+1) Jacobian, fixed by t_prev . t = 1 (so it
        # keeps the previous orientation)
        try:
            t = np.linalg.solve(np.vstack([jac, tangent * metric]), np.eye(n + 1)[n])
        except np.linalg.LinAlgError:
            _, _, vt = np.linalg.svd(jac / scale[None, :])
            t = vt[-1] / scale
        t = t / np.sqrt(t @ (t * metric))
        if t @ (tangent * metric) < 0:
            t = -t
        tangent = t
        while True:
            pred = y + h * t
            z = pred.copy()
            ok = False
            full = np.vstack([jac, t * metric])
            jz = None
            for it in range(8):
                # after the first iterate the corrector needs the Jacobian at z too
                if it == 0:
                    fz = f(z)
                else:
                    fz, jz = _value_and_jacobian(f, z)
                r = np.concatenate([fz, [(z - pred) @ (t * metric)]])
                if np.max(np.abs(r)) < 1e-11:
                    ok = True
                    break
                if jz is not None:
                    full = np.vstack([jz, t * metric])
                try:
                    dz = np.linalg.solve(full, -r)
                except np.linalg.LinAlgError:
                    break
                z = z + dz
                if not np.all(np.isfinite(z)):
                    break
            if ok and np.max(np.abs(z[:n] - pred[:n])) < 0.5 + 0.2 * h:
                break
            h *= 0.5
            if h < 1e-9:
                raise QREError(f"QRE continuation failed near lambda = {y[n]:.4g}")
        y, fy = z, fz  # the corrector's last residual is the next step's
        # the next tangent from the corrector's last Jacobian (one Newton update from
        # y: close enough for a predictor, and one evaluation per step fewer)
        jac = jz if jz is not None else _jacobian(f, y, fy)
        yield y
        h = min(h * 2.0, max(1.0, 0.5 * abs(y[n]) * st.payoff_range))
    raise QREError(f"QRE continuation stopped after {max_steps} steps at lambda = {y[n]:.4g}")


def qre_branch(tree: GameTree, lam_max: float, link: str = "logit",
               record: list[float] | None = None) -> list[QREPoint]:
    """Follow the principal branch from lambda = 0 to ``lam_max``.

    Returns the points at the precisions in ``record`` (each solved exactly at
    that lambda, from the bracketing branch points), or the end point only.
    """
    _check_link(link)
    st = _Structure(tree)
    n = tree.n_slots
    targets = sorted(float(v) for v in (record or [lam_max]) if v >= 0)
    if n == 0:
        return [QREPoint(t, np.zeros(0)) for t in targets]
    out: list[QREPoint] = []
    ti = 0
    prev = None
    for y in _trace(st, link):
        while ti < len(targets) and (y[n] >= targets[ti] if prev is None
                                     else prev[n] < targets[ti] <= y[n]):
            out.append(_solve_at(st, prev if prev is not None else y, y, targets[ti], link))
            ti += 1
        if ti >= len(targets):
            break
        prev = y
    return out


def _solve_at(st: _Structure, a: np.ndarray, b: np.ndarray, lam: float,
              link: str) -> QREPoint:
    """Newton at fixed lambda from the interpolation of two branch points."""
    n = st.tree.n_slots
    s = (lam - a[n]) / (b[n] - a[n]) if b[n] != a[n] else 1.0
    x = a[:n] + s * (b[:n] - a[:n])
    for _ in range(30):
        r = st.residual(x, lam, link)
        if np.max(np.abs(r)) < 1e-13:
            break
        jac = _jacobian(lambda z: st.residual(z, np.full(len(z), lam) if np.ndim(z) == 2
                                              else lam, link), x, r)
        x = x - np.linalg.solve(jac, r)
    return QREPoint(float(lam), np.exp(x))


def qre_at(tree: GameTree, lam: float, link: str = "logit") -> np.ndarray:
    """The AQRE on the principal branch at precision ``lam`` (flat behaviour vector)."""
    if not lam >= 0:
        raise ValueError(f"lambda must be >= 0, got {lam}")
    return qre_branch(tree, lam, link)[0].behaviour


def qre_curve(tree: GameTree, lambdas: list[float], link: str = "logit") -> list[QREPoint]:
    """The principal branch at several precisions (one continuation run)."""
    return qre_branch(tree, max(lambdas), link, record=list(lambdas))


# -- the limit and its polishing ------------------------------------------------------

def polish(tree: GameTree, approx: np.ndarray, support_tol: float = 1e-3,
           max_ambiguous: int = 4) -> np.ndarray | None:
    """Exact equilibrium on (a subset of) the support of ``approx``, a totally mixed
    profile near one.

    The support is the set of actions each mover plays with probability above
    ``support_tol`` times its most likely action's.  Near a switch an action can
    still carry weight that vanishes only in the limit, so each mixed set is also
    tried reduced to its most likely action (the QRE's own support first, then
    more and more reductions, at most ``2**max_ambiguous`` supports).  On each,
    the indifference conditions are solved with off-path beliefs keeping the
    deviation-class weights ``approx`` implies, and the result is kept only if no
    action outside the support does better.  None if no support works.
    """
    approx = np.asarray(approx, dtype=float)
    off = tree.slot_offset
    support: list[np.ndarray] = []
    for k, s in enumerate(tree.infosets):
        p = approx[off[k]: off[k] + len(s.actions)]
        order = np.argsort(-p, kind="stable")
        support.append(order[p[order] >= support_tol * p.max()])
    mixed = [k for k in range(len(tree.infosets)) if len(support[k]) > 1]
    hint = _approx_beliefs(tree, approx)
    ambiguous = mixed[:max_ambiguous]
    combos = sorted(itertools.product((False, True), repeat=len(ambiguous)), key=sum)
    for combo in combos:
        trial = list(support)
        for k, reduce in zip(ambiguous, combo, strict=True):
            if reduce:
                trial[k] = support[k][:1]
        b = _polish_support(tree, approx, trial, hint)
        if b is not None:
            return b
    return None


def polish_any(tree: GameTree, approx: np.ndarray) -> np.ndarray | None:
    """:func:`polish` with the usual support cut-off, then with a tiny one (a bluff of
    probability 1e-9 is still part of the support)."""
    for tol in (1e-3, 1e-12):
        b = polish(tree, approx, tol)
        if b is not None:
            return b
    return None


def _polish_support(tree: GameTree, approx: np.ndarray, support: list[np.ndarray],
                    hint: list[np.ndarray]) -> np.ndarray | None:
    off = tree.slot_offset
    mixed = [k for k in range(len(tree.infosets)) if len(support[k]) > 1]

    def build(z: np.ndarray) -> np.ndarray:
        # free probabilities as logs (scale-free: a bluff of 1e-9 is as easy as one of 0.3)
        b = np.zeros(tree.n_slots)
        i = 0
        for k in range(len(tree.infosets)):
            sup = support[k]
            if len(sup) == 1:
                b[off[k] + sup[0]] = 1.0
                continue
            free = np.exp(z[i: i + len(sup) - 1])
            i += len(sup) - 1
            b[off[k] + sup[1:]] = free
            b[off[k] + sup[0]] = 1.0 - free.sum()
        return b

    z0 = np.log(np.concatenate([approx[off[k] + support[k][1:]]
                                / approx[off[k] + support[k]].sum() for k in mixed])
                ) if mixed else np.zeros(0)
    values = _hint_evaluator(tree, build(np.minimum(z0, -1e-12)), hint)

    def residual(z: np.ndarray) -> np.ndarray:
        b = build(z)
        v = values(b)
        res = [v[off[k] + support[k][1:]] - v[off[k] + support[k][0]] for k in mixed]
        return np.concatenate(res) if res else np.zeros(0)

    span = float(np.ptp(tree.payoffs[tree.kind == TERMINAL])) or 1.0
    z = z0
    if mixed:
        from scipy.optimize import least_squares  # here: half a second to import

        sol = least_squares(residual, np.minimum(z0, -1e-12), bounds=(-745.0, 0.0),
                            xtol=1e-15, ftol=1e-15, gtol=1e-15, max_nfev=400)
        z = sol.x
        if np.max(np.abs(residual(z)), initial=0.0) > 1e-10 * span:
            return None
    b = build(z)
    if (b < -1e-12).any():
        return None
    b = np.clip(b, 0.0, 1.0)
    v = values(b)
    for k, s in enumerate(tree.infosets):
        vk = v[off[k]: off[k] + len(s.actions)]
        if vk.max() - vk[support[k][0]] > 1e-9 * span:
            return None
    return b  # type: ignore[no-any-return]


def _approx_beliefs(tree: GameTree, approx: np.ndarray) -> list[np.ndarray]:
    logr = np.zeros(tree.n_nodes)
    with np.errstate(divide="ignore"):
        edge = np.where(np.isnan(tree.edge_chance), 0.0, np.log(np.nan_to_num(tree.edge_chance)))
        dec = np.flatnonzero(tree.edge_slot >= 0)
        edge[dec] = np.log(approx[tree.edge_slot[dec]])
    for lvl in tree.levels:
        logr[lvl] = logr[tree.parent[lvl]] + edge[lvl]
    out = []
    for s in tree.infosets:
        lr = logr[list(s.members)]
        w = np.exp(lr - lr.max()) if np.isfinite(lr.max()) else np.ones(len(lr))
        out.append(w / w.sum())
    return out


def _hint_evaluator(tree: GameTree, b0: np.ndarray,
                    hint: list[np.ndarray]) -> Callable[[np.ndarray], np.ndarray]:
    """Action values for profiles with the zero moves of ``b0``; off the path the deviation
    classes are weighted as in ``hint`` and Bayes' rule applies within each class.

    The classes depend only on which moves are zero, so they are found once."""
    paths = deviation_paths(tree, b0)
    ch = ~np.isnan(tree.edge_chance)
    dec = np.flatnonzero(tree.edge_slot >= 0)
    zero_slot = b0 <= ZERO_MOVE
    plan: list[tuple[int, list[tuple[np.ndarray, float]]] | None] = []
    for k, s in enumerate(tree.infosets):
        if any(paths.deviations[m] == () and paths.positive[m] > 0 for m in s.members):
            plan.append(None)  # on the path: Bayes
            continue
        cls = belief_classes(tree, k, paths)
        idx = np.flatnonzero(cls.minimal)
        if len(idx) == 0:
            plan.append((k, [(np.arange(len(s.members)), 1.0)]))
            continue
        w = np.array([hint[k][cls.rows[c] > 0].sum() for c in idx])
        w = w / w.sum() if w.sum() > 0 else np.full(len(idx), 1.0 / len(idx))
        plan.append((k, [(np.flatnonzero(cls.rows[c] > 0), float(wc))
                         for c, wc in zip(idx, w, strict=True)]))

    def values(b: np.ndarray) -> np.ndarray:
        ep = np.ones((1, tree.n_nodes))
        ep[0, ch] = tree.edge_chance[ch]
        ep[0, dec] = b[tree.edge_slot[dec]]
        vals = node_values(tree, ep)[0]
        pos_ep = ep[0].copy()
        pos_ep[dec] = np.where(zero_slot[tree.edge_slot[dec]], 1.0, pos_ep[dec])
        reach = np.ones(tree.n_nodes)
        pos = np.ones(tree.n_nodes)
        for lvl in tree.levels:
            reach[lvl] = reach[tree.parent[lvl]] * ep[0, lvl]
            pos[lvl] = pos[tree.parent[lvl]] * pos_ep[lvl]
        v = np.zeros(tree.n_slots)
        for k, s in enumerate(tree.infosets):
            mem = np.array(s.members)
            entry = plan[k]
            if entry is None:
                r = reach[mem]
                mu = r / r.sum() if r.sum() > 0 else np.full(len(mem), 1.0 / len(mem))
            else:
                mu = np.zeros(len(mem))
                for idx, wc in entry[1]:
                    p = pos[mem[idx]]
                    mu[idx] = wc * (p / p.sum() if p.sum() > 0 else 1.0 / len(idx))
            owner = tree.player_index(s.player)
            v[tree.slot_offset[k]: tree.slot_offset[k] + len(s.actions)] = \
                mu @ vals[tree.infoset_children[k], owner]
        return v

    return values


@dataclass(frozen=True)
class QRELimit:
    """The polished limit of the principal branch (None when polishing failed) and the
    last traced point."""

    behaviour: np.ndarray | None
    traced: QREPoint
    link: str


def qre_limit(tree: GameTree, link: str = "logit",
              scaled_lambdas: tuple[float, ...] = (300.0, 3000.0, 30000.0)) -> QRELimit:
    """Follow the principal branch out to ``lambda * payoff range`` in ``scaled_lambdas``
    and polish; the first end point that polishes to an exact profile is returned."""
    _check_link(link)
    st = _Structure(tree)
    n = tree.n_slots
    if n == 0:
        return QRELimit(np.zeros(0), QREPoint(0.0, np.zeros(0)), link)
    targets = [s / st.payoff_range for s in sorted(scaled_lambdas)]
    ti = 0
    prev = None
    last = QREPoint(0.0, np.exp(_uniform(tree)))
    try:
        for y in _trace(st, link, max_steps=300):
            if prev is not None and prev[n] < targets[ti] <= y[n]:
                last = _solve_at(st, prev, y, targets[ti], link)
                polished = polish_any(tree, last.behaviour)
                if polished is not None:
                    return QRELimit(polished, last, link)
                ti += 1
                if ti >= len(targets):
                    break
            prev = y
    except QREError:
        if prev is None:
            raise
    return QRELimit(None, last, link)
