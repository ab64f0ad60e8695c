"""Normal-form games: hand-derived equilibria, scenario tables, .nfg import, properties."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from crisislab.cli.main import app
from crisislab.games.efg import to_nfg
from crisislab.games.normal_form import (
    NormalForm,
    from_tree,
    parse_nfg,
    pure_nash,
    support_enumeration,
    to_tree,
)
from crisislab.games.solve import solve_tree
from crisislab.model.io import load_text


def nf2(A, B, s1=("a1", "a2"), s2=("b1", "b2"), outcomes=None):
    return NormalForm("g", ("A", "B"), (tuple(s1), tuple(s2)),
                      np.array([A, B], dtype=float), outcomes)


def _as_set(eqs):
    return sorted((tuple(np.round(x, 9)), tuple(np.round(y, 9))) for x, y in eqs)


def test_matching_pennies():
    """A wins on a match (+1, -1), B on a mismatch.  No pure equilibrium; A's mix q on
    heads makes B indifferent: -q + (1-q) = q - (1-q) -> q = 1/2, likewise for B.
    Unique equilibrium (1/2, 1/2) each, value 0."""
    g = nf2([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    assert pure_nash(g) == []
    assert _as_set(support_enumeration(g)) == [((0.5, 0.5), (0.5, 0.5))]
    sol = solve_tree(to_tree(g))
    assert sol.method == "support-enum" and sol.complete
    (eq,) = sol.equilibria
    assert eq.expected_payoffs == {"A": pytest.approx(0.0), "B": pytest.approx(0.0)}


def test_battle_of_the_sexes():
    """(2,1) on opera, (1,2) on football, 0 on a miscoordination.  Two pure equilibria;
    the mixed one: A on opera with p so that B is indifferent, 1 p = 2 (1 - p), p = 2/3;
    B on opera with q so that A is indifferent, 2 q = 1 (1 - q), q = 1/3; payoffs
    A: 2 q = 2/3, B: p = 2/3."""
    g = nf2([[2, 0], [0, 1]], [[1, 0], [0, 2]])
    assert pure_nash(g) == [(0, 0), (1, 1)]
    eqs = support_enumeration(g)
    assert len(eqs) == 3
    mixed = [e for e in eqs if 0 < e[0][0] < 1]
    (x, y), = mixed
    np.testing.assert_allclose(x, [2 / 3, 1 / 3])
    np.testing.assert_allclose(y, [1 / 3, 2 / 3])
    sol = solve_tree(to_tree(g))
    pays = sorted((round(e.expected_payoffs["A"], 9), round(e.expected_payoffs["B"], 9))
                  for e in sol.equilibria)
    assert pays == [(round(2 / 3, 9), round(2 / 3, 9)), (1.0, 2.0), (2.0, 1.0)]


CHICKEN = """\
metadata: {title: chicken}
actors: [{id: US, name: United States}, {id: KP, name: North Korea}]
options:
  - {id: us_x, label: x, owner: US}
  - {id: kp_x, label: x, owner: KP}
preferences:
  US: {prioritization: [us_x]}
  KP: {prioritization: [kp_x]}
lenses:
  - id: dire
    name: a crash is worse
    games: {chicken: {crash: -100}}
games:
  - id: chicken
    normal_form:
      players: [US, KP]
      strategies: {US: [swerve, straight], KP: [swerve, straight]}
      parameters: {crash: -10}
      payoffs:
        US: [[0, -1], [1, crash]]
        KP: [[0, 1], [-1, crash]]
      outcomes: [[status_quo, capitulation_US], [capitulation_KP, war]]
"""


def test_chicken_in_a_scenario_with_a_lens():
    """Chicken: swerve/swerve 0, the one going straight +1 against -1, crash c < -1.
    Pure equilibria: one swerves, the other goes straight.  Mixed: the opponent goes
    straight with p making one indifferent: -p = (1 - p) + c p, p = 1 / (-c), so
    P(war) = p^2 = 1/100 at c = -10 and 1/10000 at c = -100."""
    from crisislab.games.solve import solve_game
    from crisislab.model.lenses import game_views

    scenario = load_text(CHICKEN, "chicken.yaml")
    (g,) = scenario.games
    for lens, overrides in game_views(scenario, "chicken", None):
        sol = solve_game(g, overrides=overrides, lens=lens)
        c = -100 if lens == "dire" else -10
        wars = sorted(round(e.outcome_probabilities.get("war", 0.0), 12) for e in sol.equilibria)
        assert wars == [0.0, 0.0, round(1 / c ** 2, 12)], lens
        assert sol.complete


def test_normal_form_errors_are_located():
    bad = CHICKEN.replace("KP: [[0, 1], [-1, crash]]", "KP: [[0, 1], [-1]]")
    with pytest.raises(Exception) as exc:
        load_text(bad, "chicken.yaml")
    assert "shape" in str(exc.value) and "chicken.yaml:" in str(exc.value)


def test_nfg_roundtrip_and_outcome_version(tmp_path):
    g = nf2([[3, 0], [5, 1]], [[3, 5], [0, 1]], ("cooperate", "defect"), ("cooperate", "defect"))
    back = parse_nfg(to_nfg(to_tree(g)))
    assert back.strategies == g.strategies
    np.testing.assert_allclose(back.payoffs, g.payoffs)
    # Gambit's outcome version (prisoner's dilemma as in Gambit's documentation)
    text = """NFG 1 R "PD" { "Player 1" "Player 2" }
{ { "1" "2" }
{ "1" "2" }
}
""
{
{ "" 9, 9 }
{ "" 0, 10 }
{ "" 10, 0 }
{ "" 1, 1 }
}
1 2 3 4
"""
    pd = parse_nfg(text)
    # contingency order: player 1 fastest -> (1,1) o1, (2,1) o2, (1,2) o3, (2,2) o4
    np.testing.assert_allclose(pd.payoffs[0], [[9, 10], [0, 1]])
    np.testing.assert_allclose(pd.payoffs[1], [[9, 0], [10, 1]])
    path = tmp_path / "pd.nfg"
    path.write_text(text)
    res = CliRunner().invoke(app, ["solve", str(path)])
    assert res.exit_code == 0, res.output
    assert "support-enum" in res.output
    bad = tmp_path / "bad.nfg"
    bad.write_text(text.replace("{ \"\" 0, 10 }", "{ \"\" 0, x }"))
    res = CliRunner().invoke(app, ["solve", str(bad)])
    assert res.exit_code == 2 and f"{bad}:8:" in res.output


def _reference_pure(nf):
    """Loop over profiles and unilateral deviations."""
    out = []
    for prof in itertools.product(*[range(len(s)) for s in nf.strategies]):
        ok = True
        for i in range(len(nf.players)):
            for alt in range(len(nf.strategies[i])):
                dev = list(prof)
                dev[i] = alt
                if nf.payoffs[(i, *dev)] > nf.payoffs[(i, *prof)] + 1e-12:
                    ok = False
        if ok:
            out.append(prof)
    return out


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 100_000), n=st.integers(2, 3))
def test_pure_nash_matches_the_loop_reference(seed, n):
    rng = np.random.default_rng(seed)
    shape = tuple(int(v) for v in rng.integers(1, 4, n))
    pay = rng.integers(-3, 4, (n, *shape)).astype(float)
    nf = NormalForm("r", tuple(f"p{i}" for i in range(n)),
                    tuple(tuple(f"s{j}" for j in range(k)) for k in shape), pay)
    assert pure_nash(nf) == _reference_pure(nf)
    assert from_tree(to_tree(nf)) is not None


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 100_000))
def test_support_enumeration_finds_equilibria_with_zero_regret(seed):
    """Random continuous payoffs give a nondegenerate game (almost surely): an odd number
    of equilibria (Lemke-Howson's index theorem), each with zero regret, and every pure
    equilibrium among them."""
    rng = np.random.default_rng(seed)
    m, n = (int(v) for v in rng.integers(2, 5, 2))
    A, B = rng.normal(size=(m, n)), rng.normal(size=(m, n))
    g = nf2(A, B, [f"r{i}" for i in range(m)], [f"c{j}" for j in range(n)])
    eqs = support_enumeration(g)
    assert len(eqs) % 2 == 1
    for x, y in eqs:
        assert (A @ y).max() <= x @ A @ y + 1e-8
        assert (x @ B).max() <= x @ B @ y + 1e-8
    pure = {(i, j) for i, j in pure_nash(g)}
    found = {(int(np.argmax(x)), int(np.argmax(y))) for x, y in eqs
             if x.max() > 1 - 1e-9 and y.max() > 1 - 1e-9}
    assert pure == found
    sol = solve_tree(to_tree(g))
    assert len(sol.equilibria) == len(eqs) and not sol.rejected
