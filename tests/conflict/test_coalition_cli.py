"""Coalition structures, SEQ inverse equilibria and foresight pairs from the command line
and the Python API (the reproductions of ``../shared/repro/gmcr/`` rebuilt here)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

import crisislab
from crisislab.cli import main
from crisislab.model.io import load_text

COAL_YAML = """
metadata: {title: "three actors, one option each"}
actors: [{id: a, name: A}, {id: b, name: B}, {id: c, name: C}]
options:
  - {id: a, label: a, owner: a}
  - {id: b, label: b, owner: b}
  - {id: c, label: c, owner: c}
preferences:
  a: {ranking: [7, 4, 0, 1, 2, 3, 5, 6]}
  b: {ranking: [7, 4, 0, 1, 2, 3, 5, 6]}
  c: {ranking: [4, 0, 1, 2, 3, 5, 6, 7]}
coalition_structures:
  - id: ab
    label: A and B agree their moves
    blocs: [[a, b]]
    assumption: hand-made reproduction model
"""

CHICKEN_YAML = """
metadata: {title: Chicken in graph form}
actors: [{id: D1, name: Driver 1}, {id: D2, name: Driver 2}]
graph:
  states:
    - {id: ss, label: both swerve}
    - {id: sd, label: driver 2 goes straight}
    - {id: ds, label: driver 1 goes straight}
    - {id: dd, label: crash}
  moves:
    D1: [[ss, ds], [ds, ss], [sd, dd], [dd, sd]]
    D2: [[ss, sd], [sd, ss], [ds, dd], [dd, ds]]
preferences:
  D1: {ranking: [ds, ss, sd, dd]}
  D2: {ranking: [sd, ss, ds, dd]}
"""


def run(*args):
    return CliRunner().invoke(main.app, list(args))


def test_analyze_coalitions_by_id_and_by_blocs(tmp_path):
    """Same model as test_coalition_structure.py: state 1 is a SEQ equilibrium of [[a, b], c]."""
    f = tmp_path / "coal.yaml"
    f.write_text(COAL_YAML)
    out = tmp_path / "a.json"
    res = run("analyze", str(f), "--coalitions", "ab", "--no-cruxes", "--json", str(out))
    assert res.exit_code == 0, res.output
    assert "SEQ equilibria of the structure: s1" in res.output
    data = json.loads(out.read_text())["coalition_structure"]
    assert data["equilibria"]["seq"] == [1, 5] and data["structure"] == "ab"
    res = run("analyze", str(f), "--coalitions", "a+b,c", "--no-cruxes")
    assert res.exit_code == 0 and "a+b" in res.output
    bad = run("analyze", str(f), "--coalitions", "a+x", "--no-cruxes")
    assert bad.exit_code == 2 and "unknown actor" in bad.output
    bad = run("analyze", str(f), "--coalitions", "agreed", "--no-cruxes")
    assert bad.exit_code == 2 and "neither a coalition structure" in bad.output


def test_api_and_scenario_checks(tmp_path):
    scenario = load_text(COAL_YAML, "coal.yaml")
    res = crisislab.coalition_structure(scenario, "ab")
    assert (res.equilibria("seq") + 1).tolist() == [1, 5]
    same = crisislab.coalition_structure(scenario, [["a", "b"]], concepts=["seq"])
    assert same.stable["seq"].tolist() == res.stable["seq"].tolist()
    f = tmp_path / "bad.yaml"
    f.write_text(COAL_YAML.replace("blocs: [[a, b]]", "blocs: [[a, b], [b, q]]"))
    out = run("validate", str(f))
    assert out.exit_code == 2
    assert "actor in two blocs" in out.output and "unknown actor" in out.output
    assert "bad.yaml:" in out.output  # located in the file


def test_inverse_seq_equilibrium_reproduction(tmp_path):
    f = tmp_path / "chicken.yaml"
    f.write_text(CHICKEN_YAML)
    res = run("inverse", str(f), "--state", "sd", "--actor", "D1", "--concept", "seq",
              "--equilibrium")
    assert res.exit_code == 0, res.output
    assert "16 of 24 strict orderings" in res.output and "reduction" in res.output
    res = run("inverse", str(f), "--state", "ss", "--actor", "D1", "--concept", "seq",
              "--equilibrium")
    assert res.exit_code == 0 and "enumeration" in res.output


def test_foresight_pair_on_korea(tmp_path):
    res = run("foresight", "--pair", "US,KP", "--fix", "CN=s1", "--horizon", "2")
    assert res.exit_code == 0, res.output
    assert "limited-move stability of US and KP" in res.output
    refused = run("foresight")
    assert refused.exit_code == 2 and "Zeng, Fang, Hipel & Kilgour" in refused.output
    assert run("foresight", "--pair", "US,KP").exit_code == 2  # CN not fixed


def test_import_gmcr_keeps_coalitions(tmp_path):
    src = Path(__file__).resolve().parents[1] / "cases" / "gmcr"
    gmcr = {"options": [{"name": n, "permittedDirection": "both"} for n in "abc"],
            "decisionMakers": [
                {"name": "A", "options": [0], "preferences": [],
                 "preferenceRanking": [8, 5, 1, 2, 3, 4, 6, 7]},
                {"name": "B", "options": [1], "preferences": [],
                 "preferenceRanking": [8, 5, 1, 2, 3, 4, 6, 7]},
                {"name": "C", "options": [2], "preferences": [],
                 "preferenceRanking": [5, 1, 2, 3, 4, 6, 7, 8]}],
            "infeasibles": [], "useManualPreferenceRanking": True,
            "coalitions": [[0, 1], 2]}
    assert src.exists()
    g = tmp_path / "coal.gmcr"
    g.write_text(json.dumps(gmcr))
    target = tmp_path / "coal.yaml"
    res = run("import-gmcr", str(g), str(target))
    assert res.exit_code == 0, res.output
    res = run("analyze", str(target), "--coalitions", "file", "--no-cruxes")
    assert res.exit_code == 0 and "SEQ equilibria of the structure: s1" in res.output
