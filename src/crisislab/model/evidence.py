"""Evidence carried by every judgement in a scenario, shared by all its sections.

Every element that encodes a judgement — an option, a preference statement, a
lens override, a game parameter, a stakeholder's position — may say where it
comes from: ``source`` (the id of an entry in ``metadata.sources``) with a
short ``quote``, or an ``assumption`` that says plainly that it is the
analyst's own.  Reports show it next to every conclusion that depends on it.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

ID_PATTERN = r"^[A-Za-z_][A-Za-z0-9_.\-]*$"


class Strict(BaseModel):
    """Immutable, and unknown fields are errors (a typo must not pass silently)."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Evidence(Strict):
    """Where a judgement comes from."""

    source: str | None = Field(default=None, description="Id of an entry in metadata.sources.")
    quote: str | None = Field(default=None, description="Short quote of the evidence.")
    assumption: str | None = Field(
        default=None, description="Plain statement that this is an analyst's assumption."
    )

    def evidence_text(self) -> str | None:
        if self.quote:
            return f"'{self.quote}'"
        if self.assumption:
            return f"analyst's assumption: {self.assumption}"
        return None
