"""A sweep's sensitivity charts: the figures carry the sweep's own numbers.

The scenario is the shared two-actor case (``uncertainty_cases.TWO``): game g's
P(war) = p, with the prior p uniform on [0.2, 0.8].  Moving p alone from its 10th to
its 90th percentile moves P(war) from 0.2 + 0.1 * 0.6 = 0.26 to 0.2 + 0.9 * 0.6 = 0.74,
with 0.5 at the median: the tornado bar of p spans [0.26, 0.74] around 0.5.  All of
P(war)'s variance is p's, so p carries the Sobol indices and A's statement none.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner
from uncertainty_cases import TWO

from crisislab.cli.main import app
from crisislab.compare.sweep import sweep
from crisislab.errors import InputError
from crisislab.formats.scenario import load_text
from crisislab.report.figures import (
    Figure,
    sensitivity_figures,
    sobol_figure,
    tornado_figure,
)
from crisislab.uncertainty.results import SweepResult

WAR = "game:g:status_quo:base:war"


@pytest.fixture(scope="module")
def sobol_sweep() -> SweepResult:
    return sweep(load_text(TWO, "two.yaml"), samples=64, seed=1, method="sobol")


def _layer(fig: Figure, k: int) -> list[dict]:
    """The data of layer ``k`` (Altair lifts data the layers share to the top)."""
    spec = fig.to_dict()
    return spec["layer"][k].get("data", spec.get("data"))["values"]


def test_tornado_figure_holds_the_one_at_a_time_ranges(sobol_sweep: SweepResult) -> None:
    c = sobol_sweep.conclusion(WAR)
    fig = tornado_figure(sobol_sweep, WAR)
    rows = _layer(fig, 0)
    assert [(r["input"], r["low"], r["high"], r["base"]) for r in rows] == \
        [(b.input, b.low, b.high, b.base) for b in c.tornado]
    [prior] = [r for r in rows if r["input"] == "prior"]
    assert prior["low"] == pytest.approx(0.26) and prior["high"] == pytest.approx(0.74)
    assert prior["low_value"] == "0.26" and prior["high_value"] == "0.74"
    assert _layer(fig, 2) == [{"base": pytest.approx(0.5)}]  # every input at its median
    spec = fig.to_dict()
    assert spec["layer"][0]["encoding"]["x"]["title"] == "P(war)"
    assert spec["title"]["text"] == c.text
    assert fig.to_svg().startswith("<svg")


def test_sobol_figure_holds_the_indices(sobol_sweep: SweepResult) -> None:
    c = sobol_sweep.conclusion(WAR)
    rows = _layer(sobol_figure(sobol_sweep, WAR), 0)
    got = {(r["input"], r["index"]): (r["value"], r["conf"]) for r in rows}
    for s in c.sobol:
        assert got[s.input, "S1"] == (s.s1, s.s1_conf)
        assert got[s.input, "ST"] == (s.st, s.st_conf)
    assert rows[0]["input"] == "prior"  # largest ST first
    assert got["prior", "ST"][0] > 0.8 and got["likes_a", "ST"][0] < 0.1
    r = next(r for r in rows if r["input"] == "prior" and r["index"] == "S1")
    assert (r["low"], r["high"]) == (r["value"] - r["conf"], r["value"] + r["conf"])


def test_sensitivity_figures_of_the_uncertain_conclusions(sobol_sweep: SweepResult) -> None:
    from crisislab.report.sweep_terminal import uncertain_conclusions

    figs = sensitivity_figures(sobol_sweep)
    names = [f.name for f in figs]
    for c in uncertain_conclusions(sobol_sweep):
        assert f"{c.id}: tornado" in names and f"{c.id}: Sobol indices" in names
    assert [f.name for f in sensitivity_figures(sobol_sweep, WAR)] == \
        [f"{WAR}: tornado", f"{WAR}: Sobol indices"]


def test_errors_name_the_conclusion_and_the_missing_run() -> None:
    lhs = sweep(load_text(TWO, "two.yaml"), samples=16, seed=1)
    with pytest.raises(InputError, match="no Sobol indices"):
        sobol_figure(lhs, WAR)
    with pytest.raises(InputError, match="no such conclusion"):
        tornado_figure(lhs, "game:g:nope")
    bare = sweep(load_text(TWO, "two.yaml"), samples=16, seed=1, tornado_chart=False)
    with pytest.raises(InputError, match="no one-at-a-time"):
        tornado_figure(bare, WAR)


def test_sweep_figures_from_the_command_line(tmp_path: Path) -> None:
    src = tmp_path / "two.yaml"
    src.write_text(TWO, encoding="utf-8")
    out = tmp_path / "figs"
    res = CliRunner().invoke(app, ["sweep", str(src), "-n", "16", "--seed", "1",
                                   "--figures", str(out), "--format", "json"])
    assert res.exit_code == 0, res.output
    assert (out / "game-g-status-quo-base-war-tornado.json").exists()
    bad = CliRunner().invoke(app, ["sweep", str(src), "--figures", str(out),
                                   "--format", "gif"])
    assert bad.exit_code == 2 and "unknown figure format" in bad.output
