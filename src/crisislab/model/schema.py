"""The published JSON Schema of scenario files, generated from the model."""

from __future__ import annotations

from typing import Any

from crisislab._version import __version__
from crisislab.model.scenario import Scenario


def scenario_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) describing a crisislab scenario file."""
    schema = Scenario.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://crisislab.invalid/schema/scenario-{__version__}.json"
    schema["title"] = "crisislab scenario"
    schema["description"] = (
        "A crisis as data: actors, options, feasibility, preferences, status quo, policies, "
        "lenses, and optional games and negotiation issues."
    )
    return schema
