"""The one analysis (ScenarioAnalysis) on small hand-derived scenarios, and the reports
that render it."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest
from typer.testing import CliRunner

from crisislab.cli.main import app
from crisislab.compare.pipeline import analyze_scenario
from crisislab.formats.scenario import load_text

runner = CliRunner()

# Two actors, option e (A's embargo, bit 0) and t (B's tests, bit 1); states s1..s4 are
# codes 0..3.  A: 'e iff t' (weight 2), 'not e' (1): u_A = [3, 0, 1, 2] for codes 0..3
# (0: both true; 1: neither; 2: only 'not e'; 3: only 'e iff t').
# B: 'not e' (2), 't iff not e' (1): u_B = [2, 1, 3, 0].
# SEQ by hand (A toggles e, B toggles t):
#   code 0: A's 0->1 is no improvement; B's 0->2 (3 > 2) is deterred by A's improvement
#           2->3 (u_A 2 > 1), u_B(3) = 0 <= 2: stable -> equilibrium.
#   code 1: A's 1->0 (3 > 0): B's only move from 0 is 0->2, u_A(2) = 1 > 0: undeterred.
#   code 2: A's 2->3 (2 > 1) is deterred by B's 3->1 (1 > 0), u_A(1) = 0 <= 1: stable;
#           B at 2 has no improvement: equilibrium.
#   code 3: B's 3->1 (1 > 0): A's only move from 1 is 1->0, u_B(0) = 2 > 0: undeterred.
SCENARIO = """\
metadata: {title: embargo}
actors: [{id: A, name: Washington}, {id: B, name: Pyongyang}]
options:
  - {id: e, label: embargo, owner: A}
  - {id: t, label: tests, owner: B}
status_quo: none
preferences:
  A:
    prioritization:
      - {id: a_match, formula: e iff t, question: "Does A answer tests with an embargo?",
         quote: "pressure only when provoked", source: art}
      - {id: a_cost, formula: not e}
  B:
    prioritization:
      - {id: b_free, formula: not e}
      - {id: b_dare, formula: t iff (not e)}
metadata_sources: []
outcomes:
  - {id: war, label: Standoff, when: e & t}
  - {id: deal, label: Pressure works, when: e & !t}
  - {id: calm, label: Calm, when: "!e & !t"}
  - {id: tests, label: Tests go on, when: "t"}
policies:
  - {id: embargo_start, label: Embargo as a start, kind: start, set: {e: true}}
  - {id: embargo_commit, label: Embargo held, commit: {e: true}}
games:
  - id: g
    tree:
      players: [A, B]
      parameters: {b_war: 1}
      nodes:
        - {id: root, player: A, infoset: a_move, moves: {embargo: b1, wait: t0}}
        - {id: b1, player: B, moves: {test: t1, stop: t2}}
        - {id: t0, payoffs: {A: 0, B: 0}, outcome: calm}
        - {id: t1, payoffs: {A: -2, B: b_war}, outcome: war}
        - {id: t2, payoffs: {A: 2, B: 0}, outcome: deal}
    policies:
      embargo_commit: {actions: {a_move: embargo}}
lenses:
  - id: hawk
    name: Hawk's view
    games: {g: {b_war: -1}}
""".replace("metadata_sources: []\n", "").replace(
    "metadata: {title: embargo}", "metadata: {title: embargo, sources: [{id: art, citation: x}]}")


@pytest.fixture(scope="module")
def sa():
    return analyze_scenario(load_text(SCENARIO), concepts=("seq",))


def ends(sa, policy, view="base"):
    return [(e.ref, e.outcome) for e in sa.cell(policy, view).ends]


def test_policies_end_where_derived_by_hand(sa):
    """Status quo code 0 is an equilibrium: it stays (s1, calm).
    Embargo as a start (code 1): A lifts it, 1->0 undeterred: s1 again, no difference.
    Embargo held: A cannot move; at code 1 B's 1->3 is no improvement (0 < 1): s2."""
    assert ends(sa, "status_quo") == [("s1", "calm")]
    assert ends(sa, "embargo_start") == [("s1", "calm")]
    assert [(s.actor, s.source, s.target) for s in sa.cell("embargo_start").ends[0].path] \
        == [("A", 1, 0)]
    assert ends(sa, "embargo_commit") == [("s2", "deal")]
    assert sa.cell("embargo_commit").differs_from_status_quo is True
    assert sa.cell("embargo_start").differs_from_status_quo is False


def test_no_difference_names_the_mover_and_its_deciding_statement(sa):
    """A's move 1->0 changes 'e iff t' (false at 1, true at 0), its first statement."""
    why = sa.cell("embargo_start").why
    assert why is not None and why.startswith(
        "Washington undoes the policy: it reverses 'embargo' (s2 -> s1) because of its "
        "preference 'e iff t'")
    assert "Does A answer tests with an embargo?" in why and "pressure only when provoked" in why
    assert any("Embargo as a start makes no difference" in s for s in sa.summary)


def test_games_under_policy_and_view_together(sa):
    """Base: B tests after an embargo (1 > 0), so A waits (0 > -2): calm for sure.
    Embargo held (A's move fixed): B tests: war for sure.  Hawk's view (b_war = -1): B
    stops, so A embargoes (2 > 0): deal; held: deal too.  The start-only policy has no
    entry in the game: solved unchanged."""
    def probs(policy, view):
        (g,) = sa.cell(policy, view).games
        assert len(g.equilibria) == 1 and g.complete
        return {o: p for o, p in g.equilibria[0] if p > 0}

    assert probs("status_quo", "base") == {"calm": 1.0}
    assert probs("embargo_commit", "base") == {"war": 1.0}
    assert probs("status_quo", "hawk") == {"deal": 1.0}
    assert probs("embargo_commit", "hawk") == {"deal": 1.0}
    assert probs("embargo_start", "base") == {"calm": 1.0}
    assert not sa.cell("embargo_start").games[0].applies
    assert sa.cell("embargo_commit").games[0].actions == (("a_move", "embargo"),)


def test_summary_speaks_in_outcome_names(sa):
    assert "The status quo, under Base case: ends in Calm (s1); P(war) 0%; P(deal) 0%." \
        in sa.summary
    assert "The status quo, under Hawk's view: ends in Calm (s1); P(war) 0%; P(deal) 100%." \
        in sa.summary
    assert "Embargo held (held as a commitment), under Base case: ends in Pressure works " \
        "(s2); P(war) 100%; P(deal) 0%." in sa.summary


def test_repr_is_compact_and_outputs_are_complete(sa, tmp_path):
    assert len(repr(sa)) < 300 and "2 views" in repr(sa) and "3 policies" in repr(sa)
    frame = sa.to_pandas()
    assert set(frame["policy"]) == {"status_quo", "embargo_start", "embargo_commit"}
    data = json.loads(sa.to_json())
    cell = next(c for c in data["cells"] if c["policy"] == "embargo_commit"
                and c["view"] == "base")
    # the committed embargo removes 'wait' and the calm terminal with it
    assert cell["ends"][0]["ref"] == "s2" and cell["games"][0]["equilibria"] == [
        {"deal": 0.0, "war": 1.0}]
    out = sa.to_html(tmp_path / "r.html")
    text = out.read_text()
    assert "Where each policy leads" in text and "Pressure works" in text
    with pytest.raises(Exception, match="exists"):
        sa.to_html(tmp_path / "r.html")
    assert "<table>" in sa._repr_html_()


def test_terminal_report_renders_the_table_in_80_columns(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(SCENARIO)
    res = runner.invoke(app, ["analyze", str(path), "-c", "seq"], env={"COLUMNS": "80"})
    assert res.exit_code == 0, res.output
    assert "Where each policy leads" in res.output
    assert all(len(line) <= 80 for line in res.output.splitlines())
    assert "Embargo as a start makes no difference" in res.output


def test_json_is_byte_identical_across_processes(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(SCENARIO)
    outs = []
    for seed in ("1", "2"):
        out = tmp_path / f"o{seed}.json"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-c", "from crisislab.cli.main import run; run()",
                        "analyze", str(path), "--json", str(out)], check=True, env=env,
                       capture_output=True)
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]


LENS = """\
metadata: {title: "one misperception"}
actors: [{id: P1, name: Player 1}, {id: P2, name: Player 2}]
graph:
  states:
    - {id: cc, label: both cooperate}
    - {id: cd, label: P2 defects}
    - {id: dc, label: P1 defects}
    - {id: dd, label: both defect}
  moves:
    P1: [[cc, dc], [dc, cc], [cd, dd], [dd, cd]]
    P2: [[cc, cd], [cd, cc], [dc, dd], [dd, dc]]
preferences:
  P1: {ranking: [dc, cc, dd, cd]}
  P2: {ranking: [cd, cc, dd, dc]}
lenses:
  - id: p1_view
    name: Player 1's view
    kind: perception
    holder: P1
    overrides:
      - actor: P2
        preferences: {ranking: [cc, cd, dc, dd]}
        assumption: P1 thinks P2 would rather be exploited than end in mutual defection
"""


def test_no_cruxes_says_the_search_was_skipped(tmp_path):
    """../shared/repro/gmcr/07: the views disagree (base: s4; Player 1's view: s3), so a
    skipped search must not be reported as agreement."""
    path = tmp_path / "lens.yaml"
    path.write_text(LENS)
    res = runner.invoke(app, ["analyze", str(path), "-c", "nash", "--no-cruxes"],
                        env={"COLUMNS": "100"})
    assert res.exit_code == 0, res.output
    assert "agree" not in res.output
    assert "crux search was skipped" in res.output
    res = runner.invoke(app, ["analyze", str(path), "-c", "nash"], env={"COLUMNS": "100"})
    assert "What decides it" in res.output and "Player 1's view vs Base case" in res.output


# Three actors, one option each (codes 0..7), scores found by a seeded search for a model
# where the two SIM variants disagree: code 5 (s6) is SIM-stable when any actor may join a
# simultaneous sanction, and not when only actors for whom s6 is itself unstable may.
SIM = """\
metadata: {title: sim variants}
actors: [{id: A, name: A}, {id: B, name: B}, {id: C, name: C}]
options:
  - {id: a, label: a, owner: A}
  - {id: b, label: b, owner: B}
  - {id: c, label: c, owner: C}
preferences:
  A: {scores: {"0": 0, "1": 1, "2": 6, "3": 4, "4": 7, "5": 2, "6": 5, "7": 3}}
  B: {scores: {"0": 4, "1": 6, "2": 5, "3": 7, "4": 1, "5": 2, "6": 0, "7": 3}}
  C: {scores: {"0": 7, "1": 5, "2": 0, "3": 4, "4": 2, "5": 3, "6": 1, "7": 6}}
"""


@pytest.mark.parametrize("variant, verdict", [("any", "SIM: equilibrium"),
                                              ("unstable", "SIM: not an equilibrium")])
def test_explain_agrees_with_the_table_under_each_sim_variant(tmp_path, variant, verdict):
    from crisislab.compare.analysis import analyse
    from crisislab.compare.witnesses import explain_text

    sc = load_text(SIM)
    result = analyse(sc, concepts=("sim",), sim_variant=variant, cruxes=False, what_if=False)
    table = result.view("base").stable["sim"]
    assert bool(table[:, 5].all()) == (variant == "any")
    for state in range(8):
        for i, para in enumerate(explain_text(result, state)):
            stable = f"is stable for {sc.actors[i].name}" in para
            assert stable == bool(table[i, state]), (state, i, para)
    path = tmp_path / "sim.yaml"
    path.write_text(SIM)
    res = runner.invoke(app, ["analyze", str(path), "-c", "sim", "--sim-variant", variant,
                              "--explain", "s6"], env={"COLUMNS": "120"})
    assert res.exit_code == 0, res.output
    assert verdict in res.output


def test_outcome_ranges_over_equilibria():
    from crisislab.compare.summary import probability_text

    sa = analyze_scenario(load_text(SCENARIO), concepts=("seq",))
    from dataclasses import replace

    g = replace(sa.cell("status_quo").games[0], selected=None, selection_rule=None,
                equilibria=((("war", 0.0),), (("war", 0.16),)))
    assert probability_text(g, "war") == "0%–16% over 2 equilibria"
    assert np.isclose(g.probability_range("war")[1], 0.16)  # type: ignore[index]


CRUX_LENSES = SCENARIO + """\
  - id: dove
    name: Dove's view
    overrides:
      - {actor: A, statement: a_match, formula: not e, question: "Does A answer tests?"}
  - id: stubborn
    name: Stubborn view
    overrides:
      - {actor: A, statement: a_cost, formula: e, question: "Does A like the embargo?"}
"""


def test_cruxes_decide_the_outcome_and_the_best_policy():
    """Dove's view: A's statements become 'not e' (2) and 'not e' (1), u_A = 3 without the
    embargo, 0 with it.  At code 0 B's 0->2 (3 > 2) is no longer deterred: A's move 2->3
    is no improvement for A.  So the status quo ends at code 2 (tests go on), not at
    code 0 (calm): which outcome the status quo ends in is decided by a_match alone.
    Stubborn view: 'e iff t' (2), 'e' (1): u_A = [2, 1, 0, 3].  From code 1 A's 1->0
    (2 > 1) is deterred by B's improvement 0->2 (u_A 0 <= 1): the embargo as a start now
    holds (code 1, pressure works), while the status quo still ends calm.  A's worst end
    is 2 under the status quo and 1 under either embargo, so only the status quo is best
    for A; in the base case the status quo and the start-only embargo tie (both calm, 3).
    Which policy is best for A is decided by a_cost alone."""
    sa = analyze_scenario(load_text(CRUX_LENSES), concepts=("seq",))
    assert ends(sa, "status_quo", "dove") == [("s3", "tests")]
    assert ends(sa, "embargo_start", "stubborn") == [("s2", "deal")]
    cruxes = sa.conflict.cruxes
    outcome = next(c for c in cruxes if c.conclusion.kind == "outcome"
                   and c.conclusion.start == "status_quo" and c.view_b == "dove")
    assert outcome.value_a == frozenset({"calm"}) and outcome.value_b == frozenset({"tests"})
    assert [[outcome.assumptions[i].key for i in s] for s in outcome.sets] == [
        [("A", "a_match")]]
    best = next(c for c in cruxes if c.conclusion.kind == "best_policy"
                and c.conclusion.actor == "A" and c.view_b == "stubborn")
    assert best.value_a == frozenset({"status_quo", "embargo_start"})
    assert best.value_b == frozenset({"status_quo"})
    assert [[best.assumptions[i].key for i in s] for s in best.sets] == [[("A", "a_cost")]]
    # the sentences name both views' answers (B's first) before the assumption
    assert outcome.sentences[0].startswith(
        "The status quo ends in Tests go on under Dove's view and in Calm under Base case "
        "(SEQ); the difference turns on one assumption: does A answer tests?")
    assert (f"What decides it: {outcome.sentences[0]}") in sa.summary
    assert best.sentences[0].startswith(
        "The best policy for Washington by its own preferences over where each leads is "
        "the status quo under Stubborn view and the status quo and Embargo as a start "
        "(tied) under Base case (SEQ); the difference turns on one assumption: does A like "
        "the embargo?")
    assert best.sentences[0] in sa.summary
    # the same flip said as a path (states by id and outcome name) and as code 0 losing
    # its SEQ stability in Dove's view
    path = next(c for c in cruxes if c.conclusion.kind == "path"
                and c.conclusion.start == "status_quo" and c.view_b == "dove")
    assert path.sentences[0].startswith(
        "The status quo leads to s3 (Tests go on) under Dove's view and to s1 (Calm) under "
        "Base case (SEQ); the difference turns on one assumption")
    calm = next(c for c in cruxes if c.conclusion.kind == "equilibrium"
                and c.conclusion.state == 0 and c.view_b == "dove")
    assert calm.sentences[0].startswith(
        "State s1 (Calm: no option taken) is a SEQ equilibrium under Base case but not "
        "under Dove's view; the difference turns on one assumption")
    pairs = [(c.view_a, c.view_b) for c in sa.comparisons]
    assert pairs == [("base", "hawk"), ("base", "dove"), ("base", "stubborn")]


def test_game_cruxes_name_the_parameter_that_decides(sa):
    """Base vs Hawk's view differ in one game parameter, b_war (1 vs -1).  Under the
    status quo the base game ends calm (B would test, A waits) and Hawk's in a deal; with
    the embargo held, war vs deal.  The start-only embargo has no setting in the game,
    so it is the status quo's game and is not searched again."""
    found = {(c.subject, c.policy): c for c in sa.engine_cruxes if c.kind == "game"}
    assert set(found) == {("g", "status_quo"), ("g", "embargo_commit")}
    sq = found["g", "status_quo"]
    assert (sq.value_a, sq.value_b) == ("P(war) 0%; P(deal) 0%", "P(war) 0%; P(deal) 100%")
    assert [x.key for x in sq.assumptions] == ["b_war"] and sq.sets == ((0,),)
    held = found["g", "embargo_commit"]
    assert (held.value_a, held.value_b) == ("P(war) 100%; P(deal) 0%",
                                            "P(war) 0%; P(deal) 100%")


def test_minimal_sets_by_hand():
    """value(S) = ({0, 1} <= S or 2 in S): minimal sets {2} and {0, 1}; {0, 1, 2} and
    {0, 2} are supersets and not reported."""
    from crisislab.compare.engine_cruxes import minimal_sets

    sets, exhaustive = minimal_sets(3, lambda s: {0, 1} <= s or 2 in s)
    assert sets == ((2,), (0, 1)) and exhaustive


def test_each_view_is_marked_on_its_own_curve_at_the_table_value():
    """The curve of a view varies the axis parameter with every other parameter at the
    view's values, and passes through the view's own value: there the curve equals the
    status quo cell's game (the bug this replaces marked a lens at a point computed with
    the base value of a parameter the lens also changed)."""
    text = SCENARIO.replace("parameters: {b_war: 1}", "parameters: {b_war: 1, a_war: -2}") \
        .replace("payoffs: {A: -2, B: b_war}", "payoffs: {A: a_war, B: b_war}") \
        .replace("games: {g: {b_war: -1}}", "games: {g: {b_war: -1, a_war: -3}}")
    sa = analyze_scenario(load_text(text), concepts=("seq",), curves=True)
    assert {c.view for c in sa.curves} == {"base", "hawk"}
    for curve in sa.curves:
        (g,) = sa.cell("status_quo", curve.view).games
        k = curve.x.index(curve.marker)
        for outcome, values in curve.series:
            assert values[k] == pytest.approx(dict(g.equilibria[0]).get(outcome, 0.0))


def test_every_korea_path_step_is_undeterred_in_the_result_beside_it():
    """Whatever the scenario's content: each step of each printed path is an improvement
    of its mover that the stored result (the same one --explain renders) calls
    undeterred."""
    from crisislab.compare.analysis import analyse
    from crisislab.formats.scenario import load

    result = analyse(load("korea-2017"), cruxes=False, what_if=False)
    checked = 0
    for vr in result.views:
        for start, by_concept in vr.paths.items():
            res = vr.result_for(start)
            for concept, ends in by_concept.items():
                for path in ends.values():
                    for actor, source, target in path:
                        src, dst = res.improvements[actor]
                        k = np.flatnonzero((src == source) & (dst == target))
                        assert k.size == 1 and res.sanctions[concept][actor][k[0]] < 0
                        checked += 1
    assert checked > 0


def test_hypergame_under_a_commitment():
    """A perceives B as always liking tests (b_dare: 't').  With the embargo held, A has
    no move anywhere, so A is stable at every state of its own game; B is judged in its
    own (true) game on the committed graph: at code 0 its 0->2 (3 > 2) goes unanswered,
    at code 1 B's 1->3 is no improvement, at code 2 nothing improves for B, at code 3 its
    3->1 goes unanswered.  Stable for both in their own games: codes 1 and 2 (s2, s3)."""
    text = SCENARIO + """\
  - id: a_view
    name: A's view
    kind: perception
    holder: A
    overrides:
      - {actor: B, statement: b_dare, formula: t}
"""
    sa = analyze_scenario(load_text(text), concepts=("seq",), cruxes=False)
    held = next(h for h in sa.hypergames if h.policy == "embargo_commit")
    assert held.equilibria == (1, 2)
    # code 1 is 'e & !t' (Pressure works), code 2 't' (Tests go on): named first.  Code 3
    # (e & t) is both 'war' and 'tests'; the first outcome listed names it
    assert sa.conflict.by_outcome([0, 1, 2, 3]) == (
        ("Standoff", (3,)), ("Pressure works", (1,)), ("Calm", (0,)), ("Tests go on", (2,)))
    assert held.by_outcome == (("Pressure works", (1,)), ("Tests go on", (2,)))
    from crisislab.report.sections import policy_hypergame_text

    assert policy_hypergame_text(held) == "Pressure works (s2); Tests go on (s3)"
    saved = json.loads(sa.to_json())["policy_hypergames"]
    assert {"outcome": "Tests go on", "states": ["s3"]} in next(
        h for h in saved if h["policy"] == "embargo_commit")["by_outcome"]
    from crisislab.report.html import render_scenario_html

    page = render_scenario_html(sa)
    assert "<strong>Embargo held</strong>: Pressure works (s2); Tests go on (s3)" in page


def test_which_policy_is_safest_is_decided_by_the_game_parameter(sa):
    """Base: the status quo's game ends calm (P(war) 0) and the held embargo in war
    (P(war) 1): the status quo is safest.  Hawk's view (b_war = -1): both end in a deal,
    P(war) 0 for both: they tie.  Switching b_war alone turns one into the other."""
    (crux,) = [c for c in sa.engine_cruxes if c.kind == "safest_policy"]
    assert crux.value_a == "the status quo"
    assert crux.value_b == "the status quo and Embargo held (tied)"
    assert crux.sets == ((0,),)


def test_an_actor_whose_ideal_is_the_status_quo_is_flagged_as_a_nash_veto():
    """Issue on 0..100 with the status quo at 40: B's ideal is 40, so any agreement away
    from the disagreement point makes B worse off (a veto under Nash bargaining); A's
    ideal (90) is not the status quo."""
    text = SCENARIO + """\
issues:
  - id: pressure
    label: Pressure
    scale: {min: 0, max: 100}
    status_quo: 40
    positions:
      A: {position: 90, salience: 50, capability: 60}
      B: {position: 40, salience: 80, capability: 40}
"""
    sa = analyze_scenario(load_text(text), concepts=("seq",), cruxes=False)
    nash = [f for f in sa.forecasts if f.model == "nash" and f.view == "base"]
    assert [f.veto for f in nash] == [("B",)]
    assert all(not f.veto for f in sa.forecasts if f.model != "nash")
    from crisislab.report.sections import forecast_sections

    assert "B: ideal at the status quo, a Nash veto" in forecast_sections(sa)[0]["issue"]


def _random_scenario(rng: np.random.Generator) -> str:
    """2-3 actors with 1-2 options each, random scores (a ranking of every state), a
    random commitment and a random starting-state policy, and one lens that reverses
    one actor's scores."""
    n_actors = int(rng.integers(2, 4))
    owners = [a for a in range(n_actors) for _ in range(int(rng.integers(1, 3)))]
    n_opts = len(owners)
    codes = range(1 << n_opts)
    lines = ["metadata: {title: random}", "actors:"]
    lines += [f"  - {{id: A{a}, name: A{a}}}" for a in range(n_actors)]
    lines += ["options:"] + [f"  - {{id: o{k}, label: o{k}, owner: A{owners[k]}}}"
                             for k in range(n_opts)]
    lines += ["status_quo: 0", "preferences:"]
    scores = {a: rng.permutation(len(codes)).tolist() for a in range(n_actors)}
    for a in range(n_actors):
        body = ", ".join(f'"{c}": {scores[a][c]}' for c in codes)
        lines.append(f"  A{a}: {{scores: {{{body}}}}}")
    k = int(rng.integers(n_opts))
    lines += ["policies:",
              f"  - {{id: hold, label: hold, commit: {{o{k}: {bool(rng.integers(2))}}}}}",
              f"  - {{id: jump, label: jump, kind: start, state: {int(rng.integers(len(codes)))}}}"]
    a = int(rng.integers(n_actors))
    rev = ", ".join(f'"{c}": {-scores[a][c]}' for c in codes)
    lines += ["lenses:", "  - id: other", "    name: other",
              f"    overrides: [{{actor: A{a}, preferences: {{scores: {{{rev}}}}}}}]"]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("seed", range(12))
def test_no_reported_path_takes_a_move_the_report_calls_deterred(seed):
    """On random scenarios with a commitment, a start-only policy and a lens, every step
    of every reported path is an improvement of its mover that the stored result beside
    it calls undeterred, from a state unstable for the mover, never changing a committed
    option; and every reported end is an equilibrium of that result."""
    sc = load_text(_random_scenario(np.random.default_rng(seed)))
    sa = analyze_scenario(sc, concepts=("nash", "gmr", "seq"), cruxes=False, games=False,
                          forecasts=False, what_if=False)
    space_codes = sa.conflict.model.space.codes
    for vr in sa.conflict.views:
        for start, by_concept in vr.paths.items():
            res = vr.result_for(start)
            mask = next(st.mask for st in sa.conflict.model.starts() if st.id == start)
            for concept, ends in by_concept.items():
                eq = set(res.equilibria(concept).tolist())
                for end, path in ends.items():
                    assert end in eq
                    for actor, source, target in path:
                        src, dst = res.improvements[actor]
                        k = np.flatnonzero((src == source) & (dst == target))
                        assert k.size == 1
                        assert res.sanctions[concept][actor][k[0]] < 0
                        assert not res.stable[concept][actor, source]
                        assert (int(space_codes[source]) ^ int(space_codes[target])) & mask == 0
