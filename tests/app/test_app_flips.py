"""Flipped conclusions and the crux that decides them, on a Prisoner's Dilemma whose
every step can be checked by hand."""

from __future__ import annotations

import pytest

from crisislab.app.workspace import Workspace
from crisislab.errors import CrisislabError

# The Prisoner's Dilemma of Fang, Hipel & Kilgour (1993, ch. 4) as prioritized statements,
# with one lens in which Player 1 gains nothing by defecting (its statement removed).
PD = """
metadata:
  title: Prisoner's Dilemma with a selfless lens
actors:
  - {id: P1, name: Player 1}
  - {id: P2, name: Player 2}
options:
  - {id: d1, label: Player 1 defects, owner: P1}
  - {id: d2, label: Player 2 defects, owner: P2}
preferences:
  P1:
    prioritization:
      - {id: p1_other_cooperates, formula: not d2}
      - {id: p1_defect, formula: d1}
  P2:
    prioritization:
      - {id: p2_other_cooperates, formula: not d1}
      - {id: p2_defect, formula: d2}
status_quo: none
lenses:
  - id: selfless
    name: Player 1 does not gain by defecting
    overrides:
      - {id: no_gain, actor: P1, statement: p1_defect, remove: true}
"""


def test_switching_an_override_off_flips_the_end_and_names_its_crux() -> None:
    """Hand derivation (SEQ, credible paths from the status quo, both cooperating):

    * base case: Player 2's defection (to "Player 2 defects") gains it p2_defect, but
      Player 1 answers by defecting too, which gains Player 1 p1_defect (a credible
      sanction), and mutual defection loses Player 2 p2_other_cooperates: deterred.
      Player 1's own defection is deterred the same way.  The status quo stays.
    * selfless lens: Player 1 cares only whether Player 2 cooperates, which it cannot
      change, so it has no improvement anywhere and no sanction: Player 2 defects and
      stays (moving back would lose p2_defect).  Ends at "Player 2 defects".

    Switching the lens's override off makes the lens the base case: its cell flips from
    "Player 2 defects" to "no option taken", and the crux of the full run on where the
    status quo leads between the two views is the statement (P1, p1_defect).
    """
    ws = Workspace("t")
    full = ws.run(PD, "pd.yaml", True, lambda _stage: None)
    assert [e.label for e in full.cell("status_quo", "base").ends] == ["no option taken"]
    assert [e.label for e in full.cell("status_quo", "selfless").ends] == ["Player 2 defects"]
    ws.change({"override:selfless:no_gain": False})
    [flip] = ws.last_flips
    assert (flip.policy, flip.view, flip.what) == ("status_quo", "selfless", "where it ends")
    assert flip.before.startswith("Player 2 defects")
    assert flip.after.startswith("no option taken")
    assert flip.cruxes and "where the status quo leads" in flip.cruxes[0]
    # switching it back on flips the cell back
    ws.change({})
    [back] = ws.last_flips
    assert back.after.startswith("Player 2 defects")


def test_beliefs_that_make_the_scenario_invalid_are_refused_clearly() -> None:
    # the lens removes p1_defect; removing it from the base case too leaves the lens's
    # override without its statement
    ws = Workspace("t")
    ws.run(PD, "pd.yaml", False, lambda _stage: None)
    with pytest.raises(CrisislabError) as err:
        ws.change({"statement:P1:p1_defect": False})
    assert "p1_defect" in err.value.problems[0].message
    assert err.value.problems[0].expected


def test_the_crux_search_after_a_change_fills_in_the_cruxes_unless_superseded() -> None:
    """After a change the analysis shown has no cruxes; the background search under the
    new beliefs replaces it with the same conclusions and their cruxes.  With the
    selfless lens's override off the lens is the base case (see above): the views agree
    on everything, so the search under these beliefs finds no crux, where the full run
    had the statement p1_defect."""
    ws = Workspace("t")
    full = ws.run(PD, "pd.yaml", True, lambda _stage: None)
    assert full.conflict.cruxes
    ws.change({"override:selfless:no_gain": False})
    shown = ws.current
    assert shown is not None and not shown.cruxes_searched
    stale = ws.revision
    ws.change({})
    assert ws.search_cruxes(stale, lambda _stage: None) is None  # beliefs moved on
    assert ws.current is not None and not ws.current.cruxes_searched
    ws.change({"override:selfless:no_gain": False})
    stages: list[str] = []
    searched = ws.search_cruxes(ws.revision, stages.append)
    assert searched is ws.current and searched is not None and searched.cruxes_searched
    assert searched.conflict.cruxes == [] and searched.engine_cruxes == ()
    assert searched.cell("status_quo", "selfless").ends == shown.cell(
        "status_quo", "selfless").ends
    assert "cruxes" in stages
    # back at the scenario as run: the full run's cruxes, without searching again
    ws.change({})
    assert ws.search_cruxes(ws.revision, stages.append) is full
