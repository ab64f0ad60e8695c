"""Credible equilibria: consistent beliefs, refinement labels, selection, thresholds.

The deterrence game (defender resolute with probability rho; payoffs (A, B)): A keeps the
status quo (0, 0) or challenges; B, knowing its type, concedes (1, -1) or resists; A, not
knowing it, backs down (-1, 0) or fights: war vs resolute (-3, -0.5), vs irresolute (2, -4).

Hand derivation (sequential equilibrium = PBE here):
* A fights after resistance iff mu(-3) + (1 - mu) 2 >= -1, i.e. mu <= mu_hat = 3/5.
* The resolute B always resists (-0.5 > -1); the irresolute B is indifferent iff A fights
  with sigma = 1/4 (-4 sigma = -1).
* rho < 3/5: the irresolute B bluffs with beta = rho (2/5) / ((1 - rho)(3/5)) so that the
  posterior is 3/5; A's value of challenging is 1 - rho / 0.3, so A challenges iff rho < 0.3.
  At rho = 0.15: beta = 2/17, P(war) = rho + (1 - rho) beta = 0.25 times 1/4 = 0.0625,
  EU_A = 1 - 0.5 = 0.5.
* rho > 3/5: both types resist, A (belief rho > 3/5) backs down; A does not challenge.
* "A stays out, both types resist, A backs down" at rho = 0.15 is only a weak PBE: after the
  challenge both types resist, so Bayes' rule on B's strategies gives the prior 0.15 < 3/5,
  under which backing down is not optimal.
"""

from __future__ import annotations

import numpy as np
import pytest
from game_helpers import random_tree, template
from hypothesis import given, settings
from hypothesis import strategies as st

from crisislab.games.consistency import deviation_paths
from crisislab.games.refinements import classify, subgame_roots
from crisislab.games.regime_map import regime_map, regime_map_svg
from crisislab.games.solve import solve_game, solve_tree
from crisislab.games.spec import TreeGameSpec
from crisislab.games.thresholds import find_switches, shortest_decimal
from crisislab.games.tree import CHANCE, TERMINAL, TreeBuilder


def deterrence(rho: float):
    b = TreeBuilder("deterrence", ("A", "B"))
    b.chance("nature", {"resolute": (rho, "R"), "irresolute": (1 - rho, "I")})
    for t, war_a, war_b in (("R", -3.0, -0.5), ("I", 2.0, -4.0)):
        b.decision(t, "A", "A_challenge", {"sq": f"{t}_sq", "challenge": f"{t}_ch"})
        b.terminal(f"{t}_sq", {"A": 0, "B": 0}, "status_quo")
        b.decision(f"{t}_ch", "B", f"B_{t}", {"concede": f"{t}_con", "resist": f"{t}_res"})
        b.terminal(f"{t}_con", {"A": 1, "B": -1}, "capitulation_B")
        b.decision(f"{t}_res", "A", "A_fight", {"fight": f"{t}_war", "back_down": f"{t}_back"})
        b.terminal(f"{t}_war", {"A": war_a, "B": war_b}, "war")
        b.terminal(f"{t}_back", {"A": -1, "B": 0}, "capitulation_A")
    return b.build()


DETERRENCE_SPEC = {
    "id": "deter",
    "tree": {"players": ["A", "B"], "parameters": {"rho": 0.15}, "nodes": [
        {"id": "nature", "chance": [{"action": "resolute", "probability": "rho", "to": "R"},
                                    {"action": "irresolute", "probability": "1 - rho",
                                     "to": "I"}]},
        {"id": "R", "player": "A", "infoset": "A_challenge",
         "moves": {"sq": "R_sq", "challenge": "R_ch"}},
        {"id": "I", "player": "A", "infoset": "A_challenge",
         "moves": {"sq": "I_sq", "challenge": "I_ch"}},
        {"id": "R_sq", "payoffs": {"A": 0, "B": 0}, "outcome": "status_quo"},
        {"id": "I_sq", "payoffs": {"A": 0, "B": 0}, "outcome": "status_quo"},
        {"id": "R_ch", "player": "B", "infoset": "B_resolute",
         "moves": {"concede": "R_con", "resist": "R_res"}},
        {"id": "I_ch", "player": "B", "infoset": "B_irresolute",
         "moves": {"concede": "I_con", "resist": "I_res"}},
        {"id": "R_con", "payoffs": {"A": 1, "B": -1}, "outcome": "capitulation_B"},
        {"id": "I_con", "payoffs": {"A": 1, "B": -1}, "outcome": "capitulation_B"},
        {"id": "R_res", "player": "A", "infoset": "A_fight",
         "moves": {"fight": "R_war", "back_down": "R_back"}},
        {"id": "I_res", "player": "A", "infoset": "A_fight",
         "moves": {"fight": "I_war", "back_down": "I_back"}},
        {"id": "R_war", "payoffs": {"A": -3, "B": -0.5}, "outcome": "war"},
        {"id": "I_war", "payoffs": {"A": 2, "B": -4}, "outcome": "war"},
        {"id": "R_back", "payoffs": {"A": -1, "B": 0}, "outcome": "capitulation_A"},
        {"id": "I_back", "payoffs": {"A": -1, "B": 0}, "outcome": "capitulation_A"}]}}


def test_unique_credible_equilibrium_at_rho_015():
    sol = solve_tree(deterrence(0.15))
    assert sol.refinement == "pbe"
    assert len(sol.equilibria) == 1 and sol.selected == 0
    eq = sol.equilibria[0]
    assert eq.outcome_probabilities["war"] == pytest.approx(0.0625, abs=1e-9)
    assert eq.expected_payoffs["A"] == pytest.approx(0.5, abs=1e-9)
    assert eq.behaviour["B_I"]["resist"] == pytest.approx(2 / 17, abs=1e-9)
    assert eq.behaviour["A_fight"]["fight"] == pytest.approx(0.25, abs=1e-9)
    assert eq.beliefs["A_fight"]["R_res"] == pytest.approx(0.6, abs=1e-9)
    assert "sequential" in eq.refinements
    # the "deterrence" profile is kept apart: Nash and weak PBE, not PBE
    [nc] = sol.not_credible
    assert nc.behaviour["A_challenge"]["sq"] == 1.0
    assert "weak_pbe" in nc.refinements and "pbe" not in nc.refinements
    assert sol.outcome_ranges["war"] == (pytest.approx(0.0625), pytest.approx(0.0625))


def test_off_path_beliefs_follow_bayes_after_the_deviation():
    # rho = 0.8 > 3/5: sq; both types resist; A backs down with belief = prior 0.8
    sol = solve_tree(deterrence(0.8))
    [eq] = sol.equilibria
    assert eq.behaviour["A_challenge"]["sq"] == 1.0
    assert eq.beliefs["A_fight"]["R_res"] == pytest.approx(0.8)
    assert eq.belief_basis["A_fight"] == "consistent"


def test_deterred_regime_has_off_path_mixing():
    # rho = 0.45: A stays out; off path beta = 0.45 (2/5) / (0.55 (3/5)) = 6/11, sigma = 1/4
    sol = solve_tree(deterrence(0.45))
    [eq] = sol.equilibria
    assert eq.behaviour["A_challenge"]["sq"] == 1.0
    assert eq.behaviour["B_I"]["resist"] == pytest.approx(6 / 11, abs=1e-9)
    assert eq.behaviour["A_fight"]["fight"] == pytest.approx(0.25, abs=1e-9)


def test_weak_standard_lists_the_non_credible_profile_too():
    sol = solve_tree(deterrence(0.15), refinement="weak_pbe")
    assert len(sol.equilibria) == 2
    # selection is by the logit QRE limit, which is the credible one, not the first listed
    assert sol.selection_rule == "logit-qre-limit"
    assert sol.equilibria[sol.selected].outcome_probabilities["war"] == pytest.approx(0.0625)
    lo, hi = sol.outcome_ranges["status_quo"]
    assert (lo, hi) == (pytest.approx(0.0), pytest.approx(1.0))


def test_threshold_switches_at_03_and_06():
    spec = TreeGameSpec.model_validate(DETERRENCE_SPEC)
    res = find_switches(spec, "rho", player="A", grid=11)
    assert [s.value for s in res.switches] == pytest.approx([0.3, 0.6], abs=1e-8)
    assert [s.display for s in res.switches] == ["0.3", "0.6"]
    assert res.switches[0].description == \
        "above rho ≈ 0.3: A switches from challenge to sq at A_challenge"
    assert len(res.regime_descriptions) == 3


def test_grid_point_on_the_threshold_gives_one_switch():
    # trust threshold theta = c / (1 - t_s + c) = 0.5 / (1 - 0.5 + 0.5) = 0.5 is a grid point
    res = find_switches(template("trust_reassurance"), "pi_a")
    assert [s.value for s in res.switches] == pytest.approx([0.5], abs=1e-8)
    assert res.switches[0].display == "0.5"


def test_shortest_decimal():
    assert shortest_decimal(0.300000002, 2e-9) == "0.3"
    assert shortest_decimal(0.5172413793, 2e-9) == "0.51724138"  # |diff| 7e-10
    assert shortest_decimal(2.0, 1e-9) == "2"


def test_brinkmanship_flags_probability_threshold_above_one():
    # q_acceptable = 3 (1 - p) / (8 p) = 3.375 at p = 0.1: above 1, so every risk is acceptable
    sol = solve_game(template("brinkmanship", p_hard=0.1))
    eq = sol.equilibria[0]
    assert eq.summary["q_acceptable"] == pytest.approx(3.375)
    assert "above 1" in eq.summary_flags["q_acceptable"]
    assert "q_effective" not in eq.summary_flags


def test_regime_map_two_parameters():
    rmap = regime_map(template("brinkmanship"), "q", "p_hard", grid=5)
    assert len(rmap.cells) == 5 and all(len(r) == 5 for r in rmap.cells)
    assert len(rmap.regimes) >= 2
    assert "<svg" in regime_map_svg(rmap) and "q" in rmap.text()


def test_subgame_roots_of_the_deterrence_tree():
    # A_challenge and A_fight each span both types, so no node below the root starts a
    # subgame; in a chain of singletons every decision node below the root does
    tree = deterrence(0.3)
    assert subgame_roots(tree) == []
    b = TreeBuilder("chain", ("A", "B"))
    b.decision("r", "A", "a", {"x": "t1", "y": "s"})
    b.terminal("t1", {"A": 0, "B": 0})
    b.decision("s", "B", "b", {"x": "t2", "y": "t3"})
    b.terminal("t2", {"A": 1, "B": 1})
    b.terminal("t3", {"A": 2, "B": 0})
    chain = b.build()
    assert [chain.node_ids[r] for r in subgame_roots(chain)] == ["s"]


# ----------------------------------------------------------------- property tests

def _reference_reach(tree, b):
    reach = np.zeros(tree.n_nodes)

    def walk(node, pr):
        reach[node] = pr
        for j, c in enumerate(tree.children[node]):
            step = (tree.edge_chance[c] if tree.kind[node] == CHANCE
                    else b[tree.slot_offset[tree.infoset_of[node]] + j])
            walk(c, pr * step)

    walk(0, 1.0)
    return reach


def _reference_value(tree, b, node):
    if tree.kind[node] == TERMINAL:
        return tree.payoffs[node]
    out = np.zeros(len(tree.players))
    for j, c in enumerate(tree.children[node]):
        step = (tree.edge_chance[c] if tree.kind[node] == CHANCE
                else b[tree.slot_offset[tree.infoset_of[node]] + j])
        out = out + step * _reference_value(tree, b, c)
    return out


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 10_000))
def test_every_reported_equilibrium_is_sequentially_rational_and_consistent(seed):
    """For each reported equilibrium, by plain recursion: no action beats the prescribed
    mix at any information set under the stated beliefs; beliefs are Bayes' rule where the
    set is reached; off the path, members with the same deviations keep the ratio of their
    positive path weights (Bayes' rule after the deviation)."""
    tree = random_tree(seed, max_depth=3)
    if tree.pure_profile_count() > 2000:
        return
    sol = solve_tree(tree)
    for eq in sol.equilibria:
        b = tree.profile_from_mapping(eq.behaviour)
        reach = _reference_reach(tree, b)
        paths = deviation_paths(tree, b)
        span = max(1.0, float(np.ptp(tree.payoffs[tree.kind == TERMINAL])))
        for k, s in enumerate(tree.infosets):
            mu = np.array([eq.beliefs[s.id][tree.node_ids[m]] for m in s.members])
            assert mu.sum() == pytest.approx(1.0, abs=1e-9)
            r = reach[list(s.members)]
            if r.sum() > 1e-9:
                assert np.allclose(mu, r / r.sum(), atol=1e-7)
            else:
                groups = {}
                for j, m in enumerate(s.members):
                    groups.setdefault(paths.deviations[m], []).append(j)
                for key, idx in groups.items():
                    if key is None or len(idx) < 2:
                        continue
                    w = paths.positive[[s.members[j] for j in idx]]
                    if mu[idx].sum() > 1e-9:
                        assert np.allclose(mu[idx] / mu[idx].sum(), w / w.sum(), atol=1e-7)
            owner = tree.player_index(s.player)
            q = np.array([[_reference_value(tree, b, c)[owner] for c in tree.children[m]]
                          for m in s.members])
            qa = mu @ q
            probs = b[tree.slot_offset[k]: tree.slot_offset[k] + len(s.actions)]
            assert qa.max() - probs @ qa <= 1e-8 * span


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 10_000))
def test_classification_is_monotone(seed):
    """pbe implies weak_pbe, subgame_perfect and nash; every label implies nash."""
    tree = random_tree(seed, max_depth=3)
    if tree.pure_profile_count() > 2000:
        return
    for eq in solve_tree(tree, "pure", refinement="nash").equilibria:
        labels = classify(tree, tree.profile_from_mapping(eq.behaviour)).satisfied
        assert labels[0] == "nash"
        if "pbe" in labels:
            assert {"weak_pbe", "subgame_perfect"} <= set(labels)


def test_support_enumeration_finds_kydds_three_equilibria():
    """Kydd (2005) with pi = 0.7, theta = c / (1 - t_s + c) = 0.5: mutual defection
    (P(status quo) = 1), reassurance (security seekers cooperate: P(deal) = pi^2 = 0.49)
    and the mixed one (sigma = theta / pi, so P(deal) = (pi sigma)^2 = theta^2 = 0.25)."""
    from crisislab.games.spec import compile_game

    tree = compile_game(template("trust_reassurance")).tree
    sol = solve_tree(tree, "support-enum")
    deals = sorted(e.outcome_probabilities["deal"] for e in sol.equilibria)
    assert deals == pytest.approx([0.0, 0.25, 0.49], abs=1e-9)
    assert not sol.complete and sol.selection_rule == "logit-qre-limit"
    # the deterrence game's unique PBE is found without the QRE
    [eq] = solve_tree(deterrence(0.15), "support-enum").equilibria
    assert eq.outcome_probabilities["war"] == pytest.approx(0.0625, abs=1e-9)
