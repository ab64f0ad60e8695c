"""The sequence form of a two-actor tree and Lemke's algorithm on its LCP (method ``sequence-lcp``).

Koller, Megiddo & von Stengel (1996), "Efficient computation of equilibria for
extensive two-person games", Games and Economic Behavior 14: a behaviour strategy
of actor i is represented by its *realization plan* x, the probability of each of
its own sequences of moves (the empty sequence has x = 1, and at an information
set h entered by sequence s, the plan of the sequences s·a sums to x_s):
``E x = e``, ``F y = f``.  Expected payoffs are bilinear, ``x' A y`` and
``x' B y``, with A[s, t] the chance-weighted payoff of the terminals reached by
the sequence pair (s, t), so the tree's size, not the exponential number of pure
strategies, sets the problem's size.

Equilibria are the solutions of a linear complementarity problem.  With costs
C1 = c1 - A > 0 and C2 = c2 - B > 0 on the entries with terminals (a constant
shift changes no equilibrium, since every pair of plans reaches terminals with
total probability 1), each actor's best reply min x'C1 y s.t. E x >= e, x >= 0
and its dual max e'p s.t. E'p <= C1 y, p >= 0 give, in the form
``w = q + M z >= 0, z >= 0, z'w = 0`` with z = (x, y, p, r):

    w_x = C1 y - E'p,   w_y = C2' x - F'r,   w_p = E x - e,   w_r = F y - f.

(Relaxing E x = e to E x >= e loses nothing: a plan above the constraints can be
scaled down, child sequences in proportion, at no higher cost, and the behaviour
it implies is the same.)  Lemke's algorithm with covering vector 1 follows one
complementary path from the artificial variable's ray to a solution; ties in the
ratio test are broken lexicographically (degenerate games).  One path gives one
equilibrium: the list is never complete.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from crisislab.games.tree import CHANCE, DECISION, TERMINAL, GameTree

PIVOT_TOL = 1e-12
MAX_PIVOTS_PER_ROW = 50


class LemkeError(RuntimeError):
    """Lemke's path ended on a ray or ran past its pivot limit."""


@dataclass(frozen=True)
class SequenceForm:
    """Realization-plan constraints and payoff matrices of a two-actor tree.

    ``seq_slot[i][s]`` is the behaviour slot of sequence s of actor i (-1 for the
    empty sequence); ``infoset_parent[k]`` the sequence of its owner entering set k;
    ``E``/``F`` the constraint matrices (row 0 the empty sequence, then one row per
    information set of the actor, in tree order); ``A``/``B`` the payoff matrices."""

    players: tuple[int, int]
    seq_slot: tuple[np.ndarray, np.ndarray]
    infosets: tuple[list[int], list[int]]
    infoset_parent: dict[int, int]
    E: np.ndarray
    F: np.ndarray
    A: np.ndarray
    B: np.ndarray
    reach_mass: np.ndarray  # (n1, n2) chance probability of the terminals of each pair


def sequence_form(tree: GameTree) -> SequenceForm:
    """Build the sequence form of a two-actor tree with perfect recall."""
    if len(tree.players) != 2:
        raise ValueError(f"the sequence form LCP needs exactly two actors; this game has "
                         f"{len(tree.players)}")
    owner = [tree.player_index(s.player) for s in tree.infosets]
    # sequence numbering per actor: 0 = empty, then (infoset, action) in slot order
    seq_of_slot = np.zeros(tree.n_slots, dtype=np.int64)
    seq_slot: list[list[int]] = [[-1], [-1]]
    sets: list[list[int]] = [[], []]
    for k, s in enumerate(tree.infosets):
        i = owner[k]
        sets[i].append(k)
        for j in range(len(s.actions)):
            slot = int(tree.slot_offset[k]) + j
            seq_of_slot[slot] = len(seq_slot[i])
            seq_slot[i].append(slot)
    n = (len(seq_slot[0]), len(seq_slot[1]))
    # each node's current sequence of each actor and chance probability, pre-order
    cur = np.zeros((tree.n_nodes, 2), dtype=np.int64)
    chance = np.ones(tree.n_nodes)
    for node in range(1, tree.n_nodes):
        par = int(tree.parent[node])
        cur[node] = cur[par]
        chance[node] = chance[par]
        if tree.kind[par] == DECISION:
            k = int(tree.infoset_of[par])
            cur[node, owner[k]] = seq_of_slot[tree.edge_slot[node]]
        elif tree.kind[par] == CHANCE:
            chance[node] *= float(tree.edge_chance[node])
    infoset_parent = {k: int(cur[s.members[0], owner[k]]) for k, s in enumerate(tree.infosets)}
    mats = []
    for i in (0, 1):
        m = np.zeros((1 + len(sets[i]), n[i]))
        m[0, 0] = 1.0
        for row, k in enumerate(sets[i], start=1):
            m[row, infoset_parent[k]] = -1.0
            first = seq_of_slot[tree.slot_offset[k]]
            m[row, first: first + len(tree.infosets[k].actions)] = 1.0
        mats.append(m)
    a = np.zeros(n)
    b = np.zeros(n)
    mass = np.zeros(n)
    term = np.flatnonzero(tree.kind == TERMINAL)
    np.add.at(a, (cur[term, 0], cur[term, 1]), chance[term] * tree.payoffs[term, 0])
    np.add.at(b, (cur[term, 0], cur[term, 1]), chance[term] * tree.payoffs[term, 1])
    np.add.at(mass, (cur[term, 0], cur[term, 1]), chance[term])
    return SequenceForm((0, 1), (np.array(seq_slot[0]), np.array(seq_slot[1])),
                        (sets[0], sets[1]), infoset_parent, mats[0], mats[1], a, b, mass)


def lemke(m: np.ndarray, q: np.ndarray, d: np.ndarray | None = None) -> np.ndarray:
    """A solution z of the LCP ``w = q + M z >= 0, z >= 0, z'w = 0`` by Lemke's algorithm
    (covering vector ``d``, default all ones; lexicographic ratio test)."""
    size = len(q)
    d = np.ones(size) if d is None else np.asarray(d, dtype=float)
    if (q >= 0).all():
        return np.zeros(size)
    # tableau rows: w - M z - d z0 = q; columns w (size), z (size), z0, right-hand side
    tab = np.hstack([np.eye(size), -m, -d[:, None], q[:, None]]).astype(float)
    basis = list(range(size))
    z0 = 2 * size

    def pivot(row: int, col: int) -> None:
        tab[row] /= tab[row, col]
        others = np.arange(size) != row
        tab[others] -= np.outer(tab[others, col], tab[row])
        basis[row] = col

    def leaving_row(col: int) -> int | None:
        c = tab[:, col]
        rows = np.flatnonzero(c > PIVOT_TOL)
        if len(rows) == 0:
            return None
        # lexicographic minimum of (rhs, B^-1 columns) / pivot column
        for key in [-1, *range(size)]:
            ratios = tab[rows, key] / c[rows]
            best = ratios.min()
            rows = rows[ratios <= best + PIVOT_TOL * max(1.0, abs(best))]
            if len(rows) == 1:
                break
        return int(rows[0])

    first = int(np.argmin(q / d))
    leaving = basis[first]
    pivot(first, z0)
    for _ in range(MAX_PIVOTS_PER_ROW * size):
        entering = leaving + size if leaving < size else leaving - size
        row = leaving_row(entering)
        if row is None:
            raise LemkeError("Lemke's path ended on a ray (no solution found on this path)")
        leaving = basis[row]
        pivot(row, entering)
        if leaving == z0:
            z = np.zeros(size)
            for r, var in enumerate(basis):
                if size <= var < 2 * size:
                    z[var - size] = tab[r, -1]
            return z
    raise LemkeError(f"Lemke's path exceeded {MAX_PIVOTS_PER_ROW * size} pivots")


def behaviour_from_plans(tree: GameTree, sf: SequenceForm, plans: tuple[np.ndarray, ...]
                         ) -> np.ndarray:
    """Behaviour profile from realization plans: at each set the plan of its sequences in
    proportion (uniform where the actor's own plan gives the set no weight)."""
    b = np.zeros(tree.n_slots)
    for i in (0, 1):
        x = np.clip(plans[i], 0.0, None)
        slots = sf.seq_slot[i]
        for k in sf.infosets[i]:
            width = len(tree.infosets[k].actions)
            lo = int(tree.slot_offset[k])
            seqs = np.flatnonzero((slots >= lo) & (slots < lo + width))
            w = x[seqs]
            b[lo: lo + width] = w / w.sum() if w.sum() > PIVOT_TOL else 1.0 / width
    return b


def sequence_lcp(tree: GameTree) -> np.ndarray:
    """One equilibrium of a two-actor tree (flat behaviour vector) by Lemke's algorithm on
    the sequence-form LCP (module docstring)."""
    sf = sequence_form(tree)
    n1, n2 = sf.A.shape
    m1, m2 = sf.E.shape[0], sf.F.shape[0]
    has = sf.reach_mass > 0
    c1 = float(tree.payoffs[tree.kind == TERMINAL, 0].max(initial=0.0)) + 1.0
    c2 = float(tree.payoffs[tree.kind == TERMINAL, 1].max(initial=0.0)) + 1.0
    cost1 = np.where(has, c1 * sf.reach_mass - sf.A, 0.0)
    cost2 = np.where(has, c2 * sf.reach_mass - sf.B, 0.0)
    size = n1 + n2 + m1 + m2
    mm = np.zeros((size, size))
    x, y = slice(0, n1), slice(n1, n1 + n2)
    p, r = slice(n1 + n2, n1 + n2 + m1), slice(n1 + n2 + m1, size)
    mm[x, y] = cost1
    mm[x, p] = -sf.E.T
    mm[y, x] = cost2.T
    mm[y, r] = -sf.F.T
    mm[p, x] = sf.E
    mm[r, y] = sf.F
    q = np.zeros(size)
    q[n1 + n2] = -1.0
    q[n1 + n2 + m1] = -1.0
    z = lemke(mm, q)
    return behaviour_from_plans(tree, sf, (z[x], z[y]))
