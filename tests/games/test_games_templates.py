"""Each template's closed form against hand derivations (1e-6) and against our own tree check."""

from __future__ import annotations

import math

import pytest
from game_helpers import template
from hypothesis import given, settings
from hypothesis import strategies as st

from crisislab.errors import ScenarioError
from crisislab.games.solve import solve_game
from crisislab.games.templates.brinkmanship import window
from crisislab.games.templates.fearon1995 import continuous_solution
from crisislab.games.templates.kydd_trust import trust_threshold

TOL = 1e-6


def only(sol):
    assert sol.complete
    assert len(sol.equilibria) == 1
    eq = sol.equilibria[0]
    assert eq.is_equilibrium and eq.sequential_regret <= 1e-9
    return eq


# ----------------------------------------------------------------------- brinkmanship
@pytest.mark.parametrize(("p", "q", "threatens", "soft_complies"), [
    (0.4, 0.35, True, True),    # inside [1/3, 0.5625]
    (0.4, 0.30, False, False),  # below 1/3: not effective
    (0.4, 0.60, False, True),   # above 0.375*0.6/0.4 = 0.5625: not acceptable
    (0.2, 0.90, True, True),    # q_acc = 0.375*0.8/0.2 = 1.5 > 1
    (0.6, 0.34, False, True),   # q_acc = 0.375*0.4/0.6 = 0.25 < 1/3: window closed
])
def test_brinkmanship_window_by_hand(p, q, threatens, soft_complies):
    # Defaults: A=-2, C=1, W=-10 for the US; W_t=1, C_t=-2, D_soft=-8 for the USSR.
    # Soft complies iff -2 >= -8q + (1-q)  <=>  q >= 3/9 = 1/3.
    # US threatens iff p(-10q - 2(1-q)) + (1-p) >= -2  <=>  q <= 3(1-p)/(8p).
    eq = only(solve_game(template("brinkmanship", p_hard=p, q=q), "closed_form"))
    assert abs(eq.summary["q_effective"] - 1 / 3) < TOL
    assert abs(eq.summary["q_acceptable"] - 3 * (1 - p) / (8 * p)) < TOL
    assert (eq.behaviour["US.threaten"]["threaten"] == 1.0) is threatens
    assert (eq.behaviour["USSR.respond[soft]"]["comply"] == 1.0) is soft_complies
    if threatens:
        # war only when a hard-liner defies and disaster strikes
        assert abs(eq.outcome_probabilities["war"] - p * q) < TOL
        assert abs(eq.outcome_probabilities["capitulation_USSR"] - (1 - p)) < TOL
        us = p * (q * -10 + (1 - q) * -2) + (1 - p) * 1
        assert abs(eq.expected_payoffs["US"] - us) < TOL
    else:
        assert abs(eq.outcome_probabilities["capitulation_US"] - 1) < TOL


@settings(max_examples=40, deadline=None)
@given(st.floats(0.05, 0.9), st.floats(0.01, 0.09))
def test_brinkmanship_window_shrinks_with_prior_on_hardliner(p, dp):
    base = {"threatener_acquiesce": -2.0, "threatener_comply": 1.0, "threatener_war": -10.0,
            "target_win": 1.0, "target_comply": -2.0, "target_war_soft": -8.0}
    lo1, hi1 = window({**base, "p_hard": p})
    lo2, hi2 = window({**base, "p_hard": p + dp})
    assert lo1 == lo2  # effectiveness does not depend on the prior
    assert hi2 < hi1   # acceptability shrinks
    width = lambda lo, hi: max(0.0, min(hi, 1.0) - lo)  # noqa: E731
    assert width(lo2, hi2) <= width(lo1, hi1)


def test_brinkmanship_backward_induction_agrees_with_closed_form():
    for q in (0.1, 0.34, 0.5, 0.55, 0.7, 0.95):
        cf = solve_game(template("brinkmanship", q=q), "closed_form").equilibria[0]
        bi = solve_game(template("brinkmanship", q=q), "backward_induction").equilibria[0]
        assert cf.behaviour == bi.behaviour
        assert cf.outcome_probabilities == bi.outcome_probabilities


# ----------------------------------------------------------------------- escalation
def test_escalation_semi_separating_by_hand():
    # r_c = r_d = 0.3, S = 1, a = 0.5, w_dL = -2.5.
    # mu* = S / -w_dL = 0.4;  rho* = a / (S + a) = 1/3;  1 - r_d = 0.7 > 1/3 and r_c < mu*.
    # Bluff: r_c / (r_c + (1 - r_c) q) = mu*  =>  q = 0.3 * 0.6 / (0.7 * 0.4) = 9/14.
    # Resist: (1 - r_d)(1 - s) = rho*  =>  s = 1 - (1/3) / 0.7 = 11/21.
    # P(resist) = 0.3 + 0.7 * 11/21 = 2/3; war = 0.3 * 2/3 = 0.2;
    # capitulation_NK = 0.7 * 9/14 * 2/3 = 0.3; capitulation_US = (0.3 + 0.45) / 3 = 0.25;
    # status quo = 0.7 * 5/14 = 0.25.
    eq = only(solve_game(template("crisis_escalation"), "closed_form"))
    assert abs(eq.behaviour["NK.challenge[irresolute]"]["challenge"] - 9 / 14) < TOL
    assert abs(eq.behaviour["US.respond[irresolute].r1"]["resist"] - 11 / 21) < TOL
    assert abs(eq.outcome_probabilities["war"] - 0.2) < TOL
    assert abs(eq.outcome_probabilities["capitulation_NK"] - 0.3) < TOL
    assert abs(eq.outcome_probabilities["capitulation_US"] - 0.25) < TOL
    assert abs(eq.outcome_probabilities["status_quo"] - 0.25) < TOL
    # the bluffing challenger is indifferent: its payoff from challenging is 0
    assert abs(eq.beliefs["US.respond[irresolute].r1"]["resolute.irresolute.r1.respond"]
               - 0.4) < TOL


def test_escalation_pooling_and_separating_by_hand():
    # r_c = 0.5 >= mu* = 0.4: everyone challenges, irresolute defender concedes.
    # war = r_c r_d = 0.15; capitulation_NK = 0.5 * 0.3 = 0.15; capitulation_US = 0.7.
    eq = only(solve_game(template("crisis_escalation", r_c=0.5), "closed_form"))
    assert eq.outcome_probabilities == pytest.approx(
        {"war": 0.15, "capitulation_NK": 0.15, "capitulation_US": 0.7, "status_quo": 0.0},
        abs=TOL)
    # r_d = 0.8: 1 - r_d = 0.2 < rho* = 1/3, bluffing never pays; only resolute challenge.
    # war = 0.3 * 0.8 = 0.24; capitulation_US = 0.3 * 0.2 = 0.06; status quo = 0.7.
    eq = only(solve_game(template("crisis_escalation", r_d=0.8), "closed_form"))
    assert eq.outcome_probabilities == pytest.approx(
        {"war": 0.24, "capitulation_NK": 0.0, "capitulation_US": 0.06, "status_quo": 0.7},
        abs=TOL)


def test_escalation_assumptions_are_enforced():
    with pytest.raises(ScenarioError) as err:
        solve_game(template("crisis_escalation", war_d_irresolute=-0.5))
    assert err.value.problems[0].path == "games[0].parameters.war_d_irresolute"


# ----------------------------------------------------------------------- audience costs
@pytest.mark.parametrize("a", [0.25, 0.5, 0.9])
def test_audience_cost_deters_resistance_by_hand(a):
    # Known defender (w_d = -2.5, mu* = 0.4), r = 0.3 < mu*: semi-separating.
    # Irresolute challenger indifferent: (1 - s) S - s a = 0  =>  s = S / (S + a).
    # Bluff q = r (1 - mu*) / ((1 - r) mu*) = 9/14, independent of a.
    eq = only(solve_game(template("audience_costs", audience_cost=a), "closed_form"))
    s = 1 / (1 + a)
    assert abs(eq.behaviour["US.respond[known].r1"]["resist"] - s) < TOL
    assert abs(eq.outcome_probabilities["war"] - 0.3 * s) < TOL
    assert abs(eq.outcome_probabilities["capitulation_US"] - (0.3 + 0.7 * 9 / 14) * (1 - s)) \
        < TOL


def test_audience_cost_ties_hands():
    # a = 1.5 > -w_cL = 1: the irresolute challenger fights rather than back down, the
    # threat is credible, the defender (w_d < -S) concedes: capitulation_US = 1.
    eq = only(solve_game(template("audience_costs", audience_cost=1.5), "closed_form"))
    assert eq.outcome_probabilities["capitulation_US"] == pytest.approx(1.0, abs=TOL)
    assert eq.behaviour["NK.escalate[irresolute].r1"]["escalate"] == 1.0


# ----------------------------------------------------------------------- Kydd trust
@pytest.mark.parametrize(("pi", "n_eq"), [(0.7, 3), (0.5, 2), (0.4, 1)])
def test_trust_threshold_by_hand(pi, n_eq):
    # theta = c / (1 - t_s + c) = 0.5 / (1 - 0.5 + 0.5) = 0.5
    sol = solve_game(template("trust_reassurance", pi_a=pi, pi_b=pi), "closed_form")
    assert sol.complete
    assert len(sol.equilibria) == n_eq
    # Independent of the solver's own flag: the deal probabilities derived by hand.
    # No trust: P(deal) = 0 always; full trust among trustworthy types (pi >= theta):
    # pi^2; the mixed one (pi > theta): theta^2 = 0.25.  At pi = theta = 0.5 the last two
    # coincide (sigma = 1, pi^2 = 0.25); below theta only "no trust" remains.
    expected = {3: [0.0, 0.25, pi * pi], 2: [0.0, 0.25], 1: [0.0]}[n_eq]
    deals = sorted(e.outcome_probabilities.get("deal", 0.0) for e in sol.equilibria)
    assert deals == pytest.approx(sorted(expected), abs=TOL)
    assert trust_threshold({"sucker_cost": 0.5, "temptation_security": 0.5}) == 0.5
    if n_eq == 3:
        mixed = sol.equilibria[2]
        # sigma = theta / pi; P(deal) = (pi sigma)^2 = theta^2 = 0.25
        assert mixed.behaviour["US.move[security]"]["cooperate"] == pytest.approx(0.5 / pi)
        assert mixed.outcome_probabilities["deal"] == pytest.approx(0.25, abs=TOL)
        reassure = sol.equilibria[1]
        assert reassure.outcome_probabilities["deal"] == pytest.approx(pi * pi, abs=TOL)


def test_trust_pure_search_finds_the_pure_equilibria():
    sol = solve_game(template("trust_reassurance"), "pure")
    deals = sorted(round(e.outcome_probabilities["deal"], 9) for e in sol.equilibria)
    assert deals == [0.0, 0.49]
    assert not sol.complete


# ----------------------------------------------------------------------- Fearon 1995
@pytest.mark.parametrize(("p", "cp", "cmax", "x", "war"), [
    (0.5, 0.1, 0.4, 0.65, 0.375),   # x* = 0.5 + (0.4 - 0.1)/2; F = 0.15/0.4
    (0.3, 0.0, 0.2, 0.4, 0.5),      # x* = 0.3 + 0.1; F = 0.1/0.2
    (0.5, 0.5, 0.4, 0.5, 0.0),      # c_P >= c_max: no risk taken
    (0.9, 0.0, 0.4, 1.0, 0.25),     # x* = 1.1 clipped to 1; F = 0.1/0.4
])
def test_fearon_risk_return_by_hand(p, cp, cmax, x, war):
    sol = continuous_solution(p, cp, cmax)
    assert abs(sol["offer"] - x) < TOL
    assert abs(sol["p_war"] - war) < TOL
    assert abs(sol["proposer_payoff"] - (x * (1 - war) + (p - cp) * war)) < TOL


def test_fearon_tree_converges_to_closed_form():
    n = 80
    eq = only(solve_game(template("risk_return", n_types=n), "closed_form"))
    assert abs(eq.summary["tree_offer"] - 0.65) <= 0.4 / n + 1e-12
    assert abs(eq.outcome_probabilities["war"] - 0.375) <= 1.0 / n + 1e-12
    bi = solve_game(template("risk_return", n_types=n), "backward_induction").equilibria[0]
    assert bi.behaviour["US.offer"] == eq.behaviour["US.offer"]
    assert math.isclose(bi.expected_payoffs["US"], eq.expected_payoffs["US"], abs_tol=1e-12)
