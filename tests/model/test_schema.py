"""The published JSON Schema is a valid schema and accepts the built-in scenarios."""

from __future__ import annotations

from importlib import resources

import jsonschema
import pytest
from ruamel.yaml import YAML

from crisislab.model.io import builtin_names
from crisislab.model.schema import scenario_schema


def test_schema_is_valid_draft_2020_12():
    jsonschema.Draft202012Validator.check_schema(scenario_schema())


@pytest.mark.parametrize("name", builtin_names())
def test_builtin_scenarios_validate_against_the_schema(name):
    text = resources.files("crisislab.scenarios").joinpath(f"{name}.yaml").read_text()
    data = YAML(typ="safe").load(text)
    jsonschema.Draft202012Validator(scenario_schema()).validate(data)


def test_schema_rejects_an_unknown_reversibility():
    data = {"metadata": {"title": "t"}, "actors": [{"id": "A", "name": "A"}],
            "options": [{"id": "x", "label": "x", "owner": "A", "reversibility": "maybe"}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(scenario_schema()).validate(data)
