"""Exact backward induction for games of perfect information (with chance moves).

Every information set is a single node, so a subgame-perfect equilibrium in
pure strategies is found by choosing, level by level from the leaves, the
action with the highest value for the mover.  Ties are resolved toward the
first listed action and reported, because then other subgame-perfect
equilibria (pure and mixed) exist with possibly different outcomes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from crisislab.games.tree import DECISION, TERMINAL, GameTree

TIE_TOLERANCE = 1e-12


@dataclass(frozen=True)
class BackwardInductionResult:
    """The profile backward induction finds, node values and the ties it broke."""
    behaviour: np.ndarray
    values: np.ndarray
    ties: tuple[str, ...]


def backward_induction(tree: GameTree) -> BackwardInductionResult:
    """Solve a perfect-information tree; raise ValueError otherwise."""
    if not tree.is_perfect_information():
        raise ValueError("backward induction needs perfect information "
                         "(every information set a single node)")
    n, n_pl = tree.n_nodes, len(tree.players)
    width = max((len(c) for c in tree.children), default=0)
    kids = np.full((n, max(width, 1)), -1, dtype=np.int64)
    for i, c in enumerate(tree.children):
        kids[i, :len(c)] = c
    vals = np.zeros((n, n_pl))
    term = tree.kind == TERMINAL
    vals[term] = tree.payoffs[term]
    owner = np.full(n, -1, dtype=np.int64)
    for s in tree.infosets:
        owner[s.members[0]] = tree.player_index(s.player)
    choice = np.full(n, -1, dtype=np.int64)
    ties: list[str] = []
    parents_by_level = [np.unique(tree.parent[lvl]) for lvl in tree.levels]
    for nodes in reversed(parents_by_level):
        dec = nodes[tree.kind[nodes] == DECISION]
        cha = nodes[tree.kind[nodes] != DECISION]
        if len(cha):
            k = kids[cha]
            valid = k >= 0
            p = np.where(valid, tree.edge_chance[np.where(valid, k, 0)], 0.0)
            vals[cha] = np.einsum("ij,ijk->ik", p, vals[np.where(valid, k, 0)])
        if len(dec):
            k = kids[dec]
            valid = k >= 0
            own = vals[np.where(valid, k, 0), owner[dec][:, None]]
            own = np.where(valid, own, -np.inf)
            best = own.argmax(axis=1)
            top = own.max(axis=1)
            n_best = (own >= top[:, None] - TIE_TOLERANCE).sum(axis=1)
            for node in dec[n_best > 1]:
                ties.append(tree.node_ids[node])
            choice[dec] = best
            vals[dec] = vals[k[np.arange(len(dec)), best]]
    b = np.zeros(tree.n_slots)
    for kk, s in enumerate(tree.infosets):
        b[tree.slot_offset[kk] + choice[s.members[0]]] = 1.0
    return BackwardInductionResult(b, vals, tuple(sorted(ties)))
