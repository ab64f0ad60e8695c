"""Switch points against closed forms; Gambit backend cross-checks (skipped without pygambit)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from game_helpers import random_tree, template
from hypothesis import given, settings
from hypothesis import strategies as st

from crisislab.games.profile import evaluate_profile
from crisislab.games.solve import solve_game, solve_tree
from crisislab.games.spec import compile_game
from crisislab.games.thresholds import curve_svg, find_switches, outcome_curve


def test_brinkmanship_switches_are_the_window():
    # p = 0.4: effective from q = 1/3, acceptable up to q = 3 * 0.6 / (8 * 0.4) = 0.5625
    res = find_switches(template("brinkmanship", p_hard=0.4), "q", 0.0, 1.0)
    assert [s.value for s in res.switches] == pytest.approx([1 / 3, 0.5625], abs=1e-6)


def test_brinkmanship_switch_in_prior_for_us_policy():
    # At q = 0.35 the US stops threatening once 0.375 (1 - p) / p < 0.35,
    # i.e. p > 0.375 / 0.725 = 0.51724...
    res = find_switches(template("brinkmanship", q=0.35), "p_hard", player="US")
    assert [s.value for s in res.switches] == pytest.approx([0.375 / 0.725], abs=1e-6)
    assert "threaten" in res.switches[0].before[0]
    assert "acquiesce" in res.switches[0].after[0]


def test_escalation_switch_at_mu_star():
    # regime changes from semi-separating to pooling at r_c = mu* = S / -w_dL = 0.4
    res = find_switches(template("crisis_escalation"), "r_c", 0.05, 0.95)
    assert [s.value for s in res.switches] == pytest.approx([0.4], abs=1e-6)


def test_curve_and_svg():
    curve = outcome_curve(template("crisis_escalation"), "r_c", [0.1, 0.3, 0.5, 0.7])
    df = curve.to_pandas()
    assert np.allclose(df[curve.outcomes].sum(axis=1), 1.0)
    # war = r_c * P(resist); at r_c = 0.3 (semi-separating) P(resist) = 2/3
    assert df.loc[df.value == 0.3, "war"].item() == pytest.approx(0.2)
    svg = curve_svg(curve, {"washington": 0.2, "beijing": 0.7})
    assert svg.startswith("<svg") and "washington" in svg and "<script" not in svg


gambit = pytest.importorskip  # alias for readability below


@pytest.mark.parametrize("name", ["crisis_escalation", "audience_costs", "trust_reassurance",
                                  "brinkmanship"])
def test_closed_forms_are_among_gambit_equilibria(name):
    pytest.importorskip("pygambit")
    cf = solve_game(template(name), "closed_form")
    gb = solve_game(template(name), "gambit-enumpoly")
    for eq in cf.equilibria:
        assert any(np.allclose([eq.outcome_probabilities[k] for k in sorted(
            eq.outcome_probabilities)], [g.outcome_probabilities[k] for k in sorted(
                g.outcome_probabilities)], atol=1e-6) for g in gb.equilibria)


def test_lcp_results_are_post_checked():
    pytest.importorskip("pygambit")
    # On the discretised Fearon game Gambit's LCP returns a Nash equilibrium resting on
    # non-credible rejections; our sequential check must catch it.
    sol = solve_game(template("risk_return", n_types=5), "gambit-lcp")
    for e in sol.rejected:
        assert e.on_path_regret <= 1e-6 < e.sequential_regret
    for e in sol.equilibria:
        assert e.sequential_regret <= 1e-6


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 10_000))
def test_gambit_on_random_trees_passes_our_nash_check(seed):
    pytest.importorskip("pygambit")
    tree = random_tree(seed, max_depth=3)
    sol = solve_tree(tree, "gambit-lcp")
    for e in sol.equilibria + sol.rejected:
        assert e.on_path_regret <= 1e-6
        assert e.probability_sum_error <= 1e-6


def test_logit_approaches_nash_as_precision_grows():
    pytest.importorskip("pygambit")
    from crisislab.games.solvers.gambit_backend import logit_path

    tree = compile_game(template("crisis_escalation")).tree
    lambdas = [1.0, 10.0, 100.0, 1000.0]
    regrets = [evaluate_profile(tree, b).on_path_regret for b in logit_path(tree, lambdas)]
    assert all(b <= a + 1e-12 for a, b in itertools.pairwise(regrets))
    assert regrets[-1] < 1e-2 < regrets[0]
    # and the limit is the closed-form equilibrium
    cf = solve_game(template("crisis_escalation"), "closed_form").equilibria[0]
    lim = solve_game(template("crisis_escalation"), "gambit-logit").equilibria[0]
    for k, v in cf.outcome_probabilities.items():
        assert lim.outcome_probabilities[k] == pytest.approx(v, abs=1e-5)
