"""``crisislab estimate`` as a user meets it: results, files, and every kind of bad input."""

from __future__ import annotations

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from crisislab.cli.main import app
from crisislab.model.io import load_text

runner = CliRunner()

MODEL = """\
model: egame12
outcome: esc + war
utilities:
  u11: x
  u13: "0"
  u14: w
  u24: z
"""


def _data(tmp_path, n=400, seed=3, **overrides):
    """Simulated egame12 crises (probit, agent error), written as CSV."""
    rng = np.random.default_rng(seed)
    x, w, z = rng.normal(size=n), rng.integers(0, 2, n), rng.normal(size=n)
    u11, u14, u24 = -0.2 + 0.7 * x, 0.3 - 1.0 * w, 0.2 + 0.8 * z
    fight = u24 + rng.normal(size=n) > rng.normal(size=n)
    from scipy.stats import norm

    p4 = norm.cdf(u24 / np.sqrt(2))
    esc = p4 * u14 + rng.normal(size=n) > u11 + rng.normal(size=n)
    rows = ["x,w,z,esc,war,region"]
    for i in range(n):
        rows.append(f"{x[i]:.6f},{w[i]},{z[i]:.6f},{int(esc[i])},{int(esc[i] and fight[i])},"
                    f"{'east' if i % 2 else 'west'}")
    for line, text in overrides.items():
        rows[int(line.removeprefix("line")) - 1] = text
    path = tmp_path / "crises.csv"
    path.write_text("\n".join(rows) + "\n")
    return path


def _model(tmp_path, text=MODEL):
    path = tmp_path / "model.yaml"
    path.write_text(text)
    return path


def test_fit_prints_table_writes_json_and_exports_a_game_a_scenario_accepts(tmp_path):
    data, model = _data(tmp_path), _model(tmp_path)
    out, game = tmp_path / "fit.json", tmp_path / "game.yaml"
    res = runner.invoke(app, ["estimate", str(data), "--model", str(model), "--json", str(out),
                              "--case", "x=0.5,w=1,z=-0.3", "--export-game", str(game),
                              "--actors", "1=US,2=KP"])
    assert res.exit_code == 0, res.output
    assert "u14:w" in res.output and "multinomial logit" in res.output
    assert "P(war) =" in res.output
    result = json.loads(out.read_text())
    assert result["converged"] and result["n"] == 400
    assert len(result["predicted"]) == 400
    # same input -> byte-identical JSON
    out2 = tmp_path / "fit2.json"
    runner.invoke(app, ["estimate", str(data), "--model", str(model), "--json", str(out2)])
    assert out2.read_text() == out.read_text()
    # the exported game drops into the korea-2017 scenario as an ordinary tree game
    from importlib import resources

    from ruamel.yaml import YAML

    safe = YAML(typ="safe")
    korea = safe.load(resources.files("crisislab.scenarios").joinpath("korea-2017.yaml")
                      .read_text())
    korea["games"] = [*korea.get("games", []), *safe.load(game.read_text())["games"]]
    text = json.dumps(korea)
    scenario = load_text(text, "korea+fitted.yaml")
    assert "fitted" in [g.id for g in scenario.games]
    solved = runner.invoke(app, ["solve", str(_write(tmp_path, text)), "--game", "fitted"])
    assert solved.exit_code == 0, solved.output
    # refuses to overwrite
    again = runner.invoke(app, ["estimate", str(data), "--model", str(model), "--json", str(out)])
    assert again.exit_code == 2 and "already exists" in again.output


def _write(tmp_path, text):
    p = tmp_path / "scenario.yaml"
    p.write_text(text)
    return p


def _run(tmp_path, data, model):
    res = runner.invoke(app, ["estimate", str(data), "--model", str(model)])
    assert "Traceback" not in res.output
    return res


def test_missing_column_is_pointed_at_in_the_model_file(tmp_path):
    model = _model(tmp_path, MODEL.replace("u24: z", "u24: z + balance"))
    res = _run(tmp_path, _data(tmp_path), model)
    assert res.exit_code == 2
    assert f"{model}:7:12" in res.output and "no column 'balance'" in res.output


def test_non_numeric_value_names_line_and_value(tmp_path):
    data = _data(tmp_path, line5="0.1,1,oops,0,0,east")
    res = _run(tmp_path, data, _model(tmp_path))
    assert res.exit_code == 2
    assert f"{data}:5" in res.output and "'oops'" in res.output and "'z'" in res.output


def test_outcome_the_tree_cannot_produce(tmp_path):
    data = _data(tmp_path, line4="0.1,1,0.2,0,1,east")
    res = _run(tmp_path, data, _model(tmp_path))
    assert res.exit_code == 2
    assert f"{data}:4" in res.output and "cannot produce" in res.output
    data = _data(tmp_path, line4="0.1,1,0.2,2,0,east")
    res = _run(tmp_path, data, _model(tmp_path))
    assert res.exit_code == 2 and "other than 0/1" in res.output


def test_model_file_errors_are_located(tmp_path):
    data = _data(tmp_path)
    bad_formula = _model(tmp_path, MODEL.replace("u14: w", "u14: w +* z"))
    res = _run(tmp_path, data, bad_formula)
    assert res.exit_code == 2 and f"{bad_formula}:6:" in res.output
    unknown = _model(tmp_path, MODEL.replace("u13:", "u12:"))
    res = _run(tmp_path, data, unknown)
    assert res.exit_code == 2 and "has no utility 'u12'" in res.output
    not_identified = _model(tmp_path, MODEL.replace('u13: "0"', "u13: x").replace(
        "u14: w", "u14: w + x"))
    res = _run(tmp_path, data, not_identified)
    assert res.exit_code == 2 and "not identified" in res.output
    typo = _model(tmp_path, MODEL + "lnk: logit\n")
    res = _run(tmp_path, data, typo)
    assert res.exit_code == 2 and "unknown field 'lnk'" in res.output


def test_separation_and_missing_values_are_reported(tmp_path):
    # w perfectly predicts actor 2's move: fight iff w == 1
    rng = np.random.default_rng(0)
    rows = ["x,w,z,esc,war"]
    for i in range(200):
        w = i % 2
        rows.append(f"{rng.normal():.4f},{w},{w},1,{w}" if i % 3 else f"{rng.normal():.4f},"
                    f"{w},{w},0,0")
    rows.append("NA,1,1,0,0")
    data = tmp_path / "sep.csv"
    data.write_text("\n".join(rows) + "\n")
    res = _run(tmp_path, data, _model(tmp_path))
    assert res.exit_code == 0, res.output
    assert "1 dropped for missing values" in res.output.replace("\n", " ")
    assert "separate" in res.output


def test_bad_arguments(tmp_path):
    data, model = _data(tmp_path), _model(tmp_path)
    res = runner.invoke(app, ["estimate", str(data), "--model", str(model), "--link", "cauchit"])
    assert res.exit_code == 2 and "unknown link" in res.output
    res = runner.invoke(app, ["estimate", str(tmp_path / "none.csv"), "--model", str(model)])
    assert res.exit_code == 2 and "file not found" in res.output
    res = runner.invoke(app, ["estimate", str(data), "--model", str(model), "--case", "x=1"])
    assert res.exit_code == 2 and "lacks" in res.output


@pytest.mark.parametrize("link", ["logit", "probit"])
def test_declared_tree_with_outcome_names(tmp_path, link):
    """The same crises as a declared tree with an outcome column and a --link override."""
    src = _data(tmp_path).read_text().splitlines()
    rows = [src[0] + ",result"]
    for line in src[1:]:
        esc, war = line.split(",")[3:5]
        rows.append(line + "," + ("status_quo" if esc == "0" else "war" if war == "1"
                                  else "concession"))
    data = tmp_path / "named.csv"
    data.write_text("\n".join(rows) + "\n")
    model = _model(tmp_path, """\
tree:
  - {id: challenge, actor: A, moves: {stay: status_quo, demand: reply}}
  - {id: reply, actor: B, moves: {yield: concession, resist: war}}
outcome: result
utilities:
  A: {status_quo: x, war: w}
  B: {war: z}
""")
    res = runner.invoke(app, ["estimate", str(data), "--model", str(model), "--link", link,
                              "--json", str(tmp_path / f"{link}.json")])
    assert res.exit_code == 0, res.output
    out = json.loads((tmp_path / f"{link}.json").read_text())
    assert out["link"] == link
    assert [c["name"] for c in out["coefficients"]] == [
        "A(status_quo):(Intercept)", "A(status_quo):x", "A(war):(Intercept)", "A(war):w",
        "B(war):(Intercept)", "B(war):z"]


def test_numeric_utilities_in_yaml(tmp_path):
    """`u13: 0` (a YAML number) fixes the utility; another number is an error."""
    data = _data(tmp_path)
    res = _run(tmp_path, data, _model(tmp_path, MODEL.replace('u13: "0"', "u13: 0")))
    assert res.exit_code == 0, res.output
    bad = _model(tmp_path, MODEL.replace('u13: "0"', "u13: 2.5"))
    res = _run(tmp_path, data, bad)
    assert res.exit_code == 2 and f"{bad}:5:" in res.output and "not a number" in res.output
