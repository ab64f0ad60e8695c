"""Named outcomes: which class of states (war, deal, ...) each feasible state is in.

A scenario's ``outcomes:`` are formulas over option ids, in order; a state's
outcome is the first whose formula holds.  Every report speaks of states by
these names first and by their ordinal ids second.
"""

from __future__ import annotations

import numpy as np

from crisislab.model.logic import first_match, parse_formula
from crisislab.model.scenario import Scenario
from crisislab.model.states import StateSpace

NO_OUTCOME = -1


def outcome_of_states(scenario: Scenario, space: StateSpace) -> np.ndarray:
    """Outcome position (index into ``scenario.outcomes``) of every feasible state, -1
    for a state no outcome names (graph form: every state is -1)."""
    if space.is_graph_form or not scenario.outcomes:
        return np.full(space.n, NO_OUTCOME, dtype=np.int64)
    formulas = [parse_formula(o.when, space.option_ids) for o in scenario.outcomes]
    return first_match(formulas, space.codes, space.option_index)


def outcome_ids_of_states(scenario: Scenario, space: StateSpace) -> list[str | None]:
    """Outcome id of every feasible state (None where no outcome holds)."""
    ids = scenario.outcome_ids()
    return [ids[k] if k >= 0 else None for k in outcome_of_states(scenario, space).tolist()]
