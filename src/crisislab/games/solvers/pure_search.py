"""Exhaustive search for pure-strategy weak perfect Bayesian equilibria of small games.

All pure behaviour profiles are evaluated at once (one array row each); those
with no profitable deviation at any reached information set are then checked
off the path, where a belief that makes the prescribed action optimal is
sought by a small linear programme.  This is plain enumeration, not a
replacement for Lemke–Howson or QRE tracing: mixed equilibria are outside its
reach and the result says so.
"""

from __future__ import annotations

import itertools

import numpy as np

from crisislab.games.profile import (
    REACH_TOLERANCE,
    edge_probabilities,
    evaluate_profile,
    node_values,
    reach_probabilities,
)
from crisislab.games.tree import GameTree

MAX_PURE_PROFILES = 200_000
BATCH = 4096


def pure_profiles(tree: GameTree) -> np.ndarray:
    """(P, n_slots) array of every pure behaviour profile."""
    choices = itertools.product(*[range(len(s.actions)) for s in tree.infosets])
    picks = np.array(list(choices), dtype=np.int64).reshape(tree.pure_profile_count(),
                                                            len(tree.infosets))
    out = np.zeros((picks.shape[0], tree.n_slots))
    rows = np.arange(picks.shape[0])
    for k in range(len(tree.infosets)):
        out[rows, tree.slot_offset[k] + picks[:, k]] = 1.0
    return out


def pure_equilibria(tree: GameTree, tolerance: float = 1e-9) -> list[np.ndarray]:
    """Every pure weak perfect Bayesian equilibrium, as flat behaviour vectors (the
    caller's check then sorts them into credible and not credible)."""
    if sum(np.log(len(s.actions)) for s in tree.infosets) > np.log(MAX_PURE_PROFILES):
        raise ValueError(f"more pure profiles than the search limit {MAX_PURE_PROFILES}")
    count = tree.pure_profile_count()
    if count > MAX_PURE_PROFILES:
        raise ValueError(f"{count} pure profiles exceed the search limit {MAX_PURE_PROFILES}")
    profiles = pure_profiles(tree)
    found: list[np.ndarray] = []
    for start in range(0, len(profiles), BATCH):
        batch = profiles[start:start + BATCH]
        ep = edge_probabilities(tree, batch)
        reach = reach_probabilities(tree, ep)
        vals = node_values(tree, ep)
        ok = np.ones(len(batch), dtype=bool)
        for k, s in enumerate(tree.infosets):
            members = np.array(s.members)
            r = reach[:, members]  # (P, m)
            tot = r.sum(axis=1)
            on = tot > REACH_TOLERANCE
            owner = tree.player_index(s.player)
            q = vals[:, tree.infoset_children[k], owner]  # (P, m, actions)
            mu = np.where(on[:, None], r / np.where(on, tot, 1.0)[:, None], 0.0)
            qa = np.einsum("pm,pma->pa", mu, q)
            probs = batch[:, tree.slot_offset[k]: tree.slot_offset[k] + len(s.actions)]
            regret = qa.max(axis=1) - (probs * qa).sum(axis=1)
            ok &= ~on | (regret <= tolerance)
        for row in np.flatnonzero(ok):
            ev = evaluate_profile(tree, batch[row], rule="weak")
            if ev.sequential_regret <= tolerance:
                found.append(batch[row].copy())
    return found
