"""Adapter to pygambit (optional extra ``crisislab[gambit]``, GPL-2.0-or-later).

The tree is handed over as ``.efg`` text (our exporter), solved by Gambit, and
each profile is read back by player and information-set number (Gambit numbers
a player's information sets in the order our exporter writes them).  The
profiles are only candidates: :mod:`crisislab.games.solvers.assess` recomputes
regret, probability sums and sequential rationality for every one of them.

Methods:
    ``lcp``      sequence-form linear complementarity (Lemke), two players; one
                 equilibrium, often with non-credible threats off the path.
    ``logit``    tracing of the logit quantal-response correspondence; its limit
                 selects a sequential equilibrium (the caller polishes the end
                 point, :func:`crisislab.games.qre.polish_any`).
                 :func:`logit_path` gives Gambit's QRE at given precisions; the
                 dependency-free route is :mod:`crisislab.games.qre` (logit and
                 probit, ``solve --method qre``).
    ``enumpoly`` polynomial enumeration over supports: all equilibria of small
                 games (complete when it terminates).
"""

from __future__ import annotations

import io
from typing import Any

import numpy as np

from crisislab.games.efg_writer import to_efg
from crisislab.games.tree import GameTree

METHODS = ("lcp", "logit", "enumpoly")


def available() -> bool:
    """True when pygambit can be imported."""
    try:
        import pygambit  # noqa: F401
    except ImportError:
        return False
    return True


def _gambit() -> Any:
    try:
        import pygambit
    except ImportError as exc:  # pragma: no cover - exercised only without the extra
        raise ImportError("this method needs the optional extra: pip install "
                          "'crisislab[gambit]' (pygambit, GPL-2.0-or-later)") from exc
    return pygambit


def to_gambit(tree: GameTree) -> Any:
    """A pygambit game built from our ``.efg`` export."""
    return _gambit().read_efg(io.StringIO(to_efg(tree)))


def _node_of(tree: GameTree, history: Any) -> int:
    """Our node reached by a pygambit History (the action labels from the root)."""
    node = 0
    for step in history:
        node = tree.children[node][tree.actions[node].index(step.action)]
    return node


def profile_to_vector(tree: GameTree, profile: Any) -> np.ndarray:
    """Flat behaviour vector from a pygambit mixed behaviour profile.

    pygambit 17 yields, per player, (history of a representative node, {action:
    probability}) pairs; the history is followed through our tree, so the
    mapping does not depend on how either side numbers information sets.
    """
    b = np.full(tree.n_slots, np.nan)
    for player in tree.players:
        for item in profile[player]:
            history, probs = item
            k = int(tree.infoset_of[_node_of(tree, history)])
            for j, a in enumerate(tree.infosets[k].actions):
                b[tree.slot_offset[k] + j] = float(probs[a])
    if np.isnan(b).any():
        raise RuntimeError("Gambit's profile does not cover every information set")
    return b


def solve(tree: GameTree, method: str) -> list[np.ndarray]:
    """Candidate equilibria (flat behaviour vectors) from one Gambit method."""
    gbt = _gambit()
    game = to_gambit(tree)
    if method == "lcp":
        if len(tree.players) != 2:
            raise ValueError("Gambit's sequence-form LCP needs exactly two players")
        res = gbt.nash.lcp_solve(game, rational=False)
        eqs = [res.equilibrium] if res.success and res.equilibrium is not None else []
    elif method == "logit":
        res = gbt.nash.logit_solve(game)
        eqs = [res.equilibrium] if res.equilibrium is not None else []
    elif method == "enumpoly":
        res = gbt.nash.enumpoly_solve(game)
        eqs = list(res.equilibria)
    else:
        raise ValueError(f"unknown Gambit method {method!r}; choose from {METHODS}")
    return [profile_to_vector(tree, eq) for eq in eqs]


def logit_path(tree: GameTree, lambdas: list[float]) -> list[np.ndarray]:
    """Agent logit quantal-response equilibria at the given precisions (principal branch)."""
    gbt = _gambit()
    game = to_gambit(tree)
    points = gbt.qre.logit_solve_lambda(game, [float(x) for x in lambdas])
    return [profile_to_vector(tree, p.profile) for p in points]
