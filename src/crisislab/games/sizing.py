"""Size limits and time estimates: refuse, with numbers, instead of hanging.

The cost models are fitted to ``benchmarks/bench_games.py`` runs on deep
(escalation) and wide (screening) trees (CPython 3.11, pygambit 17.0.0b2, one
core).  They are rough (within a factor of a few) and exist to tell the user,
before anything runs, that a method will take minutes or hours.
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
    # Fits to benchmarks/bench_games.py on two tree shapes (pygambit 17.0.0b2, one loaded
    # core): deep escalation trees (rounds 5..12: 95..207 nodes, depth 13..27, 0.14..81 s)
    # and wide, shallow screening trees (depth 3: 65..445 nodes, 0.04..7.2 s logit,
    # 0.06..56 s LCP).  Time grows with slots^2.9 and exponentially
    # with depth (least-squares fit in logs, within a factor 3 on all eight trees); LCP
    # also grows with the size of the largest information set.
    # pure search   rounds 2: 0.6 s (10 infosets), rounds 3: 17 s (14 infosets)
    # Gambit enumpoly  6 infosets: 0.17 s; 10 infosets: 17 s
    if method == "support-enum":  # bounded by normal_form.MAX_SUPPORT_PAIRS
        return 1e-3
    if method == "pure":
        return math.exp(min(profiles + math.log(1.6e-5 * n), 700.0)) + 1e-3
    if method in ("gambit-lcp", "gambit-logit"):
        slots = tree.n_slots
        depth = len(tree.levels)
        base = 2.2e-7 * slots ** 2.9 * math.exp(min(0.2 * depth, 700.0)) + 0.05
        if method == "gambit-lcp":
            base *= 1 + max((len(s.members) for s in tree.infosets), default=1)
        return base
    if method == "support-enum":
        supports = 1.0
        for s in tree.infosets:
            supports *= 2 ** len(s.actions) - 1
        return 0.01 * min(supports, 1e300) * (1 + n / 100)
    if method in ("qre", "qre-limit"):
        # pseudo-arclength continuation with batched numerical Jacobians (about 60 steps,
        # each a dense (slots+1)-square solve) plus polishing; fitted on the deterrence
        # (8 slots: 0.08 s) and screening (153 slots: 10-15 s) trees
        return 4e-4 * tree.n_slots ** 2 * (1 + n / 1000) + 0.02
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
                     "game, or pass exceed_limits=True / --exceed-limits")])
    if est.seconds > INTERACTIVE_SECONDS:
        return [f"slow: {est.describe()}"]
    return []
