"""Outcomes, commitment policies, game policy mappings and lens-override ids: each
problem is located (file:line:column), names the value and what was expected."""

from __future__ import annotations

import numpy as np
import pytest

from crisislab.errors import ScenarioError
from crisislab.formats.scenario import load_text
from crisislab.model.lenses import commitment_bits, policy_state
from crisislab.model.outcomes import outcome_ids_of_states
from crisislab.model.states import state_space
from crisislab.model.validate import scenario_warnings

BASE = """\
metadata: {title: t}
actors: [{id: A, name: A}, {id: B, name: B}]
options:
  - {id: press, label: press, owner: A}
  - {id: strike, label: strike, owner: A}
  - {id: hit_back, label: hit back, owner: B}
  - {id: freeze, label: freeze, owner: B}
feasibility:
  - "hit_back -> strike"
  - "not (freeze and hit_back)"
status_quo: none
preferences:
  A:
    prioritization:
      - {id: a_freeze, formula: freeze}
      - {id: a_no_war, formula: not hit_back}
  B:
    prioritization:
      - {id: b_not_pressed, formula: not press}
      - {id: b_answer, formula: strike iff hit_back}
outcomes:
  - {id: war, label: War, when: "strike & hit_back"}
  - {id: deal, label: Deal, when: "freeze & not press"}
  - {id: pressure, label: Pressure, when: press}
  - {id: other, label: Anything else, when: "true"}
"""


def problems(text: str) -> list[str]:
    with pytest.raises(ScenarioError) as exc:
        load_text(text, "s.yaml")
    return [p.render() for p in exc.value.problems]


def test_outcome_formulas_by_hand():
    """Feasible states, codes press=1 strike=2 hit_back=4 freeze=8, feasible when
    hit_back implies strike and not (freeze and hit_back): codes 0,1,2,3,6,7,8,9,10,11
    (4,5 lack strike; 12..15 break one rule or the other).  The first outcome that holds:
    code 0 (nothing) -> other; 1 press -> pressure; 2 strike -> other; 3 -> pressure;
    6 strike+hit_back -> war; 7 -> war (war first, although press holds);
    8 freeze -> deal; 9 freeze+press -> pressure; 10 strike+freeze -> deal; 11 -> pressure."""
    sc = load_text(BASE)
    space = state_space(sc)
    assert space.codes.tolist() == [0, 1, 2, 3, 6, 7, 8, 9, 10, 11]
    assert outcome_ids_of_states(sc, space) == [
        "other", "pressure", "other", "pressure", "war", "war", "deal", "pressure", "deal",
        "pressure"]
    assert scenario_warnings(sc, space) == []


def test_states_in_no_outcome_and_empty_outcomes_are_warnings():
    text = BASE.replace('  - {id: other, label: Anything else, when: "true"}\n',
                        '  - {id: never, label: Never, when: "hit_back & not strike"}\n')
    sc = load_text(text)
    warnings = scenario_warnings(sc)  # codes 0 and 2 (s1, s3) were "other"
    assert warnings[0].startswith("2 feasible state(s) belong to no outcome: s1, s3")
    assert "outcome 'never' matches no feasible state" in warnings[1]


def test_outcome_formula_errors_are_located():
    text = BASE.replace('when: "strike & hit_back"', 'when: "strike & hitback"')
    (msg,) = problems(text)
    assert msg.startswith("s.yaml:")
    assert "outcomes[0].when" in msg and "hitback" in msg and "hit_back" in msg


POLICIES = BASE + """\
policies:
  - id: commit_press
    label: A presses for good
    commit: {press: true}
  - id: start_freeze
    label: start from a freeze
    kind: start
    set: {freeze: true}
"""


def test_commitment_is_applied_to_the_start_and_gives_mask_and_value():
    sc = load_text(POLICIES)
    space = state_space(sc)
    commit, start = sc.policies
    assert commitment_bits(space, commit) == (1, 1)
    assert commitment_bits(space, start) == (0, 0)  # a start policy holds nothing fixed
    assert int(space.codes[policy_state(sc, space, commit)]) == 1
    assert int(space.codes[policy_state(sc, space, start)]) == 8


@pytest.mark.parametrize("policy, fragment", [
    ("commit: {hit_back: true, freeze: true}", "no feasible state keeps this commitment"),
    ("commit: {presss: true}", "did you mean 'press'"),
    ("commit: {press: true}\n    state: strike", "breaks the policy's own commitment"),
    ("commit: {press: true}\n    set: {press: false}", "commits it to True"),
    ("kind: start\n    commit: {press: true}", "of kind 'start' commits to nothing"),
])
def test_policies_that_contradict_feasibility_are_located(policy, fragment):
    text = BASE + f"policies:\n  - id: p\n    label: p\n    {policy}\n"
    (msg,) = problems(text)
    assert fragment in msg
    assert msg.startswith("s.yaml:") and "policies[0]" in msg


LENS = BASE + """\
lenses:
  - id: b_view
    name: B's view
    overrides:
      - {actor: A, statement: a_no_wr, formula: "not strike"}
"""


def test_lens_statement_typo_is_an_error_with_a_suggestion():
    (msg,) = problems(LENS)
    assert "no statement 'a_no_wr'" in msg and "did you mean 'a_no_war'" in msg
    assert "add: true" in msg
    load_text(LENS.replace("formula: \"not strike\"", "formula: \"not strike\", add: true"))
    text = LENS.replace("a_no_wr", "a_no_war").replace('"not strike"', '"not strike", add: true')
    (msg,) = problems(text)
    assert "already exists" in msg


GAME = POLICIES + """\
games:
  - id: g
    tree:
      players: [A, B]
      parameters: {p: 0.5, w: -3}
      nodes:
        - {id: root, player: A, infoset: a_first, moves: {press: n1, wait: t0}}
        - {id: n1, chance: [{action: tough, probability: p, to: b1},
                            {action: soft, probability: 1 - p, to: t3}]}
        - {id: b1, player: B, moves: {fight: t1, yield: t2}}
        - {id: t0, payoffs: {A: 0, B: 0}, outcome: other}
        - {id: t1, payoffs: {A: w, B: -2}, outcome: war}
        - {id: t2, payoffs: {A: 2, B: -1}, outcome: pressure}
        - {id: t3, payoffs: {A: 2, B: -1}, outcome: deal}
    policies:
      commit_press:
        parameters: {p: 0.25}
        actions: {a_first: press}
"""


def test_game_policy_mapping_compiles_the_committed_game():
    from crisislab.games.policy import game_under_policy

    sc = load_text(GAME)
    tree = game_under_policy(sc.games[0], "commit_press").tree
    # 'wait' is gone at a_first and its terminal t0 with it
    assert tree.infosets[0].actions == ("press",)
    assert "t0" not in tree.node_ids
    # the policy's prior, on top of a lens that sets w
    compiled = game_under_policy(sc.games[0], "commit_press", {"w": -5, "p": 0.9})
    assert compiled.parameters == {"p": 0.25, "w": -5.0}
    # a policy with no entry leaves the game unchanged
    assert game_under_policy(sc.games[0], "start_freeze").tree.n_nodes == 7
    assert np.isclose(game_under_policy(sc.games[0], None).parameters["p"], 0.5)


@pytest.mark.parametrize("old, new, fragment", [
    ("parameters: {p: 0.25}", "parameters: {q: 0.25}", "no parameter 'q'"),
    ("actions: {a_first: press}", "actions: {a_frst: press}", "no information set 'a_frst'"),
    ("actions: {a_first: press}", "actions: {a_first: shout}", "has no action 'shout'"),
    ("      commit_press:\n", "      commit_pres:\n", "did you mean 'commit_press'"),
    ("outcome: pressure}", "outcome: presure}", "outcome class 'presure'"),
])
def test_game_policy_mapping_errors_are_located(old, new, fragment):
    (msg,) = problems(GAME.replace(old, new))
    assert fragment in msg and msg.startswith("s.yaml:") and "games[0]" in msg


def test_validate_prints_outcome_warnings(tmp_path):
    from typer.testing import CliRunner

    from crisislab.cli.main import app

    path = tmp_path / "s.yaml"
    path.write_text(BASE.replace('  - {id: other, label: Anything else, when: "true"}\n', ""))
    res = CliRunner().invoke(app, ["validate", str(path)], env={"COLUMNS": "120"})
    assert res.exit_code == 0, res.output
    assert "warning: 2 feasible state(s) belong to no outcome: s1, s3" in res.output
