"""Make a Nash profile credible off the path, keeping its play on the path.

A linear-complementarity solver (Lemke) returns *a* Nash equilibrium; where
play never reaches an information set its choice there is arbitrary and often
a non-credible threat.  :func:`repair_off_path` keeps the moves at every
reached information set and tries every support at the unreached ones (at most
:data:`MAX_SUPPORTS` combinations, smallest first), solving the indifference
conditions on each (as :func:`crisislab.games.qre.polish` does) with off-path
beliefs from Bayes' rule after the deviation, equal weight on the deviation
classes.  The result is
only a candidate: the caller's check decides whether it is an equilibrium.
"""

from __future__ import annotations

import itertools

import numpy as np

from crisislab.games.profile import REACH_TOLERANCE, edge_probabilities, reach_probabilities
from crisislab.games.qre import _polish_support
from crisislab.games.tree import GameTree

MAX_SUPPORTS = 256


def unreached_infosets(tree: GameTree, b: np.ndarray) -> list[int]:
    """Indices of the information sets the profile ``b`` reaches with probability 0."""
    reach = reach_probabilities(tree, edge_probabilities(tree, b))[0]
    return [k for k, s in enumerate(tree.infosets)
            if reach[list(s.members)].sum() <= REACH_TOLERANCE]


def repair_off_path(tree: GameTree, b: np.ndarray) -> np.ndarray | None:
    """A profile equal to ``b`` where it is reached and re-solved off the path, or None
    when ``b`` reaches every information set or no re-solved profile exists."""
    b = np.asarray(b, dtype=float)
    off = unreached_infosets(tree, b)
    if not off:
        return None
    base: list[np.ndarray] = []
    for k, st in enumerate(tree.infosets):
        p = b[tree.slot_offset[k]: tree.slot_offset[k] + len(st.actions)]
        base.append(np.flatnonzero(p > 1e-12)[np.argsort(-p[p > 1e-12], kind="stable")])
    options = [[np.array(c) for r in range(1, len(tree.infosets[k].actions) + 1)
                for c in itertools.combinations(range(len(tree.infosets[k].actions)), r)]
               for k in off]
    combos = itertools.islice(itertools.product(*options), MAX_SUPPORTS)
    hint = [np.full(len(st.members), 1.0 / len(st.members)) for st in tree.infosets]
    for combo in sorted(combos, key=lambda c: sum(len(x) for x in c)):
        support = list(base)
        approx = b.copy()
        for k, sup in zip(off, combo, strict=True):
            support[k] = sup
            sl = slice(tree.slot_offset[k], tree.slot_offset[k] + len(tree.infosets[k].actions))
            approx[sl] = 0.0
            approx[tree.slot_offset[k] + sup] = 1.0 / len(sup)
        found = _polish_support(tree, approx, support, hint)
        if found is not None:
            return found
    return None
