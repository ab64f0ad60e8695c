"""Provenance carried by every engine result.

Every figure crisislab reports must be reproducible: the result records which
method produced it, with which parameters, under which lens, by which version
of crisislab and with which random seed.  Engines build a :class:`Provenance`
and attach it to their result; reports only display it.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from crisislab._version import __version__


class Provenance(BaseModel):
    """Where a result came from."""

    model_config = ConfigDict(frozen=True)

    method: str = Field(description="Name of the method, e.g. 'gmcr.stability'.")
    parameters: dict[str, Any] = Field(default_factory=dict)
    lens: str | None = Field(default=None, description="Lens applied, or None for the base case.")
    version: str = Field(default=__version__, description="crisislab version.")
    seed: int | None = Field(default=None, description="Random seed, if the method is stochastic.")
    scenario: str | None = Field(default=None, description="Scenario id or title.")


def canonical_json(data: Any) -> str:
    """Serialise ``data`` deterministically: sorted keys, fixed separators, UTF-8.

    Same input and seed must give byte-identical JSON, so every JSON output of
    crisislab goes through this function.
    """
    return json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def fixed(x: float) -> float:
    """Floats in the JSON are rounded to 12 significant digits, so the same input gives
    byte-identical output on every platform and process."""
    return float(f"{x:.12g}")
