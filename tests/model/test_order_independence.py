"""Results do not depend on the order of entries in id-keyed mappings.

A mapping keyed by ids (an issue's positions, a lens's game parameters) has no
meaningful order: YAML and JSON writers reorder keys freely.  Permuting such a
mapping must give byte-identical JSON output (hypothesis draws the permutation).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML
from typer.testing import CliRunner

from crisislab.cli.main import app

SEEDS = Path(__file__).resolve().parents[1] / "fuzz" / "seeds"


def _run(data: dict[str, Any], tmp: Path, *args: str) -> str:
    src = tmp / "scenario.json"
    src.write_text(json.dumps(data), encoding="utf-8")  # JSON keeps the order given
    res = CliRunner().invoke(app, [*args[:1], str(src), *args[1:]])
    assert res.exit_code == 0, res.output
    return res.output


def _issue_scenario() -> dict[str, Any]:
    data: dict[str, Any] = YAML(typ="safe").load((SEEDS / "tiny-issue.yaml").read_text())
    positions = data["issues"][0]["positions"]
    positions["A"] = {"position": 13.7, "salience": 33.3, "capability": 17.1}
    positions["B"] = {"position": 91.3, "salience": 47.9, "capability": 51.7}
    positions["C"] = {"position": 57.1, "salience": 71.3, "capability": 23.9}
    return data


@settings(max_examples=4, deadline=None, derandomize=True)
@given(st.permutations(["A", "B", "C"]))
def test_issue_position_order_does_not_change_forecasts(order: list[str]) -> None:
    import tempfile

    data = _issue_scenario()
    with tempfile.TemporaryDirectory() as tmp:
        base = _run(data, Path(tmp), "forecast", "--json", "-")
        positions = data["issues"][0]["positions"]
        data["issues"][0]["positions"] = {k: positions[k] for k in order}
        assert _run(data, Path(tmp), "forecast", "--json", "-") == base


def _game_scenario(order: list[str]) -> dict[str, Any]:
    data: dict[str, Any] = YAML(typ="safe").load((SEEDS / "tiny-game.yaml").read_text())
    tree = data["games"][0]["tree"]
    tree["parameters"] = {"p": 0.5, "q": 2.0}
    tree["nodes"][1]["payoffs"] = {"A": "q", "B": 0}
    params = {"p": 0.25, "q": 3.0}
    data["lenses"][0]["games"] = {"g": {k: params[k] for k in order}}
    return data


@settings(max_examples=2, deadline=None, derandomize=True)
@given(st.permutations(["p", "q"]))
def test_lens_game_parameter_order_does_not_change_the_curve(order: list[str]) -> None:
    from crisislab.compare.pipeline import analyze_scenario
    from crisislab.formats.scenario import load_text

    runs = []
    for o in (["p", "q"], order):
        sc = load_text(json.dumps(_game_scenario(o)), "g.json")
        data = analyze_scenario(sc, cruxes=False, what_if=False, curves=True).to_dict()
        runs.append((data["curves"], [c["games"] for c in data["cells"]]))
    assert runs[0] == runs[1]
    assert runs[0][0][0]["parameter"] == "p"  # both overridden once: by name
