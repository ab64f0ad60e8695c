"""The contract every game template must honour (in the style of Axelrod's shared
player tests): a new template registered in ``TEMPLATES`` is checked here without
writing a test of its own.

- Relabelling: renaming the actors (in reverse alphabetical order, so no result may
  lean on the order of names) renames the answer and changes nothing else.
- Determinism: the same specification gives the same JSON, byte for byte.
- Provenance: the method, the template, every resolved parameter and the version.
- JSON round trip: the JSON reads back into an equal result and writes the same bytes.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import pytest

import crisislab
from crisislab.games.results import GameSolution
from crisislab.games.solve import solve_game
from crisislab.games.templates import TEMPLATES
from crisislab.model.game_spec import TemplateGameSpec

FIRST = ("Alpha", "Bravo", "Charlie")
SECOND = ("Yankee", "Xray", "Whiskey")  # reverse alphabetical order


def _spec(name: str, names: tuple[str, ...]) -> TemplateGameSpec:
    roles = TEMPLATES[name].roles
    return TemplateGameSpec(id=name, template=name, players=dict(zip(roles, names, strict=False)),
                            parameters={})


def _rename(value: Any, mapping: Mapping[str, str]) -> Any:
    if isinstance(value, str):
        for old, new in mapping.items():
            value = value.replace(old, new)
        return value
    if isinstance(value, dict):
        return {_rename(k, mapping): _rename(v, mapping) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_rename(v, mapping) for v in value]
    return value


def _close(a: Any, b: Any, path: str = "") -> None:
    if isinstance(a, dict):
        assert isinstance(b, dict) and set(a) == set(b), (path, sorted(a), sorted(b))
        for k in a:
            _close(a[k], b[k], f"{path}.{k}")
    elif isinstance(a, list):
        assert isinstance(b, list) and len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _close(x, y, f"{path}[{i}]")
    elif isinstance(a, float) and isinstance(b, float):
        assert a == pytest.approx(b, abs=1e-9), path
    else:
        assert a == b, path


@pytest.fixture(scope="module", params=sorted(TEMPLATES))
def template_name(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="module")
def solution(template_name: str) -> GameSolution:
    return solve_game(_spec(template_name, FIRST))


def test_relabelling_renames_the_answer_and_changes_nothing_else(
        template_name: str, solution: GameSolution) -> None:
    renamed = solve_game(_spec(template_name, SECOND))
    mapping = dict(zip(FIRST, SECOND, strict=True))
    before = _rename(json.loads(solution.to_json()), mapping)
    after = json.loads(renamed.to_json())
    for doc in (before, after):  # the game's id and the chosen names are inputs, not results
        doc["provenance"]["parameters"].pop("game", None)
    _close(before, after)


def test_same_specification_same_bytes(template_name: str, solution: GameSolution) -> None:
    assert solve_game(_spec(template_name, FIRST)).to_json() == solution.to_json()


def test_provenance_names_method_template_parameters_and_version(
        template_name: str, solution: GameSolution) -> None:
    prov = solution.provenance
    assert prov is not None and prov.method.startswith("games.")
    assert prov.version == crisislab.__version__
    assert prov.parameters["template"] == template_name
    resolved = TEMPLATES[template_name].resolve({})
    assert prov.parameters["values"] == resolved
    assert set(resolved) == set(TEMPLATES[template_name].parameters)


def test_json_round_trip(solution: GameSolution) -> None:
    text = solution.to_json()
    back = GameSolution.model_validate_json(text)
    assert back == solution
    assert back.to_json() == text
    assert solution.equilibria, "a template's game always has an equilibrium to report"
