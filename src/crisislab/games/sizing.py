"""Size limits and time estimates: refuse, with numbers, instead of hanging.

The cost models are fitted to ``benchmarks/bench_games.py`` runs on the
escalation game (CPython 3.11, pygambit 17.0.0b2, one core).  They are rough (within a factor of
a few) and exist to tell the user, before anything runs, that a method will
take minutes or hours.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from crisislab.errors import InputError, Problem
from crisislab.games.tree import GameTree

INTERACTIVE_SECONDS = 30.0
REFUSE_SECONDS = 600.0


@dataclass(frozen=True)
class CostEstimate:
    method: str
    nodes: int
    infosets: int
    log_pure_profiles: float
    seconds: float

    def describe(self) -> str:
        return (f"{self.method} on {self.nodes} nodes, {self.infosets} information sets "
                f"(10^{self.log_pure_profiles / math.log(10):.1f} pure profiles): "
                f"about {self.seconds:.3g} s")


def log_profile_count(tree: GameTree) -> float:
    """Natural log of the number of pure behaviour profiles (which can exceed any float)."""
    return float(sum(math.log(len(s.actions)) for s in tree.infosets))


def estimate_seconds(tree: GameTree, method: str) -> float:
    """Rough running time of ``method`` on ``tree``."""
    n = tree.n_nodes
    k = len(tree.infosets)
    profiles = log_profile_count(tree)
    if method in ("closed_form", "backward_induction"):
        return 2e-6 * n
    # Fits to benchmarks/bench_games.py (escalation game, rounds 1..12):
    # pure search   rounds 2: 0.6 s (10 infosets), rounds 3: 17 s (14 infosets)
    # Gambit LCP    143 nodes / 34 infosets: 0.2 s; 207 nodes / 50 infosets: 27 s
    # Gambit logit  143 nodes: 0.23 s; 207 nodes: 27 s
    # Gambit enumpoly  6 infosets: 0.17 s; 10 infosets: 17 s
    if method == "support_enumeration":  # bounded by normal_form.MAX_SUPPORT_PAIRS
        return 1e-3
    if method == "pure":
        return math.exp(min(profiles + math.log(1.6e-5 * n), 700.0)) + 1e-3
    if method in ("gambit-lcp", "gambit-logit"):
        return 0.2 * math.exp(min(0.307 * (k - 34), 700.0)) + 0.01
    if method == "gambit-enumpoly":
        return 0.17 * math.exp(min(1.15 * (k - 6), 700.0)) + 0.01
    raise ValueError(f"unknown method {method!r}")


def check_size(tree: GameTree, method: str, force: bool = False) -> list[str]:
    """Warnings for slow runs; InputError for runs beyond the refusal limit (unless forced)."""
    est = CostEstimate(method, tree.n_nodes, len(tree.infosets), log_profile_count(tree),
                       estimate_seconds(tree, method))
    if est.seconds > REFUSE_SECONDS and not force:
        raise InputError([Problem(
            f"game too large for {method}: {est.describe()}",
            value=tree.n_nodes,
            expected=f"an estimated time below {REFUSE_SECONDS:.0f} s; choose another method "
                     "(gambit-logit or gambit-lcp scale further than enumeration), shrink the "
                     "game, or pass force=True / --force")])
    if est.seconds > INTERACTIVE_SECONDS:
        return [f"slow: {est.describe()}"]
    return []
