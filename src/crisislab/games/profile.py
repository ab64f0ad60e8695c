"""Evaluate behaviour profiles on a :class:`GameTree`, for one or many profiles at once.

Everything a solver's answer is judged by is computed here, independently of
the solver that produced it: reach probabilities, expected payoffs, beliefs at
information sets (Bayes' rule where reached), the value of every action, the
regret of the profile, and the probability of each outcome class.  Work is
done level by level on whole arrays; a batch of profiles is a leading axis.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from crisislab.games.consistency import (
    BeliefClasses,
    DeviationPaths,
    belief_classes,
    deviation_paths,
    is_consistent_belief,
)
from crisislab.games.tree import TERMINAL, GameTree

REACH_TOLERANCE = 1e-12


def edge_probabilities(tree: GameTree, b: np.ndarray) -> np.ndarray:
    """Probability of the move into each node; ``b`` is (n_slots,) or (P, n_slots)."""
    b = np.atleast_2d(b)
    ep = np.ones((b.shape[0], tree.n_nodes))
    chance_edges = np.flatnonzero(~np.isnan(tree.edge_chance))
    ep[:, chance_edges] = tree.edge_chance[chance_edges]
    dec = np.flatnonzero(tree.edge_slot >= 0)
    ep[:, dec] = b[:, tree.edge_slot[dec]]
    return ep


def reach_probabilities(tree: GameTree, ep: np.ndarray) -> np.ndarray:
    """(P, n_nodes) probability that play reaches each node."""
    reach = np.ones_like(ep)
    for lvl in tree.levels:
        reach[:, lvl] = reach[:, tree.parent[lvl]] * ep[:, lvl]
    return reach


def node_values(tree: GameTree, ep: np.ndarray) -> np.ndarray:
    """(P, n_nodes, n_players) expected payoff of play continuing from each node."""
    vals = np.zeros((ep.shape[0], tree.n_nodes, len(tree.players)))
    term = tree.kind == TERMINAL
    vals[:, term, :] = tree.payoffs[term]
    for lvl in reversed(tree.levels):
        contrib = ep[:, lvl, None] * vals[:, lvl, :]
        # several children share a parent: accumulate with add.at on the node axis
        np.add.at(vals, (slice(None), tree.parent[lvl]), contrib)  # type: ignore[arg-type]
    return vals


@dataclass(frozen=True)
class ProfileEvaluation:
    """All readouts of one behaviour profile.

    ``sequential_regret`` uses Bayes beliefs where an information set is reached
    and, off the path, the supplied beliefs or else the beliefs most favourable
    to the profile among the admissible ones: with ``rule="consistent"`` (the
    default) those consistent with the profile after the deviation
    (:mod:`crisislab.games.consistency`), with ``rule="weak"`` any belief (a weak
    perfect Bayesian check).  ``offpath`` holds, per unreached information set,
    its deviation classes and the weight put on each (consistent rule only).
    """

    behaviour: np.ndarray
    reach: np.ndarray
    values: np.ndarray
    infoset_reach: np.ndarray
    beliefs: tuple[np.ndarray, ...]
    action_values: tuple[np.ndarray, ...]
    infoset_regret: np.ndarray
    on_path_regret: float
    sequential_regret: float
    expected_payoffs: np.ndarray
    outcome_probabilities: dict[str, float]
    probability_sum_error: float
    belief_rule: str = "consistent"
    given: frozenset[int] = frozenset()
    offpath: dict[int, tuple[BeliefClasses, np.ndarray]] | None = None
    paths: DeviationPaths | None = None


def _beliefs_for(tree: GameTree, reach: np.ndarray, k: int) -> np.ndarray | None:
    members = np.array(tree.infosets[k].members)
    r = reach[members]
    total = r.sum()
    if total <= REACH_TOLERANCE:
        return None
    return r / total  # type: ignore[no-any-return]


TIES = ("low", "high", "middle")
"""Which of several equally good off-path beliefs of a two-member set to report: the
one with the least weight on the first member, the most, or the midpoint of the
interval of best beliefs (see :func:`_two_member_regret`)."""


def _best_off_path_regret(q: np.ndarray, probs: np.ndarray,
                          tie: str = "low") -> tuple[float, np.ndarray]:
    """Smallest regret of the behaviour ``probs`` over beliefs on the members (an LP).

    ``q`` is (members, actions): the acting player's value of each action at
    each member (or at each admissible extreme belief, see the caller).  The
    regret under belief mu is max_a mu·q[:, a] - mu·q·probs; minimise t
    subject to mu·(q[:, a] - q @ probs) <= t for every action a, mu in the
    simplex.  Continuous in ``probs``, so a tiny weight on a bad action costs
    only a tiny regret.
    """
    m, n_act = q.shape
    played = q @ probs
    if m == 1:
        return float(max(0.0, q[0].max() - played[0])), np.ones(1)
    if m == 2:
        return _two_member_regret(q - played[:, None], tie)
    from scipy.optimize import linprog  # here: importing it takes a tenth of a second

    rows = np.concatenate([(q - played[:, None]).T, -np.ones((n_act, 1))], axis=1)
    res = linprog(c=np.concatenate([np.zeros(m), [1.0]]), A_ub=rows, b_ub=np.zeros(n_act),
                  A_eq=np.concatenate([np.ones(m), [0.0]])[None, :], b_eq=[1.0],
                  bounds=[(0, None)] * m + [(None, None)], method="highs")
    if not res.success:  # pragma: no cover - the LP is always feasible and bounded
        return float("inf"), np.full(m, 1.0 / m)
    return float(max(0.0, res.x[-1])), res.x[:m]


def _two_member_regret(d: np.ndarray, tie: str = "low") -> tuple[float, np.ndarray]:
    """The LP of :func:`_best_off_path_regret` for two members, in closed form.

    With belief (p, 1 - p) the regret is the upper envelope of the lines
    p·d[0, a] + (1 - p)·d[1, a], a convex piecewise-linear function of p; its
    minimum lies at p = 0, p = 1 or where two lines cross, so evaluating those
    points is exact.  Where a whole interval of beliefs is best, ``tie`` picks its low
    end, high end or middle (p is the weight on the first member): the regret is the
    same, but whether one tremble family also produces the belief can differ, so
    :func:`crisislab.games.refinements.classify` tries each.  Two members is the
    common case (a player unsure which of two types moved), and the closed form is
    about a hundred times faster than the LP.
    """
    slope = d[0] - d[1]
    cands = [0.0, 1.0]
    for a in range(len(slope)):
        for b in range(a + 1, len(slope)):
            den = slope[a] - slope[b]
            if den != 0.0:
                p = float((d[1, b] - d[1, a]) / den)
                if 0.0 < p < 1.0:
                    cands.append(p)
    ps = np.array(sorted(cands))
    env = (ps[:, None] * d[0][None, :] + (1.0 - ps[:, None]) * d[1][None, :]).max(axis=1)
    best = np.flatnonzero(env <= env.min() + 1e-12)
    low, high = float(ps[best[0]]), float(ps[best[-1]])
    p = {"low": low, "high": high, "middle": (low + high) / 2}[tie]
    return float(max(0.0, env[best[0]])), np.array([p, 1.0 - p])


def evaluate_profile(tree: GameTree, b: np.ndarray,
                     beliefs: Mapping[str, Mapping[str, float]] | None = None,
                     rule: str = "consistent", tie: str = "low") -> ProfileEvaluation:
    """Evaluate one behaviour profile (flat vector) completely (see :class:`ProfileEvaluation`);
    ``tie`` chooses among equally good off-path beliefs (:data:`TIES`)."""
    if rule not in ("consistent", "weak"):
        raise ValueError(f"unknown belief rule {rule!r}")
    b = np.asarray(b, dtype=float)
    ep = edge_probabilities(tree, b)
    reach = reach_probabilities(tree, ep)[0]
    vals = node_values(tree, ep)[0]
    n_inf = len(tree.infosets)
    infoset_reach = np.array([reach[list(s.members)].sum() for s in tree.infosets])
    belief_list: list[np.ndarray] = []
    action_values: list[np.ndarray] = []
    regrets = np.zeros(n_inf)
    on_path = 0.0
    paths: DeviationPaths | None = None
    offpath: dict[int, tuple[BeliefClasses, np.ndarray]] = {}
    given_used: set[int] = set()
    for k, s in enumerate(tree.infosets):
        owner = tree.player_index(s.player)
        q = vals[tree.infoset_children[k], owner]  # (members, actions)
        probs = b[tree.slot_offset[k]: tree.slot_offset[k] + len(s.actions)]
        mu = _beliefs_for(tree, reach, k)
        classes = None
        if mu is None and rule == "consistent":
            if paths is None:
                paths = deviation_paths(tree, b)
            classes = belief_classes(tree, k, paths)
        if mu is None and beliefs is not None and s.id in beliefs:
            given = beliefs[s.id]
            mu = np.array([float(given.get(tree.node_ids[m], 0.0)) for m in s.members])
            mu = mu / mu.sum() if mu.sum() > 0 else None
            if mu is not None and classes is not None and not is_consistent_belief(classes, mu):
                mu = None
            if mu is not None:
                given_used.add(k)
                if classes is not None:
                    rows = classes.rows
                    offpath[k] = (classes, np.array(
                        [mu[rows[c] > 0].sum() if classes.minimal[c] else 0.0
                         for c in range(len(rows))]))
        if mu is None and classes is not None:
            rows = classes.rows[classes.minimal]
            if len(rows) == 0:
                # every member needs a zero-probability chance move: no strategy reaches
                # the set, so no belief there is constrained
                regrets[k], mu = _best_off_path_regret(q, probs, tie)
            else:
                regrets[k], w = _best_off_path_regret(rows @ q, probs, tie)
                mu = w @ rows
                full = np.zeros(len(classes.rows))
                full[np.flatnonzero(classes.minimal)] = w
                offpath[k] = (classes, full)
        elif mu is None:
            regrets[k], mu = _best_off_path_regret(q, probs, tie)
        else:
            qa = mu @ q
            regrets[k] = max(0.0, float(qa.max() - probs @ qa))
            if infoset_reach[k] > REACH_TOLERANCE:
                on_path = max(on_path, float(regrets[k]))
        belief_list.append(mu)
        action_values.append(mu @ q)
    outcomes: dict[str, float] = {}
    term = np.flatnonzero(tree.kind == TERMINAL)
    for t in term:
        key = tree.outcome[t] or "unclassified"
        outcomes[key] = outcomes.get(key, 0.0) + float(reach[t])
    sums = [abs(b[tree.slot_offset[k]: tree.slot_offset[k] + len(s.actions)].sum() - 1.0)
            for k, s in enumerate(tree.infosets)]
    sums.append(abs(sum(outcomes.values()) - 1.0))
    return ProfileEvaluation(
        behaviour=b, reach=reach, values=vals, infoset_reach=infoset_reach,
        beliefs=tuple(belief_list), action_values=tuple(action_values), infoset_regret=regrets,
        on_path_regret=on_path, sequential_regret=float(regrets.max(initial=0.0)),
        expected_payoffs=vals[0].copy(), outcome_probabilities=outcomes,
        probability_sum_error=float(max(sums)), belief_rule=rule,
        given=frozenset(given_used), offpath=offpath if rule == "consistent" else None,
        paths=paths)


