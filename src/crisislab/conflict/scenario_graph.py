"""The conflict engine's input compiled from a scenario: its :class:`ConflictGraph`.

The model enumerates feasible states and preference vectors
(:mod:`crisislab.model.states`); the conflict engine turns them into its own
input, the sparse move matrices of a graph model.  The model imports no engine.
"""

from __future__ import annotations

from crisislab.conflict.graph import ConflictGraph
from crisislab.conflict.moves import graph_moves, option_moves
from crisislab.model.scenario import Scenario
from crisislab.model.states import StateSpace, payoff_matrix, state_space


def build_graph(scenario: Scenario, space: StateSpace | None = None) -> ConflictGraph:
    """The engine-facing graph model of a (validated) scenario."""
    space = space or state_space(scenario)
    payoffs = payoff_matrix(scenario, space)
    if scenario.graph is not None:
        pos = {name: i for i, name in enumerate(space.names or ())}
        edges = [[(pos[a], pos[b]) for a, b in scenario.graph.moves.get(actor, [])]
                 for actor in space.actors]
        moves = graph_moves(space.n, edges)
        return ConflictGraph(space.actors, space.codes, tuple(moves), payoffs, space.names)
    masks = tuple(space.owner_mask(a) for a in space.actors)
    once = sum(1 << k for k, o in enumerate(scenario.options) if o.reversibility == "once")
    drop = sum(1 << k for k, o in enumerate(scenario.options) if o.reversibility == "drop_only")
    moves = option_moves(space.codes, masks, once, drop)
    return ConflictGraph(space.actors, space.codes, tuple(moves), payoffs, None, masks)
