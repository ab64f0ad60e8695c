"""Fearon's two-type bargaining template and continuous-type cutoff equilibria, by hand."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from crisislab.games.cutoffs import fearon_cutoff, kydd_cutoff
from crisislab.games.solve import solve_game
from crisislab.games.spec import TemplateGameSpec


def spec(**params):
    return TemplateGameSpec(id="bargain", template="bargaining_two_types",
                            players={"proposer": "US", "responder": "KP"}, parameters=params)


def test_two_types_by_hand():
    """Defaults p = .5, c_P = .1, c_L = .05, c_H = .3.  q* = (c_H - c_L)/(c_H + c_P)
    = .25/.4 = .625.  At q = .3 < q* the risky demand p + c_H = .8 pays
    .7 * .8 + .3 * (.5 - .1) = .68 > .55 (safe): war with probability .3.
    At q = .7 > q*: .3 * .8 + .7 * .4 = .52 < .55, safe demand, no war.
    Bargaining range with complete information: [p - c_P, p + c_R] = [.4, .55] or
    [.4, .8]: never empty, yet war happens."""
    sol = solve_game(spec(q_resolved=0.3))
    (eq,) = sol.equilibria
    assert sol.complete and eq.sequential_regret <= 1e-9
    assert eq.summary["q_star"] == pytest.approx(0.625)
    assert eq.outcome_probabilities["war"] == pytest.approx(0.3)
    assert eq.expected_payoffs["US"] == pytest.approx(0.68)
    assert (eq.summary["range_low"], eq.summary["range_high_resolved"]) == \
        (pytest.approx(0.4), pytest.approx(0.55))
    sol = solve_game(spec(q_resolved=0.7))
    (eq,) = sol.equilibria
    assert eq.outcome_probabilities.get("war", 0.0) == pytest.approx(0.0)
    assert eq.expected_payoffs["US"] == pytest.approx(0.55)


@settings(max_examples=25, deadline=None)
@given(q=st.floats(0.01, 0.99), cl=st.floats(0.0, 0.2), dh=st.floats(0.01, 0.3),
       cp=st.floats(0.0, 0.3))
def test_two_types_closed_form_agrees_with_backward_induction(q, cl, dh, cp):
    s = spec(q_resolved=q, cost_low=cl, cost_high=cl + dh, cost_proposer=cp)
    q_star = dh / (cl + dh + cp)
    if abs(q - q_star) < 1e-6:
        return
    cf = solve_game(s).equilibria[0]
    bi = solve_game(s, method="backward_induction").equilibria[0]
    assert cf.outcome_probabilities == pytest.approx(bi.outcome_probabilities, abs=1e-9)
    assert cf.expected_payoffs == pytest.approx(bi.expected_payoffs, abs=1e-9)


def test_two_types_assumptions():
    from crisislab.errors import ScenarioError

    with pytest.raises(ScenarioError, match="exceed"):
        solve_game(spec(cost_low=0.3, cost_high=0.2))


# ------------------------------------------------------------ continuous types: cutoffs
def test_fearon_cutoff_uniform_matches_the_closed_form():
    """Uniform costs on [0, c_max]: x* = p + (c_max - c_P)/2 (Fearon 1995), so the
    cutoff type is c* = x* - p = (c_max - c_P)/2 and P(war) = c*/c_max."""
    r = fearon_cutoff(p=0.5, cost_proposer=0.1, cost_dist=stats.uniform(0, 0.4))
    assert r.cutoff == pytest.approx(0.15, abs=1e-9)
    assert r.offer == pytest.approx(0.65, abs=1e-9)
    assert r.p_war == pytest.approx(0.375, abs=1e-9)


@pytest.mark.parametrize(("lam", "cp"), [(5.0, 0.05), (10.0, 0.02)])
def test_fearon_cutoff_exponential_by_hand(lam, cp):
    """Exponential costs, rate lambda: U'(x) = 1 - F(c) - (c + c_P) f(c) with c = x - p,
    = e^{-lambda c} (1 - lambda (c + c_P)) = 0  ->  c* = 1/lambda - c_P,
    P(war) = 1 - e^{-lambda c*}."""
    r = fearon_cutoff(p=0.5, cost_proposer=cp, cost_dist=stats.expon(scale=1 / lam))
    assert r.cutoff == pytest.approx(1 / lam - cp, abs=1e-9)
    assert r.p_war == pytest.approx(1 - math.exp(-lam * (1 / lam - cp)), abs=1e-9)


def test_kydd_cutoff_uniform_by_hand():
    """Kydd (2005, ch. 2) with a continuum of types: each state's temptation t is private,
    uniform on [0, T]; both cooperate 1, both defect 0, sucker -c, exploiting t.  A type
    cooperates iff s - c (1 - s) >= s t (s: the other's probability of cooperating),
    i.e. t <= 1 - c (1 - s) / s.  Symmetric cutoff: s = t*/T, so
    t* s = s - c + c s  ->  t*^2 - (1 + c) t* + c T = 0,
    t* = ((1 + c) +- sqrt((1 + c)^2 - 4 c T)) / 2.
    c = .2, T = 1.5: (1.2 +- sqrt(.24)) / 2 = .3551 and .8449."""
    c, T = 0.2, 1.5
    r = kydd_cutoff(sucker_cost=c, temptation_dist=stats.uniform(0, T))
    disc = math.sqrt((1 + c) ** 2 - 4 * c * T)
    assert r.cutoffs == pytest.approx([((1 + c) - disc) / 2, ((1 + c) + disc) / 2], abs=1e-9)
    assert r.cooperation[-1] == pytest.approx(((1 + c) + disc) / 2 / T, abs=1e-9)
    # every reported cutoff type is indifferent given the cooperation it implies
    for t, s in zip(r.cutoffs, r.cooperation, strict=True):
        assert s - c * (1 - s) == pytest.approx(s * t, abs=1e-9)


# ------------------------------------------------------------------- costly reassurance
def signal(**params):
    return TemplateGameSpec(id="signal", template="costly_reassurance",
                            players={"signaller": "CN", "receiver": "US"}, parameters=params)


def test_costly_reassurance_by_hand():
    """Defaults pi = .4, c = 1, t_g = 1.5, m_s = .5, m_g = 2.  B trusts iff its belief
    is at least theta = c/(1+c) = 1/2.  Separating: the security seeker signals
    (1 - .5 >= 0), the greedy state does not (1.5 - 2 < 0): B trusts after the signal
    only, P(trust) = pi = .4; payoffs A_security .5, A_greedy 0, B .4 * 1 = .4.
    Pooling on no gesture: pi = .4 < 1/2, B refuses; payoffs 0."""
    sol = solve_game(signal())
    by = {e.found_by: e for e in sol.equilibria}
    assert set(by) == {"closed_form:reassurance", "closed_form:no_gesture"}
    sep = by["closed_form:reassurance"]
    assert sep.outcome_probabilities["deal"] == pytest.approx(0.4)
    assert sep.expected_payoffs["US"] == pytest.approx(0.4)
    assert sep.beliefs["US.respond[signal]"]["security.signal"] == pytest.approx(1.0)
    assert sep.summary["payoff_security"] == pytest.approx(0.5)
    assert sep.expected_payoffs["CN"] == pytest.approx(0.4 * 0.5 + 0.6 * 0.0)
    pool = by["closed_form:no_gesture"]
    assert pool.outcome_probabilities["status_quo"] == pytest.approx(1.0)
    # a cheap gesture (m_g = 1 < t_g) cannot screen: only pooling remains
    sol = solve_game(signal(cost_greedy=1.0))
    assert [e.found_by for e in sol.equilibria] == ["closed_form:no_gesture"]
    # an optimistic prior: pooling with trust, greedy exploits with probability 1 - pi
    sol = solve_game(signal(pi=0.6, cost_greedy=1.0))
    (eq,) = sol.equilibria
    assert eq.outcome_probabilities["capitulation_US"] == pytest.approx(0.4)
    assert not sol.complete


def test_costly_reassurance_pure_search_agrees():
    """The pure-strategy search on the tree finds the closed form's pure profiles."""
    cf = solve_game(signal())
    ps = solve_game(signal(), method="pure")
    key = sorted(tuple(sorted(e.outcome_probabilities.items())) for e in cf.equilibria)
    found = {tuple(sorted(e.outcome_probabilities.items())) for e in ps.equilibria}
    for k in key:
        assert any(all(abs(dict(f).get(o, 0) - v) < 1e-9 for o, v in k) for f in found)


# -------------------------------------------------- escalation, war payoff by defender type
def escalation(**params):
    return TemplateGameSpec(id="esc", template="escalation_defender_type",
                            players={"challenger": "KP", "defender": "US"}, parameters=params)


def test_escalation_defender_type_by_hand():
    """Defaults r = .2, S = 1, a = .5, w_cR = -2, w_cI = .5, w_dI = -2.5.
    mu* = (w_cI + a)/(w_cI - w_cR) = 1/2.5 = .4 > r: the irresolute defender bluffs with
    s* = .2 * .6 / (.8 * .4) = .375, the challenger fights with f* = S/(-w_dI) = .4.
    P(resist) = .2 + .8 * .375 = .5; E(challenge) = .8 * .625 * 1 - .5 * .5 = .25 > 0.
    P(war) = .5 * .4 = .2, with a resolute defender .2 * .4 = .08; the challenger's
    expected payoff is E = .25 (indifferent after resistance, so -a there)."""
    sol = solve_game(escalation())
    (eq,) = sol.equilibria
    assert sol.complete and eq.sequential_regret <= 1e-9
    assert eq.summary["mu_star"] == pytest.approx(0.4)
    assert eq.summary["bluff"] == pytest.approx(0.375)
    assert eq.outcome_probabilities["war"] == pytest.approx(0.2)
    assert eq.expected_payoffs["KP"] == pytest.approx(0.25)
    assert eq.beliefs["KP.after_resistance"]["resolute.res"] == pytest.approx(0.4)
    # by type: resolute .4 * (-.5) = -.2; irresolute indifferent, so -S = -1; and the
    # defender's overall expected payoff is their prior-weighted mean
    assert eq.summary["payoff_defender_resolute"] == pytest.approx(-0.2)
    assert eq.summary["payoff_defender_irresolute"] == pytest.approx(-1.0)
    assert eq.expected_payoffs["US"] == pytest.approx(0.2 * -0.2 + 0.8 * -1.0)
    # r above mu*: deterred by the prior; no challenge, no war
    sol = solve_game(escalation(r=0.5))
    (eq,) = sol.equilibria
    assert eq.outcome_probabilities["status_quo"] == pytest.approx(1.0)
    # a costlier war against the resolute lowers mu* = .75/(.5 + 5) = .136 < r = .2
    sol = solve_game(escalation(back_down_cost=0.25, war_c_vs_resolute=-5.0))
    (eq,) = sol.equilibria
    assert eq.summary["mu_star"] == pytest.approx(0.75 / 5.5)
    assert eq.outcome_probabilities["status_quo"] == pytest.approx(1.0)


@settings(max_examples=20, deadline=None)
@given(r=st.floats(0.02, 0.98), a=st.floats(0.1, 1.0), gap=st.floats(0.1, 3.0))
def test_escalation_defender_type_has_no_profitable_deviation(r, a, gap):
    """The closed form passes the engine's own regret check under its stated beliefs."""
    s = escalation(r=r, back_down_cost=a, war_c_vs_resolute=-a - gap)
    sol = solve_game(s)
    (eq,) = sol.equilibria
    assert eq.is_equilibrium and eq.sequential_regret <= 1e-9


# ---------------------------------------------- brinkmanship with a chosen risk
def brink(**params):
    return TemplateGameSpec(id="brink", template="brinkmanship_risk_choice",
                            players={"threatener": "US", "target": "USSR"}, parameters=params)


def test_brinkmanship_risk_choice_by_hand():
    """Defaults (Dixit & Skeath's payoffs): A = -2, C = 1, W = -10; soft W = 1, C = -2,
    D = -8 -> q_soft = 3/9 = 1/3; the hard-liner (D = -1 > C = -2) never complies.
    Menu k/20: the smallest risk >= 1/3 is .35, worth .6 * 1 + .4 (.35 (-10) + .65 (-2))
    = -1.32 > A = -2, so the US threatens at q = .35; P(war) = .4 * .35 = .14.
    A coercible hard-liner (D_hard = -4): q_hard = 3/5; at q = .6 both comply, worth
    C = 1 > -1.32: the US raises the risk to .6 and nobody fights."""
    sol = solve_game(brink())
    (eq,) = sol.equilibria
    assert eq.is_equilibrium and eq.sequential_regret <= 1e-9
    assert eq.summary["q_soft"] == pytest.approx(1 / 3)
    assert eq.summary["risk"] == pytest.approx(0.35)
    assert eq.outcome_probabilities["war"] == pytest.approx(0.14)
    assert eq.expected_payoffs["US"] == pytest.approx(-1.32)
    # by type: soft complies (-2); hard defies: .35 (-1) + .65 (1) = .3
    assert eq.summary["payoff_soft"] == pytest.approx(-2.0)
    assert eq.summary["payoff_hard"] == pytest.approx(0.3)
    assert eq.expected_payoffs["USSR"] == pytest.approx(0.6 * -2.0 + 0.4 * 0.3)
    sol = solve_game(brink(hard_war=-4.0))
    (eq,) = sol.equilibria
    assert eq.summary["risk"] == pytest.approx(0.6)
    assert eq.outcome_probabilities.get("war", 0.0) == pytest.approx(0.0)
    assert eq.expected_payoffs["US"] == pytest.approx(1.0)
    # a likely hard-liner closes the window: .2 (1) + .8 (.35 (-10) + .65 (-2)) = -3.64 < -2
    sol = solve_game(brink(p_hard=0.8))
    (eq,) = sol.equilibria
    assert eq.outcome_probabilities["capitulation_US"] == pytest.approx(1.0)


# ------------------------------------------------ security dilemma with continuous types
def dilemma(**params):
    return TemplateGameSpec(id="sd", template="security_dilemma_cutoffs",
                            players={"a": "US", "b": "CN"}, parameters=params)


def test_security_dilemma_cutoffs_by_hand():
    """c = .2, T = 1.5: continuous cutoffs (1.2 -+ sqrt(.24))/2 = .3551, .8449 (see
    test_kydd_cutoff_uniform_by_hand).  Tree with n = 10 types t_i = (i + .5) .15:
    k cooperating types form an equilibrium iff t_{k-1} <= 1 - .2 (1 - k/10)/(k/10) < t_k.
    k = 6: tau = 1 - .2 * .4/.6 = .8667, t_5 = .825 <= .8667 < t_6 = .975: yes.
    k = 5: tau = 1 - .2 * .5/.5 = .8, t_4 = .675 <= .8 < t_5 = .825: yes.
    k = 4: tau = .7 but t_4 = .675 < .7: no;  k = 7: tau = .9143 < t_6 = .975: no;
    k = 2: tau = .2 < t_1 = .225: no;  k = 3: tau = .5333 > t_3 = .525: no;  k = 1:
    tau = -.8 < t_0: no.  So: mutual defection, k = 5 and k = 6 (cooperation .5 and .6,
    on either side of the continuous stable cutoff's .8449/1.5 = .563)."""
    sol = solve_game(dilemma())
    ks = sorted(e.summary["cooperating_types"] for e in sol.equilibria)
    assert ks == [0.0, 5.0, 6.0]
    assert not sol.rejected
    eq = next(e for e in sol.equilibria if e.summary["cooperating_types"] == 6)
    assert eq.summary["continuous_cutoff_2"] == pytest.approx((1.2 + math.sqrt(0.24)) / 2)
    assert eq.outcome_probabilities["deal"] == pytest.approx(0.36)
