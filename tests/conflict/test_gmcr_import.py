"""gmcr-py (.gmcr) import: format, errors, and reproduction of gmcr-py's own analysis.

The .gmcr files under tests/cases/gmcr/ were written by hand in gmcr-py's save
format (the tool's example files are not under a licence that allows copying).

Which gmcr-py?  Its current solver (onp/gmcr-py HEAD 502a12c,
``data_02_conflictSolvers.LogicalSolver.checkSanctions``) lets every opponent
move once, in any order, in a sanction: crisislab's ``mode="each_once"``.  Its
older solver (``data_04_spSolvers``), whose output is the published
``test_data/*_logSol.txt``, allows a single move by one opponent:
``mode="single"``.  The reference numbers below come from running gmcr-py HEAD's
LogicalSolver on these files (equilibria as 1-based ordinal ids), and — labelled
— from the published ``Garrison_logSol.txt`` of the older solver.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from crisislab.conflict.graph import ConflictGraph
from crisislab.conflict.perception import without_own_moves
from crisislab.conflict.scenario_graph import build_graph
from crisislab.conflict.stability import analyze_stability
from crisislab.errors import InputError
from crisislab.formats.gmcr_import import gmcr_option_order, parse_gmcr, read_gmcr
from crisislab.formats.scenario import load_text
from crisislab.model import states
from crisislab.model.perception import unperceived_by_actor

CASES = Path(__file__).resolve().parents[1] / "cases" / "gmcr"


def stable(graph: ConflictGraph, concept: str, mode: str = "each_once") -> np.ndarray:
    return np.asarray(analyze_stability(graph, concepts=(concept,), mode=mode).stable[concept])


def equilibria(graph: ConflictGraph, concept: str, mode: str = "each_once") -> list[int]:
    return [int(s) + 1 for s in np.flatnonzero(stable(graph, concept, mode).all(axis=0))]


def test_prisoners_dilemma_matches_gmcr_py():
    # Option 0: prisoner 1 cooperates; option 1: prisoner 2 cooperates.  Prioritization
    # "other cooperates" (weight 2) then "I do not cooperate" (weight 1) gives prisoner 1:
    # code 0 (DD) = 1, code 1 (CD) = 0, code 2 (DC) = 3, code 3 (CC) = 2: a Prisoner's Dilemma.
    model = read_gmcr(CASES / "prisoners.gmcr")
    graph = model.to_graph()
    assert graph.codes.tolist() == [0, 1, 2, 3]
    assert graph.payoffs.tolist() == [[1, 0, 3, 2], [1, 3, 0, 2]]
    # gmcr-py HEAD and Prisoners_logSol.txt agree (two DMs: one opponent, one move):
    # Nash [1]; GMR, SEQ, SMR [1, 4].
    for mode in ("each_once", "single"):
        assert equilibria(graph, "nash", mode) == [1]
        for concept in ("gmr", "seq", "smr"):
            assert equilibria(graph, concept, mode) == [1, 4]


GARRISON_NASH = [2, 3, 11, 17, 18, 21, 22]


def test_garrison_matches_gmcr_py_current_solver():
    """gmcr-py HEAD LogicalSolver on garrison.gmcr: Nash = SEQ = SIM =
    [2, 3, 11, 17, 18, 21, 22]; GMR = SMR = [2, 3, 4, 8, 10, 11, 13, 14, 15, 17, 18, 19,
    21, 22]."""
    model = read_gmcr(CASES / "garrison.gmcr")  # old keys: useManualPreferenceVectors
    graph = model.to_graph()
    assert graph.n_states == 23 and model.ranking is not None
    gmr = [2, 3, 4, 8, 10, 11, 13, 14, 15, 17, 18, 19, 21, 22]
    assert equilibria(graph, "nash") == GARRISON_NASH
    assert equilibria(graph, "gmr") == gmr
    assert equilibria(graph, "seq") == GARRISON_NASH
    assert equilibria(graph, "smr") == gmr


def test_garrison_single_move_rule_matches_gmcr_py_older_solver():
    """The single-move rule of gmcr-py's older data_04 solver: published
    test_data/Garrison_logSol.txt rows (Nash, GMR, SEQ, SIM, SEQ+SIM, SMR).  It misses
    GMR/SMR equilibria 4 and 10, whose sanctions need two opponents to move."""
    graph = read_gmcr(CASES / "garrison.gmcr").to_graph()
    gmr = [2, 3, 8, 11, 13, 14, 15, 17, 18, 19, 21, 22]
    assert equilibria(graph, "nash", "single") == GARRISON_NASH
    assert equilibria(graph, "gmr", "single") == gmr
    assert equilibria(graph, "seq", "single") == GARRISON_NASH
    assert equilibria(graph, "smr", "single") == gmr
    # With the standard legal-sequence sanctions (opponents may take turns, and move
    # again), GMR finds at least as many sanctions as either gmcr-py rule.
    assert set(equilibria(graph, "gmr")) <= set(equilibria(graph, "gmr", "legal"))


def test_each_once_is_gmcr_py_current_rule():
    """three_each_once.gmcr (hand-made; 3 DMs with one option each, code = a + 2b + 4c,
    ordinal = code + 1).  A ranks codes 1 > 3 > 5 > 0 > 7 > 2 > 4 > 6; B and C rank
    codes 0 > 1 > ... > 7.  At state 1 (code 0) A's only improvement is taking a
    (code 1).  From there B alone reaches code 3 and C alone code 5, both better for A
    than code 0; only B then C reaches code 7, which A ranks below code 0.  B and C are
    at their best in code 0.  So state 1 is a GMR equilibrium when every opponent may
    move once (each_once, and legal) and not under the single-move rule.  gmcr-py
    HEAD's LogicalSolver: GMR = SMR = [1, 2, 4], Nash = SEQ = [2]."""
    graph = read_gmcr(CASES / "three_each_once.gmcr").to_graph()
    assert equilibria(graph, "gmr") == [1, 2, 4] == equilibria(graph, "smr")
    assert equilibria(graph, "nash") == [2] == equilibria(graph, "seq")
    assert equilibria(graph, "gmr", "single") == [2, 4]
    assert 1 in equilibria(graph, "gmr", "legal")
    with pytest.raises(InputError):
        analyze_stability(graph, concepts=("gmr",), mode="single_move")


def test_misperceived_states_remove_the_perceivers_moves():
    """chicken_misperceived.gmcr (hand-made Chicken; code = swerve1 + 2 swerve2).  D1
    ranks codes 2 > 3 > 1 > 0, D2 ranks 3 > 1 > 2 > 0; D1 does not perceive code 3
    (both swerve), so D1 cannot move 2 <-> 3.  D1: at code 0 it gains by swerving (code 1)
    and D2's reply 1 -> 3 is no sanction (D1 prefers 3 to 0): unstable; codes 1, 2, 3 give
    it no improvement it can take: stable.  D2: code 0 -> 2 gains and D1 cannot reply
    2 -> 3: unstable; code 1 -> 3 gains and D1 cannot leave 3: unstable; codes 2, 3: no
    improvement.  Equilibria (ordinal ids) [3, 4] under every concept — gmcr-py HEAD
    gives the same."""
    model = read_gmcr(CASES / "chicken_misperceived.gmcr")
    graph = model.to_graph()
    assert graph.moves[0].toarray().astype(int).tolist() == [
        [0, 1, 0, 0], [1, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]]
    for concept in ("nash", "gmr", "smr", "seq"):
        st = stable(graph, concept)
        assert (np.flatnonzero(st[0]) + 1).tolist() == [2, 3, 4]
        assert (np.flatnonzero(st[1]) + 1).tolist() == [3, 4]


def test_syria_iraq_misperceptions_match_gmcr_py():
    """gmcr-py HEAD LogicalSolver on syria_iraq_misperception.gmcr: Syria stable at
    [1, 2, 5, 6], Iraq at [1, 2, 4, 5, 6], equilibria [1, 2, 5, 6] (Nash, GMR, SEQ, SMR)."""
    model = read_gmcr(CASES / "syria_iraq_misperception.gmcr")
    scenario = load_text(json.dumps(model.to_scenario_dict()), "si.json")
    from crisislab.compare.analysis import analyse

    base = analyse(scenario, mode="each_once", cruxes=False, what_if=False).views[0]
    for concept in ("nash", "gmr", "smr", "seq"):
        st = base.stable[concept]
        assert (np.flatnonzero(st[0]) + 1).tolist() == [1, 2, 5, 6]
        assert (np.flatnonzero(st[1]) + 1).tolist() == [1, 2, 4, 5, 6]
        assert [e + 1 for e in base.equilibria(concept)] == [1, 2, 5, 6]


def test_irreversibility_and_misperceptions():
    model = read_gmcr(CASES / "syria_iraq_misperception.gmcr")
    assert model.reversibility == ("both", "both", "once")  # "fwd" = cannot be undone
    graph = model.to_graph()
    codes = graph.codes.tolist()
    assert codes == [0, 1, 2, 4, 5, 6]  # release & escalate together infeasible
    iraq = graph.moves[1].toarray()
    # Iraq may attack (bit 2 set) but never withdraw: 2 -> 6 allowed, 6 -> 2 not.
    assert iraq[codes.index(2), codes.index(6)] and not iraq[codes.index(6), codes.index(2)]
    # Iraq does not perceive "not release_water and not escalate" (codes 0 and 4),
    # so its move 0 -> 4 is gone
    assert not iraq[codes.index(0)].any() and not iraq[codes.index(4)].any()
    # Syria does not perceive "release water and not escalate": codes 1 and 5.
    assert model.perceived_codes("Syria").tolist() == [0, 2, 4, 6]
    assert model.misperception_formulas()["syria"] == ["release_water and not escalate"]
    lens = model.to_scenario_dict()["lenses"][0]
    assert (lens["holder"], lens["kind"]) == ("syria", "perception")
    assert lens["unperceived"] == [{"formula": "release_water and not escalate"}]
    assert "misperceived" not in model.extras()
    # Syria cannot move to or from codes 1 and 5 (it owns release_water: 0 <-> 1, 4 <-> 5)
    syria = graph.moves[0].toarray()
    for c in (1, 5):
        assert not syria[codes.index(c)].any() and not syria[:, codes.index(c)].any()


@pytest.mark.parametrize("name", ["prisoners", "garrison", "syria_iraq_misperception"])
def test_scenario_dict_validates_and_gives_same_graph(name):
    model = read_gmcr(CASES / f"{name}.gmcr")
    scenario = load_text(json.dumps(model.to_scenario_dict()), f"{name}.json")
    space = states.state_space(scenario)
    ours = model.to_graph()
    theirs = without_own_moves(build_graph(scenario, space),
                               unperceived_by_actor(scenario, space))
    assert ours.codes.tolist() == theirs.codes.tolist()
    for a, b in zip(ours.moves, theirs.moves, strict=True):
        assert (a != b).nnz == 0
    for p, q in zip(ours.payoffs, theirs.payoffs, strict=True):
        assert np.array_equal(np.sign(p[:, None] - p[None, :]), np.sign(q[:, None] - q[None, :]))


def test_option_reordering_follows_gmcr_py():
    # gmcr-py groups options by decision maker before numbering states.
    assert gmcr_option_order(5, [[0], [1, 2, 3], [4]]) == [0, 1, 2, 3, 4]
    assert gmcr_option_order(3, [[2], [0, 1]]) == [2, 0, 1]
    data = {"options": [{"name": "b1", "permittedDirection": "both"},
                        {"name": "a1", "permittedDirection": "both"}],
            "decisionMakers": [{"name": "A", "options": [1], "preferences": [[[1, "Y"]]]},
                               {"name": "B", "options": [0], "preferences": [[[0, "Y"]]]}],
            "infeasibles": []}
    model = parse_gmcr(data)
    assert model.options == ("a1", "b1") and model.owners == (0, 1)
    assert model.prioritization["A"] == ((((0, True),),),)


@pytest.mark.parametrize(("data", "fragment"), [
    ([], "JSON object"),
    ({"options": [], "decisionMakers": []}, "no options"),
    ({"options": [{"name": "x", "permittedDirection": "sideways"}], "decisionMakers": []},
     "permittedDirection"),
    ({"options": [{"name": "x", "permittedDirection": "both"}],
      "decisionMakers": [{"name": "A", "options": [3], "preferences": []},
                         {"name": "B", "options": [], "preferences": []}]}, "out of range"),
    ({"options": [{"name": "x", "permittedDirection": "both"}],
      "decisionMakers": [{"name": "A", "options": [0], "preferences": [[[0, "maybe"]]]},
                         {"name": "B", "options": [], "preferences": []}]}, "bad condition"),
    ({"options": [{"name": "x", "permittedDirection": "both"}],
      "decisionMakers": [{"name": "A", "options": [0], "preferences": []},
                         {"name": "B", "options": [], "preferences": []}],
      "infeasibles": [[[0, "Y"]], [[0, "N"]]]}, "every state"),
    ({"options": [{"name": "x", "permittedDirection": "both"}],
      "useManualPreferenceRanking": True,
      "decisionMakers": [{"name": "A", "options": [0], "preferences": [],
                          "preferenceRanking": [1]},
                         {"name": "B", "options": [], "preferences": [],
                          "preferenceRanking": [1, 2]}]}, "omits"),
])
def test_bad_files_raise_clear_errors(data, fragment):
    with pytest.raises(InputError) as err:
        parse_gmcr(data)
    assert fragment in str(err.value)


def test_invalid_json_points_at_line(tmp_path):
    bad = tmp_path / "bad.gmcr"
    bad.write_text('{"options": [\n  {"name": "x",}\n]}\n')
    with pytest.raises(InputError) as err:
        read_gmcr(bad)
    assert err.value.problems[0].line == 2
