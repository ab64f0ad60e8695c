"""Regression (repro 05): a gmcr-py file's misperceptions are carried into a perception
lens and used, so the imported model gives gmcr-py's equilibria.

``tests/cases/gmcr/chicken_misperceived.gmcr`` (hand-made): D1 does not perceive state 4
(both swerve).  Hand derivation in tests/conflict/test_gmcr_import.py: equilibria [3, 4]
under Nash, GMR and SEQ — gmcr-py HEAD's LogicalSolver gives the same.  Before, the
misperception was kept as text and the analysis gave Nash [3], GMR [2, 3, 4], SEQ [2, 3].
"""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from crisislab.cli.main import app

CASE = Path(__file__).resolve().parents[1] / "cases" / "gmcr" / "chicken_misperceived.gmcr"
runner = CliRunner()


def test_import_then_analyze_matches_gmcr_py(tmp_path: Path) -> None:
    target = tmp_path / "misp.yaml"
    res = runner.invoke(app, ["import-gmcr", str(CASE), str(target)])
    assert res.exit_code == 0, res.output
    assert "perception lens 'd1_perceives'" in res.output
    assert "kept in the description" not in res.output
    out = tmp_path / "a.json"
    res = runner.invoke(app, ["analyze", str(target), "--no-cruxes", "-c", "nash,gmr,seq",
                              "--mode", "each_once", "--json", str(out)])
    assert res.exit_code == 0, res.output
    data = json.loads(out.read_text())
    base = data["views"][0]
    assert base["equilibria"] == {"nash": [3, 4], "gmr": [3, 4], "seq": [3, 4]}
    assert data["hypergame"]["first_level"]["seq"]["equilibria"] == [3, 4]
    inv = tmp_path / "inv.json"
    res = runner.invoke(app, ["inverse", str(target), "--state", "s2", "--actor", "d2",
                              "--concept", "nash", "--json", str(inv)])
    assert res.exit_code == 0, res.output
    # D2's only move from s2 (code 1) goes to s4; D1's moves through s4 are gone, which
    # does not touch D2's own Nash condition: D2 must not prefer s4 to s2
    assert json.loads(inv.read_text())["must_not_prefer"] == [4]
