"""Outcome probabilities of a strategic choice model and their exact gradient, all cases at once.

Backward induction with random utilities (Signorino 1999; 2003).  At a node
of actor i with moves a, the systematic value of a move is i's expected
utility over the outcomes below it, weighted by the probabilities of the later
choices.  With **agent error** each move carries an independent error of
variance 1 (normal for probit, extreme-value for logit), so for two moves
P(a1) = F((V1 - V2) / sqrt 2) -- the scale R's ``games`` package uses -- and
with logit and more moves P(a) = softmax(V / sqrt 2).  With **private
information** each outcome's utility carries i's own normal error, known to
i and not to the others; i compares sum_t w_t (u_t + e_t) across moves, with
w_t the probability of reaching t from the move, so
P(a1) = Phi((V1 - V2) / sqrt(sum_t w_t^2)).

Derivatives ride along (forward mode): every value carries its gradient with
respect to the coefficient vector as an (n, P) array, so the score of each
case is exact and the sandwich variance needs no numerical differentiation.
Only whole-array operations over cases; the Python loop is over the few nodes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import ndtr

from crisislab.games.estimate.model import EstimationTree

SQRT2 = float(np.sqrt(2.0))
_INV_SQRT_2PI = 1.0 / np.sqrt(2.0 * np.pi)
EPS = np.finfo(float).eps  # probabilities are kept in [eps, 1 - eps], as R's finiteProbs


@dataclass(frozen=True)
class Block:
    """Where one utility's coefficients sit in the parameter vector, and its regressors."""

    actor: str
    outcome: str
    start: int
    matrix: np.ndarray  # (n, k)


@dataclass(frozen=True)
class Problem:
    """Everything the likelihood needs: tree, regressor blocks, observed outcomes."""

    tree: EstimationTree
    blocks: tuple[Block, ...]
    n_params: int
    link: str
    errors: str

    @property
    def n(self) -> int:
        return self.blocks[0].matrix.shape[0] if self.blocks else 0


def _cdf(z: np.ndarray, link: str) -> np.ndarray:
    return ndtr(z) if link == "probit" else 1.0 / (1.0 + np.exp(-z))


def _pdf(z: np.ndarray, link: str) -> np.ndarray:
    if link == "probit":
        return _INV_SQRT_2PI * np.exp(-0.5 * z * z)
    e = np.exp(-np.abs(z))
    return e / (1.0 + e) ** 2


def _utilities(prob: Problem, theta: np.ndarray, n: int
               ) -> dict[tuple[str, str], tuple[np.ndarray, np.ndarray]]:
    """(actor, outcome) -> (utility (n,), gradient (n, P)); missing pairs are fixed at 0."""
    out: dict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = {}
    for b in prob.blocks:
        k = b.matrix.shape[1]
        beta = theta[b.start:b.start + k]
        grad = np.zeros((n, prob.n_params))
        grad[:, b.start:b.start + k] = b.matrix
        out[(b.actor, b.outcome)] = (b.matrix @ beta, grad)
    return out


@dataclass
class _Sub:
    """Values of a subtree: per actor expected utility, and per outcome reach probability."""

    value: dict[str, tuple[np.ndarray, np.ndarray]]
    reach: dict[str, tuple[np.ndarray, np.ndarray]]


def outcome_probabilities(prob: Problem, theta: np.ndarray, *, n: int | None = None
                          ) -> tuple[np.ndarray, np.ndarray]:
    """P(outcome) per case, shape (n, k) in ``tree.outcomes`` order, and its gradient (n, k, P)."""
    n = prob.n if n is None else n
    P = prob.n_params
    utils = _utilities(prob, theta, n)
    zero = (np.zeros(n), np.zeros((n, P)))
    actors = prob.tree.actors

    def solve(target: str) -> _Sub:
        node = prob.tree.node(target)
        if node is None:  # an outcome
            return _Sub({a: utils.get((a, target), zero) for a in actors},
                        {target: (np.ones(n), np.zeros((n, P)))})
        subs = [solve(child) for _, child in node.moves]
        own = [s.value[node.actor] for s in subs]
        probs = _choice(own, subs, prob, n)
        value: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for a in actors:
            v = np.zeros(n)
            dv = np.zeros((n, P))
            for (p, dp), s in zip(probs, subs, strict=True):
                va, dva = s.value[a]
                v += p * va
                dv += dp * va[:, None] + p[:, None] * dva
            value[a] = (v, dv)
        reach: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for (p, dp), s in zip(probs, subs, strict=True):
            for t, (r, dr) in s.reach.items():
                reach[t] = (p * r, dp * r[:, None] + p[:, None] * dr)
        return _Sub(value, reach)

    root = solve(prob.tree.nodes[0].id)
    k = len(prob.tree.outcomes)
    pr = np.empty((n, k))
    dpr = np.empty((n, k, P))
    for j, t in enumerate(prob.tree.outcomes):
        pr[:, j], dpr[:, j, :] = root.reach[t]
    return pr, dpr


def _choice(own: list[tuple[np.ndarray, np.ndarray]], subs: list[_Sub], prob: Problem,
            n: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """Choice probabilities (and gradients) at one node from the owner's move values."""
    if len(own) == 2:
        (v1, dv1), (v2, dv2) = own
        diff, ddiff = v1 - v2, dv1 - dv2
        if prob.errors == "private":
            var = np.zeros(n)
            dvar = np.zeros_like(ddiff)
            for s in subs:
                for r, dr in s.reach.values():
                    var += r * r
                    dvar += 2.0 * r[:, None] * dr
            sd = np.sqrt(var)
            z = diff / sd
            dz = ddiff / sd[:, None] - (diff / (2.0 * var * sd))[:, None] * dvar
        else:
            z = diff / SQRT2
            dz = ddiff / SQRT2
        p1 = _cdf(z, prob.link)
        dp1 = _pdf(z, prob.link)[:, None] * dz
        return [(p1, dp1), (1.0 - p1, -dp1)]
    # logit with more than two moves: softmax of the values over sqrt 2
    vs = np.column_stack([v for v, _ in own]) / SQRT2
    vs -= vs.max(axis=1, keepdims=True)
    e = np.exp(vs)
    p = e / e.sum(axis=1, keepdims=True)
    mean_d = sum(p[:, [j]] * own[j][1] for j in range(len(own))) / SQRT2
    return [(p[:, j], p[:, [j]] * (own[j][1] / SQRT2 - mean_d)) for j in range(len(own))]


def loglik_terms(prob: Problem, theta: np.ndarray, y: np.ndarray
                 ) -> tuple[np.ndarray, np.ndarray]:
    """Log-likelihood of each case (n,) and its score (n, P); ``y`` holds outcome indices."""
    pr, dpr = outcome_probabilities(prob, theta)
    rows = np.arange(len(y))
    p = pr[rows, y]
    dp = dpr[rows, y, :]
    clipped = np.clip(p, EPS, 1.0 - EPS)
    score = dp / clipped[:, None]
    score[(p <= EPS) | (p >= 1.0 - EPS)] = 0.0
    return np.log(clipped), score

