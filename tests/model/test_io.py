"""Loading scenario files: every problem located at file, line and column."""

from __future__ import annotations

import json
import textwrap

import pytest

from crisislab.errors import ScenarioError
from crisislab.formats.scenario import load, load_text
from crisislab.model.states import payoff_matrix, state_space

GOOD = textwrap.dedent("""\
    metadata:
      title: Two players
    actors:
      - {id: A, name: Alpha}
      - {id: B, name: Beta}
    options:
      - {id: x, label: A acts, owner: A}
      - {id: y, label: B acts, owner: B, reversibility: once}
    feasibility:
      - not (x and y)
    preferences:
      A:
        prioritization: [not y, x]
      B:
        ranking: [y, [none, x]]
    status_quo: none
    """)


def problems(text: str, name: str = "s.yaml"):
    with pytest.raises(ScenarioError) as info:
        load_text(text, name)
    return info.value.problems


def test_good_file_enumerates_states_and_payoffs():
    sc = load_text(GOOD)
    space = state_space(sc)
    # codes: 0 = none, 1 = x, 2 = y ; 3 = x+y is infeasible
    assert space.codes.tolist() == [0, 1, 2]
    pay = payoff_matrix(sc, space)
    # A: 'not y' weighs 2, 'x' weighs 1
    assert pay[0].tolist() == [2.0, 3.0, 0.0]
    # B: y first (level 2), none and x tied (level 1)
    assert pay[1].tolist() == [1.0, 1.0, 2.0]


def test_json_is_accepted(tmp_path):
    import ruamel.yaml

    data = ruamel.yaml.YAML(typ="safe").load(GOOD)
    path = tmp_path / "s.json"
    path.write_text(json.dumps(data, indent=1))
    assert load(path).metadata.title == "Two players"


def test_formula_error_points_at_the_character():
    text = GOOD.replace("- not (x and y)", '- "not (x and zz)"')
    (p,) = problems(text)
    assert (p.line, p.column) == (10, 17)  # the quote is column 5, 'zz' starts at offset 11
    assert "unknown option 'zz'" in p.message
    assert p.value == "not (x and zz)"


def test_unknown_owner_duplicate_id_and_bad_reversibility():
    text = GOOD.replace("owner: B, reversibility: once", "owner: C, reversibility: once")
    (p,) = problems(text)
    assert p.line == 8 and "unknown actor 'C'" in p.message
    assert "'A', 'B'" in (p.expected or "")
    text = GOOD.replace("{id: B, name: Beta}", "{id: A, name: Beta}")
    ps = problems(text)
    assert any("duplicate actor id 'A'" in p.message and p.line == 5 for p in ps)
    text = GOOD.replace("reversibility: once", "reversibility: sometimes")
    (p,) = problems(text)
    assert p.line == 8 and p.value == "sometimes" and "once" in (p.expected or "")


def test_ranking_that_omits_or_repeats_states():
    ps = problems(GOOD.replace("ranking: [y, [none, x]]", "ranking: [y, none]"))
    assert "omits 1 feasible state" in ps[0].message and ps[0].line == 15
    ps = problems(GOOD.replace("ranking: [y, [none, x]]", "ranking: [y, [none, x], y]"))
    assert "appears twice" in ps[0].message


def test_infeasible_status_quo_and_no_feasible_state():
    (p,) = problems(GOOD.replace("status_quo: none", "status_quo: x+y"))
    assert "not feasible" in p.message and p.line == 16
    (p,) = problems(GOOD.replace("- not (x and y)", "- x and not x"))
    assert "no feasible state" in p.message


def test_unknown_field_and_missing_field():
    ps = problems(GOOD.replace("  title: Two players", "  title: Two players\n  color: red"))
    assert any("unknown field 'color'" in p.message and p.line == 3 for p in ps)
    ps = problems(GOOD.replace("  title: Two players\n", "  description: none\n"))
    assert any("missing required field 'title'" in p.message for p in ps)


def test_syntax_error_has_a_position():
    (p,) = problems("metadata: {title: x\nactors: [")
    assert p.line is not None and "cannot parse" in p.message


def test_raw_option_space_is_refused_up_front():
    opts = "\n".join(f"  - {{id: o{k}, label: O{k}, owner: A}}" for k in range(30))
    text = f"metadata: {{title: big}}\nactors: [{{id: A, name: A}}]\noptions:\n{opts}\n" \
           "preferences: {A: {prioritization: [o1]}}\n"
    (p,) = problems(text)
    assert "2^30 = 1,073,741,824 states" in p.message
    assert "--max-states" in (p.expected or "")


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(ScenarioError) as info:
        load(tmp_path / "nope.yaml")
    assert "file not found" in info.value.problems[0].message
    with pytest.raises(ScenarioError):
        load(tmp_path)


def test_builtin_scenarios_load():
    assert load("builtin:prisoners-dilemma").metadata.title == "Prisoner's Dilemma"
    assert len(state_space(load()).codes) > 0


def test_lens_overrides_of_games_and_issues_are_checked_where_they_stand():
    from importlib import resources

    text = resources.files("crisislab.scenarios").joinpath("korea-2017.yaml").read_text()
    # Washington's prior that Pyongyang is resolute, and its view of China's salience
    bad = text.replace("          value: 0.2\n", "          value: 1.7\n", 1) \
              .replace("        salience: 60\n", "        salience: -5\n", 1)
    ps = problems(bad, "k.yaml")
    assert len(ps) == 2
    assert "probability outside [0, 1]" in ps[0].message
    assert ps[0].path == "lenses[0].games.embargo_or_talks"
    assert "salience must be non-negative" in ps[1].message
    assert ps[1].path == "lenses[0].issues.sanctions_intensity.CN.salience"
    assert ps[1].value == -5
    lines = bad.splitlines()
    assert lines[ps[1].line - 1].strip() == "salience: -5"
