"""What ``crisislab estimate`` computes after the fit: one case's outcome probabilities
and the game the fit implies for that case (fitting itself reads files, in
:mod:`crisislab.formats.estimation`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from crisislab.games.estimate.results import EstimationResult


def case_outcomes(result: EstimationResult, covariates: Mapping[str, Any]) -> dict[str, float]:
    """The fitted model's outcome probabilities for one case's covariates."""
    from crisislab.games.estimate.run import case_probabilities

    return case_probabilities(result, covariates)


def case_game_entry(result: EstimationResult, covariates: Mapping[str, Any], *, game_id: str,
                    actors: Mapping[str, str]) -> dict[str, Any]:
    """A scenario ``games:`` entry with the fitted utilities at one case, its players
    renamed to the scenario's actors, so ``crisislab solve`` can take the fit further."""
    from crisislab.games.estimate.run import case_game

    return case_game(result, covariates, game_id=game_id, actors=actors)
