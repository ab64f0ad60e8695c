"""Maximum likelihood for strategic choice models, with the multinomial logit beside it.

The optimiser is BFGS on the exact score (:mod:`.likelihood`), finished by
Newton steps on the Hessian, which is the central difference of the exact
score (P small, so P extra score evaluations).  Standard errors come from the
inverse of the negative Hessian, as R's ``games`` package reports them, and
from the sandwich H^-1 (S'S) H^-1 built from the per-case scores S (robust to
misspecification of the error distribution; Huber 1967, White 1982).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy import optimize, stats

from crisislab.games.estimate.likelihood import Problem, loglik_terms

SEPARATION_BOUND = 25.0  # |coefficient| beyond which a probit/logit index is saturated


@dataclass(frozen=True)
class MLFit:
    """Estimates, curvature and diagnostics of one maximisation."""

    theta: np.ndarray
    loglik: float
    hessian: np.ndarray
    scores: np.ndarray  # (n, P) at the estimate
    converged: bool
    iterations: int
    message: str

    def vcov(self) -> np.ndarray | None:
        try:
            v = np.linalg.inv(-self.hessian)
        except np.linalg.LinAlgError:
            return None
        if not np.all(np.isfinite(v)) or np.any(np.diag(v) < 0):
            return None
        return np.asarray((v + v.T) / 2.0)

    def robust_vcov(self) -> np.ndarray | None:
        v = self.vcov()
        if v is None:
            return None
        meat = self.scores.T @ self.scores
        return np.asarray(v @ meat @ v)


def _numeric_hessian(grad: Callable[[np.ndarray], np.ndarray], theta: np.ndarray) -> np.ndarray:
    P = len(theta)
    H = np.empty((P, P))
    for j in range(P):
        h = 1e-5 * max(1.0, abs(theta[j]))
        e = np.zeros(P)
        e[j] = h
        H[:, j] = (grad(theta + e) - grad(theta - e)) / (2.0 * h)
    return (H + H.T) / 2.0


def maximise(prob: Problem, y: np.ndarray, start: np.ndarray | None = None,
             *, max_iter: int = 2000) -> MLFit:
    """Maximum likelihood estimate of ``prob``'s coefficients given outcome indices ``y``."""
    P = prob.n_params
    theta0 = np.zeros(P) if start is None else np.asarray(start, dtype=float)

    def negll(theta: np.ndarray) -> tuple[float, np.ndarray]:
        ll, sc = loglik_terms(prob, theta, y)
        return -float(ll.sum()), -sc.sum(axis=0)

    def grad(theta: np.ndarray) -> np.ndarray:
        return -negll(theta)[1]

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        res = optimize.minimize(negll, theta0, jac=True, method="BFGS",
                                options={"maxiter": max_iter, "gtol": 1e-7})
        theta = np.asarray(res.x, dtype=float)
        iterations = int(res.nit)
        # Newton polish: BFGS stops on a gradient norm; a few exact-curvature steps
        # bring the estimate to the maximum to many more digits.
        for _ in range(20):
            g = grad(theta)
            if np.max(np.abs(g)) < 1e-9:
                break
            H = _numeric_hessian(grad, theta)
            try:
                step = np.linalg.solve(H, g)
            except np.linalg.LinAlgError:
                break
            f0 = negll(theta)[0]
            t = 1.0
            while t > 1e-6 and negll(theta - t * step)[0] > f0 + 1e-12:
                t /= 2.0
            if t <= 1e-6:
                break
            theta = theta - t * step
            iterations += 1
        ll, scores = loglik_terms(prob, theta, y)
        H = _numeric_hessian(grad, theta)
    gnorm = float(np.max(np.abs(scores.sum(axis=0)))) if P else 0.0
    converged = bool(np.isfinite(ll.sum()) and gnorm < 1e-4 * max(1.0, len(y) ** 0.5))
    message = "converged" if converged else (
        f"the score is not zero at the end (largest component {gnorm:.3g}): {res.message}")
    return MLFit(theta, float(ll.sum()), H, scores, converged, iterations, message)


@dataclass(frozen=True)
class BaselineFit:
    """Multinomial logit of the outcome on all the regressors the strategic model uses."""

    names: tuple[str, ...]
    coefficients: np.ndarray  # (k-1, p): each outcome against the first
    loglik: float
    n_params: int
    converged: bool
    probabilities: np.ndarray


def multinomial_logit(X: np.ndarray, y: np.ndarray, k: int,
                      names: tuple[str, ...]) -> BaselineFit:
    """The non-strategic baseline: P(y = j) = softmax(X b_j), b_1 = 0, by maximum likelihood."""
    n, p = X.shape
    Y = np.zeros((n, k))
    Y[np.arange(n), y] = 1.0

    def negll(b: np.ndarray) -> tuple[float, np.ndarray]:
        B = np.vstack([np.zeros(p), b.reshape(k - 1, p)])
        eta = X @ B.T
        eta -= eta.max(axis=1, keepdims=True)
        logp = eta - np.log(np.exp(eta).sum(axis=1, keepdims=True))
        G = (Y - np.exp(logp))[:, 1:].T @ X
        return -float((Y * logp).sum()), -G.ravel()

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        res = optimize.minimize(negll, np.zeros((k - 1) * p), jac=True, method="BFGS",
                                options={"maxiter": 5000, "gtol": 1e-8})
    B = np.vstack([np.zeros(p), res.x.reshape(k - 1, p)])
    eta = X @ B.T
    eta -= eta.max(axis=1, keepdims=True)
    pr = np.exp(eta) / np.exp(eta).sum(axis=1, keepdims=True)
    gmax = float(np.max(np.abs(negll(res.x)[1]))) if p else 0.0
    return BaselineFit(names, B[1:], -float(res.fun), (k - 1) * p, gmax < 1e-3, pr)


def z_and_p(est: np.ndarray, se: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Wald z statistics and two-sided normal p-values."""
    with np.errstate(divide="ignore", invalid="ignore"):
        z = est / se
    return z, 2.0 * stats.norm.sf(np.abs(z))


def maximise_with_restarts(prob: Problem, y: np.ndarray, restarts: int = 5,
                           seed: int = 0) -> tuple[MLFit, int]:
    """:func:`maximise` from zero, then, if that fails to converge, from ``restarts``
    seeded uniform(-1, 1) starts (strategic likelihoods need not be concave; R's games
    package starts from statistical backwards induction for the same reason).  Returns
    the best fit and how many starts were used."""
    best = maximise(prob, y)
    if best.converged:
        return best, 1
    rng = np.random.default_rng(seed)
    used = 1
    for _ in range(restarts):
        used += 1
        fit = maximise(prob, y, rng.uniform(-1.0, 1.0, prob.n_params))
        if (fit.converged, fit.loglik) > (best.converged, best.loglik):
            best = fit
        if best.converged:
            break
    return best, used
