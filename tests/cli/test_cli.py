"""The command line as a user meets it: exit codes, messages, files."""

from __future__ import annotations

import json
from typing import Any

from typer.testing import CliRunner

from crisislab.cli.main import app

runner = CliRunner()

BAD = """\
metadata: {title: bad}
actors: [{id: A, name: Alpha}]
options:
  - {id: x, label: X, owner: A}
feasibility:
  - "x and (y or )"
preferences:
  A: {prioritization: [x]}
"""


def test_validate_reports_file_line_column_and_exits_2(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(BAD)
    res = runner.invoke(app, ["validate", str(path)])
    assert res.exit_code == 2
    assert f"{path}:6:" in res.output
    assert "unknown option 'y'" in res.output
    assert "Traceback" not in res.output


def test_validate_ok_and_missing_file(tmp_path):
    res = runner.invoke(app, ["validate", "korea-2017"])
    # 186 feasible states: counted by hand in tests/compare/test_korea.py
    assert res.exit_code == 0 and "186 feasible states" in res.output
    res = runner.invoke(app, ["validate", str(tmp_path / "missing.yaml")])
    assert res.exit_code == 2 and "file not found" in res.output


def test_schema_prints_json():
    res = runner.invoke(app, ["schema"])
    assert res.exit_code == 0
    assert json.loads(res.output)["title"] == "crisislab scenario"


def test_analyze_json_is_deterministic_and_never_overwrites(tmp_path):
    out1, out2 = tmp_path / "a.json", tmp_path / "b.json"
    args = ["analyze", "prisoners-dilemma", "--no-cruxes"]
    assert runner.invoke(app, [*args, "--json", str(out1)]).exit_code == 0
    assert runner.invoke(app, [*args, "--json", str(out2)]).exit_code == 0
    assert out1.read_bytes() == out2.read_bytes()
    data = json.loads(out1.read_text())
    # the JSON is the whole scenario analysis; the conflict part keeps its own provenance
    assert data["provenance"]["method"] == "crisislab.scenario_analysis"
    assert data["conflict_provenance"]["method"] == "gmcr.analysis"
    # Prisoner's Dilemma: mutual defection (code 3, s4) is the only Nash equilibrium
    assert data["views"][0]["equilibria"]["nash"] == [4]  # ordinal ids in JSON
    before = out1.read_bytes()
    res = runner.invoke(app, [*args, "--json", str(out1)])
    assert res.exit_code == 2 and "already exists" in res.output
    assert out1.read_bytes() == before
    assert runner.invoke(app, [*args, "--json", str(out1), "--force"]).exit_code == 0


def test_analyze_explain_and_bad_options():
    res = runner.invoke(app, ["analyze", "prisoners-dilemma", "--explain", "s1",
                              "--concepts", "nash,gmr", "--no-cruxes"])
    assert res.exit_code == 0
    assert "stable for Player 1 under general metarationality" in res.output
    for args in (["--concepts", "nash,best"], ["--mode", "sometimes"], ["--explain", "s187"],
                 ["--lens", "nobody"]):
        res = runner.invoke(app, ["analyze", "korea-2017", "--no-cruxes", *args])
        assert res.exit_code == 2, (args, res.output)
        assert "Traceback" not in res.output


def test_default_run_summarises_korea():
    res = runner.invoke(app, [], env={"COLUMNS": "160"})
    assert res.exit_code == 0, res.output
    assert "Executive summary" in res.output
    assert "Washington's view" in res.output and "Beijing's view" in res.output
    assert "What decides it" in res.output


def test_solve_exports_efg_and_solves_it_back(tmp_path):
    efg = tmp_path / "korea.efg"
    res = runner.invoke(app, ["solve", "korea-2017", "--game", "embargo_or_talks",
                              "--lens", "beijing", "--efg", str(efg)])
    assert res.exit_code == 0, res.output
    assert efg.read_text().startswith("EFG 2 R")
    direct = tmp_path / "direct.json"
    again = tmp_path / "again.json"
    assert runner.invoke(app, ["solve", "korea-2017", "--game", "embargo_or_talks", "--lens",
                               "beijing", "--method", "pure", "--json", str(direct)]
                         ).exit_code == 0
    assert runner.invoke(app, ["solve", str(efg), "--method", "pure", "--json", str(again)]
                         ).exit_code == 0
    a = json.loads(direct.read_text())["solutions"][0]["equilibria"]
    b = json.loads(again.read_text())["solutions"][0]["equilibria"]
    assert [e["outcome_probabilities"] for e in a] == [e["outcome_probabilities"] for e in b]
    bad = tmp_path / "bad.efg"
    bad.write_text('EFG 2 R "x" { "A" }\n"c"\np "n" 1 1 "" { "a" } 0\nt "" 1 "w" { 1, 2 \n')
    res = runner.invoke(app, ["solve", str(bad)])
    assert res.exit_code == 2 and "bad.efg:4:" in res.output


def test_forecast_exports_ktab_csv_that_reads_back(tmp_path):
    out = tmp_path / "sanctions.csv"
    res = runner.invoke(app, ["forecast", "korea-2017", "--issue", "sanctions_intensity",
                              "--ktab", str(out)])
    assert res.exit_code == 0, res.output
    direct, again = tmp_path / "d.json", tmp_path / "a.json"
    assert runner.invoke(app, ["forecast", "korea-2017", "--issue", "sanctions_intensity",
                               "--model", "compromise", "--lens", "base", "--json", str(direct)]
                         ).exit_code == 0
    assert runner.invoke(app, ["forecast", str(out), "--model", "compromise", "--json",
                               str(again)]).exit_code == 0
    # KTAB rescales the scale to 0-100; this scale is already 0-100
    a = json.loads(direct.read_text())[0]["forecast"][0]
    b = json.loads(again.read_text())[0]["forecast"][0]
    assert abs(a - b) < 1e-9


def test_analyze_exports_csv_and_graph_json(tmp_path):
    csv_path, graph_path = tmp_path / "s.csv", tmp_path / "g.json"
    res = runner.invoke(app, ["analyze", "prisoners-dilemma", "--concepts", "nash",
                              "--no-cruxes", "--csv", str(csv_path),
                              "--graph-json", str(graph_path)])
    assert res.exit_code == 0, res.output
    # Prisoner's Dilemma: only mutual defection (s4, code 3) is Nash-stable for both
    assert csv_path.read_text().splitlines() == [
        "state,code,nash:P1,nash:P2,nash:equilibrium",
        "1,0,0,0,0", "2,1,1,0,0", "3,2,0,1,0", "4,3,1,1,1"]
    graph = json.loads(graph_path.read_text())
    assert len(graph["nodes"]) == 4 and len(graph["edges"]) == 8
    assert graph["nodes"][3]["equilibrium"] == {"nash": True}


def test_per_actor_concepts(tmp_path):
    # Prisoner's Dilemma, codes 0 CC, 1 DC (P1 defects), 2 CD, 3 DD.
    # P1 under GMR is stable at 0 (its defection 0->1 meets P2's retaliation 1->3,
    # 1 <= 2), at 1 and 3 (no improvement), not at 2 (2->3 is not sanctioned: P2's
    # reply 3->1 leaves P1 at 3 > 0).  P2 under Nash is stable at 2 and 3 only.
    out = tmp_path / "m.json"
    res = runner.invoke(app, ["analyze", "prisoners-dilemma", "--per-actor", "P1=gmr",
                              "--no-cruxes", "--json", str(out)])
    assert res.exit_code == 0, res.output
    data = json.loads(out.read_text())["per_actor_concepts"]
    assert data["concepts"] == {"P1": "gmr", "P2": "nash"}
    assert data["stable"]["P1"] == [True, True, False, True]
    assert data["stable"]["P2"] == [False, False, True, True]
    assert data["equilibria"] == [4]  # ordinal id of code 3 (DD)
    res = runner.invoke(app, ["analyze", "prisoners-dilemma", "--per-actor", "P1"])
    assert res.exit_code == 2 and "ACTOR=CONCEPT" in res.output


def test_forecast_list_options_given_twice_add_up(tmp_path):
    """`-i a -i b -m x -m y` is `-i a,b -m x,y`: both issues and both models, not the last."""
    outs: list[Any] = []
    for args in (["-i", "sequencing", "-i", "sanctions_intensity", "-m", "median",
                  "-m", "compromise"],
                 ["-i", "sequencing,sanctions_intensity", "-m", "median,compromise"]):
        out = tmp_path / f"f{len(outs)}.json"
        res = runner.invoke(app, ["forecast", "korea-2017", *args, "--lens", "base",
                                  "--json", str(out)])
        assert res.exit_code == 0, res.output
        outs.append(json.loads(out.read_text()))
    assert outs[0] == outs[1]
    assert {(f["issue"], f["model"]) for f in outs[0]} == {
        (i, m) for i in ("sequencing", "sanctions_intensity") for m in ("median", "compromise")}
