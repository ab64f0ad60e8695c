"""Estimating crisis games from outcome data: Signorino's strategic choice models.

Entry points:
    :func:`load_model_text`     read and check a model (YAML text)
    :func:`estimate`            maximum-likelihood fit to a DataFrame of cases
    :func:`case_probabilities`  a fitted model's outcome probabilities at one case
    :func:`case_game`           that case's game as a scenario ``games:`` entry
"""

from crisislab.games.estimate.model import BUILTINS, EstimationTree, StrategicModel
from crisislab.games.estimate.results import EstimationResult
from crisislab.games.estimate.run import case_game, case_probabilities, estimate
from crisislab.games.estimate.spec import LoadedModel, load_model_text

__all__ = ["BUILTINS", "EstimationResult", "EstimationTree", "LoadedModel", "StrategicModel",
           "case_game", "case_probabilities", "estimate", "load_model_text"]

# Reading model and data files: crisislab.formats.estimation (load_model, read_csv,
# estimate_files).
