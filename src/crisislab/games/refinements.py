"""Which equilibrium refinements a behaviour profile satisfies, weakest to strongest.

* ``nash``             no gain from deviating where play actually goes;
* ``subgame_perfect``  Nash in every proper subgame (Selten 1965);
* ``weak_pbe``         sequentially rational under *some* beliefs off the path
                       (Bayes' rule only on the path; Mas-Colell, Whinston &
                       Green 1995, 9.C);
* ``pbe``              sequentially rational under beliefs that follow Bayes'
                       rule wherever the profile, including the strategies after
                       a deviation, reaches an information set (Fudenberg &
                       Tirole 1991), see :mod:`crisislab.games.consistency`;
* ``sequential``       in addition one family of trembles produces all those
                       beliefs at once (Kreps & Wilson 1982).

``pbe`` and ``sequential`` are the *credible* equilibria the engine reports by
default; weaker ones are kept apart as not credible.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from crisislab.games.consistency import sequentially_consistent
from crisislab.games.methods import REFINEMENTS
from crisislab.games.profile import (
    REACH_TOLERANCE,
    TIES,
    ProfileEvaluation,
    edge_probabilities,
    evaluate_profile,
    node_values,
)
from crisislab.games.tree import CHANCE, TERMINAL, GameTree

MAX_SUBGAME_CHECKS = 2000


def rank(name: str) -> int:
    """Position of a refinement in :data:`REFINEMENTS` (stronger is larger)."""
    if name not in REFINEMENTS:
        raise ValueError(f"unknown refinement {name!r}; choose from {', '.join(REFINEMENTS)}")
    return REFINEMENTS.index(name)


@dataclass(frozen=True)
class Classification:
    """The refinements a profile satisfies, with its evaluation."""
    satisfied: tuple[str, ...]
    evaluation: ProfileEvaluation
    """The evaluation whose beliefs support the strongest refinement reached."""


def subgame_roots(tree: GameTree) -> list[int]:
    """Roots of proper subgames: chance or singleton decision nodes below the root whose
    subtree contains every information set it touches."""
    n = tree.n_nodes
    size = np.ones(n, dtype=np.int64)
    for lvl in reversed(tree.levels):
        np.add.at(size, tree.parent[lvl], size[lvl])
    lo = np.full(len(tree.infosets), n)
    hi = np.full(len(tree.infosets), -1)
    for k, s in enumerate(tree.infosets):
        lo[k], hi[k] = min(s.members), max(s.members)
    roots = []
    for r in range(1, n):
        if tree.kind[r] == TERMINAL:
            continue
        if tree.kind[r] != CHANCE and len(tree.infosets[tree.infoset_of[r]].members) > 1:
            continue
        end = r + size[r]
        touch = (hi >= r) & (lo < end)
        if np.all((lo[touch] >= r) & (hi[touch] < end)):
            roots.append(r)
    return roots


def subgame_regret(tree: GameTree, b: np.ndarray) -> float:
    """Largest gain from deviating on the path of any proper subgame (Bayes beliefs)."""
    ep = edge_probabilities(tree, b)
    vals = node_values(tree, ep)[0]
    ep = ep[0]
    worst = 0.0
    depth_of = np.zeros(tree.n_nodes, dtype=np.int64)
    for d, lvl in enumerate(tree.levels, start=1):
        depth_of[lvl] = d
    for r in subgame_roots(tree)[:MAX_SUBGAME_CHECKS]:
        reach = np.zeros(tree.n_nodes)
        reach[r] = 1.0
        for lvl in tree.levels[depth_of[r]:]:
            reach[lvl] = reach[tree.parent[lvl]] * ep[lvl]
        for k, s in enumerate(tree.infosets):
            mem = np.array(s.members)
            tot = reach[mem].sum()
            if tot <= REACH_TOLERANCE:
                continue
            owner = tree.player_index(s.player)
            qa = (reach[mem] / tot) @ vals[tree.infoset_children[k], owner]
            probs = b[tree.slot_offset[k]: tree.slot_offset[k] + len(s.actions)]
            worst = max(worst, float(qa.max() - probs @ qa))
    return worst


def classify(tree: GameTree, b: np.ndarray,
             beliefs: Mapping[str, Mapping[str, float]] | None = None,
             tolerance: float = 1e-6) -> Classification:
    """Every refinement in :data:`REFINEMENTS` that ``b`` satisfies."""
    ev = evaluate_profile(tree, b, beliefs, rule="consistent")
    if ev.on_path_regret > tolerance:
        return Classification((), ev)
    if ev.sequential_regret <= tolerance:
        sat = ["nash", "subgame_perfect", "weak_pbe", "pbe"]
        assert ev.paths is not None or not ev.offpath
        if ev.paths is None or sequentially_consistent(tree, ev.paths, ev.offpath or {}):
            sat.append("sequential")
            return Classification(tuple(sat), ev)
        # several off-path beliefs may support the profile equally well: it is
        # sequential if one tremble family produces any of them
        for tie in TIES[1:]:
            alt = evaluate_profile(tree, b, beliefs, rule="consistent", tie=tie)
            if (alt.sequential_regret <= tolerance and alt.paths is not None
                    and sequentially_consistent(tree, alt.paths, alt.offpath or {})):
                return Classification((*sat, "sequential"), alt)
        return Classification(tuple(sat), ev)
    sat = ["nash"]
    if subgame_regret(tree, b) <= tolerance:
        sat.append("subgame_perfect")
    weak = evaluate_profile(tree, b, beliefs, rule="weak")
    if weak.sequential_regret <= tolerance:
        sat.append("weak_pbe")
        return Classification(tuple(sat), weak)
    return Classification(tuple(sat), ev)
