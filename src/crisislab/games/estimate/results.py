"""What an estimation reports: coefficients, fit, predictions, the baseline beside it."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from crisislab.games.results import tidy
from crisislab.provenance import Provenance, canonical_json


class Coefficient(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str = Field(description="utility:term, e.g. 'u14:regime1dem' (R's u1(war):regime1dem).")
    estimate: float
    std_error: float | None = Field(description="From the inverse of the negative Hessian "
                                                "(as R's games package).")
    robust_std_error: float | None = Field(description="Sandwich (Huber-White).")
    r_name: str | None = Field(default=None, description=(
        "The name R's games package gives the coefficient when the outcome is a factor "
        "with the tree's outcome names as levels (built-in trees only)."))
    z: float | None
    p_value: float | None


class BaselineSummary(BaseModel):
    """The non-strategic multinomial logit on the same cases and regressors."""

    model_config = ConfigDict(frozen=True)

    method: str = "multinomial logit"
    regressors: list[str]
    log_likelihood: float
    n_params: int
    aic: float
    bic: float
    converged: bool
    vuong_z: float | None = Field(default=None, description=(
        "Vuong (1989) z of the strategic model against the baseline, with Schwarz's "
        "correction; positive favours the strategic model."))


class EstimationResult(BaseModel):
    """One fitted strategic choice model."""

    model_config = ConfigDict(frozen=True)

    model: str = Field(description="egame12, egame122, egame123 or 'tree'.")
    tree: list[dict[str, Any]]
    outcomes: list[str]
    link: str
    errors: str
    utilities: dict[str, dict[str, str]] = Field(
        description="label -> {actor, outcome, formula}.")
    levels: dict[str, list[str]] = Field(description="Factor levels (first = reference).")
    n: int
    dropped: int = Field(description="Rows dropped for a missing value in a used column.")
    coefficients: list[Coefficient]
    log_likelihood: float
    aic: float
    bic: float
    converged: bool
    iterations: int
    message: str
    warnings: list[str]
    observed_shares: dict[str, float]
    predicted: list[dict[str, float]] = Field(
        description="Per case used: data row (1-based, header excluded) and P(outcome).")
    baseline: BaselineSummary | None
    provenance: Provenance

    def coefficient_map(self) -> dict[str, float]:
        return {c.name: c.estimate for c in self.coefficients}

    def to_json(self) -> str:
        return canonical_json(self.model_dump(mode="json"))


def tidy_or_none(x: float | None) -> float | None:
    if x is None:
        return None
    import math

    return tidy(x) if math.isfinite(x) else None
