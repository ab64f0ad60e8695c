"""A forecast crux names each view's value, also where a view keeps the scenario's.

A lens that overrides an actor's salience on an issue leaves the other views at the
scenario's own value; the crux says that value ("as in the scenario"), not "None".
A multi-dimensional issue's position is one number per dimension: a lens overriding
it is a tuple on both sides (it used to stop the crux search with a TypeError).
"""

from __future__ import annotations

import io
import json
from importlib import resources

from ruamel.yaml import YAML
from typer.testing import CliRunner

from crisislab.cli.main import app
from crisislab.compare.engine_cruxes import (
    ValueAssumption,
    as_number,
    engine_crux_sentence,
    forecast_cruxes,
    number_text,
)
from crisislab.model.io import load, load_text


def _assumption(crux_list, issue: str, key: str) -> ValueAssumption:
    crux = next(c for c in crux_list if c.subject == issue)
    return next(a for a in crux.assumptions if a.key == key)


def test_a_view_without_an_override_shows_the_scenarios_value():
    sc = load()
    # korea-2017: Washington's lens sets China's salience on sanctions to 60; the
    # scenario's own value (positions.CN.salience) is 80 and Beijing's lens keeps it
    [crux] = [c for c in forecast_cruxes(sc, [("beijing", "washington")])
              if c.subject == "sanctions_intensity"]
    cn = next(a for a in crux.assumptions if a.key == "CN.salience")
    assert (cn.value_a, cn.value_b) == (80.0, 60.0)
    assert cn.evidence_a == "as in the scenario"
    text = engine_crux_sentence(crux, {"beijing": "Beijing's view",
                                       "washington": "Washington's view"})
    assert "CN.salience: Washington's view 60 (" in text
    assert "Beijing's view 80 (as in the scenario)" in text
    assert "None" not in text and ".)" not in text


def _two_dimensional() -> str:
    text = resources.files("crisislab.scenarios").joinpath("korea-2017.yaml").read_text("utf-8")
    yaml = YAML(typ="safe")
    d = yaml.load(text)
    d["issues"].append({
        "id": "two", "label": "Two scales",
        "dimensions": [{"id": "x", "label": "X"}, {"id": "y", "label": "Y"}],
        "positions": {
            "US": {"position": [90, 10], "salience": [50, 40], "capability": 100},
            "CN": {"position": [40, 60], "salience": [40, 40], "capability": 90},
            "KP": {"position": [0, 100], "salience": [60, 40], "capability": 40}}})
    for lens in d["lenses"]:
        if lens["id"] == "washington":
            lens.setdefault("issues", {})["two"] = {
                "KP": {"position": [10, 90], "quote": "a test quote"}}
    out = io.StringIO()
    yaml.dump(d, out)
    return out.getvalue()


def test_a_multi_dimensional_position_is_one_value_per_dimension():
    sc = load_text(_two_dimensional())
    found = forecast_cruxes(sc, [("base", "washington")])
    kp = _assumption(found, "two", "KP.position")
    assert (kp.value_a, kp.value_b) == ((0.0, 100.0), (10.0, 90.0))
    crux = next(c for c in found if c.subject == "two")
    text = engine_crux_sentence(crux, {"base": "Base case", "washington": "Washington's view"})
    assert "KP.position: Washington's view (10, 90) (a test quote); " \
           "Base case (0, 100) (as in the scenario)" in text


def test_the_command_line_analyses_it(tmp_path):
    path = tmp_path / "two.yaml"
    path.write_text(_two_dimensional(), encoding="utf-8")
    res = CliRunner().invoke(app, ["analyze", str(path)], env={"COLUMNS": "400"})
    assert res.exit_code == 0, res.output
    assert "the difference turns on KP.position" in res.output


def test_values_survive_json():
    for v in (None, 60.0, (10.0, 90.0)):
        assert as_number(json.loads(json.dumps(v))) == v
    assert [number_text(v) for v in (None, 60.0, 0.5, (10.0, 90.5))] == [
        "not set", "60", "0.5", "(10, 90.5)"]
