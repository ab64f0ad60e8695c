"""Agent quantal response equilibria against Signorino's closed form and the fixed-point
definition, on the three-move deterrence game and on random trees."""

from __future__ import annotations

import math

import numpy as np
import pytest
from game_helpers import random_tree
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.integrate import quad
from scipy.special import expit, ndtr
from scipy.stats import norm

from crisislab.games.profile import evaluate_profile
from crisislab.games.qre import qre_at, qre_curve, qre_limit
from crisislab.games.solve import solve_tree
from crisislab.games.tree import TreeBuilder

# Signorino (1999), "Strategic interaction and the statistical analysis of international
# conflict", APSR 93(2), the deterrence game: 1 keeps the status quo (SQ) or challenges;
# 2 acquiesces (ACQ) or resists; 1 backs down (BD) or goes to war (WAR).
U1 = {"SQ": 0.3, "ACQ": 1.0, "BD": -0.7, "WAR": -1.2}
U2 = {"ACQ": -0.5, "BD": 0.4, "WAR": -1.5}


def signorino_tree() -> TreeBuilder:
    b = TreeBuilder("Signorino deterrence", ("one", "two"))
    b.decision("n1", "one", "one.challenge", {"sq": "SQ", "challenge": "n2"})
    b.decision("n2", "two", "two.resist", {"acquiesce": "ACQ", "resist": "n3"})
    b.decision("n3", "one", "one.war", {"back_down": "BD", "war": "WAR"})
    b.terminal("SQ", {"one": U1["SQ"], "two": 0.0}, "status_quo")
    b.terminal("ACQ", {"one": U1["ACQ"], "two": U2["ACQ"]}, "capitulation_two")
    b.terminal("BD", {"one": U1["BD"], "two": U2["BD"]}, "capitulation_one")
    b.terminal("WAR", {"one": U1["WAR"], "two": U2["WAR"]}, "war")
    return b


def signorino_closed_form(lam: float, link: str) -> dict[str, float]:
    """Backwards through the tree, each agent choosing with its own i.i.d. error on each
    action's expected utility (scale sigma = 1/lam):

        logit:  P(a over b) = Lambda(lam (U_a - U_b))          (type-I extreme value)
        probit: P(a over b) = Phi(lam (U_a - U_b) / sqrt 2)     (N(0, sigma^2) per action,
                                                                 difference variance 2 s^2)
        p4 = P(war)       = F(U1(WAR) - U1(BD))
        p3 = P(resist)    = F(p4 U2(WAR) + (1 - p4) U2(BD) - U2(ACQ))
        p1 = P(challenge) = F(p3 (p4 U1(WAR) + (1 - p4) U1(BD)) + (1 - p3) U1(ACQ) - U1(SQ))
    Outcomes: SQ 1 - p1, ACQ p1 (1 - p3), BD p1 p3 (1 - p4), WAR p1 p3 p4.
    """
    def f(d: float) -> float:
        return float(expit(lam * d)) if link == "logit" else float(ndtr(lam * d / math.sqrt(2)))

    p4 = f(U1["WAR"] - U1["BD"])
    p3 = f(p4 * U2["WAR"] + (1 - p4) * U2["BD"] - U2["ACQ"])
    p1 = f(p3 * (p4 * U1["WAR"] + (1 - p4) * U1["BD"]) + (1 - p3) * U1["ACQ"] - U1["SQ"])
    return {"status_quo": 1 - p1, "capitulation_two": p1 * (1 - p3),
            "capitulation_one": p1 * p3 * (1 - p4), "war": p1 * p3 * p4,
            "p1": p1, "p3": p3, "p4": p4}


@pytest.mark.parametrize("link", ["logit", "probit"])
@pytest.mark.parametrize("lam", [0.3, 2.5, 12.0])
def test_signorino_closed_form(link, lam):
    tree = signorino_tree().build()
    b = qre_at(tree, lam, link)
    ref = signorino_closed_form(lam, link)
    m = tree.profile_to_mapping(b)
    assert m["one.challenge"]["challenge"] == pytest.approx(ref["p1"], abs=1e-8)
    assert m["two.resist"]["resist"] == pytest.approx(ref["p3"], abs=1e-8)
    assert m["one.war"]["war"] == pytest.approx(ref["p4"], abs=1e-8)
    ev = evaluate_profile(tree, b)
    for oc in ("status_quo", "capitulation_two", "capitulation_one", "war"):
        assert ev.outcome_probabilities[oc] == pytest.approx(ref[oc], abs=1e-8)


def test_qre_method_result_and_curve():
    tree = signorino_tree().build()
    sol = solve_tree(tree, "qre", lam=2.5, link="probit")
    assert sol.equilibria == [] and sol.qre is not None
    ref = signorino_closed_form(2.5, "probit")
    assert sol.qre.point.outcome_probabilities["war"] == pytest.approx(ref["war"], abs=1e-8)
    lams = [p.lam for p in sol.qre.curve]
    assert lams[0] == 0.0 and lams[-1] == pytest.approx(2.5) and lams == sorted(lams)
    # at lambda = 0 play is uniform: P(SQ) = 1/2
    assert sol.qre.curve[0].outcome_probabilities["status_quo"] == pytest.approx(0.5)


def test_limit_is_the_subgame_perfect_equilibrium():
    # By backward induction: 1 backs down (-0.7 > -1.2); 2 then resists (0.4 > -0.5);
    # 1 then prefers SQ (0.3 > -0.7).  The logit limit is that equilibrium, exactly.
    tree = signorino_tree().build()
    lim = qre_limit(tree)
    assert lim.behaviour is not None
    m = tree.profile_to_mapping(lim.behaviour)
    assert m["one.challenge"]["sq"] == 1.0
    assert m["two.resist"]["resist"] == 1.0 and m["one.war"]["back_down"] == 1.0


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000), st.sampled_from(["logit", "probit"]),
       st.floats(0.1, 3.0))
def test_qre_is_a_fixed_point_on_random_trees(seed, link, lam):
    """Definition check: each set's probabilities are the link applied to lambda times the
    action values under Bayes beliefs, recomputed by the independent evaluator."""
    tree = random_tree(seed, max_depth=3)
    b = qre_at(tree, lam, link)
    ev = evaluate_profile(tree, b)
    for k, s in enumerate(tree.infosets):
        if float(np.max(ev.infoset_reach[..., k])) < 1e-12:
            # reached with probability ~1e-18: Bayes' beliefs there are ratios of numbers
            # near underflow, so the two evaluations can differ in their leading digits
            continue
        probs = b[tree.slot_offset[k]: tree.slot_offset[k] + len(s.actions)]
        u = lam * ev.action_values[k]
        if link == "logit":
            want = np.exp(u - u.max()) / np.exp(u - u.max()).sum()
        elif len(u) == 2:
            want = np.array([ndtr((u[0] - u[1]) / math.sqrt(2)),
                             ndtr((u[1] - u[0]) / math.sqrt(2))])
        else:  # P(a best) = integral of phi(t) prod_b Phi(t + u_a - u_b) dt, by quadrature
            want = np.array([quad(lambda t, a=a, u=u: norm.pdf(t) * np.prod(
                [ndtr(t + u[a] - u[c]) for c in range(len(u)) if c != a]), -12, 12,
                epsabs=1e-12)[0] for a in range(len(u))])
        assert np.allclose(probs, want, atol=1e-8)
        assert abs(probs.sum() - 1) < 1e-9


def test_curve_points_are_on_one_branch():
    tree = signorino_tree().build()
    pts = qre_curve(tree, [0.5, 1.0, 4.0])
    for p in pts:
        ref = signorino_closed_form(p.lam, "logit")
        assert p.behaviour[tree.slot_offset[0] + 1] == pytest.approx(ref["p1"], abs=1e-8)
