"""Deliberately simple reference implementations of the definitions, for cross-checks.

Loops and explicit searches, no cleverness: used only in tests of foresight,
coalitions and inverse analysis on small random conflicts.
"""

from __future__ import annotations

import itertools

import numpy as np

from crisislab.formats.gmcr_import import option_form_graph


def random_graph(rng: np.random.Generator, n_actors: int, opts: int, *, strict: bool = False,
                 irreversible: bool = True):
    owners = [a for a in range(n_actors) for _ in range(opts)]
    m = len(owners)
    codes = np.arange(2 ** m)
    keep = rng.random(codes.shape[0]) < 0.8
    keep[rng.integers(codes.shape[0])] = True
    feasible = codes[keep]
    rev = [str(rng.choice(["both", "both", "once", "drop_only"])) if irreversible else "both"
           for _ in range(m)]
    n = feasible.shape[0]
    if strict:
        pay = np.array([rng.permutation(n) for _ in range(n_actors)], dtype=float)
    else:
        pay = rng.integers(0, max(2, n // 2), size=(n_actors, n)).astype(float)
    return option_form_graph([f"A{i}" for i in range(n_actors)], owners, pay,
                             feasible=feasible, reversibility=rev)


def succ(graph, actor, s):
    m = graph.moves[actor]
    return [int(t) for t in m.indices[m.indptr[s]:m.indptr[s + 1]]]


def ref_reach(graph, movers, s, improving=False):
    """States reached from s by a legal sequence (explicit search over (state, last mover))."""
    seen, stack, out = set(), [(s, None)], set()
    while stack:
        x, last = stack.pop()
        for b in movers:
            if b == last:
                continue
            for t in succ(graph, b, x):
                if improving and not graph.payoffs[b, t] > graph.payoffs[b, x]:
                    continue
                out.add(t)
                if (t, b) not in seen:
                    seen.add((t, b))
                    stack.append((t, b))
    return out


def ref_stable(graph, coalition, concept, s, rule="any_member"):
    """Coalition (or single-DM) stability of s, straight from the definitions."""
    members = list(coalition)
    others = [a for a in range(graph.n_actors) if a not in members]
    pay = graph.payoffs

    def better_all(t):
        return all(pay[k, t] > pay[k, s] for k in members)

    def deters(u):
        hurt = [pay[k, s] >= pay[k, u] for k in members]
        return any(hurt) if rule == "any_member" else all(hurt)

    for t in ref_reach(graph, members, s):
        if not better_all(t):
            continue
        if concept == "nash":
            return False
        sanctions = ref_reach(graph, others, t, improving=(concept == "seq"))
        if concept in ("gmr", "seq"):
            ok = any(deters(u) for u in sanctions)
        else:
            ok = any(deters(u) and all(deters(v) for v in ref_reach(graph, members, u))
                     for u in sanctions)
        if not ok:
            return False
    return True


def ref_limited_move(graph, h, ties="cautious"):
    """L_h stability by the published recursion, with anticipated *sets* for ties."""
    memo = {}

    def g(mover, s, k):
        if k == 0:
            return frozenset([s])
        key = (mover, s, k)
        if key in memo:
            return memo[key]
        other = 1 - mover
        best, chosen = None, set()
        for t in succ(graph, mover, s):
            ant = g(other, t, k - 1)
            vals = [graph.payoffs[mover, u] for u in ant]
            v = min(vals) if ties == "cautious" else max(vals)
            if v > graph.payoffs[mover, s]:
                if best is None or v > best:
                    best, chosen = v, set(ant)
                elif v == best:
                    chosen |= ant
        memo[key] = frozenset([s]) if best is None else frozenset(chosen)
        return memo[key]

    def stable(mover, s):
        other = 1 - mover
        for t in succ(graph, mover, s):
            ant = g(other, t, h - 1)
            vals = [graph.payoffs[mover, u] for u in ant]
            v = min(vals) if ties == "cautious" else max(vals)
            if v > graph.payoffs[mover, s]:
                return False
        return True

    return np.array([[stable(m, s) for s in range(graph.n_states)] for m in (0, 1)])


def all_better_sets(n, state):
    """Every subset of the other states (as bool rows)."""
    others = [t for t in range(n) if t != state]
    for bits in itertools.product([False, True], repeat=len(others)):
        row = np.zeros(n, dtype=bool)
        row[others] = bits
        yield row


def random_option_model(rng: np.random.Generator, n_actors: int, opts: int):
    """A random option-form conflict and its per-option owners and reversibility."""
    owners = [a for a in range(n_actors) for _ in range(opts)]
    m = len(owners)
    codes = np.arange(2 ** m)
    keep = rng.random(codes.shape[0]) < 0.85
    keep[rng.integers(codes.shape[0])] = True
    feasible = codes[keep]
    rev = [str(rng.choice(["both", "both", "once", "drop_only"])) for _ in range(m)]
    n = feasible.shape[0]
    pay = rng.integers(0, max(2, n // 2), size=(n_actors, n)).astype(float)
    graph = option_form_graph([f"A{i}" for i in range(n_actors)], owners, pay,
                              feasible=feasible, reversibility=rev)
    return graph, owners, rev


def ref_joint_moves(graph, owners, rev, bloc, s):
    """One joint move of a bloc: any change of its members' options, each change allowed by
    that option's reversibility, to another feasible state (a plain loop over states)."""
    own_bits = [b for b, o in enumerate(owners) if o in bloc]
    cs = int(graph.codes[s])
    out = []
    for t in range(graph.n_states):
        ct = int(graph.codes[t])
        if t == s:
            continue
        changed = [b for b in range(len(owners)) if (cs >> b & 1) != (ct >> b & 1)]
        if any(b not in own_bits for b in changed):
            continue
        ok = True
        for b in changed:
            if rev[b] == "once" and cs >> b & 1:
                ok = False
            if rev[b] == "drop_only" and not cs >> b & 1:
                ok = False
        if ok:
            out.append(t)
    return out


def ref_structure_stable(graph, owners, rev, blocs, focal, concept, s, rule="any_member",
                         improvement="strict"):
    """Stability of state s for bloc ``focal`` of a coalition structure, from the definitions:
    explicit searches over (state, last bloc), no cleverness."""
    pay = graph.payoffs

    def improves(bloc, x, y):
        if improvement == "strict":
            return all(pay[k, y] > pay[k, x] for k in bloc)
        return all(pay[k, y] >= pay[k, x] for k in bloc) and any(pay[k, y] > pay[k, x]
                                                                   for k in bloc)

    def moves(b, x):
        return ref_joint_moves(graph, owners, rev, blocs[b], x)

    def reach(movers, x, improving):
        seen, stack, out = set(), [(x, None)], set()
        while stack:
            y, last = stack.pop()
            for b in movers:
                if b == last:
                    continue
                for t in moves(b, y):
                    if improving and not improves(blocs[b], y, t):
                        continue
                    out.add(t)
                    if (t, b) not in seen:
                        seen.add((t, b))
                        stack.append((t, b))
        return out

    members = blocs[focal]

    def deters(u):
        hurt = [pay[k, s] >= pay[k, u] for k in members]
        return any(hurt) if rule == "any_member" else all(hurt)

    others = [b for b in range(len(blocs)) if b != focal]
    for t in moves(focal, s):
        if not improves(members, s, t):
            continue
        if concept == "nash":
            return False
        sanctions = reach(others, t, improving=(concept == "seq"))
        if concept in ("gmr", "seq"):
            ok = any(deters(u) for u in sanctions)
        else:
            ok = any(deters(u) and all(deters(v) for v in moves(focal, u)) for u in sanctions)
        if not ok:
            return False
    return True
