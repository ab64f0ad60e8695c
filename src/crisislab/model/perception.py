"""Which states each actor perceives (hypergames with unperceived states).

A perception lens may list states its holder does not perceive (Wang, Hipel &
Fraser 1988; the ``misperceptions`` of gmcr-py files).  This module turns those
references into boolean masks over the feasible states; the conflict engine
(:mod:`crisislab.conflict.perception`) removes the moves they forbid.
"""

from __future__ import annotations

import numpy as np

from crisislab.model.lenses import perception_lens
from crisislab.model.scenario import Lens, Scenario, StateFormula, UnperceivedRef
from crisislab.model.states import StateRefError, StateSpace


def unperceived_ref_mask(space: StateSpace, ref: UnperceivedRef) -> np.ndarray:
    """States named by one ``unperceived`` entry (raises StateRefError or ValueError)."""
    mask = np.zeros(space.n, dtype=bool)
    if isinstance(ref, StateFormula):
        if space.is_graph_form:
            raise StateRefError("a formula needs option form",
                                "graph-form state ids in a graph-form scenario")
        mask |= space.truth(ref.formula)
        return mask
    mask[space.resolve(ref)] = True
    return mask


def unperceived_mask(space: StateSpace, lens: Lens | None) -> np.ndarray:
    """States the lens's holder does not perceive (all False without a lens)."""
    mask = np.zeros(space.n, dtype=bool)
    if lens is not None:
        for ref in lens.unperceived:
            mask |= unperceived_ref_mask(space, ref)
    return mask


def unperceived_by_actor(scenario: Scenario, space: StateSpace) -> dict[str, np.ndarray]:
    """For each actor with a perception lens that hides states: the hidden states.

    An actor's perception is its first perception lens, as in the hypergame.
    """
    out: dict[str, np.ndarray] = {}
    for actor in scenario.actor_ids():
        lens = perception_lens(scenario, actor)
        if lens is not None and lens.unperceived:
            mask = unperceived_mask(space, lens)
            if mask.any():
                out[actor] = mask
    return out
