"""A policy that holds a coalition structure ("Washington and Beijing agree their
responses"): under it the blocs move as one in the stability and the paths of every
view, and the reports show it."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from crisislab.cli.main import app
from crisislab.compare.pipeline import analyze_scenario
from crisislab.compare.views import ConflictModel
from crisislab.conflict.coalition_structure import coalition_structure
from crisislab.conflict.commitment import committed_graph
from crisislab.formats.scenario import load_text

runner = CliRunner()

# Prisoner's dilemma.  Options: A defects (bit 0), B defects (bit 1); states s1..s4 are
# codes 0..3 = CC, DC, CD, DD.  Rankings, best first: A: DC > CC > DD > CD (codes
# 1, 0, 3, 2); B: CD > CC > DD > DC (codes 2, 0, 3, 1).  The status quo is DD (s4).
#
# Each actor alone (every concept): DD is Nash-stable for both (A's only move, DD -> CD,
# puts A at its worst; likewise B), so it is an equilibrium and the status quo stays
# there: the path is empty, the crisis ends in mutual defection.
#
# The policy "agree": A and B form one bloc with both options; a joint move is any change
# of a and b, and it is an improvement only when both strictly prefer the target.
#   from DD (s4): to CC, A 0 -> ... A ranks CC 2nd > DD 3rd, B ranks CC 2nd > DD 3rd:
#                 both prefer it -> an improvement; the bloc has no opponent, so nothing
#                 sanctions it (every concept): DD is unstable for the bloc.
#   from CC (s1): to DC hurts B, to CD hurts A, to DD hurts both: no improvement, stable.
#   from DC (s2): A is at its best, so no move pleases A: stable.  CD (s3): likewise B.
# Equilibria of the structure: s1, s2, s3.  From s4 the only bloc improvement is
# s4 -> s1, undeterred, so the credible path is one step "A+B: s4 -> s1" and the crisis
# ends in cooperation: the coalition policy changes the predicted outcome.
SCENARIO = """\
metadata: {title: agreed responses}
actors: [{id: A, name: Washington}, {id: B, name: Beijing}]
options:
  - {id: a_defects, label: A defects, owner: A}
  - {id: b_defects, label: B defects, owner: B}
preferences:
  A: {ranking: [1, 0, 3, 2]}
  B: {ranking: [2, 0, 3, 1]}
status_quo: a_defects+b_defects
outcomes:
  - {id: cooperation, label: Cooperation, when: not a_defects and not b_defects}
  - {id: defection, label: Mutual defection, when: a_defects and b_defects}
  - {id: one_sided, label: One side defects, when: a_defects or b_defects}
coalition_structures:
  - {id: pact, label: Agreed responses, blocs: [[A, B]]}
policies:
  - {id: agree, label: A and B agree their responses, kind: start, coalitions: pact}
  - {id: agree_inline, label: Agreed inline, kind: start, coalitions: [[B, A]]}
"""


@pytest.fixture(scope="module")
def sa():
    return analyze_scenario(load_text(SCENARIO), games=False, forecasts=False)


def test_coalition_policy_changes_the_outcome(sa) -> None:
    for concept in ("nash", "gmr", "smr", "seq"):
        vr = sa.conflict.view("base")
        assert dict(vr.paths["status_quo"][concept]) == {3: []}
        assert dict(vr.paths["agree"][concept]) == {0: [(0, 3, 0)]}
        assert vr.movers_of("agree") == ("A+B",)
        assert vr.bloc_stable["agree", concept].tolist() == [[True, True, True, False]]
    sq = sa.cell("status_quo", "base")
    agree = sa.cell("agree", "base")
    assert [e.outcome for e in sq.ends] == ["defection"]
    assert [e.outcome for e in agree.ends] == ["cooperation"]
    assert agree.ends[0].path_text() == "s4 → A+B: s1"
    assert agree.differs_from_status_quo is True
    inline = sa.cell("agree_inline", "base")
    assert inline.ends[0].path_text() == "s4 → B+A: s1"
    pol = {p.id: p for p in sa.policies}
    assert pol["agree"].coalitions == (("A", "B"),) and pol["agree"].structure == "pact"
    assert pol["agree_inline"].structure is None
    assert any("A+B moves as one" in s and "Cooperation" in s for s in sa.summary)


def test_reports_show_the_coalition(tmp_path) -> None:
    path = tmp_path / "pd.yaml"
    path.write_text(SCENARIO)
    out_json, out_html = tmp_path / "a.json", tmp_path / "a.html"
    res = runner.invoke(app, ["analyze", str(path), "--json", str(out_json),
                              "--html", str(out_html)])
    assert res.exit_code == 0, res.output
    assert "A+B moves as one" in res.output
    data = json.loads(out_json.read_text())
    pol = {p["id"]: p for p in data["policies"]}
    assert pol["agree"]["coalitions"] == [["A", "B"]]
    assert pol["agree"]["coalition_structure"] == "pact"
    base = data["views"][0]
    assert "agree" not in base["paths"]  # steps of blocs are not one actor's moves
    assert base["bloc_paths"]["agree"]["seq"] == [
        {"equilibrium": 1, "path": [{"actor": "A+B", "from": 4, "to": 1}]}]
    assert base["bloc_stable"]["agree"]["seq"] == {"A+B": [1, 2, 3]}
    html = out_html.read_text()
    assert "A+B moves as one" in html and 'title="Washington + Beijing">A+B</b>' in html
    # the saved analysis reports exactly as the run did
    shown = runner.invoke(app, ["show", str(out_json)])
    again = runner.invoke(app, ["analyze", str(path)])
    assert shown.exit_code == 0 and shown.output == again.output


@pytest.mark.parametrize(("edit", "where", "message"), [
    ("coalitions: pact}", "policies[0].coalitions", "unknown coalition structure"),
    ("coalitions: [[B, A]]}", "policies[1].coalitions[1][0]", "actor in two blocs"),
    ("coalitions: [[B, A]]}", "policies[1].coalitions[0][1]", "unknown actor"),
])
def test_located_errors(tmp_path, edit: str, where: str, message: str) -> None:
    bad = {"policies[0].coalitions": "coalitions: nope}",
           "policies[1].coalitions[1][0]": "coalitions: [[B, A], [A]]}",
           "policies[1].coalitions[0][1]": "coalitions: [[B, C]]}"}[where]
    path = tmp_path / "bad.yaml"
    path.write_text(SCENARIO.replace(edit, bad))
    res = runner.invoke(app, ["validate", str(path)])
    assert res.exit_code == 2
    assert message in res.output and where in res.output


def test_concepts_without_blocs_are_refused(tmp_path) -> None:
    path = tmp_path / "pd.yaml"
    path.write_text(SCENARIO)
    res = runner.invoke(app, ["analyze", str(path), "--concepts", "seq,sim"])
    assert res.exit_code == 2
    assert "policy 'agree' holds a coalition structure" in res.output


THREE = """\
metadata: {{title: random}}
actors: [{{id: A, name: A}}, {{id: B, name: B}}, {{id: C, name: C}}]
options:
  - {{id: a, label: a, owner: A}}
  - {{id: b, label: b, owner: B, reversibility: {rev}}}
  - {{id: c, label: c, owner: C}}
preferences:
  A: {{ranking: {ra}}}
  B: {{ranking: {rb}}}
  C: {{ranking: {rc}}}
status_quo: {sq}
policies:
  - {{id: us, label: A and B agree, commit: {{c: {commit}}}, coalitions: [[A, B]]}}
"""


@settings(max_examples=25, deadline=None)
@given(st.permutations(range(8)), st.permutations(range(8)), st.permutations(range(8)),
       st.integers(0, 7), st.booleans(), st.sampled_from(["both", "drop_only"]))
def test_paths_end_at_equilibria_of_the_structure(ra, rb, rc, sq, commit, rev) -> None:
    """Under a coalition policy with a commitment, the stability of each bloc is that of
    the coalition-structure engine on the committed graph, and every path ends at a
    state stable for every bloc."""
    from crisislab.compare.views import Settings, all_views, analyse_view

    text = THREE.format(ra=list(ra), rb=list(rb), rc=list(rc), sq=sq,
                        commit=str(commit).lower(), rev=rev)
    sc = load_text(text)
    model = ConflictModel(sc)
    start = model.starts()[1]
    vr = analyse_view(model, all_views(sc)[0], Settings(("nash", "gmr", "smr", "seq")))
    ref = coalition_structure(committed_graph(vr.graph, start.mask), [["A", "B"]])
    for concept in ("nash", "gmr", "smr", "seq"):
        ends = vr.paths["us"][concept]
        stable = vr.bloc_stable["us", concept]
        assert np.array_equal(stable, ref.stable[concept])
        eq = set(ref.equilibria(concept).tolist())
        assert set(ends) <= eq
        for e, path in ends.items():
            state = start.state
            for bloc, f, t in path:
                assert f == state and bloc in (0, 1)
                assert not stable[bloc, f]  # a bloc leaves only a state unstable for it
                state = t
            assert state == e


def test_sweep_refuses_a_policy_with_coalitions(tmp_path) -> None:
    """The sweep's batch engine lets every actor move alone: rather than answer differently
    from analyze for such a policy, it refuses, naming the policy."""
    import crisislab
    from crisislab.errors import InputError

    path = tmp_path / "pd.yaml"
    path.write_text(SCENARIO)
    res = runner.invoke(app, ["sweep", str(path)])
    assert res.exit_code == 2
    assert "policy 'agree' holds a coalition structure" in res.output
    with pytest.raises(InputError, match=r"policies\[0\]\.coalitions"):
        crisislab.sweep(load_text(SCENARIO))


def test_diff_names_a_changed_coalition_structure() -> None:
    """Changing the declared structure a policy names changes where it leads: diff reports
    the change as one of structure (both scenarios analysed and compared by policy)."""
    from crisislab.compare.scenario_diff import STRUCTURE, scenario_changes

    a = load_text(SCENARIO)
    b = load_text(SCENARIO.replace("blocs: [[A, B]]", "blocs: [[A], [B]]"))
    changes = scenario_changes(a, b)
    assert [c.section for c in changes] == ["coalition_structures"]
    assert "coalition_structures" in STRUCTURE
