"""Reports for GMCR users: the stability table in the literature's layout and the
state graph drawn by Graphviz.

Case: ``tests/cases/gmcr/chicken_unperceived.yaml`` (hand-made).  Codes swerve_1 = 1,
swerve_2 = 2, ordinal id = code + 1.  Its hand derivation (tests/model/test_unperceived.py):
in the base case D1 is stable at s2, s3, s4 and D2 at s3, s4 under Nash, GMR, SMR and SEQ,
so the equilibria are s3 and s4.  D1 cannot move between s3 and s4 (it does not perceive
s4); D1 moves s1 <-> s2; D2 moves s1 <-> s3 and s2 <-> s4.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from crisislab.cli.main import app
from crisislab.compare.analysis import ConflictAnalysis, analyse
from crisislab.model.io import load
from crisislab.report.stability_table import gmcr_table, table_csv, table_html
from crisislab.report.state_graph import GraphvizMissing, render_dot, state_graph_dot

CASE = Path(__file__).resolve().parents[1] / "cases" / "gmcr" / "chicken_unperceived.yaml"
runner = CliRunner()
needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz 'dot' not installed")


@pytest.fixture(scope="module")
def analysis() -> ConflictAnalysis:
    return analyse(load(str(CASE)), concepts=("nash", "seq"), cruxes=False, what_if=False)


def test_table_layout_states_as_columns(analysis: ConflictAnalysis) -> None:
    base = analysis.view("base")
    t = gmcr_table(analysis.scenario, analysis.model.space, base.stable, analysis.concepts)
    assert t.states == ("s1", "s2", "s3", "s4")
    assert t.codes == (0, 1, 2, 3)
    assert [(o.actor, o.option, o.cells) for o in t.options] == [
        ("D1", "D1 swerves", ("N", "Y", "N", "Y")),
        ("D2", "D2 swerves", ("N", "N", "Y", "Y"))]
    rows = {(r.concept, r.actor): r.cells for r in t.rows}
    for c in ("Nash", "SEQ"):
        assert rows[(c, "D1")] == (False, True, True, True)
        assert rows[(c, "D2")] == (False, False, True, True)
        assert rows[(c, "Equilibrium")] == (False, False, True, True)
    assert t.words[3] == "D1 swerves; D2 swerves"  # full labels, never truncated


def test_table_csv_and_html(analysis: ConflictAnalysis) -> None:
    base = analysis.view("base")
    t = gmcr_table(analysis.scenario, analysis.model.space, base.stable, ("nash",))
    assert table_csv(t) == (
        "section,row,s1,s2,s3,s4\n"
        "D1,D1 swerves,N,Y,N,Y\n"
        "D2,D2 swerves,N,N,Y,Y\n"
        ",decimal code,0,1,2,3\n"
        "Nash,D1,0,1,1,1\n"
        "Nash,D2,0,0,1,1\n"
        "Nash,Equilibrium,0,0,1,1\n")
    html = table_html(t)
    assert html.count('class="eq"') == 2 and html.count('class="stable"') == 5
    assert 'title="D1 swerves; D2 swerves">s4</th>' in html


def test_table_columns_can_be_chosen(analysis: ConflictAnalysis) -> None:
    base = analysis.view("base")
    t = gmcr_table(analysis.scenario, analysis.model.space, base.stable, ("nash",),
                   states=[2, 3])
    assert t.states == ("s3", "s4") and t.rows[-1].cells == (True, True)


def test_state_graph_dot(analysis: ConflictAnalysis) -> None:
    base = analysis.view("base")
    eq = np.flatnonzero(base.stable["nash"].all(axis=0)).tolist()
    text = state_graph_dot(analysis.scenario, analysis.model.space, base.graph.moves,
                           equilibria=eq, status_quo=0)
    # four states, each with its full label
    for sid, words in (("s1", "no option taken"), ("s4", "D1 swerves; D2 swerves")):
        assert f"{sid}  " in text and words in text
    # D1: s1 <-> s2 only (s2 <-> s4 removed: D1 does not perceive s4); D2: s1 <-> s3,
    # s2 <-> s4; every two-way move drawn once with arrows at both ends
    edges = [line for line in text.splitlines() if "->" in line]
    assert len(edges) == 3 and all("dir=both" in e for e in edges)
    assert sum("peripheries=2" in line for line in text.splitlines()) == 2
    assert "penwidth=2.5" in text  # status quo


@needs_dot
def test_render_svg_and_png(analysis: ConflictAnalysis) -> None:
    base = analysis.view("base")
    text = state_graph_dot(analysis.scenario, analysis.model.space, base.graph.moves)
    svg = render_dot(text, "svg").decode()
    assert svg.count('class="node"') == 5  # four states and the legend
    assert "D1 swerves; D2 swerves" in svg
    assert render_dot(text, "png").startswith(b"\x89PNG\r\n\x1a\n")


def test_missing_dot_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no 'dot' anywhere
    with pytest.raises(GraphvizMissing) as err:
        render_dot("digraph { a }", "svg")
    assert "apt-get install graphviz" in str(err.value)
    res = runner.invoke(app, ["analyze", str(CASE), "--no-cruxes", "-c", "nash",
                              "--graph-svg", str(tmp_path / "g.svg")])
    assert res.exit_code == 2 and "Graphviz" in res.output
    assert not (tmp_path / "g.svg").exists()
    # DOT needs no binary
    res = runner.invoke(app, ["analyze", str(CASE), "--no-cruxes", "-c", "nash",
                              "--graph-dot", str(tmp_path / "g.dot")])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "g.dot").read_text().startswith("digraph")


def test_cli_table_csv_and_no_overwrite(tmp_path: Path) -> None:
    res = runner.invoke(app, ["analyze", str(CASE), "--no-cruxes", "-c", "nash",
                              "--table", "gmcr"])
    assert res.exit_code == 0, res.output
    assert "Equilibrium" in res.output and "decimal code" in res.output
    out = tmp_path / "t.csv"
    args = ["analyze", str(CASE), "--no-cruxes", "-c", "nash", "--csv", str(out),
            "--csv-layout", "gmcr"]
    assert runner.invoke(app, args).exit_code == 0
    assert out.read_text().splitlines()[-1] == "Nash,Equilibrium,0,0,1,1"
    dot = tmp_path / "g.dot"
    dot.write_text("mine")
    res = runner.invoke(app, ["analyze", str(CASE), "--no-cruxes", "--graph-dot", str(dot)])
    assert res.exit_code == 2 and dot.read_text() == "mine"
    res = runner.invoke(app, ["analyze", str(CASE), "--no-cruxes", "--table", "wide"])
    assert res.exit_code == 2 and "--table" in res.output


def test_html_report_includes_the_table(analysis: ConflictAnalysis) -> None:
    from crisislab.report.html import render_html

    page = render_html(analysis)
    assert 'id="gmcr-tables"' in page
    assert page.count('<table class="gmcr-table">') == len(analysis.views)


def test_graph_form_table_shows_labels_and_names() -> None:
    """shadow_names.yaml: states declared s3 (war), s1 (status quo), s2 (deal); they are
    shown by name (the names look like ordinals of other states), with their labels."""
    sc = load(str(Path(__file__).resolve().parents[1] / "cases" / "gmcr" / "shadow_names.yaml"))
    res = analyse(sc, concepts=("nash",), cruxes=False, what_if=False)
    base = res.view("base")
    t = gmcr_table(sc, res.model.space, base.stable, ("nash",))
    assert t.states == ("s3", "s1", "s2") and t.options == ()
    assert table_csv(t).splitlines()[1] == ",state,war,status quo,deal"


def test_holders_view_draws_unperceived_states_dashed(tmp_path: Path) -> None:
    """In D1's view of chicken_unperceived.yaml, s4 (not perceived by D1) is dashed and
    no move touches it: only s1 <-> s2 (D1) and s1 <-> s3 (D2) remain."""
    out = tmp_path / "v.dot"
    res = runner.invoke(app, ["analyze", str(CASE), "--no-cruxes", "-c", "nash",
                              "--view", "d1_view", "--graph-dot", str(out)])
    assert res.exit_code == 0, res.output
    text = out.read_text()
    nodes = dict(re.findall(r"\t(n\d) \[(.*?)\]\n", text, flags=re.S))
    assert "dashed" in nodes["n4"] and "dashed" not in nodes["n1"]
    edges = re.findall(r"\t(n\d) -> (n\d)", text)
    assert sorted(edges) == [("n1", "n2"), ("n1", "n3")]


def test_crux_decided_by_perception_alone_says_so(tmp_path: Path) -> None:
    """D1's view and the base case of chicken_unperceived.yaml hold the same preferences;
    they differ on s2 only through the state D1 does not perceive."""
    res = runner.invoke(app, ["analyze", str(CASE), "-c", "nash"])
    assert res.exit_code == 0, res.output
    text = " ".join(res.output.replace("│", " ").split())  # unwrap the panel
    assert "states their holders do not perceive decide it" in text
    page = tmp_path / "r.html"
    assert runner.invoke(app, ["analyze", str(CASE), "-c", "nash", "--html", str(page)]) \
        .exit_code == 0
    assert "decided by the states the holders do not perceive" in page.read_text()
