"""Shared helpers for the games tests: template specs and a random-tree generator."""

from __future__ import annotations

import numpy as np

from crisislab.games.tree import GameTree, TreeBuilder
from crisislab.model.game_spec import TemplateGameSpec

ROLES = {
    "brinkmanship": {"threatener": "US", "target": "USSR"},
    "crisis_escalation": {"challenger": "NK", "defender": "US"},
    "audience_costs": {"challenger": "NK", "defender": "US"},
    "trust_reassurance": {"a": "US", "b": "CN"},
    "risk_return": {"proposer": "US", "responder": "NK"},
}


def template(name: str, **params: float) -> TemplateGameSpec:
    return TemplateGameSpec(id=name, template=name, players=ROLES[name], parameters=params)


def random_tree(seed: int, max_depth: int = 4, players: tuple[str, ...] = ("A", "B"),
                perfect_information: bool = False) -> GameTree:
    """A random game with chance nodes; information sets join same-depth nodes of one
    player whose own history matches (so perfect recall holds)."""
    rng = np.random.default_rng(seed)
    b = TreeBuilder(f"random {seed}", players)
    counter = [0]
    # infoset key: (player, depth, own-history) -> id, chosen with some probability
    shared: dict[tuple, str] = {}

    def grow(depth: int, own: tuple) -> str:
        counter[0] += 1
        nid = f"n{counter[0]}"
        if depth >= max_depth or (depth > 0 and rng.random() < 0.25):
            b.terminal(nid, {p: float(rng.integers(-5, 6)) for p in players},
                       str(rng.choice(["war", "deal", "status_quo"])))
            return nid
        if rng.random() < 0.25:
            k = int(rng.integers(2, 4))
            probs = rng.dirichlet(np.ones(k))
            probs = np.round(probs, 3)
            probs[-1] = 1.0 - probs[:-1].sum()
            if probs[-1] < 0:
                probs = np.full(k, 1.0 / k)
            chances = {f"c{j}": (float(probs[j]), grow(depth + 1, own)) for j in range(k)}
            b.chance(nid, chances)
            return nid
        pi = int(rng.integers(len(players)))
        player = players[pi]
        key = (player, depth, own[pi])
        if not perfect_information and key in shared and rng.random() < 0.6:
            iset = shared[key]
            n_act = int(iset.split("#")[1])
        else:
            n_act = int(rng.integers(2, 4))
            iset = f"{player}.{nid}#{n_act}"
            shared.setdefault(key, iset)
        moves: dict[str, str] = {}
        for j in range(n_act):
            new_own = tuple((*h, (iset, j)) if i == pi else h for i, h in enumerate(own))
            moves[f"a{j}"] = grow(depth + 1, new_own)
        b.decision(nid, player, iset, moves)
        return nid

    root = grow(0, tuple(() for _ in players))
    return b.build(root=root)


def random_profile(tree: GameTree, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    b = np.zeros(tree.n_slots)
    for k, s in enumerate(tree.infosets):
        b[tree.slot_offset[k]: tree.slot_offset[k] + len(s.actions)] = rng.dirichlet(
            np.ones(len(s.actions)))
    return b
