"""``crisislab forecast`` on the built-in korea-2017 scenario."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from crisislab.cli.main import app

SRC = Path(__file__).resolve().parents[2] / "src" / "crisislab"


def _scenario(tmp_path: Path) -> Path:
    out = tmp_path / "korea.yaml"
    out.write_text((SRC / "scenarios" / "korea-2017.yaml").read_text())
    return out


def test_forecast_table_and_json(tmp_path):
    path = _scenario(tmp_path)
    out = tmp_path / "f.json"
    res = CliRunner().invoke(app, ["forecast", str(path), "--issue", "sequencing",
                                   "--model", "compromise,challenge", "--lens", "base,beijing",
                                   "--json", str(out), "--trajectory"])
    assert res.exit_code == 0, res.output
    assert "sequencing" in res.output and "challenge" in res.output
    data = json.loads(out.read_text())
    assert {(d["lens"], d["model"]) for d in data} == {
        (None, "compromise"), (None, "challenge"), ("beijing", "compromise"),
        ("beijing", "challenge")}
    again = CliRunner().invoke(app, ["forecast", str(path), "--json", str(out)])
    assert again.exit_code == 2 and "already exists" in again.output


def test_forecast_bad_input_exits_2(tmp_path):
    path = _scenario(tmp_path)
    for args in (["--model", "oracle"], ["--issue", "nope"], ["--lens", "nobody"]):
        res = CliRunner().invoke(app, ["forecast", str(path), *args])
        assert res.exit_code == 2, (args, res.output)
        assert "Traceback" not in res.output
    bad = tmp_path / "bad.csv"
    bad.write_text("S, d, 1, 1,\nActor,Desc,Infl,P,S,\nA, a, ten, 5, 5,\n")
    res = CliRunner().invoke(app, ["forecast", str(bad)])
    assert res.exit_code == 2 and "bad.csv:3:7" in res.output
