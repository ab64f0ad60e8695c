"""``crisislab solve`` / ``threshold`` options for credible equilibria, QRE and regime maps."""

from __future__ import annotations

import json

from test_games_refinements import DETERRENCE_SPEC
from typer.testing import CliRunner

from crisislab.cli.main import app

runner = CliRunner()


def scenario(tmp_path):
    doc = {"metadata": {"title": "deterrence", "description": "test"},
           "actors": [{"id": "A", "name": "Challenger"}, {"id": "B", "name": "Defender"}],
           "games": [DETERRENCE_SPEC]}
    path = tmp_path / "deter.json"
    path.write_text(json.dumps(doc))
    return str(path)


def test_solve_json_has_selection_and_ranges(tmp_path):
    out = tmp_path / "s.json"
    res = runner.invoke(app, ["solve", scenario(tmp_path), "--json", str(out)])
    assert res.exit_code == 0, res.output
    [sol] = json.loads(out.read_text())["solutions"]
    assert sol["refinement"] == "pbe" and sol["selected"] == 0
    assert sol["outcome_ranges"]["war"] == [0.0625, 0.0625]
    assert sol["equilibria"][0]["refinement"] == "sequential"
    assert len(sol["not_credible"]) == 1


def test_solve_qre_and_bad_options(tmp_path):
    path = scenario(tmp_path)
    res = runner.invoke(app, ["solve", path, "--method", "qre", "--lambda", "2.5",
                              "--qre-link", "probit"])
    assert res.exit_code == 0, res.output
    assert "probit agent QRE at lambda = 2.5" in res.output
    res = runner.invoke(app, ["solve", path, "--method", "qre"])
    assert res.exit_code == 2 and "--lambda" in res.output
    res = runner.invoke(app, ["solve", path, "--refinement", "perfect"])
    assert res.exit_code == 2 and "refinement" in res.output
    res = runner.invoke(app, ["solve", path, "--method", "qre", "--lambda", "1",
                              "--qre-link", "cauchit"])
    assert res.exit_code == 2


def test_threshold_words_svg_and_no_overwrite(tmp_path):
    path = scenario(tmp_path)
    svg = tmp_path / "t.svg"
    res = runner.invoke(app, ["threshold", path, "--game", "deter", "--param", "rho",
                              "--player", "A", "--lo", "0.2", "--hi", "0.4", "--grid", "5",
                              "--svg", str(svg)],
                        env={"COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    assert "above rho ≈ 0.3: A switches from challenge to sq at A_challenge" in res.output
    assert svg.read_text().startswith("<svg")
    res = runner.invoke(app, ["threshold", path, "--game", "deter", "--param", "rho",
                              "--svg", str(svg)])
    assert res.exit_code == 2 and "already exists" in res.output


def test_threshold_regime_map(tmp_path):
    path = tmp_path / "b.yaml"
    path.write_text(
        "metadata: {title: brink, description: test}\n"
        "actors: [{id: US, name: US}, {id: SU, name: USSR}]\n"
        "games:\n  - id: brink\n    template: brinkmanship\n"
        "    players: {threatener: US, target: SU}\n")
    res = runner.invoke(app, ["threshold", str(path), "--game", "brink", "--param", "q",
                              "--param2", "p_hard", "--grid", "5"], env={"COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    assert "regimes over q (across) and p_hard (up)" in res.output


def test_threshold_regime_map_figure(tmp_path):
    path = tmp_path / "b.yaml"
    path.write_text(
        "metadata: {title: brink, description: test}\n"
        "actors: [{id: US, name: US}, {id: SU, name: USSR}]\n"
        "games:\n  - id: brink\n    template: brinkmanship\n"
        "    players: {threatener: US, target: SU}\n")
    fig = tmp_path / "map.json"
    res = runner.invoke(app, ["threshold", str(path), "--game", "brink", "--param", "q",
                              "--param2", "p_hard", "--grid", "5", "--figure", str(fig)])
    assert res.exit_code == 0, res.output
    import json

    spec = json.loads(fig.read_text())
    assert len(spec["data"]["values"]) == 25 and spec["encoding"]["x"]["title"] == "q"
    res = runner.invoke(app, ["threshold", str(path), "--game", "brink", "--param", "q",
                              "--figure", str(tmp_path / "m.svg")])
    assert res.exit_code == 2 and "needs --param2" in res.output
    res = runner.invoke(app, ["threshold", str(path), "--game", "brink", "--param", "q",
                              "--param2", "p_hard", "--figure", str(tmp_path / "m.gif")])
    assert res.exit_code == 2 and "unknown figure format" in res.output
