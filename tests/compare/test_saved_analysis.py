"""A saved analysis (``analyze --json``) read back is the analysis: the same JSON byte for
byte, the same typed parts, and the same terminal, HTML and notebook reports.

The reference is the analysis itself, computed in the same test: loading must lose
nothing any report shows.  korea-2017 exercises every part (perception lenses,
first- and second-level hypergames, joint moves, games, forecasts with trajectories);
the small standoff adds the games' outcome curves.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

import crisislab
from crisislab.cli.main import app
from crisislab.compare.saved import SavedAnalysis
from crisislab.compare.scenario_analysis import ScenarioAnalysis
from crisislab.compare.serialize import ANALYSIS_FORMAT, scenario_analysis_dict
from crisislab.errors import InputError
from crisislab.formats.analysis_json import FORMAT
from crisislab.formats.scenario import load
from crisislab.provenance import canonical_json
from crisislab.report.html import render_scenario_html
from crisislab.report.terminal import render_scenario

STANDOFF = Path(__file__).resolve().parents[1] / "cases" / "notebook" / "standoff.yaml"


def _terminal(sa: ScenarioAnalysis, details: bool) -> str:
    buf = io.StringIO()
    console = Console(file=buf, width=110, color_system=None)
    render_scenario(sa, console, details=details)
    return buf.getvalue()


@pytest.fixture(scope="module", params=["standoff", "korea-2017"])
def pair(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) \
        -> tuple[ScenarioAnalysis, SavedAnalysis, str]:
    if request.param == "standoff":
        original = crisislab.analyze(load(STANDOFF), curves=True)
    else:
        original = crisislab.analyze(load())
    path = tmp_path_factory.mktemp("saved") / f"{request.param}.json"
    text = original.to_json()
    path.write_text(text, encoding="utf-8")
    loaded = crisislab.load_analysis(path)
    assert isinstance(loaded, SavedAnalysis)
    return original, loaded, text


def test_json_round_trip_is_byte_identical(pair: tuple[ScenarioAnalysis, SavedAnalysis,
                                                        str]) -> None:
    _original, loaded, text = pair
    assert loaded.to_json() == text


def test_the_typed_parts_serialise_to_the_saved_data(
        pair: tuple[ScenarioAnalysis, SavedAnalysis, str]) -> None:
    """Not the stored dict: the rebuilt objects, serialised afresh, give the file."""
    _original, loaded, text = pair
    assert canonical_json(scenario_analysis_dict(loaded)) == text


def test_typed_parts_equal_the_original(pair: tuple[ScenarioAnalysis, SavedAnalysis,
                                                    str]) -> None:
    original, loaded, _text = pair
    assert loaded.scenario == original.scenario
    assert loaded.policies == original.policies and loaded.views == original.views
    assert loaded.summary == original.summary and loaded.comparisons == original.comparisons
    assert loaded.hypergames == original.hypergames
    assert loaded.engine_cruxes == original.engine_cruxes
    for a, b in zip(original.cells, loaded.cells, strict=True):
        assert (a.policy, a.view, a.ends, a.why) == (b.policy, b.view, b.ends, b.why)
        for ga, gb in zip(a.games, b.games, strict=True):
            assert gb.solution.game_id == ga.solution.game_id
            assert len(gb.solution.equilibria) == len(ga.solution.equilibria)
    for va, vb in zip(original.conflict.views, loaded.conflict.views, strict=True):
        for c in original.conflict.concepts:
            assert (va.stable[c] == vb.stable[c]).all()
    assert [c.text for c in loaded.conflict.cruxes] == [c.text for c in original.conflict.cruxes]


@pytest.mark.parametrize("details", [False, True])
def test_terminal_report_is_identical(pair: tuple[ScenarioAnalysis, SavedAnalysis, str],
                                      details: bool) -> None:
    original, loaded, _text = pair
    assert _terminal(loaded, details) == _terminal(original, details)


def test_html_report_and_notebook_display_are_identical(
        pair: tuple[ScenarioAnalysis, SavedAnalysis, str]) -> None:
    original, loaded, _text = pair
    assert render_scenario_html(loaded) == render_scenario_html(original)
    assert loaded._repr_html_() == original._repr_html_()
    assert repr(loaded) == repr(original)


def test_format_marker_is_shared() -> None:
    assert FORMAT == ANALYSIS_FORMAT


def test_show_command_renders_the_saved_analysis(
        pair: tuple[ScenarioAnalysis, SavedAnalysis, str], tmp_path: Path) -> None:
    original, _loaded, text = pair
    saved = tmp_path / "a.json"
    saved.write_text(text, encoding="utf-8")
    out = tmp_path / "a.html"
    res = CliRunner().invoke(app, ["show", str(saved), "--html", str(out)])
    assert res.exit_code == 0, res.output
    assert out.read_text(encoding="utf-8") == render_scenario_html(original)
    res = CliRunner().invoke(app, ["show", str(saved), "--html", str(out)])
    assert res.exit_code == 2 and "exists" in res.output  # never overwrites


def test_show_writes_every_figure(tmp_path: Path) -> None:
    original = crisislab.analyze(load(STANDOFF), curves=True)
    saved = tmp_path / "a.json"
    saved.write_text(original.to_json(), encoding="utf-8")
    res = CliRunner().invoke(app, ["show", str(saved), "--figures", str(tmp_path / "f")])
    assert res.exit_code == 0, res.output
    # one state graph per view, the game's curve, one trajectory per negotiation model
    assert sorted(p.name for p in (tmp_path / "f").iterdir()) == [
        "border-outcomes-against-p-hard.svg", "state-graph-atlantis.svg",
        "state-graph-base.svg", "width-of-the-buffer-zone-challenge.svg",
        "width-of-the-buffer-zone-smp.svg"]
    res = CliRunner().invoke(app, ["show", str(saved), "--figures", str(tmp_path / "f")])
    assert res.exit_code == 2 and "exists" in res.output
    res = CliRunner().invoke(app, ["show", str(saved), "--figures", str(tmp_path / "g"),
                                   "--format", "gif"])
    assert res.exit_code == 2 and "unknown figure format" in res.output


@pytest.mark.parametrize(("content", "message"), [
    ('{"format": "crisislab.scenario-analysis/1",\n  "cells": [1,,]}',
     ":2:15: not valid JSON"),  # the second comma
    ("[1, 2]", "not a saved analysis"),
    ('{"title": "x"}', "not a saved scenario analysis"),
    ('{"format": "crisislab.scenario-analysis/9"}', "unsupported format"),
    ('{"format": "crisislab.scenario-analysis/1", "cells": []}',
     "incomplete or damaged: missing key 'scenario_source'"),
])
def test_bad_files_are_located_errors(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message.replace("(", r"\(")):
        crisislab.load_analysis(path)
    res = CliRunner().invoke(app, ["show", str(path)])
    assert res.exit_code == 2 and "Traceback" not in res.output
    assert str(path) in res.output


def test_missing_file_exits_2(tmp_path: Path) -> None:
    res = CliRunner().invoke(app, ["show", str(tmp_path / "none.json")])
    assert res.exit_code == 2 and "no such file" in res.output
