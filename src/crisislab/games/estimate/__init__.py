"""Estimating crisis games from outcome data: Signorino's strategic choice models.

Entry points:
    :func:`load_model`          read and check a model file (YAML)
    :func:`estimate`            maximum-likelihood fit to a CSV file or DataFrame
    :func:`case_probabilities`  a fitted model's outcome probabilities at one case
    :func:`case_game`           that case's game as a scenario ``games:`` entry
"""

from crisislab.games.estimate.model import BUILTINS, EstimationTree, StrategicModel
from crisislab.games.estimate.results import EstimationResult
from crisislab.games.estimate.run import case_game, case_probabilities, estimate, load_model
from crisislab.games.estimate.spec import LoadedModel, load_model_text

__all__ = ["BUILTINS", "EstimationResult", "EstimationTree", "LoadedModel", "StrategicModel",
           "case_game", "case_probabilities", "estimate", "load_model", "load_model_text"]
