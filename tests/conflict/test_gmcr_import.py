"""gmcr-py (.gmcr) import: format, errors, and reproduction of gmcr-py's own analysis.

The .gmcr files under tests/cases/gmcr/ were written by hand in gmcr-py's save
format (the tool's example files are not under a licence that allows copying).
Reference results come from gmcr-py's published logical-solver output
(onp/gmcr-py, test_data/Prisoners_logSol.txt and Garrison_logSol.txt: one row
per concept, 1 = equilibrium), reproduced with the sanctioning mode gmcr-py
uses (a single move by one opponent).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from crisislab.conflict.coalitions import individual_stability
from crisislab.conflict.gmcr_import import gmcr_option_order, parse_gmcr, read_gmcr
from crisislab.errors import InputError

CASES = Path(__file__).resolve().parents[1] / "cases" / "gmcr"


def equilibria(graph, concept, mode="single"):
    st = individual_stability(graph, concept, mode=mode)
    return [int(s) + 1 for s in np.flatnonzero(st.all(axis=0))]


def test_prisoners_dilemma_matches_gmcr_py_output():
    # Option 0: prisoner 1 cooperates; option 1: prisoner 2 cooperates.  Prioritization
    # "other cooperates" (weight 2) then "I do not cooperate" (weight 1) gives prisoner 1:
    # code 0 (DD) = 1, code 1 (CD) = 0, code 2 (DC) = 3, code 3 (CC) = 2: a Prisoner's Dilemma.
    model = read_gmcr(CASES / "prisoners.gmcr")
    graph = model.to_graph()
    assert graph.codes.tolist() == [0, 1, 2, 3]
    assert graph.payoffs.tolist() == [[1, 0, 3, 2], [1, 3, 0, 2]]
    # Prisoners_logSol.txt: Nash row "1 0 0 0", GMR/SEQ/SMR rows "1 0 0 1".
    assert equilibria(graph, "nash") == [1]
    for concept in ("gmr", "seq", "smr"):
        assert equilibria(graph, concept) == [1, 4]


def test_garrison_matches_gmcr_py_output():
    model = read_gmcr(CASES / "garrison.gmcr")  # old keys: useManualPreferenceVectors
    graph = model.to_graph()
    assert graph.n_states == 23 and model.ranking is not None
    # Garrison_logSol.txt rows (Nash, GMR, SEQ, SIM, SEQ+SIM, SMR), states 1-based.
    nash = [2, 3, 11, 17, 18, 21, 22]
    gmr = [2, 3, 8, 11, 13, 14, 15, 17, 18, 19, 21, 22]
    assert equilibria(graph, "nash") == nash
    assert equilibria(graph, "gmr") == gmr
    assert equilibria(graph, "seq") == nash
    assert equilibria(graph, "smr") == gmr
    # With the standard legal-sequence sanctions (opponents may take turns), GMR finds
    # more sanctions in this four-DM model: a superset of gmcr-py's answer.
    legal = equilibria(graph, "gmr", mode="legal")
    assert set(gmr) < set(legal)


def test_irreversibility_and_misperceptions():
    model = read_gmcr(CASES / "syria_iraq_misperception.gmcr")
    assert model.reversibility == ("both", "both", "once")  # "fwd" = cannot be undone
    graph = model.to_graph()
    codes = graph.codes.tolist()
    assert codes == [0, 1, 2, 4, 5, 6]  # release & escalate together infeasible
    iraq = graph.moves[1].toarray()
    # Iraq may attack (bit 2 set) but never withdraw: 0 -> 4 allowed, 4 -> 0 not.
    assert iraq[codes.index(0), codes.index(4)] and not iraq[codes.index(4), codes.index(0)]
    # Syria does not perceive "release water and not escalate": codes 1 and 5.
    assert model.perceived_codes("Syria").tolist() == [0, 2, 4, 6]
    assert model.extras()["misperceived_states"]["syria"] == ["release_water and not escalate"]


@pytest.mark.parametrize("name", ["prisoners", "garrison", "syria_iraq_misperception"])
def test_scenario_dict_validates_and_gives_same_graph(name):
    io = pytest.importorskip("crisislab.model.io")
    states = pytest.importorskip("crisislab.model.states")
    model = read_gmcr(CASES / f"{name}.gmcr")
    scenario = io.load_text(json.dumps(model.to_scenario_dict()), f"{name}.json")
    ours, theirs = model.to_graph(), states.build_graph(scenario)
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
