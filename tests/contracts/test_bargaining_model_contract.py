"""The contract every negotiation model must honour (in the style of Axelrod's shared
player tests): each model in ``crisislab.bargaining.MODELS`` is checked here.

- Relabelling: renaming the actors renames the answer and changes nothing else;
  listing them in another order changes no forecast.
- Determinism: the same issue gives the same JSON, byte for byte.
- Provenance: the model, its parameters and the version are recorded.
- JSON round trip: the JSON reads back into an equal result and writes the same bytes.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

import crisislab
from crisislab.bargaining import (
    MODELS,
    ChallengeOptions,
    Forecast,
    IssueArrays,
    SMPOptions,
    challenge_model,
    compromise,
    median,
    nash_bargaining,
    smp_model,
)

# Generic inputs (no two actors tied in any respect), so no answer may depend on
# how a model breaks exact ties by the order actors are listed in.
NAMES = ("Alpha", "Bravo", "Charlie", "Delta", "Echo")
RENAMED = ("Zulu", "Yankee", "Xray", "Whiskey", "Victor")
POSITIONS = [12.5, 31.0, 47.25, 71.5, 93.0]
SALIENCE = [0.9, 0.35, 0.6, 0.8, 0.45]
CAPABILITY = [40.0, 85.0, 22.0, 63.0, 51.0]


def issue(names: tuple[str, ...] = NAMES, order: tuple[int, ...] = (0, 1, 2, 3, 4)) -> IssueArrays:
    idx = list(order)
    return IssueArrays(
        issue="contract", actors=tuple(names[k] for k in idx), dimensions=("d",),
        positions=np.array(POSITIONS)[idx, None], salience=np.array(SALIENCE)[idx, None],
        capability=np.array(CAPABILITY)[idx], lower=np.array([0.0]), upper=np.array([100.0]))


def run(model: str, arr: IssueArrays) -> Forecast:
    if model == "challenge":
        return challenge_model(arr, ChallengeOptions(max_rounds=20))
    if model == "smp":
        return smp_model(arr, SMPOptions(max_iter=20))
    return {"compromise": compromise, "median": median, "nash": nash_bargaining}[model](arr)


@pytest.fixture(scope="module", params=MODELS)
def model(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="module")
def forecast(model: str) -> Forecast:
    return run(model, issue())


def _renamed(text: str) -> str:
    for old, new in zip(NAMES, RENAMED, strict=True):
        text = text.replace(f'"{old}"', f'"{new}"')
    return text


def test_every_model_is_under_contract() -> None:
    assert set(MODELS) == {"compromise", "median", "nash", "challenge", "smp"}


def test_renaming_actors_renames_the_answer_only(model: str, forecast: Forecast) -> None:
    other = run(model, issue(RENAMED))
    assert json.loads(_renamed(forecast.to_json())) == json.loads(other.to_json())


def test_listing_order_changes_no_forecast(model: str, forecast: Forecast) -> None:
    reordered = run(model, issue(order=(3, 0, 4, 2, 1)))
    assert reordered.forecast == pytest.approx(forecast.forecast, abs=1e-9)
    assert len(reordered.rounds) == len(forecast.rounds)
    if not forecast.rounds:  # one-shot benchmarks report no rounds
        return
    final, other = forecast.rounds[-1].positions, reordered.rounds[-1].positions
    assert set(final) == set(other)
    for actor, pos in final.items():
        assert other[actor] == pytest.approx(pos, abs=1e-9), actor


def test_same_issue_same_bytes(model: str, forecast: Forecast) -> None:
    assert run(model, issue()).to_json() == forecast.to_json()


def test_provenance_names_model_parameters_and_version(model: str, forecast: Forecast) -> None:
    prov = forecast.provenance
    assert forecast.model == model
    assert prov.method.startswith("bargaining.")
    assert prov.version == crisislab.__version__
    assert prov.scenario == "contract"
    if model in ("challenge", "smp"):
        assert prov.parameters, "an iterated model records its options"


def test_json_round_trip(forecast: Forecast) -> None:
    text = forecast.to_json()
    back = Forecast.model_validate_json(text)
    assert back == forecast
    assert back.to_json() == text
