"""A Lemke (LCP) equilibrium made credible off the path, keeping its play on the path.

Deterrence game of test_games_refinements.py (derivation there): for 3/10 < rho < 3/5 A
keeps the status quo, and off the path the sequential equilibrium has the irresolute B
resist with beta = rho (2/5) / ((1 - rho)(3/5)) (at rho = 0.45: 0.18 / 0.33 = 6/11) and A
fight with 1/4; for rho > 3/5 both types resist and A backs down.  Lemke's algorithm
returns a Nash profile with an arbitrary off-path choice, e.g. A fights with 1/2 (seen from
pygambit's lcp at rho = 0.45 and 0.8), which is not credible.
"""

from __future__ import annotations

import numpy as np
import pytest
from test_games_refinements import DETERRENCE_SPEC, deterrence

from crisislab.games.solve import solve_game
from crisislab.games.solvers.assess import Candidate, assess
from crisislab.games.solvers.repair import repair_off_path, unreached_infosets
from crisislab.games.spec import TreeGameSpec


def _lemke_like(tree):
    return tree.profile_from_mapping({"A_challenge": {"sq": 1.0}, "B_R": {"resist": 1.0},
                                      "B_I": {"resist": 1.0},
                                      "A_fight": {"fight": 0.5, "back_down": 0.5}})


@pytest.mark.parametrize(("rho", "resist", "fight"), [(0.45, 6 / 11, 0.25), (0.8, 1.0, 0.0)])
def test_repair_gives_the_hand_derived_sequential_equilibrium(rho, resist, fight):
    tree = deterrence(rho)
    b = _lemke_like(tree)
    assert not assess(tree, Candidate(b, "lemke")).is_equilibrium  # not credible as given
    assert sorted(tree.infosets[k].id for k in unreached_infosets(tree, b)) == \
        ["A_fight", "B_I", "B_R"]
    fixed = repair_off_path(tree, b)
    assert fixed is not None
    m = tree.profile_to_mapping(fixed)
    assert m["A_challenge"]["sq"] == 1.0  # on the path: unchanged
    assert m["B_R"]["resist"] == pytest.approx(1.0, abs=1e-12)
    assert m["B_I"]["resist"] == pytest.approx(resist, abs=1e-9)
    assert m["A_fight"]["fight"] == pytest.approx(fight, abs=1e-9)
    eq = assess(tree, Candidate(fixed, "repaired"), standard="sequential")
    assert eq.is_equilibrium


def test_fully_reached_profile_needs_no_repair():
    tree = deterrence(0.15)
    b = np.full(tree.n_slots, 0.5)
    assert repair_off_path(tree, b) is None


def test_gambit_lcp_lists_the_repaired_credible_equilibrium():
    pytest.importorskip("pygambit")
    spec = TreeGameSpec.model_validate(DETERRENCE_SPEC)
    sol = solve_game(spec, "gambit-lcp", overrides={"rho": 0.45})
    assert len(sol.equilibria) == 1
    eq = sol.equilibria[0]
    assert eq.found_by == "gambit-lcp:repaired"
    assert eq.behaviour["B_irresolute"]["resist"] == pytest.approx(6 / 11, abs=1e-9)
    assert eq.behaviour["A_fight"]["fight"] == pytest.approx(0.25, abs=1e-9)
