"""Turn a solver's candidate profile into an :class:`Equilibrium`, checking it ourselves.

No solver is trusted: probabilities are renormalised only after the original
sums are recorded, and the regret of every candidate is recomputed by
:func:`crisislab.games.profile.evaluate_profile`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from crisislab.games.methods import CREDIBLE
from crisislab.games.profile import REACH_TOLERANCE
from crisislab.games.refinements import classify, rank
from crisislab.games.results import (
    EQUILIBRIUM_TOLERANCE,
    SUM_TOLERANCE,
    Equilibrium,
    probability_flags,
    tidy,
)
from crisislab.games.tree import TERMINAL, GameTree


@dataclass(frozen=True)
class Candidate:
    """A behaviour profile proposed by a closed form or a solver."""

    behaviour: np.ndarray
    found_by: str
    beliefs: Mapping[str, Mapping[str, float]] | None = None
    summary: Mapping[str, float] = field(default_factory=dict)


def _normalise(tree: GameTree, b: np.ndarray) -> tuple[np.ndarray, float]:
    b = np.clip(np.asarray(b, dtype=float), 0.0, None)
    err = 0.0
    for k, s in enumerate(tree.infosets):
        sl = slice(tree.slot_offset[k], tree.slot_offset[k] + len(s.actions))
        total = b[sl].sum()
        err = max(err, abs(total - 1.0))
        b[sl] = b[sl] / total if total > 0 else 1.0 / len(s.actions)
    return b, err


def assess(tree: GameTree, candidate: Candidate, tolerance: float = EQUILIBRIUM_TOLERANCE,
           standard: str = CREDIBLE) -> Equilibrium:
    """Evaluate and check one candidate profile; it is an equilibrium when it satisfies
    the refinement ``standard`` (see :mod:`crisislab.games.refinements`)."""
    b, raw_sum_error = _normalise(tree, candidate.behaviour)
    span = float(np.ptp(tree.payoffs[tree.kind == TERMINAL])) if tree.n_terminals else 1.0
    cls = classify(tree, b, dict(candidate.beliefs) if candidate.beliefs else None,
                   tolerance * max(1.0, span))
    ev = cls.evaluation
    beliefs: dict[str, dict[str, float]] = {}
    basis: dict[str, str] = {}
    for k, s in enumerate(tree.infosets):
        mu = ev.beliefs[k]
        beliefs[s.id] = {tree.node_ids[m]: tidy(x) for m, x in zip(s.members, mu, strict=True)}
        if ev.infoset_reach[k] > REACH_TOLERANCE:
            basis[s.id] = "bayes"
        elif k in ev.given:
            basis[s.id] = "given"
        elif ev.belief_rule == "consistent":
            basis[s.id] = "consistent"
        else:
            basis[s.id] = "chosen"
    sum_error = max(raw_sum_error, ev.probability_sum_error)
    return Equilibrium(
        found_by=candidate.found_by,
        behaviour={k: {a: tidy(p) for a, p in acts.items()}
                   for k, acts in tree.profile_to_mapping(b).items()},
        beliefs=beliefs, belief_basis=basis,
        outcome_probabilities={k: tidy(v) for k, v in sorted(ev.outcome_probabilities.items())},
        expected_payoffs={p: tidy(v) for p, v in zip(tree.players, ev.expected_payoffs,
                                                     strict=True)},
        on_path_regret=tidy(ev.on_path_regret), sequential_regret=tidy(ev.sequential_regret),
        probability_sum_error=tidy(sum_error),
        refinements=list(cls.satisfied),
        refinement=cls.satisfied[-1] if cls.satisfied else "none",
        is_equilibrium=bool(sum_error <= SUM_TOLERANCE and cls.satisfied
                            and rank(cls.satisfied[-1]) >= rank(standard)),
        summary={k: tidy(v) for k, v in candidate.summary.items()},
        summary_flags=probability_flags(dict(candidate.summary)))


def deduplicate(equilibria: list[Equilibrium], tolerance: float = 1e-7) -> list[Equilibrium]:
    """Drop profiles that repeat an earlier one (same behaviour within tolerance)."""
    kept: list[Equilibrium] = []
    for eq in equilibria:
        same = any(all(abs(eq.behaviour[k][a] - other.behaviour[k][a]) <= tolerance
                       for k in eq.behaviour for a in eq.behaviour[k]) for other in kept)
        if not same:
            kept.append(eq)
    return kept
