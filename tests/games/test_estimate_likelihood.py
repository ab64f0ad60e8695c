"""The strategic choice likelihood against hand derivations, a scalar reference and simulation.

egame12 (Signorino 1999; Kenkel & Signorino 2014, section 2).  Actor 1 keeps the
status quo (sq, utility u11) or escalates; actor 2 then concedes (cap: u13 for 1,
0 for 2) or fights (war: u14 for 1, u24 for 2).

Agent error: each move carries an independent error (variance 1), so the
difference of two moves' errors has variance 2.  Actor 2 fights iff
u24 + e_fight > 0 + e_concede:

    p4 = P(war | escalation) = F(u24 / sqrt 2),        p3 = 1 - p4.

Actor 1, anticipating p3 and p4, escalates iff p3 u13 + p4 u14 + e_esc > u11 + e_sq:

    p2 = P(escalate) = F((p3 u13 + p4 u14 - u11) / sqrt 2),   p1 = 1 - p2,

and P(sq) = p1, P(cap) = p2 p3, P(war) = p2 p4 (F = Phi for probit; for logit
the logistic cdf with scale sqrt 2, R's ``plogis(x, scale = sqrt(2))``).

Private information: each actor's utility for each outcome carries the actor's
own N(0, 1) error.  Actor 2 compares u24 + e24 with 0 + e23: p4 = Phi(u24 /
sqrt 2).  Actor 1 compares p3 (u13 + e13) + p4 (u14 + e14) with u11 + e11, a
normal difference of variance 1 + p3^2 + p4^2:

    p2 = Phi((p3 u13 + p4 u14 - u11) / sqrt(1 + p3^2 + p4^2)).

These are the formulas of the R package's own test (tests/testthat/test_egame12.r)
and of its ``makeProbs12``.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import logistic, norm

from crisislab.games.estimate.fit import maximise
from crisislab.games.estimate.likelihood import Block, Problem, loglik_terms, outcome_probabilities
from crisislab.games.estimate.model import EGAME12, EGAME122, EGAME123, DecisionNode, EstimationTree

S2 = np.sqrt(2.0)


def egame12_problem(X: np.ndarray, Z: np.ndarray, W: np.ndarray, link: str, errors: str
                    ) -> Problem:
    """u11 = X b1, u13 = 0, u14 = W b3, u24 = Z g."""
    kx, kw = X.shape[1], W.shape[1]
    blocks = (Block("1", "sq", 0, X), Block("1", "war", kx, W), Block("2", "war", kx + kw, Z))
    return Problem(EGAME12.tree, blocks, kx + kw + Z.shape[1], link, errors)


def egame12_by_hand(theta, X, Z, W, link, errors):
    kx, kw = X.shape[1], W.shape[1]
    u11 = X @ theta[:kx]
    u14 = W @ theta[kx:kx + kw]
    u24 = Z @ theta[kx + kw:]
    u13 = 0.0
    F = norm.cdf if link == "probit" else (lambda v: logistic.cdf(v))
    p4 = F(u24 / S2)
    p3 = 1 - p4
    if errors == "private":
        p2 = norm.cdf((p3 * u13 + p4 * u14 - u11) / np.sqrt(1 + p3 ** 2 + p4 ** 2))
    else:
        p2 = F((p3 * u13 + p4 * u14 - u11) / S2)
    return np.column_stack([1 - p2, p2 * p3, p2 * p4])


def _data(n, rng):
    X = np.column_stack([np.ones(n), rng.normal(size=n)])
    W = np.column_stack([np.ones(n), rng.integers(0, 2, n).astype(float)])
    Z = np.column_stack([np.ones(n), rng.uniform(size=n)])
    return X, Z, W


@pytest.mark.parametrize(("link", "errors"), [("probit", "agent"), ("logit", "agent"),
                                              ("probit", "private")])
def test_egame12_probabilities_match_the_hand_derivation(link, errors):
    rng = np.random.default_rng(1)
    X, Z, W = _data(50, rng)
    theta = rng.normal(size=6)
    prob = egame12_problem(X, Z, W, link, errors)
    pr, _ = outcome_probabilities(prob, theta)
    np.testing.assert_allclose(pr, egame12_by_hand(theta, X, Z, W, link, errors), atol=1e-12)
    np.testing.assert_allclose(pr.sum(axis=1), 1.0, atol=1e-12)


# ----------------------------------------------------------- scalar reference for any tree
def reference_probabilities(tree: EstimationTree, utility, link: str, errors: str):
    """Deliberately simple: one case, plain recursion over Python floats.

    utility(actor, outcome) -> float.  Returns {outcome: probability}.
    """
    import math

    def cdf(z):
        return 0.5 * math.erfc(-z / math.sqrt(2)) if link == "probit" else 1 / (1 + math.exp(-z))

    def walk(target):
        node = tree.node(target)
        if node is None:
            return {target: 1.0}
        subs = [walk(child) for _, child in node.moves]
        vals = [sum(p * utility(node.actor, o) for o, p in s.items()) for s in subs]
        if len(subs) == 2:
            if errors == "private":
                sd = math.sqrt(sum(p * p for s in subs for p in s.values()))
            else:
                sd = math.sqrt(2)
            p1 = cdf((vals[0] - vals[1]) / sd)
            probs = [p1, 1 - p1]
        else:
            m = max(vals)
            e = [math.exp((v - m) / math.sqrt(2)) for v in vals]
            probs = [x / sum(e) for x in e]
        out = {}
        for p, s in zip(probs, subs, strict=True):
            for o, q in s.items():
                out[o] = p * q
        return out

    return walk(tree.nodes[0].id)


THREE_MOVES = EstimationTree(
    nodes=(DecisionNode("a", "A", (("x", "o1"), ("y", "b"), ("z", "o2"))),
           DecisionNode("b", "B", (("p", "o3"), ("q", "c"), ("r", "o4"))),
           DecisionNode("c", "A", (("s", "o5"), ("t", "o6")))),
    outcomes=("o1", "o2", "o3", "o4", "o5", "o6"))

CASES = [(EGAME12.tree, "probit", "agent"), (EGAME12.tree, "probit", "private"),
         (EGAME122.tree, "probit", "agent"), (EGAME122.tree, "probit", "private"),
         (EGAME123.tree, "logit", "agent"), (EGAME123.tree, "probit", "private"),
         (THREE_MOVES, "logit", "agent")]


def _random_problem(tree, link, errors, rng, n):
    blocks = []
    start = 0
    for actor in tree.actors:
        for o in tree.outcomes:
            if rng.uniform() < 0.7:
                k = int(rng.integers(1, 3))
                M = np.column_stack([np.ones(n)] + [rng.normal(size=n) for _ in range(k - 1)])
                blocks.append(Block(actor, o, start, M))
                start += k
    return Problem(tree, tuple(blocks), start, link, errors)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), which=st.integers(0, len(CASES) - 1))
def test_vectorised_probabilities_match_the_scalar_reference(seed, which):
    tree, link, errors = CASES[which]
    rng = np.random.default_rng(seed)
    prob = _random_problem(tree, link, errors, rng, n=4)
    theta = rng.normal(scale=1.5, size=prob.n_params)
    pr, _ = outcome_probabilities(prob, theta)
    for i in range(4):
        def utility(actor, outcome, i=i):
            for b in prob.blocks:
                if (b.actor, b.outcome) == (actor, outcome):
                    return float(b.matrix[i] @ theta[b.start:b.start + b.matrix.shape[1]])
            return 0.0

        ref = reference_probabilities(tree, utility, link, errors)
        np.testing.assert_allclose(pr[i], [ref[o] for o in tree.outcomes], atol=1e-12)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), which=st.integers(0, len(CASES) - 1))
def test_exact_score_matches_central_differences(seed, which):
    tree, link, errors = CASES[which]
    rng = np.random.default_rng(seed)
    prob = _random_problem(tree, link, errors, rng, n=6)
    theta = rng.normal(size=prob.n_params)
    y = rng.integers(0, len(tree.outcomes), 6)
    _, score = loglik_terms(prob, theta, y)
    h = 1e-6
    for j in range(prob.n_params):
        e = np.zeros(prob.n_params)
        e[j] = h
        num = (loglik_terms(prob, theta + e, y)[0] - loglik_terms(prob, theta - e, y)[0]) / (2 * h)
        np.testing.assert_allclose(score[:, j], num, rtol=1e-5, atol=1e-6)


# ------------------------------------------------------------------ simulation recovery
@pytest.mark.parametrize(("link", "errors"), [("probit", "agent"), ("logit", "agent"),
                                              ("probit", "private")])
def test_simulated_egame12_recovers_its_parameters(link, errors):
    """Simulate 4000 crises from known utilities by drawing the errors and playing the
    game (not from the formula), then fit: every estimate is within 3.5 standard errors
    of the truth, and the truth's log-likelihood is below the maximum."""
    rng = np.random.default_rng(20261202)
    n = 4000
    X, Z, W = _data(n, rng)
    truth = np.array([-0.3, 0.8, 0.5, -1.2, 0.4, -1.0])
    u11 = X @ truth[:2]
    u14 = W @ truth[2:4]
    u24 = Z @ truth[4:]
    if errors == "agent":
        # actor 2's move errors, then actor 1's, who knows only P(fight) = p4
        if link == "probit":
            fight = u24 + rng.normal(size=n) > rng.normal(size=n)
            p4 = norm.cdf(u24 / S2)
            esc = p4 * u14 + rng.normal(size=n) > u11 + rng.normal(size=n)
        else:  # R's logit: a logistic difference with scale sqrt 2
            fight = u24 + S2 * rng.logistic(size=n) > 0
            p4 = logistic.cdf(u24 / S2)
            esc = p4 * u14 - u11 + S2 * rng.logistic(size=n) > 0
    else:
        e = rng.normal(size=(n, 5))  # e11, e13, e14, e23, e24
        fight = u24 + e[:, 4] > e[:, 3]
        p4 = norm.cdf(u24 / S2)
        esc = (1 - p4) * (0 + e[:, 1]) + p4 * (u14 + e[:, 2]) > u11 + e[:, 0]
    y = np.where(~esc, 0, np.where(fight, 2, 1))
    prob = egame12_problem(X, Z, W, link, errors)
    fit = maximise(prob, y)
    assert fit.converged
    se = np.sqrt(np.diag(fit.vcov()))
    assert np.all(np.abs(fit.theta - truth) < 3.5 * se), (fit.theta, truth, se)
    assert loglik_terms(prob, truth, y)[0].sum() <= fit.loglik + 1e-9
    # the sandwich agrees with the Hessian when the model is right (information equality)
    rse = np.sqrt(np.diag(fit.robust_vcov()))
    np.testing.assert_allclose(rse, se, rtol=0.25)


@pytest.mark.parametrize(("tree", "link", "errors"), [(EGAME122.tree, "probit", "agent"),
                                                      (EGAME123.tree, "logit", "agent"),
                                                      (EGAME123.tree, "probit", "private")])
def test_simulated_egame122_and_egame123_recover_their_parameters(tree, link, errors):
    """Outcomes drawn from the model's probabilities (checked above against the scalar
    reference) at known coefficients; the fit recovers them within 3.5 standard errors."""
    rng = np.random.default_rng(7)
    n = 4000
    blocks = []
    start = 0
    truth = []
    # R's utilities less one per actor fixed at 0 (u14 of egame122; u16, u26 of egame123)
    estimated = ([("1", "1"), ("1", "2"), ("1", "3"), ("2", "2"), ("2", "4")]
                 if tree is EGAME122.tree else
                 [("1", "1"), ("1", "2"), ("1", "3"), ("2", "2"), ("2", "3"), ("3", "4")])
    for a, o in estimated:
        M = np.column_stack([np.ones(n), rng.normal(size=n)])
        blocks.append(Block(a, o, start, M))
        start += 2
        truth.extend(rng.uniform(-1, 1, 2))
    prob = Problem(tree, tuple(blocks), start, link, errors)
    truth = np.array(truth)
    pr, _ = outcome_probabilities(prob, truth)
    y = (rng.uniform(size=(n, 1)) > pr.cumsum(axis=1)).sum(axis=1)
    fit = maximise(prob, y)
    assert fit.converged
    se = np.sqrt(np.diag(fit.vcov()))
    assert np.all(np.abs(fit.theta - truth) < 3.5 * se), (fit.theta, truth, se)
