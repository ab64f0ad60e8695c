"""OpenSpiel's CFR+ backend (method ``openspiel-cfr``; skipped without the extra).

Deterrence game of test_games_refinements.py at rho = 0.15: the unique perfect Bayesian
equilibrium (hand derivation there) has A challenge, the irresolute B resist with 2/17 and
A fight with 1/4.  Every node is reached with positive probability under that profile, so
it is also the game's only Nash equilibrium that CFR+ can approach; its NashConv (sum of the
actors' best-reply gains, 0 at an equilibrium) must be small, and polishing on the support
makes the profile exact.
"""

from __future__ import annotations

import pytest
from test_games_refinements import deterrence

from crisislab.games.solve import solve_tree


def test_cfr_reaches_the_hand_derived_equilibrium_with_small_nash_conv():
    pytest.importorskip("pyspiel")
    from crisislab.games.solvers.openspiel_backend import cfr

    tree = deterrence(0.15)
    res = cfr(tree, iterations=2000)
    assert 0 <= res.nash_conv < 1e-3
    m = tree.profile_to_mapping(res.behaviour)
    assert m["B_I"]["resist"] == pytest.approx(2 / 17, abs=1e-3)
    assert m["A_fight"]["fight"] == pytest.approx(0.25, abs=1e-3)
    sol = solve_tree(tree, "openspiel-cfr")
    (eq,) = sol.equilibria
    assert eq.behaviour["B_I"]["resist"] == pytest.approx(2 / 17, abs=1e-10)
    assert eq.behaviour["A_fight"]["fight"] == pytest.approx(0.25, abs=1e-10)
    assert eq.summary["nash_conv"] == pytest.approx(res.nash_conv)
    assert any("NashConv" in n for n in sol.notes) and not sol.complete


def test_without_openspiel_the_method_is_a_clear_error(monkeypatch):
    from crisislab.errors import InputError
    from crisislab.games.solvers import openspiel_backend

    monkeypatch.setattr(openspiel_backend, "available", lambda: False)
    with pytest.raises(InputError, match="openspiel"):
        solve_tree(deterrence(0.15), "openspiel-cfr")
