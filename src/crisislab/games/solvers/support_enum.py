"""Support enumeration in the agent form: mixed equilibria of small trees, dependency-free.

For every choice of a non-empty support at every information set, the
indifference conditions among the supported actions are solved (free
probabilities as logs, least squares from the uniform mix on the support,
off-path beliefs Bayes' rule after the deviation with equal weight on the
least-deviation classes) and a solution is kept when no unsupported action
does better.  Each survivor is then judged by the usual check.  The search
covers every support, but a support's polynomial system can have several
roots and only one is sought, and off-path class weights other than equal
ones are not tried: the list is therefore *not* guaranteed complete.
"""

from __future__ import annotations

import itertools

import numpy as np

from crisislab.games.qre import _polish_support
from crisislab.games.tree import GameTree

MAX_SUPPORTS = 4096


def support_count(tree: GameTree) -> int:
    """Number of support profiles (product of 2^actions - 1 over information sets)."""
    total = 1
    for s in tree.infosets:
        total *= 2 ** len(s.actions) - 1
    return total


def support_equilibria(tree: GameTree) -> list[np.ndarray]:
    """Candidate equilibria, one per support profile whose indifference system solves."""
    if support_count(tree) > MAX_SUPPORTS:
        raise ValueError(f"{support_count(tree)} support profiles exceed the limit "
                         f"{MAX_SUPPORTS}")
    per_set = [[np.array(c) for r in range(1, len(s.actions) + 1)
                for c in itertools.combinations(range(len(s.actions)), r)]
               for s in tree.infosets]
    hint = [np.full(len(s.members), 1.0 / len(s.members)) for s in tree.infosets]
    found: list[np.ndarray] = []
    for support in itertools.product(*per_set):
        approx = np.zeros(tree.n_slots)
        for k, sup in enumerate(support):
            approx[tree.slot_offset[k] + sup] = 1.0 / len(sup)
        b = _polish_support(tree, approx, list(support), hint)
        if b is not None:
            found.append(b)
    return found
