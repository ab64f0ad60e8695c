"""Gambit formats, scenario validation with paths, lens overrides, the korea-2017 game."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from game_helpers import random_tree, template
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError
from ruamel.yaml import YAML

from crisislab.errors import InputError, ScenarioError
from crisislab.formats.efg import parse_efg, to_efg, to_nfg
from crisislab.games.expressions import ExpressionError, evaluate
from crisislab.games.solve import solve_game, solve_tree
from crisislab.games.spec import GameSpec, apply_game_overrides, compile_game, validate_games

KOREA = Path(__file__).resolve().parents[2] / "src" / "crisislab" / "scenarios" / \
    "korea-2017.yaml"

# A hand-written .efg (Gambit manual style): one-sided uncertainty, B cannot see A's type.
SMALL_EFG = """EFG 2 R "Bluff" { "A" "B" }
"hand written"

c "root" 1 "" { "strong" 1/3 "weak" 2/3 } 0
p "s" 1 1 "A strong" { "fight" "quit" } 0
p "sb" 2 1 "B" { "resist" "yield" } 0
t "" 1 "war" { -1, -1 }
t "" 2 "capitulation_B" { 1, 0 }
t "" 3 "status_quo" { 0, 1 }
p "w" 1 2 "A weak" { "fight" "quit" } 0
p "wb" 2 1 0
t "" 4 "war" { -2, 1 }
t "" 5 "capitulation_B" { 1, 0 }
t "" 6 "status_quo" { 0, 1 }
"""


def test_parse_hand_written_efg():
    tree = parse_efg(SMALL_EFG, "bluff.efg")
    assert tree.players == ("A", "B")
    assert [s.id for s in tree.infosets] == ["A strong", "B", "A weak"]
    assert tree.infosets[1].members == (tree.node_ids.index("sb"), tree.node_ids.index("wb"))
    assert tree.outcome[tree.node_ids.index("n0")] == "war"
    # Hand derivation of the pure PBE.  B resists iff mu = P(strong | fight) <= 1/2
    # (resist: -mu + (1 - mu) = 1 - 2 mu against 0 for yielding).
    # - Both types fight: mu = 1/3, B resists, strong A gets -1 < 0 by quitting: no.
    # - Only strong fights: mu = 1, B yields, weak A would fight for 1 > 0: no.
    # - Only weak fights: mu = 0, B resists, weak A gets -2 < 0: no.
    # - Both quit: B's set is off the path; B must resist (else strong A fights for 1),
    #   which needs mu <= 1/2; then fighting gives -1 and -2 < 0.  The unique pure PBE:
    #   status quo for sure, payoffs A 0, B 1.
    sol = solve_tree(tree, "pure")
    (eq,) = sol.equilibria
    assert eq.behaviour["A strong"]["quit"] == eq.behaviour["A weak"]["quit"] == 1.0
    assert eq.behaviour["B"]["resist"] == 1.0
    assert eq.beliefs["B"]["sb"] <= 0.5
    assert eq.outcome_probabilities["status_quo"] == pytest.approx(1.0)
    assert eq.expected_payoffs == pytest.approx({"A": 0.0, "B": 1.0})


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10_000))
def test_efg_round_trip(seed):
    tree = random_tree(seed)
    back = parse_efg(to_efg(tree))
    assert back.node_ids == tree.node_ids
    assert back.players == tree.players
    assert [(s.id, s.player, s.actions, s.members) for s in back.infosets] == \
        [(s.id, s.player, s.actions, s.members) for s in tree.infosets]
    assert np.allclose(back.payoffs, tree.payoffs)
    assert np.allclose(np.nan_to_num(back.edge_chance), np.nan_to_num(tree.edge_chance),
                       atol=1e-9)
    assert back.outcome == tree.outcome


@pytest.mark.parametrize(("text", "line", "column"), [
    ('EFG 2 R "t" { "A" }\n""\np "x" 3 1 "i" { "a" } 0\n', 3, 7),
    ('EFG 2 R "t" { "A" }\n""\nt "x" 1 "o" { 1, 2 }\n', 3, 7),
    ('EFG 2 R "t" { "A" }\n""\nq "x"\n', 3, 1),
    ('EFG 2 R "t" { "A" }\n""\np "x" 1 1 "i" { "a" "b" } 0\nt "" 1 "o" { 1 }\n', 4, 16),
    ('EFG 2 R "t" { "A" }\n""\nc "x" 1 "" { "a" 1/2 "b" 1/3 } 0\nt "" 1 "o" { 1 }\n'
     't "" 2 "o" { 1 }\n', None, None),
])
def test_efg_errors_have_line_and_column(text, line, column):
    with pytest.raises(InputError) as err:
        parse_efg(text, "bad.efg")
    problem = err.value.problems[0]
    assert problem.file == "bad.efg"
    assert problem.line == line and problem.column == column


def test_nfg_payoffs_by_hand():
    tree = parse_efg(SMALL_EFG)
    text = to_nfg(tree)
    nums = [float(x) for x in text.strip().splitlines()[-1].split()]
    # contingency order: A's strategy fastest. A strategies (strong/weak): ff, fq, qf, qq.
    # (ff, resist): 1/3(-1,-1) + 2/3(-2,1) = (-5/3, 1/3)
    assert nums[:2] == pytest.approx([-5 / 3, 1 / 3])
    # (qq, yield): (0, 1)
    assert nums[-2:] == pytest.approx([0, 1])
    assert len(nums) == 4 * 2 * 2


def test_gambit_reads_our_files():
    gbt = pytest.importorskip("pygambit")
    import io

    tree = parse_efg(SMALL_EFG)
    game = gbt.read_efg(io.StringIO(to_efg(tree)))
    assert list(game.players) == ["A", "B"]
    nfg = gbt.read_nfg(io.StringIO(to_nfg(tree)))
    # Gambit's own mixed-strategy enumeration on our .nfg finds the same outcome set
    # as our pure search on the tree for the pure equilibria it lists
    assert len(gbt.nash.enummixed_solve(nfg).equilibria) >= 1


def test_expressions_are_safe():
    assert evaluate("1 - p", {"p": 0.25}) == 0.75
    assert evaluate("-(a + 2) * 3 / 2", {"a": 1}) == -4.5
    for bad in ("__import__('os')", "p ** 2", "p if p else 1", "[1]"):
        with pytest.raises(ExpressionError):
            evaluate(bad, {"p": 1.0})


def _korea_data():
    return YAML(typ="safe").load(KOREA.read_text())


def _korea():
    return TypeAdapter(list[GameSpec]).validate_python(_korea_data()["games"])


def _lens_params(lens_id):
    lens = next(lz for lz in _korea_data()["lenses"] if lz["id"] == lens_id)
    return {k: v["value"] for k, v in lens["games"]["embargo_or_talks"].items()}


def test_korea_game_compiles_and_every_number_has_evidence():
    games = _korea()
    outcomes = [o["id"] for o in _korea_data()["outcomes"]]
    validate_games(games, {"US", "KP", "CN"}, outcomes)
    g = games[0]
    for name, v in g.tree.parameters.items():
        assert getattr(v, "quote", None) or getattr(v, "assumption", None), name
    compiled = compile_game(g, outcomes=outcomes)
    assert compiled.tree.n_nodes == 39 and len(compiled.tree.infosets) == 8
    # every terminal names a scenario outcome
    assert {o for o in compiled.tree.outcome if o} == \
        {"war", "deal", "status_quo", "capitulation", "escalation"}


def test_korea_lenses_change_the_prediction():
    g = _korea()[0]
    wash = solve_game(g, "pure", overrides=_lens_params("washington"))
    beij = solve_game(g, "pure", overrides=_lens_params("beijing"))
    # Washington (p = 0.2, q = 0.8): in an equilibrium where both US types embargo, a
    # resolute Pyongyang escalates (0.8 * -2 + 0.2 * 3 = -1 > -3) and an irresolute one
    # freezes (0.8 * -9 + 0.2 * 3 = -6.6 < -3); the irresolute US gets 0.2 * -3 +
    # 0.8 * 3 = 1.8 against 0.2 * -1 + 0.8 * 0 = -0.2 from talks, the resolute US
    # 0.2 * -2 + 0.8 * 3 = 2.0: both embargo.
    # Beijing (p = 0.7, q = 0.5, a resolute Pyongyang values testing on at 0.5 < deal 1):
    # talks give the US a deal, 0, for sure; an irresolute US that embargoes gets at
    # most 0.7 * -3 + 0.3 * 3 = -1.2 < 0 (the resolute Pyongyang escalates: 0.5 * -2 +
    # 0.5 * 3 = 0.5 > -3, and the irresolute US backs down): no equilibrium has both
    # US types embargo.
    def both_embargo(sol):
        return any(e.behaviour["us_policy_resolute"]["embargo"] == 1 and
                   e.behaviour["us_policy_irresolute"]["embargo"] == 1 for e in sol.equilibria)
    assert both_embargo(wash)
    assert not both_embargo(beij)


def test_validation_paths():
    bad = {"id": "g", "tree": {"players": ["US", "NK"], "parameters": {"p": 0.3}, "nodes": [
        {"id": "r", "chance": [{"action": "a", "probability": "p", "to": "t1"},
                               {"action": "b", "probability": "p", "to": "t2"}]},
        {"id": "t1", "payoffs": {"US": 1, "NK": 0}, "outcome": "war"},
        {"id": "t2", "payoffs": {"US": 1, "NK": "q"}, "outcome": "peace"}]}}
    spec = TypeAdapter(GameSpec).validate_python(bad)
    with pytest.raises(ScenarioError) as err:
        compile_game(spec, "games[2]")
    assert err.value.problems[0].path == "games[2].tree.nodes[2].payoffs.NK"
    bad["tree"]["nodes"][2]["payoffs"]["NK"] = 0  # type: ignore[index]
    spec = TypeAdapter(GameSpec).validate_python(bad)
    with pytest.raises(ScenarioError) as err:
        compile_game(spec, "games[2]")
    assert err.value.problems[0].path == "games[2].tree.nodes[0].probabilities"
    assert "sum to 0.6" in err.value.problems[0].message


def test_information_set_errors():
    nodes = [
        {"id": "r", "chance": [{"action": "a", "probability": 0.5, "to": "x"},
                               {"action": "b", "probability": 0.5, "to": "y"}]},
        {"id": "x", "player": "A", "infoset": "I", "moves": {"l": "t1", "r": "t2"}},
        {"id": "y", "player": "A", "infoset": "I", "moves": {"l": "t3", "m": "t4"}},
    ] + [{"id": f"t{i}", "payoffs": {"A": i}} for i in range(1, 5)]
    spec = TypeAdapter(GameSpec).validate_python({"id": "g", "tree": {"players": ["A"],
                                                                       "nodes": nodes}})
    with pytest.raises(ScenarioError) as err:
        compile_game(spec)
    assert "same actions" in err.value.problems[0].message
    assert err.value.problems[0].path == "games[0].tree.nodes[2].moves"


def test_pydantic_errors_for_malformed_games():
    with pytest.raises(ValidationError, match="either `template:`"):
        TypeAdapter(GameSpec).validate_python({"id": "g"})
    with pytest.raises(ValidationError, match="exactly one of"):
        TypeAdapter(GameSpec).validate_python({"id": "g", "tree": {"players": ["A"], "nodes": [
            {"id": "x", "payoffs": {"A": 1}, "chance": []}]}})


def test_template_errors_and_overrides():
    with pytest.raises(ScenarioError) as err:
        compile_game(template("brinkmanship", p_hard=1.5))
    assert err.value.problems[0].path == "games[0].parameters.p_hard"
    with pytest.raises(ScenarioError) as err:
        apply_game_overrides(template("brinkmanship"), {"p_hardline": 0.2})
    assert err.value.problems[0].path == "games.brinkmanship.p_hardline"
    spec = apply_game_overrides(template("brinkmanship"),
                                {"p_hard": {"value": 0.2, "assumption": "Washington"}})
    assert solve_game(spec).equilibria[0].summary["q_acceptable"] == pytest.approx(1.5)


def test_too_large_is_refused_with_estimate():
    spec = template("crisis_escalation", rounds=6)
    with pytest.raises(InputError, match="pure profiles"):
        solve_game(spec, "pure")


def test_korea_embargo_threshold_by_hand():
    from crisislab.games.thresholds import find_switches

    # Washington's lens, q_us_resolute = 0.8: in the embargo equilibrium a resolute
    # Pyongyang escalates and an irresolute one freezes.  An irresolute US embargoes iff
    # 3(1 - p) - 3p >= -p (talks: deal 0 with irresolute, failure -1 with resolute
    # Pyongyang), i.e. p <= 0.6; a resolute US iff 3(1 - p) - 2p >= -p, i.e. p <= 0.75.
    g = _korea()[0]
    res = find_switches(g, "p_nk_resolute", 0.3, 0.9, player="US", grid=13,
                        overrides={"q_us_resolute": 0.8})
    values = sorted({round(s.value, 6) for s in res.switches})
    assert values == [0.6, 0.75]
