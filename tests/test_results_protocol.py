"""Every result the Python API returns follows the one result protocol
(:class:`crisislab.results.Result`): provenance, JSON that round-trips, a pandas
table, a compact repr and an HTML view for notebooks."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pandas as pd
import pytest

import crisislab
from crisislab.model.scenario import Scenario
from crisislab.results import Result, compact_repr, html_repr


@pytest.fixture(scope="module")
def korea() -> Scenario:
    return crisislab.load()


def _results(sc: Scenario, pd_sc: Scenario) -> Iterator[tuple[str, object]]:
    yield "stability", crisislab.stability(sc)
    yield "coalition_structure", crisislab.coalition_structure(sc, [["US", "CN"], ["KP"]])
    yield "forecast", crisislab.forecast(sc)
    for g in crisislab.solve(sc):
        yield f"solve:{g.game_id}", g
    yield "analyze_conflict", crisislab.analyze_conflict(pd_sc)
    yield "analyze", crisislab.analyze(pd_sc)
    yield "sweep", crisislab.sweep(sc, samples=8, games=False, forecasts=False)


def test_every_api_result_follows_the_protocol(korea: Scenario) -> None:
    seen = []
    for name, res in _results(korea, crisislab.load("prisoners-dilemma")):
        seen.append(name)
        assert isinstance(res, Result), name
        assert res.provenance.version == crisislab.__version__, name
        text = res.to_json()
        assert text == res.to_json(), name  # deterministic within the process
        data = json.loads(text)
        # to_json is the JSON of to_dict (a ForecastSet writes its bare list)
        expected: object = res.to_dict()
        if isinstance(data, list):
            expected = res.to_dict()["forecasts"]
        assert data == json.loads(json.dumps(expected, sort_keys=True)), name
        assert isinstance(res.to_pandas(), pd.DataFrame), name
        # one line, bounded whatever the size of the result (the Korea model has
        # 186 states; the old repr of an analysis ran to about 900,000 characters)
        r = repr(res)
        assert "\n" not in r and len(r) < 400, (name, len(r))
        assert res._repr_html_().startswith("<"), name
    assert {"stability", "coalition_structure", "forecast", "analyze_conflict",
            "analyze", "sweep"} <= set(seen)
    assert any(n.startswith("solve:") for n in seen)


def test_compact_repr_and_html_escape() -> None:
    assert compact_repr("X", "t", a=1, b=[2]) == "<X 't': a=1, b=[2]>"
    assert compact_repr("X", None) == "<X>"

    class Tagged:
        def __repr__(self) -> str:
            return "<A & B>"

    assert html_repr(Tagged()) == "<pre>&lt;A &amp; B&gt;</pre>"
