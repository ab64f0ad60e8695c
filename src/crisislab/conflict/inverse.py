"""Inverse analysis: which preferences would make a desired state stable?

Forward analysis takes preferences and finds stable states.  Inverse analysis
(in the spirit of Kinsara, Kilgour & Hipel's inverse GMCR) fixes a desired
state s (say, freeze-for-freeze) and a decision maker i, keeps everyone else's
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

with ``x_s`` false (a sanction back to s always deters).  The admissible sets
B form a down-set.  Counts of full orderings follow exactly: a set B of size b
admits ``b!·(n−1−b)!`` strict orderings of the n states and
``F(b)·Σ_e C(r, e)·F(r−e)`` weak orderings (F the ordered Bell numbers,
r = n−1−b: the states not above s are tied with s or below it).

Two solvers: brute-force enumeration of the constrained variables (numpy,
small models) and python-sat for larger ones (solutions enumerated with
blocking clauses; counts are exact when enumeration finishes and lower bounds
otherwise, which the result states).  Tests cross-check both.

:func:`prioritization_edits` answers the restricted question: with i's
preferences given as option-prioritization statements (boolean arrays over
states, most important first, weighted 2^(n−k)), which single statement
removed, moved or added makes s stable.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal

import numpy as np

from crisislab.conflict.coalitions import (
    CONCEPTS,
    Concept,
    SequenceMode,
    coalition_stability,
    legal_reach,
)
from crisislab.conflict.graph import ConflictGraph
from crisislab.errors import input_error
from crisislab.provenance import Provenance

Method = Literal["auto", "brute_force", "inclusion_exclusion", "sat"]
BRUTE_FORCE_MAX_VARS = 20
INCLUSION_EXCLUSION_MAX_CLAUSES = 22


@cache
def ordered_bell(n: int) -> int:
    """Number of weak orderings of n items (Fubini number)."""
    if n == 0:
        return 1
    return sum(math.comb(n, k) * ordered_bell(n - k) for k in range(1, n + 1))


def weak_completions(b: int, r: int) -> int:
    """Weak orderings with exactly ``b`` given states above s and ``r`` tied with s or below."""
    return ordered_bell(b) * sum(math.comb(r, e) * ordered_bell(r - e) for e in range(r + 1))


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
        out = {self.move, *self.sanctions}
        for e in self.escapes or ():
            out.update(e)
        return out


def stability_clauses(graph: ConflictGraph, state: int, actor: int, concept: Concept, *,
                      mode: SequenceMode = "legal") -> list[Clause]:
    """The clauses over ``x_t = (t ≻_actor state)`` whose conjunction is stability."""
    own = graph.moves[actor]
    moves = [int(t) for t in own.indices[own.indptr[state]:own.indptr[state + 1]]]
    if concept == "nash":
        return [Clause(m, (), None) for m in moves]
    others = [a for a in range(graph.n_actors) if a != actor]
    reach = legal_reach(graph, others, improving=(concept == "seq"), mode=mode)
    clauses = []
    for m in moves:
        sanc = [int(u) for u in reach.indices[reach.indptr[m]:reach.indptr[m + 1]]]
        if concept == "smr":
            escapes = []
            kept = []
            for u in sanc:
                esc = tuple(int(v) for v in own.indices[own.indptr[u]:own.indptr[u + 1]]
                            if int(v) != state)
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


# --------------------------------------------------------------------------- solvers


def _brute_force(clauses: Sequence[Clause], variables: list[int], n: int,
                 state: int) -> np.ndarray:
    k = len(variables)
    grid = ((np.arange(2 ** k, dtype=np.int64)[:, None] >> np.arange(k)) & 1).astype(bool)
    better = np.zeros((grid.shape[0], n), dtype=bool)
    better[:, variables] = grid
    ok = evaluate_clauses(clauses, better, state)
    return grid[ok]


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


def _never_above(clauses: Sequence[Clause], variables: list[int], state: int) -> tuple[int, ...]:
    """States that no admissible ordering may rank above ``state`` (one SAT call each)."""
    from pysat.solvers import Solver

    var, cnf = _cnf(clauses, variables, state)
    with Solver(name="g4", bootstrap_with=cnf) as solver:
        return tuple(t for t in variables if not solver.solve(assumptions=[var[t]]))


def _forbidden_sets(clauses: Sequence[Clause], state: int) -> list[frozenset[int]] | None:
    """Nash/GMR/SEQ clauses forbid B from containing a whole set; None for SMR clauses."""
    out = []
    for c in clauses:
        if c.escapes is not None:
            return None
        out.append(frozenset({c.move, *c.sanctions} - {state}))
    return out


def _inclusion_exclusion(forbidden: list[frozenset[int]], universe: int) -> list[int]:
    """Exact number of sets B (by size) over ``universe`` states containing no forbidden set.

    Inclusion–exclusion over the clauses (2^clauses terms; clauses = moves of the DM from
    the state, usually few): sum over subsets J of (-1)^|J| C(universe-|U_J|, b-|U_J|).
    """
    counts = [0] * (universe + 1)
    sets = sorted(set(forbidden), key=len)
    # a forbidden set containing another is implied by it
    minimal = [f for f in sets if not any(g < f for g in sets)]

    def walk(k: int, union: frozenset[int], sign: int) -> None:
        if k == len(minimal):
            u = len(union)
            for b in range(u, universe + 1):
                counts[b] += sign * math.comb(universe - u, b - u)
            return
        walk(k + 1, union, sign)
        walk(k + 1, union | minimal[k], -sign)

    walk(0, frozenset(), 1)
    return counts


# --------------------------------------------------------------------------- result


@dataclass(frozen=True)
class InverseResult:
    """Orderings of ``actor`` under which ``state`` is stable (or an equilibrium)."""

    actor: str
    state: int
    concept: str
    requirement: str  # "stable" or "equilibrium"
    n_states: int
    constraints: tuple[Clause, ...]
    free_states: tuple[int, ...]
    sets_by_size: tuple[int, ...]  # number of admissible "better than s" sets of each size
    exact: bool
    method: str
    blocked_by: tuple[str, ...]  # other DMs for whom the state is unstable (equilibrium)
    samples: tuple[tuple[int, ...], ...]  # strict orderings, best first
    must_not_prefer: tuple[int, ...]  # states i may never rank above s
    provenance: Provenance = field(compare=False)

    @property
    def count_sets(self) -> int:
        return sum(self.sets_by_size)

    @property
    def count_strict(self) -> int:
        r = self.n_states - 1
        return sum(c * math.factorial(b) * math.factorial(r - b)
                   for b, c in enumerate(self.sets_by_size))

    @property
    def count_weak(self) -> int:
        r = self.n_states - 1
        return sum(c * weak_completions(b, r - b) for b, c in enumerate(self.sets_by_size))

    @property
    def share_strict(self) -> float:
        return self.count_strict / math.factorial(self.n_states)

    def describe(self, names: Sequence[str] | None = None) -> list[str]:
        """The constraints in words, e.g. "CN must rank 'freeze' at least as high as ..."."""
        def nm(t: int) -> str:
            return f"'{names[t]}'" if names is not None else f"state {t + 1}"

        a, s = self.actor, nm(self.state)
        lines = []
        if self.blocked_by:
            lines.append(f"{s} cannot be an equilibrium whatever {a} prefers: it is unstable "
                         f"for {', '.join(self.blocked_by)}.")
        if self.must_not_prefer:
            banned = ", ".join(nm(t) for t in self.must_not_prefer)
            lines.append(f"{a} must not prefer any of {banned} to {s}.")
        for c in self.constraints:
            if not c.sanctions or c.move in self.must_not_prefer:
                if c.move not in self.must_not_prefer:
                    lines.append(f"{a} must rank {s} at least as high as {nm(c.move)}.")
                continue
            if c.escapes is None:
                alts = ", ".join(nm(u) for u in c.sanctions)
                lines.append(f"If {a} prefers {nm(c.move)} to {s}, it must rank {s} at least "
                             f"as high as one of the sanctions {alts}.")
            else:
                alts = "; ".join(
                    nm(u) + (f" (and every state it can then reach: "
                             f"{', '.join(nm(v) for v in e)})" if e else "")
                    for u, e in zip(c.sanctions, c.escapes, strict=True))
                lines.append(f"If {a} prefers {nm(c.move)} to {s}, it must rank {s} at least "
                             f"as high as one of: {alts}.")
        if not self.constraints and not self.blocked_by:
            lines.append(f"{s} is stable for {a} under every ordering ({a} has no move from it "
                         "that could pay).")
        return lines

    def to_dict(self) -> dict[str, Any]:
        """As JSON data; states are 1-based ordinal ids (index + 1)."""
        def ids(states: Sequence[int]) -> list[int]:
            return [int(t) + 1 for t in states]

        return {
            "actor": self.actor, "state": self.state + 1, "concept": self.concept,
            "requirement": self.requirement, "n_states": self.n_states,
            "exact": self.exact, "method": self.method,
            "count_sets": self.count_sets, "count_strict": self.count_strict,
            "count_weak": self.count_weak, "sets_by_size": list(self.sets_by_size),
            "blocked_by": list(self.blocked_by), "must_not_prefer": ids(self.must_not_prefer),
            "constraints": [{"move": c.move + 1, "sanctions": ids(c.sanctions),
                             "escapes": None if c.escapes is None else [ids(e) for e in c.escapes]}
                            for c in self.constraints],
            "samples": [ids(x) for x in self.samples],
            "provenance": self.provenance.model_dump(),
        }


def _actor_index(graph: ConflictGraph, actor: str | int) -> int:
    if isinstance(actor, str):
        if actor not in graph.actors:
            raise input_error(f"unknown decision maker {actor!r}", value=actor,
                              expected="one of " + ", ".join(graph.actors))
        return graph.actor_index(actor)
    return int(actor)


def inverse_stability(graph: ConflictGraph, state: int, actor: str | int,
                      concept: Concept = "gmr", *, equilibrium: bool = False,
                      mode: SequenceMode = "legal", method: Method = "auto",
                      limit: int = 20_000, samples: int = 5, seed: int = 0,
                      lens: str | None = None) -> InverseResult:
    """Characterise the orderings of ``actor`` under which ``state`` (0-based) is stable.

    With ``equilibrium`` the state must also be stable for every other DM under their
    current preferences (Nash, GMR and SMR stability of the others does not depend on
    ``actor``'s preferences; under SEQ it does, so that combination is refused).
    """
    if concept not in CONCEPTS:
        raise input_error(f"unknown stability concept {concept!r}", value=concept,
                          expected=" or ".join(CONCEPTS))
    if not 0 <= state < graph.n_states:
        raise input_error(f"state index {state} out of range", value=state,
                          expected=f"0..{graph.n_states - 1}")
    i = _actor_index(graph, actor)
    blocked: list[str] = []
    if equilibrium:
        if concept == "seq":
            raise input_error(
                "inverse equilibrium analysis under SEQ is not supported: the other DMs' SEQ "
                "stability depends on this DM's whole ordering (its sanctions must be "
                "improvements), not only on the states it ranks above the desired one",
                value=concept, expected="nash, gmr or smr, or equilibrium=False")
        for j in range(graph.n_actors):
            if j != i and not coalition_stability(graph, [j], concept, mode=mode)[state]:
                blocked.append(graph.actors[j])
    clauses = stability_clauses(graph, state, i, concept, mode=mode)
    n = graph.n_states
    constrained = sorted(set().union(*(c.variables() for c in clauses)) - {state}) if clauses \
        else []
    free = [t for t in range(n) if t != state and t not in constrained]
    forbidden = _forbidden_sets(clauses, state)
    if method == "auto":
        if len(constrained) <= BRUTE_FORCE_MAX_VARS:
            method = "brute_force"
        elif forbidden is not None and len(forbidden) <= INCLUSION_EXCLUSION_MAX_CLAUSES:
            method = "inclusion_exclusion"
        else:
            method = "sat"
    exact_sizes: list[int] | None = None
    if method == "inclusion_exclusion":
        if forbidden is None or len(forbidden) > INCLUSION_EXCLUSION_MAX_CLAUSES:
            raise input_error("inclusion-exclusion counting needs Nash, GMR or SEQ and at most "
                              f"{INCLUSION_EXCLUSION_MAX_CLAUSES} moves", value=concept,
                              expected="method='sat'")
        exact_sizes = _inclusion_exclusion(forbidden, n - 1)
        # examples and never-preferred states still come from (bounded) SAT enumeration
        sols, _ = _sat(clauses, constrained, state, min(limit, 2_000))
        exact = True
    elif method == "brute_force":
        if len(constrained) > 26:
            raise input_error(f"{len(constrained)} constrained states are too many for brute "
                              "force", value=len(constrained), expected="method='sat'")
        sols = _brute_force(clauses, constrained, n, state)
        exact = True
    elif method == "sat":
        sols, exact = _sat(clauses, constrained, state, limit)
    else:
        raise input_error(f"unknown method {method!r}", value=method,
                          expected="auto, brute_force, inclusion_exclusion or sat")
    if method == "brute_force":
        never = tuple(t for k, t in enumerate(constrained) if not sols[:, k].any())
    else:
        never = _never_above(clauses, constrained, state)
    if blocked:
        sols = sols[:0]
    hist = np.bincount(sols.sum(axis=1), minlength=len(constrained) + 1) if len(sols) else \
        np.zeros(len(constrained) + 1, dtype=np.int64)
    by_size = [0] * n
    for b, c in enumerate(hist.tolist()):
        for f in range(len(free) + 1):
            by_size[b + f] += int(c) * math.comb(len(free), f)
    if exact_sizes is not None:
        by_size = [0 if blocked else c for c in exact_sizes]
    rng = np.random.default_rng(seed)
    drawn = _sample(sols, constrained, free, state, n, samples, rng) if len(sols) else []
    prov = Provenance(method="gmcr.inverse",
                      parameters={"state": state, "actor": graph.actors[i], "concept": concept,
                                  "equilibrium": equilibrium, "sequences": mode,
                                  "solver": method, "limit": limit, "samples": samples},
                      lens=lens, seed=seed)
    return InverseResult(graph.actors[i], state, concept,
                         "equilibrium" if equilibrium else "stable", n, tuple(clauses),
                         tuple(free), tuple(by_size), exact, method, tuple(blocked),
                         tuple(tuple(x) for x in drawn), never, prov)


def _sample(sols: np.ndarray, constrained: list[int], free: list[int], state: int, n: int,
            k: int, rng: np.random.Generator) -> list[list[int]]:
    """Strict orderings drawn uniformly from those consistent with the enumerated sets."""
    sizes = sols.sum(axis=1)
    f = len(free)
    # weight of a constrained solution = sum over free subsets of b!(n-1-b)!
    raw = [sum(math.comb(f, j) * math.factorial(int(b) + j) * math.factorial(n - 1 - int(b) - j)
               for j in range(f + 1)) for b in sizes]
    total = sum(raw)
    weights = np.array([w / total for w in raw])
    weights /= weights.sum()
    out = []
    for _ in range(k):
        row = sols[rng.choice(len(sols), p=weights)]
        above = [t for t, on in zip(constrained, row, strict=True) if on]
        b = len(above)
        wi = [math.comb(f, j) * math.factorial(b + j) * math.factorial(n - 1 - b - j)
              for j in range(f + 1)]
        w = np.array([x / sum(wi) for x in wi])
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

    def describe(self, actor: str) -> str:
        if self.kind == "remove":
            return f"{actor} drops the statement '{self.statement}'"
        if self.kind == "move":
            return f"{actor} moves '{self.statement}' to position {self.position}"
        return f"{actor} adds '{self.statement}' at position {self.position}"


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
        return [e for e in self.edits if e.makes_stable]

    def to_dict(self) -> dict[str, Any]:
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
                         concept: Concept = "gmr",
                         candidates: Sequence[tuple[str, np.ndarray]] = (),
                         mode: SequenceMode = "legal",
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
                                  "sequences": mode, "statements": texts,
                                  "candidates": [t for t, _ in candidates]}, lens=lens)
    return EditsResult(graph.actors[i], state, concept, already, tuple(edits), prov)
