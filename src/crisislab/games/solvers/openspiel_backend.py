"""Adapter to OpenSpiel (optional extra ``crisislab[openspiel]``, Apache-2.0): CFR+ for large trees.

Counterfactual regret minimisation (Zinkevich et al. 2007; CFR+, Tammelin 2014)
needs memory and time linear in the tree per iteration, so it reaches trees far
beyond enumeration.  Its *average* profile converges to a Nash equilibrium in
two-actor zero-sum games; in general-sum games (most crises) it need not, so
the answer is always reported with its exploitability: NashConv, the sum over
actors of what a best reply would gain against the profile (0 at an
equilibrium; Lanctot et al. 2017).  The profile is then only a candidate: the
caller polishes it on its support and our own check judges it.

The tree goes over as ``.efg`` text (our exporter, OpenSpiel's EFG reader) and
the policy comes back by walking both trees side by side, matching actions by
label, so neither side's numbering matters.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from crisislab.games.efg_writer import to_efg
from crisislab.games.tree import CHANCE, DECISION, GameTree

CFR_ITERATIONS = 2000


def available() -> bool:
    """True when OpenSpiel (pyspiel) can be imported."""
    try:
        import pyspiel  # noqa: F401
    except ImportError:
        return False
    return True


def _pyspiel() -> Any:
    try:
        import pyspiel
    except ImportError as exc:  # pragma: no cover - exercised only without the extra
        raise ImportError("this method needs the optional extra: pip install "
                          "'crisislab[openspiel]' (OpenSpiel, Apache-2.0)") from exc
    return pyspiel


@dataclass(frozen=True)
class CFRResult:
    """The average CFR+ profile (flat behaviour vector), its NashConv and iterations."""

    behaviour: np.ndarray
    nash_conv: float
    iterations: int


def _policy_vector(tree: GameTree, state: Any, policy: Any) -> np.ndarray:
    """Walk OpenSpiel's tree beside ours and read the policy at each information set."""
    b = np.full(tree.n_slots, np.nan)
    stack = [(state, 0)]
    while stack:
        st, node = stack.pop()
        if st.is_terminal():
            continue
        labels = [st.action_to_string(a) for a in st.legal_actions()] if not \
            st.is_chance_node() else None
        if tree.kind[node] == CHANCE:
            for a, _p in st.chance_outcomes():
                j = tree.actions[node].index(st.action_to_string(a))
                stack.append((st.child(a), tree.children[node][j]))
            continue
        assert tree.kind[node] == DECISION and labels is not None
        k = int(tree.infoset_of[node])
        off = int(tree.slot_offset[k])
        if np.isnan(b[off]):
            probs = dict(policy.get_state_policy(st))
            for a, label in zip(st.legal_actions(), labels, strict=True):
                b[off + tree.infosets[k].actions.index(label)] = float(probs.get(a, 0.0))
        for a, label in zip(st.legal_actions(), labels, strict=True):
            stack.append((st.child(a), tree.children[node][tree.actions[node].index(label)]))
    if np.isnan(b).any():
        raise RuntimeError("OpenSpiel's policy does not cover every information set")
    return b


def cfr(tree: GameTree, iterations: int = CFR_ITERATIONS) -> CFRResult:
    """CFR+ for ``iterations`` iterations; the average profile and its NashConv."""
    ps = _pyspiel()
    game = ps.load_efg_game(to_efg(tree))
    solver = ps.CFRPlusSolver(game)
    for _ in range(iterations):
        solver.evaluate_and_update_policy()
    policy = solver.average_policy()
    return CFRResult(_policy_vector(tree, game.new_initial_state(), policy),
                     float(ps.nash_conv(game, policy)), iterations)
