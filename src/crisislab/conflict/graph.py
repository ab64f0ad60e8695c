"""The graph model handed to the conflict engines.

A :class:`ConflictGraph` is the engine-facing form of a conflict: feasible
states numbered 0..n-1, one sparse boolean move matrix per decision maker
(row s holds the states that DM reaches from s in one move) and one payoff
vector per DM (higher is more preferred, equal values are indifference).  It
is built from a scenario by :mod:`crisislab.model.states`, or directly in
tests and benchmarks.  Engines never look at option labels or files.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp


@dataclass(frozen=True, eq=False)
class ConflictGraph:
    """States, moves and preferences of a graph-model conflict.

    Attributes:
        actors: decision-maker ids, in declared order.
        codes: decimal code of each state (sum of option_k * 2**k for option
            form; 0..n-1 for graph form), ascending for option form.
        moves: one ``scipy.sparse.csr_array`` of shape (n, n) and dtype bool
            per actor; ``moves[i][s, t]`` is true when actor i can move from
            state s to state t in one move.  No self loops.
        payoffs: array (n_actors, n_states) of floats; actor i prefers s to t
            iff ``payoffs[i, s] > payoffs[i, t]``.
        names: optional human-readable state names (graph form).
        owner_masks: option form only: for each actor, the bit mask of the
            options it owns in ``codes``.  Needed where moves of several
            actors are combined (simultaneous sanctioning); None in graph form.
    """

    actors: tuple[str, ...]
    codes: np.ndarray
    moves: tuple[sp.csr_array, ...]
    payoffs: np.ndarray
    names: tuple[str, ...] | None = field(default=None)
    owner_masks: tuple[int, ...] | None = field(default=None)

    @property
    def n_states(self) -> int:
        """Number of states."""
        return int(self.codes.shape[0])

    @property
    def n_actors(self) -> int:
        """Number of actors."""
        return len(self.actors)

    def actor_index(self, actor: str) -> int:
        """Position of ``actor`` in :attr:`actors`."""
        return self.actors.index(actor)

    def with_payoffs(self, payoffs: np.ndarray) -> ConflictGraph:
        """Same states and moves, other preferences (used by lenses and hypergames)."""
        return ConflictGraph(self.actors, self.codes, self.moves,
                             np.asarray(payoffs, dtype=float), self.names, self.owner_masks)
