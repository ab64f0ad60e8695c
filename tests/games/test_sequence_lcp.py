"""Sequence form and Lemke's algorithm (method ``sequence-lcp``).

Koller, Megiddo & von Stengel (1996).  Deterrence game of test_games_refinements.py (hand
derivation there).  A's sequences: 0 = empty, then (A_challenge: sq, challenge) = 1, 2 and
(A_fight: fight, back_down) = 3, 4; A_fight is entered by A's sequence "challenge" (2), so
E = [[1, 0, 0, 0, 0],      x_empty = 1
     [-1, 1, 1, 0, 0],     x_sq + x_challenge = x_empty
     [0, 0, -1, 1, 1]]     x_fight + x_back_down = x_challenge.
B's sequences: empty, (B_R: concede, resist) = 1, 2, (B_I: concede, resist) = 3, 4, each set
entered by B's empty sequence.  Payoff matrix entries (chance-weighted): A[fight, resist at
B_R] = rho * (-3), A[fight, resist at B_I] = (1 - rho) * 2, A[sq, empty] = 0.
"""

from __future__ import annotations

import numpy as np
import pytest
from game_helpers import random_tree
from test_games_refinements import DETERRENCE_SPEC, deterrence

from crisislab.games.solve import solve_game, solve_tree
from crisislab.games.solvers.assess import Candidate, assess
from crisislab.games.solvers.sequence_form import LemkeError, lemke, sequence_form, sequence_lcp
from crisislab.games.spec import TreeGameSpec


def test_sequence_form_of_the_deterrence_game_by_hand():
    rho = 0.15
    sf = sequence_form(deterrence(rho))
    assert sf.E.tolist() == [[1, 0, 0, 0, 0], [-1, 1, 1, 0, 0], [0, 0, -1, 1, 1]]
    assert sf.F.tolist() == [[1, 0, 0, 0, 0], [-1, 1, 1, 0, 0], [-1, 0, 0, 1, 1]]
    assert sf.A[3, 2] == pytest.approx(rho * -3) and sf.A[3, 4] == pytest.approx((1 - rho) * 2)
    assert sf.B[4, 4] == 0 and sf.reach_mass[4, 4] == pytest.approx(1 - rho)  # I backs: 0
    assert sf.B[2, 3] == pytest.approx((1 - rho) * -1)  # irresolute concedes: B -1
    assert sf.reach_mass.sum() == pytest.approx(4.0)  # 8 terminals, each type's 4 in pairs
    assert sf.A[1, 0] == 0 and sf.reach_mass[1, 0] == pytest.approx(1.0)  # sq ends the game


def test_lemke_on_a_hand_solved_lcp():
    """w = q + M z with M = [[2, 1], [1, 2]], q = (-1, -1): z = (1/3, 1/3), w = 0."""
    z = lemke(np.array([[2.0, 1.0], [1.0, 2.0]]), np.array([-1.0, -1.0]))
    assert z == pytest.approx([1 / 3, 1 / 3])
    assert lemke(np.eye(2), np.array([1.0, 2.0])).tolist() == [0.0, 0.0]  # q >= 0: z = 0


def test_lemke_reports_a_ray():
    """M = [[-1]], q = (-1): w = -1 - z can never be >= 0, so the path ends on a ray."""
    with pytest.raises(LemkeError):
        lemke(np.array([[-1.0]]), np.array([-1.0]))


def test_deterrence_at_rho_015_gives_the_unique_pbe():
    """beta = 2/17 bluffing, A fights with 1/4, A challenges (derivation in the module of
    the deterrence game)."""
    tree = deterrence(0.15)
    m = tree.profile_to_mapping(sequence_lcp(tree))
    assert m["A_challenge"]["challenge"] == pytest.approx(1.0, abs=1e-12)
    assert m["B_I"]["resist"] == pytest.approx(2 / 17, abs=1e-12)
    assert m["A_fight"]["fight"] == pytest.approx(0.25, abs=1e-12)


def test_method_lists_the_credible_repair_and_says_the_list_is_incomplete():
    """At rho = 0.45 Lemke's path ends where A stays out with an arbitrary off-path plan;
    the listed equilibrium is the re-solved one (irresolute resists 6/11, A fights 1/4)."""
    spec = TreeGameSpec.model_validate(DETERRENCE_SPEC)
    sol = solve_game(spec, "sequence-lcp", overrides={"rho": 0.45})
    assert not sol.complete and any("not complete" in n for n in sol.notes)
    (eq,) = sol.equilibria
    assert eq.found_by == "sequence-lcp:repaired"
    assert eq.behaviour["B_irresolute"]["resist"] == pytest.approx(6 / 11, abs=1e-9)
    assert [e.found_by for e in sol.not_credible] == ["sequence-lcp"]


def test_three_actors_is_a_clear_error():
    from crisislab.errors import InputError
    tree = random_tree(3, players=("A", "B", "C"))
    with pytest.raises(InputError, match="two actors"):
        solve_tree(tree, "sequence-lcp")


@pytest.mark.parametrize("seed", range(12))
def test_every_lemke_profile_passes_the_independent_nash_check(seed):
    tree = random_tree(seed)
    eq = assess(tree, Candidate(sequence_lcp(tree), "sequence-lcp"), standard="nash")
    assert eq.is_equilibrium and eq.probability_sum_error <= 1e-9


@pytest.mark.parametrize("rho", [0.15, 0.45, 0.8])
def test_same_end_of_path_as_gambit_lcp(rho):
    """pygambit's lcp follows the same sequence-form LCP (KMvS 1996) from the same start;
    on this game both end at the same profile where the actors' plans give weight."""
    pytest.importorskip("pygambit")
    from crisislab.games.solvers import gambit_backend

    tree = deterrence(rho)
    ours = sequence_lcp(tree)
    (theirs,) = gambit_backend.solve(tree, "lcp")
    assert ours == pytest.approx(theirs, abs=1e-7)
