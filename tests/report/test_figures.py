"""Figures: Vega-Altair charts built from an analysis, saved offline by vl-convert.

The curve values are checked against the brinkmanship closed form (Schelling 1960;
Dixit & Skeath, "Brinkmanship: the Cuban missile crisis"), written out below.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import crisislab
from crisislab.compare.scenario_analysis import ScenarioAnalysis
from crisislab.errors import InputError
from crisislab.formats.scenario import load
from crisislab.report.figures import (
    Figure,
    HLine,
    Marker,
    forecast_trajectories,
    line_figure,
    outcome_curves,
)
from crisislab.report.graph_figure import state_graph

STANDOFF = Path(__file__).resolve().parents[1] / "cases" / "notebook" / "standoff.yaml"


@pytest.fixture(scope="module")
def analysis() -> ScenarioAnalysis:
    return crisislab.analyze(load(STANDOFF), curves=True)


def _values(fig: Figure, layer: int = 0) -> list[dict]:
    return fig.to_dict()["layer"][layer]["data"]["values"]


def test_line_figure_data_gaps_and_reference_lines() -> None:
    fig = line_figure([0, 1, 2], {"a": [0.1, None, 0.3]}, markers=[Marker("view", 1.5)],
                      hlines=[HLine("forecast", 0.2)], title="t")
    rows = _values(fig)
    assert rows == [{"x": 0.0, "y": 0.1, "series": "a"}, {"x": 1.0, "y": None, "series": "a"},
                    {"x": 2.0, "y": 0.3, "series": "a"}]
    assert len(fig.to_dict()["layer"]) == 5  # lines, marker rule + label, hline + label
    with pytest.raises(ValueError, match="one value per x"):
        line_figure([0, 1], {"a": [1.0]})


def test_svg_is_offline_deterministic_and_ids_are_prefixed() -> None:
    fig = line_figure([0, 1], {"a <b>": [0.0, 1.0]}, y_range=(0.0, 1.0))
    svg = fig.to_svg()
    assert svg.startswith("<svg") and svg == fig.to_svg()
    assert "a &lt;b&gt;" in svg and "<b>" not in svg
    assert "http" not in svg.replace("http://www.w3.org", "")
    # the renderer numbers clip paths across calls; the ids are renumbered per chart
    ids = fig.to_svg(uid="c7")
    assert 'id="clip' not in ids and 'id="c7-1"' in ids and "url(#c7-1)" in ids


def test_save_by_suffix_never_overwrites(tmp_path: Path) -> None:
    fig = line_figure([0, 1], {"a": [0.0, 1.0]}, name="demo")
    for suffix, head in ((".svg", b"<svg"), (".png", b"\x89PNG"), (".pdf", b"%PDF"),
                         (".json", b"{"), (".html", b"<!doctype html>")):
        out = fig.save(tmp_path / f"f{suffix}")
        assert out.read_bytes().startswith(head)
    with pytest.raises(InputError, match="exists"):
        fig.save(tmp_path / "f.svg")
    fig.save(tmp_path / "f.svg", force=True)
    with pytest.raises(InputError, match="unknown figure format"):
        fig.save(tmp_path / "f.gif")
    assert list(fig._repr_mimebundle_()) == ["application/vnd.vegalite.v6+json",
                                             "image/svg+xml", "text/plain"]


def test_outcome_curve_follows_the_brinkmanship_closed_form(analysis: ScenarioAnalysis) -> None:
    """q = 0.4.  A hard-line target always defies; a soft one complies when
    q >= q_eff = (W_t - C_t)/(W_t - D_soft) = 3/9 = 1/3, true here.  The threat is
    acceptable when q <= q_acc = 0.375 (1 - p)/p.  At p = 0.3, q_acc = 0.875 >= 0.4: the
    threat is made and war comes when a hard-liner defies and disaster strikes,
    P(war) = p q = 0.12.  At p = 0.7, q_acc = 0.161 < 0.4: the threatener acquiesces at
    once, P(war) = 0.  The switch is at p = 0.375/0.775 = 0.484."""
    [fig] = outcome_curves(analysis, "border")
    rows = _values(fig)
    base = {round(r["x"], 9): r["y"] for r in rows if r["series"] == "war · Base case"}
    assert base[0.3] == pytest.approx(0.12)
    assert base[0.7] == pytest.approx(0.0)
    assert base[0.45] == pytest.approx(0.45 * 0.4) and base[0.5] == pytest.approx(0.0)
    marks = {r["label"]: r["x"] for r in _values(fig, 1)}
    assert marks == {"Base case": 0.3, "Atlantis's view": 0.7}
    with pytest.raises(InputError, match="no outcome curves"):
        outcome_curves(analysis, "nope")


def test_forecast_trajectories(analysis: ScenarioAnalysis) -> None:
    figs = forecast_trajectories(analysis, "buffer")
    assert [f.name for f in figs] == ["Width of the buffer zone: challenge",
                                      "Width of the buffer zone: smp"]
    first = {(r["series"], r["x"]): r["y"] for r in _values(figs[0])}
    assert first["AT", 0.0] == 40 and first["BO", 0.0] == 5  # the stated positions
    with pytest.raises(InputError, match="no forecast trajectories"):
        forecast_trajectories(analysis, "nope")


def test_state_graph_shows_every_state_and_the_equilibria(analysis: ScenarioAnalysis) -> None:
    fig = state_graph(analysis)
    points = _values(fig, 1)
    assert [p["id"] for p in points] == [f"s{k}" for k in range(1, 13)]
    filled = [p["id"] for p in points if p["kind"] == "equilibrium"]
    assert filled == [f"s{s + 1}" for s in analysis.conflict.equilibria("seq")]
    starts = {p["id"]: p["start"] for p in points if p["start"]}
    assert starts == {"s1": "SQ", "s2": "P1"}
    paths = [e for e in _values(fig, 0) if e["path"] == "credible path"]
    assert {e["move"] for e in paths} == {"Borduria: s1 → s5", "Borduria: s2 → s6"}
    with pytest.raises(InputError, match="unknown view"):
        state_graph(analysis, "nope")


def test_text_that_breaks_vega_expressions_is_cleaned() -> None:
    """U+2028 is an illegal token in the expressions Vega-Lite compiles titles into: the
    chart must still render, with the label's other text intact and escaped."""
    label = "a\u2028b\u2029c ' onmouseover='x() <img src=x>"
    svg = line_figure([0, 1], {label: [0.0, 1.0]}, title=label, x_label=label,
                      markers=[Marker(label, 0.5)]).to_svg()
    assert "\u2028" not in svg and "a b c" in svg
    assert "onmouseover='" not in svg and "&#39; onmouseover=&#39;" in svg
    assert "<img" not in svg


def test_regime_map_figure_holds_the_computed_regimes(tmp_path: Path) -> None:
    """The brinkmanship template at its defaults (as in the outcome-curve test above): the
    threatener threatens exactly when the soft target complies (q >= q_eff = 1/3) and the
    risk is acceptable, q <= q_acc = 0.375 (1 - p)/p.  On the 5 x 5 grid over q and p_hard
    that is q = 0.5 at p = 1e-9 and 0.25 (q_acc = 3.7e8, 1.125), q = 0.75 and 1 too: the
    cells the figure marks "threaten" are exactly these, and every cell carries the map's
    own regime."""
    from crisislab.games.regime_map import regime_map
    from crisislab.games.spec import TemplateGameSpec
    from crisislab.report.figures import regime_map_figure

    spec = TemplateGameSpec.model_validate({"id": "border", "template": "brinkmanship",
                                            "players": {"threatener": "AT", "target": "BO"}})
    rmap = regime_map(spec, "q", "p_hard", grid=5)
    fig = regime_map_figure(rmap)
    rows = fig.to_dict()["data"]["values"]
    assert len(rows) == 25
    for r in rows:
        i, j = rmap.x.index(r["x"]), rmap.y.index(r["y"])
        assert r["regime"] == rmap.cells[j][i]
        assert r["what"] == rmap.descriptions[rmap.cells[j][i]]
        assert r["x1"] <= r["x"] <= r["x2"] and r["y1"] <= r["y"] <= r["y2"]
        q, p = r["x"], r["y"]
        threatens = q >= 1 / 3 and q <= 0.375 * (1 - p) / p
        assert ("AT.threaten: threaten" in r["what"]) == threatens
    # the cells tile the parameter ranges exactly
    assert min(r["x1"] for r in rows) == rmap.x[0] and max(r["x2"] for r in rows) == rmap.x[-1]
    assert fig.to_dict()["encoding"]["color"]["scale"]["domain"] == rmap.descriptions
    assert fig.save(tmp_path / "map.svg").read_text().startswith("<svg")


@pytest.mark.skipif(__import__("shutil").which("dot") is None, reason="Graphviz's dot absent")
def test_state_graph_laid_out_by_graphviz(analysis: ScenarioAnalysis) -> None:
    """``layout="graphviz"``: the positions are those ``dot`` gives the same labelled
    states and moves with the drawing's settings (layers left to right), so every
    unilateral improvement (acyclic here: each one raises its mover's payoff and the
    credible paths end in the equilibria) runs left to right, and the credible paths
    from SQ (s1) and P1 (s2) end further right than they start."""
    from crisislab.report.state_graph import layout_positions, node_label

    fig = state_graph(analysis, layout="graphviz")
    points = {p["id"]: (p["col"], p["row"]) for p in _values(fig, 1)}
    lines = _values(fig, 0)
    words = {p["id"]: p["words"] for p in _values(fig, 1)}
    edges = [tuple(e["move"].split(": ", 1)[1].split(" → ")) for e in lines]
    assert points == layout_positions({k: node_label(k, w) for k, w in words.items()},
                                      edges)
    for e, (f, t) in zip(lines, edges, strict=True):
        assert (e["col"], e["row"], e["col2"], e["row2"]) == (*points[f], *points[t])
        assert points[t][0] > points[f][0]
    assert points["s5"][0] > points["s1"][0] and points["s6"][0] > points["s2"][0]
    with pytest.raises(InputError, match="unknown layout"):
        state_graph(analysis, layout="circle")  # type: ignore[arg-type]
