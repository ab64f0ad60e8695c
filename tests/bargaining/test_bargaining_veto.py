"""The Nash bargaining result names every stakeholder whose ideal is the disagreement
point (a veto), and the terminal forecast says so in one line."""

from __future__ import annotations

import numpy as np
import pytest
from typer.testing import CliRunner

from crisislab.bargaining import nash_bargaining
from crisislab.bargaining.spec import IssueArrays
from crisislab.cli.main import app


def _arr(positions: list[float], status_quo: float | None) -> IssueArrays:
    n = len(positions)
    return IssueArrays(issue="t", actors=tuple("ABC"[:n]), dimensions=("d",),
                       positions=np.array([[p] for p in positions]),
                       salience=np.ones((n, 1)), capability=np.ones(n),
                       lower=np.array([0.0]), upper=np.array([100.0]),
                       status_quo=None if status_quo is None else np.array([status_quo]))


def test_ideal_at_the_status_quo_is_a_veto():
    # A sits at the status quo 50: u_A(50) = 1 is its maximum, so u_A(x) - d_A <= 0
    # for every x and no point gives A a gain; A alone blocks every bargain.
    f = nash_bargaining(_arr([50.0, 100.0], 50.0))
    assert f.veto == ["A"]
    assert f.stop_reason == "no bargain" and f.forecast == [50.0]


def test_no_veto_when_every_ideal_differs_from_the_disagreement_point():
    # Status quo 0, ideals 40 and 100: neither ideal is at 0, both gain from moving
    # right.  Without a status quo each disagreement point is the farther end of the
    # scale (A at 40: 100; B at 100: 0), never an ideal.
    assert nash_bargaining(_arr([40.0, 100.0], 0.0)).veto == []
    assert nash_bargaining(_arr([40.0, 100.0], None)).veto == []


def test_forecast_prints_the_veto_line():
    res = CliRunner().invoke(app, ["forecast", "korea-2017", "--issue", "sanctions_intensity",
                                   "--model", "nash", "--lens", "base"],
                             env={"COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    # China's position on sanctions (50) is the issue's status quo (50).
    assert "veto: CN on sanctions_intensity" in res.output
    assert "(views: base)" in res.output


@pytest.mark.parametrize("sq", [10.0, 90.0])
def test_veto_names_each_actor_at_the_status_quo(sq):
    f = nash_bargaining(_arr([sq, sq, 50.0], sq))
    assert f.veto == ["A", "B"]
