"""``crisislab analyze MODEL.gmcr``: a gmcr-py file analysed directly, as gmcr-py opens it.

Reference: gmcr-py HEAD's LogicalSolver (onp/gmcr-py 502a12c) on
``tests/cases/gmcr/garrison.gmcr`` (hand-written in gmcr-py's format, see
tests/conflict/test_gmcr_import.py): Nash = SEQ = [2, 3, 11, 17, 18, 21, 22],
GMR = SMR = [2, 3, 4, 8, 10, 11, 13, 14, 15, 17, 18, 19, 21, 22] (1-based ordinal ids);
its sanctioning rule is crisislab's ``--mode each_once``.
"""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from crisislab.cli.main import app

CASES = Path(__file__).resolve().parents[1] / "cases" / "gmcr"
runner = CliRunner()
NASH = [2, 3, 11, 17, 18, 21, 22]
GMR = [2, 3, 4, 8, 10, 11, 13, 14, 15, 17, 18, 19, 21, 22]


def test_analyze_reads_a_gmcr_file_directly(tmp_path: Path) -> None:
    out = tmp_path / "a.json"
    res = runner.invoke(app, ["analyze", str(CASES / "garrison.gmcr"), "--no-cruxes",
                              "--mode", "each_once", "--json", str(out)])
    assert res.exit_code == 0, res.output
    eq = json.loads(out.read_text())["views"][0]["equilibria"]
    assert eq == {"nash": NASH, "gmr": GMR, "smr": GMR, "seq": NASH}


def test_same_answer_as_the_imported_scenario(tmp_path: Path) -> None:
    yaml_path = tmp_path / "garrison.yaml"
    assert runner.invoke(app, ["import-gmcr", str(CASES / "garrison.gmcr"),
                               str(yaml_path)]).exit_code == 0
    got = []
    for source in (CASES / "garrison.gmcr", yaml_path):
        out = tmp_path / f"{source.suffix[1:]}.json"
        res = runner.invoke(app, ["analyze", str(source), "--no-cruxes", "--json", str(out)])
        assert res.exit_code == 0, res.output
        got.append(json.loads(out.read_text())["views"][0]["equilibria"])
    assert got[0] == got[1]


def test_a_broken_gmcr_file_is_a_located_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.gmcr"
    bad.write_text('{"decisionMakers": [{"name": "A", "options": [7]}]}')
    res = runner.invoke(app, ["analyze", str(bad)])
    assert res.exit_code == 2
    assert "bad.gmcr" in res.output and "Traceback" not in res.output
