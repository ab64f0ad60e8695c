"""``crisislab diff``: what differs between two scenarios, which conclusions differ, and
(for a change of beliefs) the changes that decide each, found by the crux search.

Hand derivations, on the small standoff (tests/cases/notebook/standoff.yaml): Borduria
ranks "no sanctions" first and "gaining ground" (bo_advance) second, so from the status
quo (nothing done) it advances: Incursion.  If its second statement is instead
bo_withdraw, withdrawing is its best reply whatever Atlantis does: Withdrawal.  In the
brinkmanship game P(war) = p q = 0.3 x 0.4 = 12% while the threat is acceptable
(q <= 0.375 (1 - p)/p), and 0 when p = 0.6 (q_acc = 0.25 < 0.4: Atlantis backs down).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

import crisislab
from crisislab.cli.main import app
from crisislab.compare.scenario_diff import as_lens, diff_scenarios, scenario_changes
from crisislab.formats.scenario import load, load_text

STANDOFF = Path(__file__).resolve().parents[1] / "cases" / "notebook" / "standoff.yaml"
TEXT = STANDOFF.read_text()


def _variant(tmp_path: Path, old: str, new: str, name: str = "b.yaml") -> Path:
    assert old in TEXT
    path = tmp_path / name
    path.write_text(TEXT.replace(old, new), encoding="utf-8")
    return path


def test_identical_scenarios() -> None:
    d = crisislab.diff(STANDOFF, STANDOFF)
    assert d.identical and not d.conclusions and d.note == "identical scenarios"


def test_a_changed_preference_flips_the_outcome_and_is_its_crux(tmp_path: Path) -> None:
    b = _variant(tmp_path, "- {id: bo_gain, formula: bo_advance}",
                 "- {id: bo_gain, formula: bo_withdraw}")
    d = crisislab.diff(STANDOFF, b)
    [change] = d.changes
    assert change.where == "preferences.BO.prioritization.bo_gain.formula"
    assert (change.a, change.b) == ("bo_advance", "bo_withdraw")
    assert d.comparable
    sq = next(c for c in d.conclusions if c.subject == "Status quo")
    assert (sq.a, sq.b) == ("Incursion", "Withdrawal")
    # the crux names the statement and both sides' formulas
    [why] = sq.decided_by
    assert why.startswith("The status quo ends in Withdrawal under Scenario B and in "
                          "Incursion under Base case (SEQ); the difference turns on one")
    assert "'bo_gain'" in why
    assert "Scenario B: 'bo_withdraw'" in why and "Base case: 'bo_advance'" in why


def test_reordered_statements_are_one_assumption_each(tmp_path: Path) -> None:
    """Swapping Borduria's first two statements: each moved statement is an override at
    its new position, and together they rebuild B (checked on the payoffs)."""
    b = _variant(tmp_path, """      - {id: bo_no_sanctions, formula: not at_sanction,
         question: "Does Borduria put avoiding sanctions first?"}
      - {id: bo_gain, formula: bo_advance}""", """      - {id: bo_gain, formula: bo_advance}
      - {id: bo_no_sanctions, formula: not at_sanction,
         question: "Does Borduria put avoiding sanctions first?"}""")
    a_sc, b_sc = load(STANDOFF), load(b)
    lens = as_lens(a_sc, b_sc, scenario_changes(a_sc, b_sc))
    assert lens is not None
    assert [(ov.statement, ov.position) for ov in lens.overrides] == [("bo_gain", 1),
                                                                      ("bo_no_sanctions", 2)]
    assert crisislab.diff(a_sc, b_sc, analyze=False).comparable


def test_a_changed_game_belief_is_its_crux(tmp_path: Path) -> None:
    b = _variant(tmp_path, "p_hard: {value: 0.3,", "p_hard: {value: 0.6,")
    d = crisislab.diff(STANDOFF, b)
    assert [c.where for c in d.changes] == ["games.border.parameters.p_hard.value"]
    game = next(c for c in d.conclusions if c.kind == "game" and "Status quo" in c.subject)
    assert (game.a, game.b) == ("P(war) 12%", "P(war) 0%")
    assert any("p_hard" in s and "0.6" in s for s in game.decided_by)


def test_the_lens_reproduces_b_exactly(tmp_path: Path) -> None:
    """B's preferences as overrides on A give B's payoffs in every state (checked by
    diff before it trusts the lens); an evidence-only change needs no lens at all."""
    a = load(STANDOFF)
    b = load_text(TEXT.replace("- {id: bo_gain, formula: bo_advance}",
                               "- {id: bo_gain, formula: bo_withdraw}"))
    lens = as_lens(a, b, scenario_changes(a, b))
    assert lens is not None and [ov.actor for ov in lens.overrides] == ["BO"]
    quote = load_text(TEXT.replace("Atlantis reads the troop build-up as resolve.",
                                   "Atlantis reads the build-up as resolve."))
    [change] = scenario_changes(a, quote)
    assert change.evidence_only and change.section == "lenses"


def test_structural_change_compares_conclusions_without_cruxes(tmp_path: Path) -> None:
    b = _variant(tmp_path, "  - {id: bo_withdraw, label: Borduria withdraws, owner: BO}\n",
                 "  - {id: bo_withdraw, label: Borduria withdraws, owner: BO}\n"
                 "  - {id: bo_mobilize, label: Borduria mobilizes, owner: BO}\n")
    d = diff_scenarios(load(STANDOFF), load(b))
    assert [(c.where, c.kind) for c in d.changes] == [("options.bo_mobilize", "added")]
    assert not d.comparable and "structure (options)" in d.note
    assert all(not c.decided_by for c in d.conclusions)


def test_sections_are_named(tmp_path: Path) -> None:
    b = _variant(tmp_path, "  - {id: BO, name: Borduria}", "  - {id: BO, name: Bordurie}")
    d = crisislab.diff(STANDOFF, b, analyze=False)
    assert [(c.section, c.where) for c in d.changes] == [("actors", "actors.BO.name")]
    assert not d.analysed and "actors 1" in repr(d)
    assert "Bordurie" in d._repr_html_()


def test_cli_diff_text_json_and_errors(tmp_path: Path) -> None:
    b = _variant(tmp_path, "p_hard: {value: 0.3,", "p_hard: {value: 0.6,")
    runner = CliRunner()
    res = runner.invoke(app, ["diff", str(STANDOFF), str(b)])
    assert res.exit_code == 0, res.output
    assert "What differs" in res.output and "P(war) 12%" in res.output
    out = tmp_path / "d.json"
    res = runner.invoke(app, ["diff", str(STANDOFF), str(b), "--json", str(out)])
    assert res.exit_code == 0 and '"comparable": true' in out.read_text()
    bad = _variant(tmp_path, "owner: BO}", "owner: BX}", "bad.yaml")
    res = runner.invoke(app, ["diff", str(STANDOFF), str(bad)])
    assert res.exit_code == 2 and "bad.yaml:" in res.output and "BX" in res.output
    assert "Traceback" not in res.output


@pytest.mark.parametrize("args", [["only-one"], ["no-such.yaml", "prisoners-dilemma"]])
def test_cli_bad_arguments_exit_2(args: list[str]) -> None:
    res = CliRunner().invoke(app, ["diff", *args])
    assert res.exit_code == 2
