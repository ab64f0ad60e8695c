"""Inverse analysis: which preferences would make a desired state stable?

Forward analysis takes preferences and finds stable states.  Inverse analysis
(in the spirit of Kinsara, Kilgour & Hipel's inverse GMCR) fixes a desired
state s (say, freeze-for-freeze) and an actor i, keeps everyone else's
preferences and all moves as they are, and characterises the orderings of i
under which s is stable for i by a chosen concept.

Key reduction.  Under Nash, GMR, SMR and SEQ the stability of s for i depends
on i's preferences only through the set ``B = {t : t ≻_i s}`` of states i
ranks strictly above s (SEQ sanctions are opponents' improvements, which do
not depend on i).  Writing ``x_t`` for "t ∈ B", stability is a conjunction of
one clause per move ``s → s1`` of i — and **every** clause must hold: a single
unsanctioned improvement makes s unstable whatever the other moves do:

- Nash: ``¬x_{s1}``;
- GMR / SEQ: ``¬x_{s1} ∨ ⋁_{s2 ∈ Sanctions(s1)} ¬x_{s2}``;
- SMR: ``¬x_{s1} ∨ ⋁_{s2} (¬x_{s2} ∧ ⋀_{s3 ∈ R_i(s2)} ¬x_{s3})``,

with ``x_s`` false (a sanction back to s always deters).  The sanctions of all
of i's moves come from one batched reachability call
(:func:`crisislab.conflict.reachability.reach_sets`).  The admissible sets B
form a down-set, so a state may ever be ranked above s iff {t} alone is
admissible (one vectorised check for all t).  Counts of full orderings follow
exactly: a set B of size b admits ``b!·(n−1−b)!`` strict orderings of the n
states and ``F(b)·Σ_e C(r, e)·F(r−e)`` weak orderings (F the ordered Bell
numbers, r = n−1−b).

Counting methods (the result names the one used):

``brute_force``
    every assignment of the constrained states (at most 2^20), exact.
``inclusion_exclusion``
    Nash, GMR and SEQ: each clause forbids B to contain a whole set F_m; the
    number of sets B of each size avoiding all of them is
    Σ_J (−1)^|J| C(U − |∪F_J|, b − |∪F_J|).  The 2^clauses unions are built as
    bitsets, whole-array, and grouped by their size, so only one binomial row
    per distinct union size is computed; exact.
``inclusion_exclusion`` for SMR
    a clause fails when B holds its move and meets every set T_u of a sanction
    and its escapes; inclusion–exclusion over the failing clauses and, inside,
    over the sets B must meet (a hitting-set count), grouped the same way; exact,
    used while its work stays within the same limit.
``sat``
    models enumerated with blocking clauses up to ``limit``: exact only when
    the enumeration finishes, otherwise a lower bound, which the result says.
    For SMR beyond the inclusion–exclusion limit the result carries the Nash
    count as a lower and the GMR count as an upper bound.

With ``equilibrium`` the state must also be stable for every other actor.
Under Nash, GMR and SMR that does not depend on i's preferences.  Under SEQ it
can (i's moves in a sanction against another actor must improve i's position,
a question of i's pairwise order, not of B): the others' SEQ stability is
first computed with i's moves counted as improvements never and always; where
both agree it does not depend on i (method ``reduction``), otherwise the
orderings are enumerated (``enumeration``, models of at most
:data:`SEQ_ENUMERATION_MAX_STATES` states, with weak orderings too) or, in larger
models, the others' SEQ conditions become clauses over i's pairwise order
(``clauses``, :mod:`crisislab.conflict.inverse_seq`: strict orderings, exact when
its model enumeration finishes within ``limit``; at most
:data:`~crisislab.conflict.inverse_seq.SEQ_CLAUSE_MAX_STATES` states involved).
Beyond both the question is refused up front with the sizes.  ``seq_method``
forces one of them.

:func:`prioritization_edits` answers the restricted question: with i's
preferences given as option-prioritization statements (boolean arrays over
states, most important first, weighted 2^(n−k)), which single statement
removed, moved or added makes s stable.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import scipy.sparse as sp

from crisislab.conflict.concepts import (
    BasicConcept,
    SanctionMode,
    check_basic_concept,
    check_mode,
)
from crisislab.conflict.graph import ConflictGraph
from crisislab.conflict.inverse_seq import SEQ_CLAUSE_MAX_STATES, count_by_clauses, involved_states
from crisislab.conflict.moves import improvement_moves
from crisislab.conflict.reachability import INF, dense_ranks, min_over_reach, reach_sets, state_keys
from crisislab.errors import input_error
from crisislab.provenance import Provenance
from crisislab.results import big_decimal

Method = Literal["auto", "brute_force", "inclusion_exclusion", "sat"]
SeqMethod = Literal["auto", "enumeration", "clauses"]
SEQ_METHODS: tuple[SeqMethod, ...] = ("auto", "enumeration", "clauses")
METHODS: tuple[Method, ...] = ("auto", "brute_force", "inclusion_exclusion", "sat")
BRUTE_FORCE_MAX_VARS = 20
INCLUSION_EXCLUSION_MAX_CLAUSES = 26
#: Weak-ordering counts need the ordered Bell numbers up to n − 1, O(n²) big-integer
#: additions; above this many states they are not computed (None).
WEAK_COUNT_MAX_STATES = 400
#: SEQ equilibria that depend on the varied actor's whole ordering are enumerated
#: over its n! strict orderings up to this many states.
SEQ_ENUMERATION_MAX_STATES = 8
ProgressCallback = Callable[[float, str], None]


def ordered_bell(n: int) -> int:
    """Number of weak orderings of n items (Fubini number)."""
    return _ordered_bells(n)[n]


_BELLS: list[int] = [1]


def _ordered_bells(n: int) -> list[int]:
    while len(_BELLS) <= n:
        m = len(_BELLS)
        row = 1
        total = 0
        for k in range(1, m + 1):  # C(m, k) F(m - k)
            row = row * (m - k + 1) // k
            total += row * _BELLS[m - k]
        _BELLS.append(total)
    return _BELLS


def weak_completions(b: int, r: int) -> int:
    """Weak orderings with exactly ``b`` given states above s and ``r`` tied with s or below."""
    bells = _ordered_bells(b + r)
    total = 0
    c = 1
    for e in range(r + 1):
        total += c * bells[r - e]
        c = c * (r - e) // (e + 1)
    return bells[b] * total


# --------------------------------------------------------------------------- clauses


@dataclass(frozen=True)
class Clause:
    """One improvement ``s → move`` that must not pay: either i does not prefer ``move`` to s,
    or one of ``sanctions`` deters it (for SMR a sanction deters only if none of the states
    i can reach from it, ``escapes[k]``, is preferred to s)."""

    move: int
    sanctions: tuple[int, ...]
    escapes: tuple[tuple[int, ...], ...] | None  # SMR only

    def variables(self) -> set[int]:
        """The move and sanction variables the clause mentions."""
        out = {self.move, *self.sanctions}
        for e in self.escapes or ():
            out.update(e)
        return out


def _row(mat: sp.csr_array, r: int) -> np.ndarray:
    return np.asarray(mat.indices[mat.indptr[r]:mat.indptr[r + 1]])


def stability_clauses(graph: ConflictGraph, state: int, actor: int, concept: BasicConcept, *,
                      mode: SanctionMode = "legal") -> list[Clause]:
    """The clauses over ``x_t = (t ≻_actor state)`` whose conjunction is stability."""
    check_basic_concept(concept)
    check_mode(mode)
    own = graph.moves[actor]
    moves = np.asarray(_row(own, state), dtype=np.int64)
    if concept == "nash":
        return [Clause(int(m), (), None) for m in moves]
    others = [a for a in range(graph.n_actors) if a != actor]
    mats = improvement_moves(graph) if concept == "seq" else graph.moves
    reach = reach_sets(mats, others, moves, mode)
    clauses = []
    for r, m in enumerate(moves.tolist()):
        sanc = [int(u) for u in _row(reach, r)]
        if concept == "smr":
            escapes = []
            kept = []
            for u in sanc:
                esc = tuple(int(v) for v in _row(own, u) if int(v) != state)
                if u == state and not esc:
                    break  # returning to s with no escape always deters
                kept.append(u)
                escapes.append(esc)
            else:
                clauses.append(Clause(m, tuple(kept), tuple(escapes)))
            continue
        if state in sanc:
            continue  # the sanction back to s always deters
        clauses.append(Clause(m, tuple(sanc), None))
    return clauses


def evaluate_clauses(clauses: Sequence[Clause], better: np.ndarray, state: int) -> np.ndarray:
    """Vectorised check: ``better`` (K, n) bool rows of B; returns (K,) stability."""
    x = np.array(better, dtype=bool, copy=True)
    x[:, state] = False
    ok = np.ones(x.shape[0], dtype=bool)
    for c in clauses:
        sat = ~x[:, c.move]
        if c.escapes is None:
            if c.sanctions:
                sat = sat | (~x[:, list(c.sanctions)]).any(axis=1)
        else:
            for u, esc in zip(c.sanctions, c.escapes, strict=True):
                term = ~x[:, u]
                if esc:
                    term = term & ~x[:, list(esc)].any(axis=1)
                sat = sat | term
        ok &= sat
    return ok


def _never_above(clauses: Sequence[Clause], variables: list[int], n: int,
                 state: int) -> tuple[int, ...]:
    """States no admissible ordering ranks above ``state``: the admissible sets are a
    down-set, so t qualifies iff {t} alone is inadmissible (one whole-array check)."""
    out: list[int] = []
    step = max(1, (1 << 24) // max(n, 1))
    for a in range(0, len(variables), step):
        chunk = variables[a:a + step]
        rows = np.zeros((len(chunk), n), dtype=bool)
        rows[np.arange(len(chunk)), chunk] = True
        ok = evaluate_clauses(clauses, rows, state)
        out.extend(t for t, good in zip(chunk, ok.tolist(), strict=True) if not good)
    return tuple(out)


# --------------------------------------------------------------------------- solvers


def _brute_force(clauses: Sequence[Clause], variables: list[int], n: int,
                 state: int) -> np.ndarray:
    k = len(variables)
    grid = ((np.arange(2 ** k, dtype=np.int64)[:, None] >> np.arange(k)) & 1).astype(bool)
    better = np.zeros((grid.shape[0], n), dtype=bool)
    better[:, variables] = grid
    ok = evaluate_clauses(clauses, better, state)
    return np.asarray(grid[ok])


def _sat(clauses: Sequence[Clause], variables: list[int], state: int,
         limit: int) -> tuple[np.ndarray, bool]:
    from pysat.solvers import Solver

    var, cnf = _cnf(clauses, variables, state)
    found: list[list[bool]] = []
    complete = True
    with Solver(name="g4", bootstrap_with=cnf) as solver:
        while solver.solve():
            if len(found) >= limit:
                complete = False  # another solution exists beyond the limit
                break
            model = solver.get_model()
            assert model is not None
            row = [model[var[t] - 1] > 0 for t in variables]
            found.append(row)
            block = [-var[t] if on else var[t] for t, on in zip(variables, row, strict=True)]
            if not block:
                break
            solver.add_clause(block)
    return np.array(found, dtype=bool).reshape(len(found), len(variables)), complete


def _cnf(clauses: Sequence[Clause], variables: list[int],
         state: int) -> tuple[dict[int, int], list[list[int]]]:
    var = {t: k + 1 for k, t in enumerate(variables)}
    next_var = len(variables) + 1
    aux: dict[tuple[int, tuple[int, ...]], int] = {}
    cnf: list[list[int]] = []
    for c in clauses:
        lits = [-var[c.move]]
        if c.escapes is None:
            lits += [-var[u] for u in c.sanctions if u != state]
        else:
            for u, esc in zip(c.sanctions, c.escapes, strict=True):
                key = (u, esc)
                if key not in aux:
                    aux[key] = next_var
                    next_var += 1
                    for v in {u, *esc} - {state}:
                        cnf.append([-aux[key], -var[v]])
                lits.append(aux[key])
        cnf.append(lits)
    return var, cnf


def _forbidden_sets(clauses: Sequence[Clause], state: int) -> list[frozenset[int]] | None:
    """Nash/GMR/SEQ clauses forbid B from containing a whole set; None for SMR clauses."""
    out = []
    for c in clauses:
        if c.escapes is not None:
            return None
        out.append(frozenset({c.move, *c.sanctions} - {state}))
    return out


def _minimal(forbidden: Sequence[frozenset[int]]) -> list[frozenset[int]]:
    """Drop forbidden sets that contain another (they are implied by it)."""
    sets = sorted(set(forbidden), key=len)
    out: list[frozenset[int]] = []
    for f in sets:
        if not any(g <= f for g in out):
            out.append(f)
    return out


_POPCOUNT = np.array([bin(v).count("1") for v in range(256)], dtype=np.uint8)
#: Bytes of subset unions held at once while counting by inclusion–exclusion.
_UNION_BLOCK_BYTES = 1 << 22
#: Refuse inclusion–exclusion (and fall back to SAT) above this many byte operations.
INCLUSION_EXCLUSION_MAX_WORK = 1 << 33


def union_size_coefficients(forbidden: Sequence[frozenset[int]]) -> dict[int, int]:
    """Σ over subsets J of the forbidden sets of (−1)^|J|, grouped by |∪F_J|.

    The unions are bitsets over the states involved, built for all 2^k subsets by
    doubling (the subsets containing set j are those without it, OR F_j), block by
    block so that memory stays bounded; union sizes are byte popcounts.
    """
    sets = list(forbidden)
    k = len(sets)
    involved = sorted(set().union(*sets)) if sets else []
    pos = {t: p for p, t in enumerate(involved)}
    nbytes = max(1, (len(involved) + 7) // 8)
    masks = np.zeros((k, nbytes), dtype=np.uint8)
    for j, f in enumerate(sets):
        for t in f:
            p = pos[t]
            masks[j, p // 8] |= np.uint8(1 << (p % 8))
    low = min(k, max(0, int(math.log2(_UNION_BLOCK_BYTES // nbytes))))
    # all subsets of the first `low` sets: unions and signs, by doubling
    unions = np.zeros((1, nbytes), dtype=np.uint8)
    signs = np.ones(1, dtype=np.int64)
    for j in range(low):
        unions = np.concatenate([unions, unions | masks[j]])
        signs = np.concatenate([signs, -signs])
    coeff = np.zeros(len(involved) + 1, dtype=np.int64)
    for hi in range(1 << (k - low)):
        extra = np.zeros(nbytes, dtype=np.uint8)
        sign = 1
        for j in range(k - low):
            if hi >> j & 1:
                extra |= masks[low + j]
                sign = -sign
        sizes = _POPCOUNT[unions | extra].sum(axis=1, dtype=np.int64)
        np.add.at(coeff, sizes, signs * sign)
    return {u: int(c) for u, c in enumerate(coeff.tolist()) if c}


def sizes_from_coefficients(coeff: dict[int, int], universe: int) -> list[int]:
    """Number of sets of each size b (0..universe) avoiding every forbidden set:
    Σ_u c_u C(universe − u, b − u), one binomial row per distinct union size u."""
    counts = [0] * (universe + 1)
    for u, c in coeff.items():
        m = universe - u
        binom = 1
        for j in range(m + 1):
            counts[u + j] += c * binom
            binom = binom * (m - j) // (j + 1)
    return counts


def inclusion_exclusion_work(forbidden: Sequence[frozenset[int]]) -> int:
    """Byte operations :func:`_inclusion_exclusion` would take (2^sets × bitset bytes)."""
    minimal = [f for f in _minimal(forbidden) if len(f) > 1]
    involved = len(set().union(*minimal)) if minimal else 0
    return (1 << len(minimal)) * max(1, (involved + 7) // 8)


def _inclusion_exclusion(forbidden: list[frozenset[int]], universe: int) -> list[int]:
    """Exact number of sets B (by size) over ``universe`` states containing no forbidden set."""
    minimal = _minimal(forbidden)
    singles = {next(iter(f)) for f in minimal if len(f) == 1}
    rest = [f for f in minimal if len(f) > 1]
    if any(not f for f in minimal):
        return [0] * (universe + 1)
    inner = sizes_from_coefficients(union_size_coefficients(rest), universe - len(singles))
    return inner + [0] * len(singles)


#: SMR inclusion–exclusion enumerates subsets of clauses: at most this many clauses.
SMR_MAX_CLAUSES = 16


def _smr_families(clauses: Sequence[Clause], state: int
                  ) -> list[tuple[frozenset[int], list[frozenset[int]]]] | None:
    """For every subset J of the SMR clauses (bitmask order): the moves M_J that J's
    violation puts in B, and the minimal sets T_u (a sanction and its escapes) that B must
    then all meet.  None when there are too many clauses."""
    if len(clauses) > SMR_MAX_CLAUSES:
        return None
    tsets = [[frozenset({u, *e} - {state}) for u, e in zip(c.sanctions, c.escapes or (),
                                                            strict=True)] for c in clauses]
    out = []
    for mask in range(1 << len(clauses)):
        moves = frozenset(clauses[j].move for j in range(len(clauses)) if mask >> j & 1)
        family = {t for j in range(len(clauses)) if mask >> j & 1 for t in tsets[j]
                  if not t & moves}
        out.append((moves, _minimal(list(family))))
    return out


def smr_inclusion_exclusion_work(clauses: Sequence[Clause], state: int) -> int | None:
    """Byte operations of :func:`_smr_inclusion_exclusion` (None: too many clauses)."""
    fams = _smr_families(clauses, state)
    if fams is None:
        return None
    return sum(inclusion_exclusion_work(f) for _, f in fams)


def _ie_work(clauses: Sequence[Clause], forbidden: Sequence[frozenset[int]] | None,
             state: int) -> int:
    """Work of exact counting by inclusion–exclusion (a huge number when not possible)."""
    if forbidden is not None:
        return inclusion_exclusion_work(forbidden)
    work = smr_inclusion_exclusion_work(clauses, state)
    return work if work is not None else 1 << 62


def _smr_inclusion_exclusion(clauses: Sequence[Clause], state: int,
                             universe: int) -> list[int]:
    """Exact number of admissible sets B (by size) under SMR clauses.

    A clause fails when B holds its move and meets every T_u of its sanctions.  By
    inclusion–exclusion over the failing clauses J, and inside over the sets T_u that
    B is required to meet (a hitting-set count), the number of B of size b is
    Σ_J Σ_K (−1)^(|J|+|K|) C(U − |M_J| − |∪K|, b − |M_J|), grouped by (|M_J|, |∪K|).
    """
    fams = _smr_families(clauses, state)
    assert fams is not None
    table: dict[tuple[int, int], int] = {}
    for mask, (moves, family) in enumerate(fams):
        sign = -1 if bin(mask).count("1") % 2 else 1
        for w, c in union_size_coefficients(family).items():
            key = (len(moves), w)
            table[key] = table.get(key, 0) + sign * c
    counts = [0] * (universe + 1)
    for (a, w), c in table.items():
        if not c:
            continue
        m = universe - a - w
        binom = 1
        for j in range(m + 1):
            counts[a + j] += c * binom
            binom = binom * (m - j) // (j + 1)
    return counts


# --------------------------------------------------------------------------- SEQ equilibrium


def _empty(n: int) -> sp.csr_array:
    return sp.csr_array((n, n), dtype=bool)


def _seq_stable_at(graph: ConflictGraph, j: int, state: int, mats: Sequence[sp.csr_array],
                   targets: np.ndarray, rank_j: np.ndarray, mode: SanctionMode) -> bool:
    """Is ``state`` SEQ-stable for j when the others' improvements are ``mats``?"""
    n = graph.n_states
    reach = min_over_reach(mats, range(len(mats)), state_keys(rank_j), mode)
    least = np.where(reach != INF, reach // n, n)
    return bool(np.all(least[targets] <= rank_j[state]))


@dataclass(frozen=True)
class SeqDependence:
    """How the other actors' SEQ stability of a state depends on the varied actor."""

    stable: tuple[int, ...]      # stable whatever the varied actor prefers
    blocked: tuple[int, ...]     # unstable whatever it prefers
    dependent: tuple[int, ...]   # depends on its pairwise order


def seq_dependence(graph: ConflictGraph, state: int, actor: int,
                   mode: SanctionMode = "legal") -> SeqDependence:
    """Classify the other actors at ``state`` under SEQ.  A sanction against j may use
    ``actor``'s moves only where they improve ``actor``; more such moves only add
    sanctions, so j is stable for every ordering iff it is stable when ``actor`` never
    improves, and unstable for every ordering iff it is unstable when every move of
    ``actor`` counts as an improvement."""
    ui = improvement_moves(graph)
    n = graph.n_states
    stable, blocked, dependent = [], [], []
    for j in range(graph.n_actors):
        if j == actor:
            continue
        targets = np.asarray(_row(ui[j], state), dtype=np.int64)
        if not targets.size:
            stable.append(j)
            continue
        rank_j = dense_ranks(graph.payoffs[j])
        others = [k for k in range(graph.n_actors) if k != j]
        never = [ui[k] if k != actor else _empty(n) for k in others]
        always = [ui[k] if k != actor else graph.moves[actor] for k in others]
        if _seq_stable_at(graph, j, state, never, targets, rank_j, mode):
            stable.append(j)
        elif not _seq_stable_at(graph, j, state, always, targets, rank_j, mode):
            blocked.append(j)
        else:
            dependent.append(j)
    return SeqDependence(tuple(stable), tuple(blocked), tuple(dependent))


def enumerate_orderings(n: int, weak: bool = False) -> np.ndarray:
    """Every strict (or weak) ordering of n states as levels per state, higher = better."""
    if not weak:
        perms = np.array(list(itertools.permutations(range(n))), dtype=np.int64).reshape(-1, n)
        return perms
    grid = np.indices((n,) * n, dtype=np.int8).reshape(n, -1).T if n else np.zeros((1, 0))
    used = np.zeros((grid.shape[0], n), dtype=bool)
    np.put_along_axis(used, grid.astype(np.int64), True, axis=1)
    k = used.sum(axis=1)
    top = grid.max(axis=1) + 1 if n else np.zeros(1)
    return np.asarray(grid[k == top], dtype=np.int64)


def _seq_equilibrium_by_enumeration(graph: ConflictGraph, state: int, actor: int,
                                    clauses: Sequence[Clause], dependent: Sequence[int],
                                    mode: SanctionMode, weak: bool) -> np.ndarray:
    """Levels (K, n) of the orderings of ``actor`` under which ``state`` is a SEQ
    equilibrium (``actor`` stable by the clauses, each dependent actor by the kernel)."""
    n = graph.n_states
    levels = enumerate_orderings(n, weak)
    ok = evaluate_clauses(clauses, levels > levels[:, [state]], state)
    own = graph.moves[actor]
    src = np.repeat(np.arange(n), np.diff(own.indptr))
    dst = own.indices.astype(np.int64)
    orient = levels[:, dst] > levels[:, src]
    ui = improvement_moves(graph)
    keys, inverse = np.unique(orient, axis=0, return_inverse=True)
    good = np.ones(keys.shape[0], dtype=bool)
    for j in dependent:
        targets = np.asarray(_row(ui[j], state), dtype=np.int64)
        rank_j = dense_ranks(graph.payoffs[j])
        others = [k for k in range(graph.n_actors) if k != j]
        for r, key in enumerate(keys):
            if not good[r]:
                continue
            mine = sp.csr_array((np.ones(int(key.sum()), dtype=bool), (src[key], dst[key])),
                                shape=(n, n))
            mats = [ui[k] if k != actor else mine for k in others]
            good[r] = _seq_stable_at(graph, j, state, mats, targets, rank_j, mode)
    return levels[ok & good[inverse.reshape(-1)]]


# --------------------------------------------------------------------------- result


@dataclass(frozen=True)
class InverseResult:
    """Orderings of ``actor`` under which ``state`` is stable (or an equilibrium).

    ``count_strict`` and ``count_weak`` count full orderings of the n states (strict,
    and with ties); ``count_weak`` is None above :data:`WEAK_COUNT_MAX_STATES` states
    unless enumerated.  ``exact`` is False when the counts are lower bounds (SAT
    enumeration stopped at its limit).  ``sets_by_size`` counts the admissible sets
    of states ranked above the desired one, by size (empty when the answer is not a
    function of that set: SEQ equilibria by enumeration).
    """

    actor: str
    state: int
    concept: str
    requirement: str  # "stable" or "equilibrium"
    n_states: int
    constraints: tuple[Clause, ...]
    free_states: tuple[int, ...]
    sets_by_size: tuple[int, ...]
    exact: bool
    method: str
    blocked_by: tuple[str, ...]  # other actors for whom the state is unstable (equilibrium)
    samples: tuple[tuple[int, ...], ...]  # strict orderings, best first
    must_not_prefer: tuple[int, ...]  # states i may never rank above s
    provenance: Provenance = field(compare=False)
    count_strict: int = 0
    count_weak: int | None = None
    equilibrium_method: str | None = None
    sampling: str = "uniform"
    count_strict_upper: int | None = None  # when not exact: an upper bound (SMR: the GMR count)

    @property
    def count_sets(self) -> int:
        """Number of solution sets, all sizes together."""
        return sum(self.sets_by_size)

    def __repr__(self) -> str:
        digits = len(big_decimal(self.count_strict))
        count = str(self.count_strict) if digits <= 12 else f"a {digits}-digit number of"
        bound = "" if self.exact else " (lower bound)"
        return (f"InverseResult({self.actor}, s{self.state + 1} {self.requirement} by "
                f"{self.concept.upper()}: {count} strict orderings{bound}; "
                f"method {self.method}, {len(self.constraints)} constraints)")

    @property
    def count_total(self) -> int:
        """Number of strict orderings of the n states (n!)."""
        return math.factorial(self.n_states)

    @property
    def share_strict(self) -> float:
        """Share of all strict orderings (n! of them) that meet the requirement."""
        return self.count_strict / self.count_total

    def to_dict(self) -> dict[str, Any]:
        """Plain data; states by ordinal id (index + 1), as everywhere in crisislab."""
        return {
            "actor": self.actor, "state": self.state + 1, "concept": self.concept,
            "requirement": self.requirement, "n_states": self.n_states,
            "exact": self.exact, "method": self.method,
            "equilibrium_method": self.equilibrium_method,
            "count_sets": _json_count(self.count_sets) if self.sets_by_size else None,
            "count_strict": _json_count(self.count_strict),
            "count_strict_upper": _json_count(self.count_strict_upper),
            "count_weak": _json_count(self.count_weak),
            "sets_by_size": [_json_count(c) for c in self.sets_by_size],
            "blocked_by": list(self.blocked_by),
            "must_not_prefer": [t + 1 for t in self.must_not_prefer],
            "constraints": [{"move": c.move + 1, "sanctions": [u + 1 for u in c.sanctions],
                             "escapes": None if c.escapes is None
                             else [[v + 1 for v in e] for e in c.escapes]}
                            for c in self.constraints],
            "samples": [[t + 1 for t in x] for x in self.samples],
            "sampling": self.sampling,
            "provenance": self.provenance.model_dump(),
        }


#: Counts at or above this are written to JSON as decimal strings (exact, and readable by
#: JSON tools that hold numbers as doubles).
JSON_INT_LIMIT = 2 ** 53


def _json_count(x: int | None) -> int | str | None:
    return x if x is None or x < JSON_INT_LIMIT else big_decimal(x)


def _actor_index(graph: ConflictGraph, actor: str | int) -> int:
    if isinstance(actor, str):
        if actor not in graph.actors:
            raise input_error(f"unknown actor {actor!r}", value=actor,
                              expected="one of " + ", ".join(graph.actors))
        return graph.actor_index(actor)
    if not 0 <= int(actor) < graph.n_actors:
        raise input_error(f"actor index {actor} out of range", value=actor,
                          expected=f"0..{graph.n_actors - 1}")
    return int(actor)


def _strict_from_sizes(by_size: Sequence[int], n: int) -> int:
    r = n - 1
    total = 0
    fact = [1] * (n + 1)
    for k in range(1, n + 1):
        fact[k] = fact[k - 1] * k
    for b, c in enumerate(by_size):
        if c:
            total += c * fact[b] * fact[r - b]
    return total


def _weak_from_sizes(by_size: Sequence[int], n: int) -> int:
    r = n - 1
    return sum(c * weak_completions(b, r - b) for b, c in enumerate(by_size) if c)


def estimate_inverse_work(graph: ConflictGraph, state: int, actor: str | int,
                          concept: BasicConcept, *, mode: SanctionMode = "legal") -> str | None:
    """None if :func:`inverse_stability` can answer exactly, else why not (the size guard
    of the command line): SMR beyond brute force gives lower bounds only."""
    i = _actor_index(graph, actor)
    clauses = stability_clauses(graph, state, i, concept, mode=mode)
    variables = set().union(*(c.variables() for c in clauses)) - {state} if clauses else set()
    if len(variables) <= BRUTE_FORCE_MAX_VARS:
        return None
    forbidden = _forbidden_sets(clauses, state)
    if forbidden is None:
        smr_work = smr_inclusion_exclusion_work(clauses, state)
        if smr_work is not None and smr_work <= INCLUSION_EXCLUSION_MAX_WORK:
            return None
        why = (f"{len(clauses)} moves (at most {SMR_MAX_CLAUSES})" if smr_work is None
               else f"about {smr_work:,} byte operations (limit "
               f"{INCLUSION_EXCLUSION_MAX_WORK:,})")
        return (f"exact SMR counting by inclusion–exclusion would need {why}: counts will "
                "be bounds (between the Nash and GMR counts)")
    work = inclusion_exclusion_work(forbidden)
    if work > INCLUSION_EXCLUSION_MAX_WORK:
        return (f"inclusion–exclusion would take about {work:,} byte operations (limit "
                f"{INCLUSION_EXCLUSION_MAX_WORK:,}): counts will be lower bounds")
    return None

#: Weak orderings are enumerated (for SEQ equilibria) up to this many states.
WEAK_ENUMERATION_MAX_STATES = 7


def inverse_stability(graph: ConflictGraph, state: int, actor: str | int,
                      concept: BasicConcept = "gmr", *, equilibrium: bool = False,
                      mode: SanctionMode = "legal", method: Method = "auto",
                      limit: int = 2_000, samples: int = 5, seed: int = 0,
                      lens: str | None = None,
                      progress: ProgressCallback | None = None,
                      seq_method: SeqMethod = "auto") -> InverseResult:
    """Characterise the orderings of ``actor`` under which ``state`` (0-based) is stable.

    With ``equilibrium`` the state must also be stable for every other actor under their
    current preferences (see the module doc for SEQ, where that can depend on ``actor``;
    ``seq_method`` chooses how: ``auto`` — reduction where it applies, else enumeration
    up to :data:`SEQ_ENUMERATION_MAX_STATES` states, else clauses; ``enumeration`` or
    ``clauses`` forces one).
    """
    _check_inputs(graph, state, concept, mode, method, seq_method)
    i = _actor_index(graph, actor)
    n = graph.n_states

    def tick(frac: float, what: str) -> None:
        if progress is not None:
            progress(frac, what)

    tick(0.0, "sanctions of every move")
    blocked, dependent, eq_method = _other_actors(graph, state, i, concept, mode,
                                                  seq_method) if equilibrium \
        else ([], (), None)
    clauses = stability_clauses(graph, state, i, concept, mode=mode)
    constrained = sorted(set().union(*(c.variables() for c in clauses)) - {state}) if clauses \
        else []
    free = [t for t in range(n) if t != state and t not in constrained]
    forbidden = _forbidden_sets(clauses, state)
    rng = np.random.default_rng(seed)
    tick(0.3, "counting orderings")
    if eq_method == "enumeration":
        return _enumerated_result(graph, state, i, concept, clauses, constrained, free,
                                  dependent, mode, samples, seed, rng, lens, limit)
    if eq_method == "clauses":
        return _clause_result(graph, state, i, concept, clauses, constrained, free,
                              dependent, mode, samples, seed, rng, lens, limit)
    if method == "auto":
        if len(constrained) <= BRUTE_FORCE_MAX_VARS:
            method = "brute_force"
        elif _ie_work(clauses, forbidden, state) <= INCLUSION_EXCLUSION_MAX_WORK:
            method = "inclusion_exclusion"
        else:
            method = "sat"
    by_size, exact, drawn, sampling = _count(method, clauses, constrained, free, forbidden,
                                             state, n, samples, limit, rng)
    tick(0.8, "states never preferred")
    never = _never_above(clauses, constrained, n, state)
    if blocked:
        by_size = [0] * len(by_size)
        drawn = []
    strict = _strict_from_sizes(by_size, n)
    weak = _weak_from_sizes(by_size, n) if n <= WEAK_COUNT_MAX_STATES else None
    upper: int | None = None
    if not exact and concept == "smr" and not blocked:
        # Nash-stable => SMR-stable => GMR-stable for i: exact bounds on the SMR count
        tick(0.9, "bounds from Nash and GMR")
        nash = inverse_stability(graph, state, i, "nash", mode=mode, samples=0)
        gmr = inverse_stability(graph, state, i, "gmr", mode=mode, samples=0)
        strict = max(strict, nash.count_strict)
        upper = gmr.count_strict
        if weak is not None and nash.count_weak is not None:
            weak = max(weak, nash.count_weak)
    tick(1.0, "done")
    prov = Provenance(method="gmcr.inverse",
                      parameters={"state": state + 1, "actor": graph.actors[i],
                                  "concept": concept, "equilibrium": equilibrium,
                                  "mode": mode, "solver": method,
                                  "equilibrium_method": eq_method, "limit": limit,
                                  "samples": samples},
                      lens=lens, seed=seed)
    return InverseResult(graph.actors[i], state, concept,
                         "equilibrium" if equilibrium else "stable", n, tuple(clauses),
                         tuple(free), tuple(by_size), exact, method, tuple(blocked),
                         tuple(tuple(x) for x in drawn), never, prov,
                         count_strict=strict, count_weak=weak, equilibrium_method=eq_method,
                         sampling=sampling, count_strict_upper=upper)


def _count(method: str, clauses: list[Clause], constrained: list[int], free: list[int],
           forbidden: list[frozenset[int]] | None, state: int, n: int, samples: int,
           limit: int, rng: np.random.Generator
           ) -> tuple[list[int], bool, list[list[int]], str]:
    """Orderings counted by the number of states above ``state`` (``by_size``), whether
    the count is exact, the sampled orderings and how they were drawn."""
    sampling = "uniform"
    by_size: list[int]
    if method == "inclusion_exclusion":
        if forbidden is None:
            if smr_inclusion_exclusion_work(clauses, state) is None:
                raise input_error(f"inclusion–exclusion for SMR handles at most "
                                  f"{SMR_MAX_CLAUSES} moves", value=len(clauses),
                                  expected="method='sat' or 'brute_force'")
            by_size = _smr_inclusion_exclusion(clauses, state, n - 1)
        else:
            by_size = _inclusion_exclusion(forbidden, n - 1)
        exact = True
        drawn, sampling = _rejection_samples(clauses, state, n, samples, rng)
        if len(drawn) < samples:
            sols, _ = _sat(clauses, constrained, state, min(limit, 2_000))
            drawn += _sample(sols, constrained, free, state, n, samples - len(drawn), rng)
            sampling = "examples"
    elif method in ("brute_force", "sat"):
        if method == "brute_force":
            if len(constrained) > 26:
                raise input_error(f"{len(constrained)} constrained states are too many for "
                                  "brute force", value=len(constrained), expected="method='sat'")
            sols = _brute_force(clauses, constrained, n, state)
            exact = True
        else:
            sols, exact = _sat(clauses, constrained, state, limit)
        hist = np.bincount(sols.sum(axis=1), minlength=len(constrained) + 1) if len(sols) \
            else np.zeros(len(constrained) + 1, dtype=np.int64)
        by_size = [0] * n
        f = len(free)
        for b, c in enumerate(hist.tolist()):
            if c:
                binom = 1
                for j in range(f + 1):
                    by_size[b + j] += int(c) * binom
                    binom = binom * (f - j) // (j + 1)
        drawn = _sample(sols, constrained, free, state, n, samples, rng) if len(sols) else []
        sampling = "uniform" if exact else "examples"
    else:  # pragma: no cover - checked above
        raise AssertionError(method)
    return by_size, exact, drawn, sampling


def _check_inputs(graph: ConflictGraph, state: int, concept: str, mode: str, method: str,
                  seq_method: str) -> None:
    check_basic_concept(concept)
    check_mode(mode)
    if method not in METHODS:
        raise input_error(f"unknown method {method!r}", value=method,
                          expected=", ".join(METHODS))
    check_seq_method(seq_method)
    if not 0 <= state < graph.n_states:
        raise input_error(f"state {state + 1} does not exist", value=state + 1,
                          expected=f"1..{graph.n_states}")


def _other_actors(graph: ConflictGraph, state: int, i: int, concept: BasicConcept,
                  mode: SanctionMode, seq_method: SeqMethod
                  ) -> tuple[list[str], tuple[int, ...], str]:
    """For an equilibrium question: the other actors for whom ``state`` is unstable
    whatever ``i``'s ordering, those whose SEQ stability depends on it, and the method."""
    if concept == "seq":
        dep = seq_dependence(graph, state, i, mode)
        blocked = [graph.actors[j] for j in dep.blocked]
        method = _seq_equilibrium_method(graph, state, i, dep.dependent, bool(blocked),
                                         seq_method, mode)
        return blocked, dep.dependent, method
    from crisislab.conflict.stability import analyze_stability

    st = analyze_stability(graph, (concept,), mode=mode).stable[concept]
    return ([graph.actors[j] for j in range(graph.n_actors) if j != i and not st[j, state]],
            (), "reduction")


def check_seq_method(seq_method: str) -> SeqMethod:
    """``seq_method`` if it names a SEQ equilibrium method; an input error otherwise."""
    if seq_method not in SEQ_METHODS:
        raise input_error(f"unknown SEQ equilibrium method {seq_method!r}", value=seq_method,
                          expected=", ".join(SEQ_METHODS))
    return seq_method


def _seq_equilibrium_method(graph: ConflictGraph, state: int, i: int,
                            dependent: Sequence[int], blocked: bool, seq_method: SeqMethod,
                            mode: SanctionMode) -> str:
    """reduction, enumeration or clauses (see the module doc); a question neither exact
    method can answer at this size is refused here, before any counting, with both limits."""
    n = graph.n_states
    if blocked:
        return "reduction"  # unstable for another actor whatever i prefers: zero
    if seq_method == "auto":
        if not dependent:
            return "reduction"
        seq_method = "enumeration" if n <= SEQ_ENUMERATION_MAX_STATES else "clauses"
    names = ", ".join(graph.actors[j] for j in dependent) or "the other actors"
    why = (f"under SEQ the stability of this state for {names} depends on "
           f"{graph.actors[i]}'s ordering (its moves in their sanctions must be improvements "
           "for it)")
    if seq_method == "enumeration":
        if n > SEQ_ENUMERATION_MAX_STATES:
            raise input_error(
                f"{why}; enumerating its orderings needs at most {SEQ_ENUMERATION_MAX_STATES} "
                f"states (this model has {n})", value=n,
                expected=f"a model of at most {SEQ_ENUMERATION_MAX_STATES} states, or "
                "--seq-method clauses")
        return "enumeration"
    forbidden = _forbidden_sets(stability_clauses(graph, state, i, "seq", mode=mode), state)
    assert forbidden is not None
    m = len(involved_states(graph, state, i, forbidden, dependent, mode))
    if m > SEQ_CLAUSE_MAX_STATES:
        raise input_error(
            f"{why}; that is counted exactly by enumerating its orderings (models of at most "
            f"{SEQ_ENUMERATION_MAX_STATES} states; this one has {n}) or by clauses over its "
            f"pairwise order, whose count runs over subsets of the states involved (at most "
            f"{SEQ_CLAUSE_MAX_STATES}; this question involves {m})",
            value=m, expected=f"at most {SEQ_CLAUSE_MAX_STATES} involved states, or the "
            "stable-only question (without --equilibrium)")
    return "clauses"


def _clause_result(graph: ConflictGraph, state: int, i: int, concept: BasicConcept,
                   clauses: Sequence[Clause], constrained: list[int], free: list[int],
                   dependent: Sequence[int], mode: SanctionMode, samples: int, seed: int,
                   rng: np.random.Generator, lens: str | None, limit: int) -> InverseResult:
    n = graph.n_states
    forbidden = _forbidden_sets(clauses, state)
    assert forbidden is not None
    found = count_by_clauses(graph, state, i, forbidden, dependent, constrained, mode, limit,
                             samples, rng)
    never = found.never_above if found.never_above is not None \
        else _never_above(clauses, constrained, n, state)
    prov = Provenance(method="gmcr.inverse",
                      parameters={"state": state + 1, "actor": graph.actors[i],
                                  "concept": concept, "equilibrium": True, "mode": mode,
                                  "solver": "clauses", "equilibrium_method": "clauses",
                                  "limit": limit, "samples": samples,
                                  "involved_states": len(found.involved),
                                  "solutions": found.models},
                      lens=lens, seed=seed)
    return InverseResult(graph.actors[i], state, concept, "equilibrium", n, tuple(clauses),
                         tuple(free), (), found.exact, "clauses", (), found.samples, never,
                         prov, count_strict=found.count, count_weak=None,
                         equilibrium_method="clauses", sampling="examples")


def _enumerated_result(graph: ConflictGraph, state: int, i: int, concept: BasicConcept,
                       clauses: Sequence[Clause], constrained: list[int], free: list[int],
                       dependent: Sequence[int], mode: SanctionMode, samples: int, seed: int,
                       rng: np.random.Generator, lens: str | None,
                       limit: int) -> InverseResult:
    n = graph.n_states
    strict = _seq_equilibrium_by_enumeration(graph, state, i, clauses, dependent, mode, False)
    weak = (int(_seq_equilibrium_by_enumeration(graph, state, i, clauses, dependent, mode,
                                                True).shape[0])
            if n <= WEAK_ENUMERATION_MAX_STATES else None)
    drawn: list[list[int]] = []
    if strict.shape[0]:
        for r in rng.choice(strict.shape[0], size=min(samples, strict.shape[0]), replace=False):
            drawn.append([int(t) for t in np.argsort(-strict[r], kind="stable")])
    never = tuple(t for t in constrained if not (strict[:, t] > strict[:, [state]][:, 0]).any()) \
        if strict.shape[0] else _never_above(clauses, constrained, n, state)
    prov = Provenance(method="gmcr.inverse",
                      parameters={"state": state + 1, "actor": graph.actors[i],
                                  "concept": concept, "equilibrium": True, "mode": mode,
                                  "solver": "enumeration", "equilibrium_method": "enumeration",
                                  "limit": limit, "samples": samples},
                      lens=lens, seed=seed)
    return InverseResult(graph.actors[i], state, concept, "equilibrium", n, tuple(clauses),
                         tuple(free), (), True, "enumeration", (),
                         tuple(tuple(x) for x in drawn), never, prov,
                         count_strict=int(strict.shape[0]), count_weak=weak,
                         equilibrium_method="enumeration", sampling="uniform")


def _rejection_samples(clauses: Sequence[Clause], state: int, n: int, k: int,
                       rng: np.random.Generator, tries: int = 4_000
                       ) -> tuple[list[list[int]], str]:
    """Up to ``k`` strict orderings drawn uniformly: random orderings kept when admissible."""
    out: list[list[int]] = []
    chunk = max(1, min(tries, (1 << 23) // max(n, 1)))
    done = 0
    while len(out) < k and done < tries:
        order = np.argsort(rng.random((chunk, n)), axis=1)  # best first
        level = np.empty_like(order)
        np.put_along_axis(level, order, np.arange(n - 1, -1, -1)[None, :].repeat(chunk, 0), 1)
        ok = evaluate_clauses(clauses, level > level[:, [state]], state)
        for r in np.flatnonzero(ok)[:k - len(out)]:
            out.append([int(t) for t in order[r]])
        done += chunk
    return out, "uniform"


def _sample(sols: np.ndarray, constrained: list[int], free: list[int], state: int, n: int,
            k: int, rng: np.random.Generator) -> list[list[int]]:
    """Strict orderings drawn uniformly from those consistent with the enumerated sets.

    The weight of a solution depends only on its size b, so weights are computed once per
    size (in logarithms) and a size is drawn first, then a solution of that size.
    """
    if not len(sols) or k <= 0:
        return []
    sizes = sols.sum(axis=1)
    f = len(free)
    lf = [math.lgamma(x + 1) for x in range(n + 1)]

    def log_terms(b: int) -> np.ndarray:
        return np.array([math.lgamma(f + 1) - lf[j] - lf[f - j] + lf[b + j] + lf[n - 1 - b - j]
                         for j in range(f + 1)])

    distinct, counts = np.unique(sizes, return_counts=True)
    logs = {int(b): log_terms(int(b)) for b in distinct}
    group_log = np.array([math.log(c) + float(np.logaddexp.reduce(logs[int(b)]))
                          for b, c in zip(distinct, counts, strict=True)])
    p_group = np.exp(group_log - group_log.max())
    p_group /= p_group.sum()
    out = []
    for _ in range(k):
        b = int(distinct[rng.choice(distinct.size, p=p_group)])
        rows = np.flatnonzero(sizes == b)
        row = sols[rows[rng.integers(rows.size)]]
        above = [t for t, on in zip(constrained, row, strict=True) if on]
        w = np.exp(logs[b] - logs[b].max())
        j = int(rng.choice(f + 1, p=w / w.sum()))
        extra = list(rng.permutation(free)[:j]) if f else []
        above = above + [int(t) for t in extra]
        below = [t for t in range(n) if t != state and t not in above]
        out.append([int(t) for t in rng.permutation(above)] + [state]
                   + [int(t) for t in rng.permutation(below)])
    return out


# --------------------------------------------------------------------------- prioritization


@dataclass(frozen=True)
class PrioritizationEdit:
    """One single-statement change and whether it makes the desired state stable."""

    kind: str  # "remove", "move", "add"
    statement: str
    position: int | None  # 1-based position after the edit (move/add)
    makes_stable: bool
    ranking: tuple[float, ...] = field(repr=False)



def prioritization_payoffs(statements: Sequence[np.ndarray]) -> np.ndarray:
    """Standard scoring: statement k of n (1 = most important) weighs 2^(n−k) when true."""
    n = len(statements)
    if n == 0:
        raise input_error("at least one prioritization statement is needed", value=[])
    total = np.zeros(np.asarray(statements[0]).shape[0])
    for k, st in enumerate(statements):
        total += np.asarray(st, dtype=bool) * float(2 ** (n - 1 - k))
    return total


@dataclass(frozen=True)
class EditsResult:
    """All single edits tried, those that work first."""

    actor: str
    state: int
    concept: str
    already_stable: bool
    edits: tuple[PrioritizationEdit, ...]
    provenance: Provenance = field(compare=False)

    @property
    def working(self) -> list[PrioritizationEdit]:
        """The edits that make the state stable."""
        return [e for e in self.edits if e.makes_stable]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data; states by ordinal id."""
        return {"actor": self.actor, "state": self.state + 1, "concept": self.concept,
                "already_stable": self.already_stable,
                "edits": [{"kind": e.kind, "statement": e.statement, "position": e.position,
                           "makes_stable": e.makes_stable} for e in self.edits],
                "provenance": self.provenance.model_dump()}


def option_literals(graph: ConflictGraph,
                    option_ids: Sequence[str]) -> list[tuple[str, np.ndarray]]:
    """Candidate statements "o" and "not o" for every option, as boolean arrays over states."""
    out = []
    for k, oid in enumerate(option_ids):
        on = ((graph.codes >> k) & 1).astype(bool)
        out.append((oid, on))
        out.append((f"not {oid}", ~on))
    return out


def prioritization_edits(graph: ConflictGraph, state: int, actor: str | int,
                         statements: Sequence[tuple[str, np.ndarray]], *,
                         concept: BasicConcept = "gmr",
                         candidates: Sequence[tuple[str, np.ndarray]] = (),
                         mode: SanctionMode = "legal",
                         lens: str | None = None) -> EditsResult:
    """Which single statement removed, moved or added (from ``candidates``) makes ``state``
    stable for ``actor``.  Statements are ``(text, bool array over states)`` pairs, most
    important first, e.g. from ``parse_formula(text).evaluate(codes, option_index)``.
    """
    i = _actor_index(graph, actor)
    clauses = stability_clauses(graph, state, i, concept, mode=mode)
    texts = [t for t, _ in statements]
    arrays = [np.asarray(a, dtype=bool) for _, a in statements]
    for t, a in list(statements) + list(candidates):
        if np.asarray(a).shape != (graph.n_states,):
            raise input_error(f"statement {t!r} is not a boolean array over the states",
                              value=np.asarray(a).shape, expected=f"shape ({graph.n_states},)")

    variants: list[tuple[str, str, int | None, list[np.ndarray]]] = []
    for k in range(len(arrays)):
        rest = arrays[:k] + arrays[k + 1:]
        if rest:
            variants.append(("remove", texts[k], None, rest))
        for p in range(len(arrays)):
            if p != k:
                moved = [*rest[:p], arrays[k], *rest[p:]]
                variants.append(("move", texts[k], p + 1, moved))
    for text, arr in candidates:
        for p in range(len(arrays) + 1):
            variants.append(("add", text, p + 1,
                             [*arrays[:p], np.asarray(arr, dtype=bool), *arrays[p:]]))
    pays = np.array([prioritization_payoffs(v[3]) for v in variants]) if variants else \
        np.zeros((0, graph.n_states))
    better = pays > pays[:, [state]] if len(variants) else np.zeros((0, graph.n_states), bool)
    ok = evaluate_clauses(clauses, better, state) if len(variants) else np.zeros(0, bool)
    current = prioritization_payoffs(arrays)
    already = bool(evaluate_clauses(clauses, (current > current[state])[None, :], state)[0])
    edits = [PrioritizationEdit(kind, text, pos, bool(flag), tuple(float(x) for x in pay))
             for (kind, text, pos, _), flag, pay in zip(variants, ok, pays, strict=True)]
    edits.sort(key=lambda e: (not e.makes_stable, ["remove", "move", "add"].index(e.kind)))
    prov = Provenance(method="gmcr.inverse.prioritization",
                      parameters={"state": state, "actor": graph.actors[i], "concept": concept,
                                  "mode": mode, "statements": texts,
                                  "candidates": [t for t, _ in candidates]}, lens=lens)
    return EditsResult(graph.actors[i], state, concept, already, tuple(edits), prov)
