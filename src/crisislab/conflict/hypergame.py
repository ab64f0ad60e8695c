"""First- and second-level hypergames (Bennett 1977, 1980; Wang, Hipel & Fraser 1988).

A hypergame is a conflict in which the decision makers (DMs) play different
games because they perceive each other differently.  Each perceived game is a
:class:`ConflictGraph` over the true states: other payoffs (misperceived
*preferences*, the case the article describes) and, where the DM does not
perceive some states, fewer moves (:mod:`crisislab.conflict.perception`).

First level, H¹ = {G_1, ..., G_n}: DM i judges its stability in G_i, the game as
it perceives it (its own true preferences, its beliefs about the others').  A
state is a **hypergame equilibrium** when it is stable for every DM i in G_i.
Because i's stability under GMR and SMR uses only i's preferences and the moves,
misperceiving others changes only concepts in which the sanctioners' own
preferences matter (SEQ, SIM, foresight): a state can then be stable for i
only because i believes in a sanction the sanctioner would not carry out.

Second level, H² = {H¹_1, ..., H¹_n}: H¹_i is the first-level hypergame that i
believes is being played, in which i predicts DM j from G_j^i (i's view of j's
view).  DM i *expects* state s to persist when s is stable for every j in
G_j^i (with G_i^i = G_i).  A **second-level equilibrium** is a state that
every DM expects to persist.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from crisislab.conflict.graph import ConflictGraph

StabilityFn = Callable[[ConflictGraph], Mapping[str, np.ndarray]]
"""graph -> concept -> bool array (n_actors, n_states) of stability."""


@dataclass(frozen=True)
class FirstLevel:
    """Stability of each DM in its own perceived game."""

    concepts: tuple[str, ...]
    stable: dict[str, np.ndarray]  # concept -> (n_actors, n_states), row i judged in G_i

    def equilibria(self, concept: str) -> np.ndarray:
        return np.flatnonzero(self.stable[concept].all(axis=0))


@dataclass(frozen=True)
class SecondLevel:
    """Each DM's predictions of everyone (i's view of j's view)."""

    concepts: tuple[str, ...]
    expected: dict[str, np.ndarray]  # concept -> (n_i, n_j, n_states): j stable in G_j^i

    def expected_equilibria(self, concept: str, actor: int) -> np.ndarray:
        """States DM ``actor`` expects to persist."""
        return np.flatnonzero(self.expected[concept][actor].all(axis=0))

    def equilibria(self, concept: str) -> np.ndarray:
        """States every DM expects to persist."""
        return np.flatnonzero(self.expected[concept].all(axis=(0, 1)))


def first_level(perceived: Sequence[ConflictGraph], stability: StabilityFn,
                concepts: Sequence[str]) -> FirstLevel:
    """``perceived[i]`` is G_i; returns each DM's stability judged in its own game."""
    n_actors = len(perceived)
    out: dict[str, np.ndarray] = {}
    for i, game in enumerate(perceived):
        res = stability(game)
        for c in concepts:
            arr = out.setdefault(c, np.zeros((n_actors, game.n_states), dtype=bool))
            arr[i] = res[c][i]
    return FirstLevel(tuple(concepts), out)


def second_level(views: Sequence[Sequence[ConflictGraph]], stability: StabilityFn,
                 concepts: Sequence[str]) -> SecondLevel:
    """``views[i][j]`` is G_j^i, i's belief about j's perceived game (G_i^i = G_i)."""
    n = len(views)
    out: dict[str, np.ndarray] = {}
    cache: dict[int, Mapping[str, np.ndarray]] = {}
    for i in range(n):
        for j in range(n):
            game = views[i][j]
            key = id(game)
            if key not in cache:
                cache[key] = stability(game)
            res = cache[key]
            for c in concepts:
                arr = out.setdefault(c, np.zeros((n, n, game.n_states), dtype=bool))
                arr[i, j] = res[c][j]
    return SecondLevel(tuple(concepts), out)
