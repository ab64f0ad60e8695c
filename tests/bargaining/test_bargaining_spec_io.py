"""Issue specs, lens overrides, KTAB CSV import/export, benchmarks, korea-2017 issues."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from pydantic import ValidationError
from ruamel.yaml import YAML

from case_facts import load_facts
from crisislab.bargaining import (
    MODELS,
    IssueArrays,
    IssueSpec,
    apply_issue_overrides,
    compromise,
    forecast_issue,
    forecast_scenario,
    issue_arrays,
    median,
    nash_bargaining,
    trajectory_chart_data,
    trajectory_svg,
)
from crisislab.errors import InputError
from crisislab.formats.ktab_csv import read_ktab_csv, write_ktab_csv

KOREA = (Path(__file__).resolve().parents[2] / "src" / "crisislab" / "scenarios"
         / "korea-2017.yaml")


def _issue(**extra) -> IssueSpec:
    data = {"id": "tax", "label": "Tax rate", "scale": {"min": 0, "max": 10},
            "positions": {"A": {"position": 2, "salience": 50, "capability": 1},
                          "B": {"position": 8, "salience": 100, "capability": 3}}}
    data.update(extra)
    return IssueSpec.model_validate(data)


def test_spec_rejects_positions_off_the_scale():
    with pytest.raises(ValidationError, match="outside the scale"):
        _issue(positions={"A": {"position": 12, "salience": 5, "capability": 1}})


def test_spec_rejects_wrong_dimension_count():
    with pytest.raises(ValidationError, match="dimension"):
        _issue(scale=None, dimensions=[{"id": "x", "label": "x"}, {"id": "y", "label": "y"}])


def test_issue_only_stakeholders_and_unknown_actors():
    spec = _issue(stakeholders=[{"id": "B", "name": "Bee"}])
    assert spec.check_actors(["A"]) == []
    problems = spec.check_actors(["X"])
    assert [p.value for p in problems] == ["A"]
    assert "stakeholders" in (problems[0].expected or "")


def test_lens_overrides_change_only_named_fields():
    spec = _issue()
    seen = apply_issue_overrides(spec, {"B": {"position": 5, "assumption": "as A sees it"}})
    assert seen.positions["B"].position == 5
    assert seen.positions["B"].capability == 3
    assert seen.positions["B"].assumption == "as A sees it"
    assert spec.positions["B"].position == 8          # the base case is untouched
    with pytest.raises(InputError, match="holds no position"):
        apply_issue_overrides(spec, {"Z": {"position": 1}})
    with pytest.raises(InputError, match="unknown field"):
        apply_issue_overrides(spec, {"A": {"resolve": 1}})
    with pytest.raises(InputError, match="invalid"):
        apply_issue_overrides(spec, {"A": {"position": 99}})


def test_benchmarks_by_hand():
    arr = issue_arrays(_issue())
    # weights c*s: A 0.5, B 3.0 -> mean (0.5*2 + 3*8) / 3.5 = 25/3.5
    assert compromise(arr).forecast[0] == pytest.approx(25 / 3.5)
    assert median(arr).forecast[0] == 8.0


def test_nash_bargaining_by_hand():
    # Two actors at 0 and 10 on [0, 10], linear utilities, disagreement at the
    # worst point (u = 0): maximise w_A log(1 - x/10) + w_B log(x/10):
    # x* = 10 w_B / (w_A + w_B).  Weights 1 and 3 -> 7.5.
    arr = IssueArrays(issue="t", actors=("A", "B"), dimensions=("d",),
                      positions=np.array([[0.0], [10.0]]), salience=np.array([[1.0], [1.0]]),
                      capability=np.array([1.0, 3.0]), lower=np.array([0.0]),
                      upper=np.array([10.0]))
    assert nash_bargaining(arr, utility="linear").forecast[0] == pytest.approx(7.5, abs=1e-6)
    # quadratic: w_A/(1 - t^2)... gains u_A = 1 - t^2 (worst 1 -> 0), u_B = 1 - (1-t)^2;
    # symmetric weights -> t = 0.5 by symmetry
    sym = IssueArrays(issue="t", actors=("A", "B"), dimensions=("d",),
                      positions=arr.positions, salience=arr.salience,
                      capability=np.array([2.0, 2.0]), lower=arr.lower, upper=arr.upper)
    assert nash_bargaining(sym).forecast[0] == pytest.approx(5.0, abs=1e-6)
    # the NBS is not the weighted mean: with three actors they differ
    three = IssueArrays(issue="t", actors=("A", "B", "C"), dimensions=("d",),
                        positions=np.array([[0.0], [2.0], [10.0]]),
                        salience=np.ones((3, 1)), capability=np.array([1.0, 1.0, 1.0]),
                        lower=arr.lower, upper=arr.upper)
    assert abs(nash_bargaining(three).forecast[0] - compromise(three).forecast[0]) > 0.1


def test_nash_with_status_quo_that_nobody_can_improve():
    # Actors on both sides of the status quo in one dimension: every move hurts
    # someone, so there is no bargain and the forecast is the status quo.
    spec = _issue(status_quo=5)
    f = nash_bargaining(issue_arrays(spec))
    assert f.forecast[0] == pytest.approx(5.0, abs=1e-3)


def test_ktab_csv_reads_trailing_commas_and_round_trips():
    text = ("Scen, A test, 2, 2,\n"
            "Actor,Description,Influence,Pol Position,Pol Salience,Comp Position,Comp Salience,\n"
            "XJ,Xi,100.0,30,24.0,20,48.0,\n"
            "LK,Li,60.2,45,44.7,65,41.3,\n")
    spec = read_ktab_csv(text, file="t.csv")
    assert spec.dimension_ids() == ["Pol_Position", "Comp_Position"]
    assert spec.positions["LK"].position == [45.0, 65.0]
    back = read_ktab_csv(write_ktab_csv(spec))
    for a in spec.positions:
        assert back.positions[a].position == spec.positions[a].position
        assert back.positions[a].salience == spec.positions[a].salience
        assert back.positions[a].capability == spec.positions[a].capability


@pytest.mark.parametrize(("text", "line", "column", "message"), [
    ("S, d, 1, 1,\nActor,Desc,Infl,P,S,\nA, a, ten, 5, 5,\n", 3, 7, "not a number"),
    ("S, d, 1, 1,\nActor,Desc,Infl,P,S,\nA, a, 10, 150, 5,\n", 3, 11, "out of range"),
    ("S, d, 2, 1,\nActor,Desc,Infl,P,S,\nA, a, 10, 50, 5,\n", 1, 7, "announces 2 actors"),
    ("S, d, x, 1,\nActor,Desc,Infl,P,S,\n", 1, 7, "not a number"),
])
def test_ktab_csv_errors_carry_line_and_column(text, line, column, message):
    with pytest.raises(InputError) as err:
        read_ktab_csv(text, file="bad.csv")
    p = err.value.problems[0]
    assert (p.file, p.line, p.column) == ("bad.csv", line, column)
    assert message in p.message


def test_shipped_ktab_files_import():
    # KTAB's SOE-Pol-Comp.csv as shipped (tests/cases/bargaining/ktab_2017_reference.yaml):
    # line 1 announces 13 actors and 2 dimensions; XJ (Xi Jinping) has influence 100.0.
    case = load_facts("bargaining/ktab_2017_reference.yaml")["cases"][0]
    spec = read_ktab_csv(case["input_csv"], file="SOE-Pol-Comp.csv")
    assert len(spec.positions) == 13
    assert spec.positions["XJ"].capability == 100


def _korea():
    return YAML(typ="safe").load(KOREA.read_text())


def test_korea_issues_are_complete_and_justified():
    data = _korea()
    ids = [i["id"] for i in data["issues"]]
    assert {"sanctions_intensity", "sequencing"} <= set(ids)
    for raw in data["issues"]:
        spec = IssueSpec.model_validate(raw)
        assert set(spec.positions) == {"US", "CN", "KP", "KR", "JP", "RU"}
        assert spec.check_actors(["US", "CN", "KP"]) == []
        for actor, p in spec.positions.items():
            assert p.quote or p.assumption, (spec.id, actor)


def test_korea_lenses_change_the_forecasts():
    data = _korea()

    class Lens:
        def __init__(self, lens_id, issues):
            self.id, self.issues = lens_id, issues

    class Scenario:
        def __init__(self):
            self.issues = data["issues"]
            self.lenses = [Lens(lz["id"], lz["issues"]) for lz in data["lenses"]
                           if lz.get("issues")]

    fs = forecast_scenario(Scenario(), lenses=[None, "beijing", "washington"])
    assert len(fs.forecasts) == 2 * 3 * len(MODELS)
    table = fs.to_pandas()
    comp = table[(table.model == "compromise") & (table.issue == "sanctions_intensity")]
    base = comp[comp.lens.isna()].forecast.iloc[0]
    beijing = comp[comp.lens == "beijing"].forecast.iloc[0]
    assert beijing < base          # Beijing's view of Pyongyang's clout pulls toward relief
    with pytest.raises(InputError, match="unknown lens"):
        forecast_scenario(Scenario(), lenses=["nobody"])
    with pytest.raises(InputError, match="unknown issue"):
        forecast_scenario(Scenario(), issues=["nope"])


def test_forecast_results_table_json_and_chart():
    spec = IssueSpec.model_validate(_korea()["issues"][0])
    f = forecast_issue(spec, "challenge", lens=None)
    df = f.to_pandas()
    assert set(df.actor) == set(spec.positions)
    assert df["round"].max() == len(f.rounds) - 1
    assert f.to_json() == forecast_issue(spec, "challenge").to_json()
    data = trajectory_chart_data(f)
    assert data["rounds"][0] == 0 and len(data["series"]) == 6 + 2
    svg = trajectory_svg(f)
    assert svg.startswith("<svg") and "<script" not in svg
    with pytest.raises(InputError, match="unknown negotiation model"):
        forecast_issue(spec, "oracle")
    with pytest.raises(InputError, match="invalid options"):
        forecast_issue(spec, "challenge", options={"octants": "sideways"})
