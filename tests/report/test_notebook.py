"""Rich display in notebooks: compact reprs and escaped HTML for every result.

Checked as a reader would: the policy x view table names outcomes with their ordinal
state ids, the executive summary and cruxes appear, witnesses name actors and states
s1..sN, and no user string reaches the page unescaped.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import crisislab
from crisislab.compare.scenario_analysis import ScenarioAnalysis
from crisislab.formats.scenario import load, load_text

STANDOFF = Path(__file__).resolve().parents[1] / "cases" / "notebook" / "standoff.yaml"
EVIL = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def analysis() -> ScenarioAnalysis:
    return crisislab.analyze(load(STANDOFF))


@pytest.fixture(scope="module")
def hostile() -> ScenarioAnalysis:
    """Every user string a page shows carries markup: the title, an actor's name, an
    outcome label, a policy label, a lens name."""
    text = STANDOFF.read_text()
    for old in ("Border standoff", "name: Atlantis}", "label: Incursion",
                "label: Sanctions held", "name: Atlantis's view"):
        new = old.replace("Border standoff", f"Border {EVIL}").replace(
            "Atlantis}", f"Atlantis {EVIL}}}").replace("Incursion", f"Incursion {EVIL}") \
            .replace("Sanctions held", f"Sanctions {EVIL}").replace("view", f"view {EVIL}")
        assert old in text
        text = text.replace(old, new)
    return crisislab.analyze(load_text(text, "hostile.yaml"))


def test_repr_is_one_short_line(analysis: ScenarioAnalysis) -> None:
    text = repr(analysis)
    assert "\n" not in text and len(text) < 300
    # hand-checked: with nothing committed Borduria advances at once (its first
    # statement, no sanctions, already holds; advancing gains ground): Incursion at s5.
    assert text.endswith("status quo ends in Incursion (s5)>")
    assert "2 policies x 2 views" in text


def test_html_has_table_summary_and_cruxes(analysis: ScenarioAnalysis) -> None:
    page = analysis._repr_html_()
    assert "<table>" in page
    assert "<th>Base case</th>" in page and "<th>Atlantis&#x27;s view</th>" in page
    assert "Incursion (s5)" in page and "Sanctions held" in page
    for sentence in analysis.summary:
        assert sentence.replace("'", "&#x27;") in page
    # hand-checked: both views end in Incursion under SEQ, so SEQ has no crux; the
    # views differ under the other concepts, and the game's crux is p_hard
    assert "Cruxes (SEQ)</b>: the views agree on every SEQ conclusion" in page
    assert "the difference turns on p_hard" in page
    assert len(page) < 50_000


def test_every_user_string_is_escaped(hostile: ScenarioAnalysis) -> None:
    pages = [hostile._repr_html_(), hostile.conflict._repr_html_()]
    for page in pages:
        assert "<script>" not in page
    assert "&lt;script&gt;" in pages[0]


def test_stability_and_witness_name_actors_and_ordinal_ids() -> None:
    sc = load("prisoners-dilemma")
    res = crisislab.stability(sc)
    assert "<script" not in res._repr_html_()
    # Fang, Hipel & Kilgour (1993): mutual defection (code 3, the fourth state) is the
    # only Nash equilibrium of the Prisoner's Dilemma.
    assert "Nash (R) s4;" in repr(res)
    w = res.witness("P1", 0, "gmr")
    # From mutual cooperation (s1) P1's defection (s2) is sanctioned by P2 defecting
    # (s4), which P1 likes less than s1: stable under GMR.
    assert repr(w).startswith("<Witness s1 stable for P1 under")
    text = w.describe()
    assert "If P1 moves to s2" in text and "P2 moves to s4" in text
    assert "P1 moves to s2" in w._repr_html_()
    assert not re.search(r"Witness\(actor=", repr(w))


def test_game_and_forecast_results_display(analysis: ScenarioAnalysis) -> None:
    sc = analysis.scenario
    [sol] = crisislab.solve(sc, "border")
    assert repr(sol).startswith("<GameSolution 'border': 1 equilibrium ")
    assert "P(war)" in sol._repr_html_()
    fs = crisislab.forecast(sc)
    assert repr(fs).startswith(f"<ForecastSet {len(fs.forecasts)} forecasts")
    assert "buffer" in fs._repr_html_() and "buffer" in fs.forecasts[0]._repr_html_()
    cell = analysis.cell("status_quo")
    assert repr(cell) == "<PolicyView status_quo under base: ends in Incursion (s5)>"
    end = cell.ends[0]
    assert repr(end).startswith("<EndState Incursion (s5) via s")
    assert all("BO: s" in repr(end) or not end.path for end in cell.ends)
