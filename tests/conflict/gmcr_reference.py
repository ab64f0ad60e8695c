"""A deliberately simple reference implementation of the GMCR stability definitions.

Python loops and explicit searches, written straight from the definitions in
METHODS.md (Fang, Hipel & Kilgour 1993), to cross-check the vectorised engine
in :mod:`crisislab.conflict.stability` on small random conflicts.  Legal
sequences are enumerated move by move (depth-first, remembering which
(state, last mover, movers so far) situations were already explored so that
cycles terminate).
"""

from __future__ import annotations

import itertools

import numpy as np

from crisislab.conflict.graph import ConflictGraph
from crisislab.conflict.moves import build_option_graph


def succ(moves, k: int, s: int) -> list[int]:
    row = moves[k].toarray()[s] if hasattr(moves[k], "toarray") else moves[k][s]
    return [int(t) for t in np.flatnonzero(row)]


def opponent_reach(graph: ConflictGraph, focal: int, start: int, mode: str,
                   improving: bool) -> set[int]:
    """States the DMs other than ``focal`` reach from ``start`` by sequences of ``mode``."""
    u = graph.payoffs
    others = [j for j in range(graph.n_actors) if j != focal]
    reached: set[int] = set()
    explored: set[tuple[int, int, frozenset[int]]] = set()

    def walk(s: int, last: int, used: frozenset[int], depth: int) -> None:
        key = (s, last, used if mode == "each_once" else frozenset())
        if key in explored:
            return
        explored.add(key)
        for k in others:
            if mode == "legal" and k == last:
                continue
            if mode == "each_once" and k in used:
                continue
            if mode == "single" and depth >= 1:
                continue
            for t in succ(graph.moves, k, s):
                if improving and not u[k, t] > u[k, s]:
                    continue
                reached.add(t)
                walk(t, k, used | {k}, depth + 1)

    walk(start, -1, frozenset(), 0)
    return reached


def improvements(graph: ConflictGraph, i: int, s: int) -> list[int]:
    return [t for t in succ(graph.moves, i, s) if graph.payoffs[i, t] > graph.payoffs[i, s]]


def ref_stable(graph: ConflictGraph, concept: str, mode: str = "legal",
               sim_variant: str = "any") -> np.ndarray:
    """(n_actors, n_states) bool, by the definitions."""
    m, n = graph.n_actors, graph.n_states
    u = graph.payoffs
    out = np.zeros((m, n), dtype=bool)
    seq_table = (ref_stable(graph, "seq", mode)
                 if concept in ("sim", "seqsim") and sim_variant == "unstable" else None)
    for i in range(m):
        for s in range(n):
            ok = True
            for s1 in improvements(graph, i, s):
                if concept == "nash":
                    deterred = False
                elif concept == "gmr":
                    deterred = any(u[i, s2] <= u[i, s]
                                   for s2 in opponent_reach(graph, i, s1, mode, False))
                elif concept == "smr":
                    deterred = any(u[i, s2] <= u[i, s]
                                   and all(u[i, s3] <= u[i, s]
                                           for s3 in succ(graph.moves, i, s2))
                                   for s2 in opponent_reach(graph, i, s1, mode, False))
                elif concept == "seq":
                    deterred = any(u[i, s2] <= u[i, s]
                                   for s2 in opponent_reach(graph, i, s1, mode, True))
                elif concept == "sim":
                    deterred = sim_deterred(graph, i, s, s1, seq_table)
                elif concept == "seqsim":
                    deterred = (any(u[i, s2] <= u[i, s]
                                    for s2 in opponent_reach(graph, i, s1, mode, True))
                                or sim_deterred(graph, i, s, s1, seq_table))
                else:
                    raise ValueError(concept)
                if not deterred:
                    ok = False
            out[i, s] = ok
    return out


def sim_deterred(graph: ConflictGraph, i: int, s: int, s1: int, seq_table) -> bool:
    """Some non-empty set of other DMs, each taking one of its own UIs from s at the
    same time as i's UI, lands i in a feasible state no better than s."""
    codes = [int(c) for c in graph.codes]
    masks = graph.owner_masks
    u = graph.payoffs
    menus = []
    for j in range(graph.n_actors):
        if j == i or (seq_table is not None and seq_table[j, s]):
            continue
        menus.append([None] + [(j, t) for t in improvements(graph, j, s)])
    for combo in itertools.product(*menus):
        picked = [c for c in combo if c is not None]
        if not picked:
            continue
        code = codes[s1]
        for j, t in picked:
            code = (code & ~masks[j]) | (codes[t] & masks[j])  # type: ignore[index]
        if code in codes and u[i, codes.index(code)] <= u[i, s]:
            return True
    return False


def random_pieces(rng: np.random.Generator, n_actors: int, max_opts: int = 2,
                  max_bits: int = 5, ties: bool = True) -> dict:
    """Option-form pieces of a random conflict with at most 2**max_bits states."""
    while True:
        opts = [int(rng.integers(1, max_opts + 1)) for _ in range(n_actors)]
        if sum(opts) <= max_bits:
            break
    masks, bit = [], 0
    for k in opts:
        masks.append(((1 << k) - 1) << bit)
        bit += k
    allc = np.arange(1 << bit)
    keep = rng.random(allc.size) < 0.75
    keep[rng.integers(allc.size)] = True
    codes = allc[keep]
    once = int(rng.integers(0, 1 << bit)) & int(rng.integers(0, 1 << bit))
    drop = int(rng.integers(0, 1 << bit)) & int(rng.integers(0, 1 << bit)) & ~once
    n = codes.size
    if ties:
        pay = rng.integers(0, max(2, n // 2), size=(n_actors, n)).astype(float)
    else:
        pay = np.array([rng.permutation(n) for _ in range(n_actors)], dtype=float)
    return {"actors": [f"A{k}" for k in range(n_actors)], "codes": codes, "owner_masks": masks,
            "payoffs": pay, "once_mask": once, "drop_only_mask": drop, "n_bits": bit}


def graph_from(pieces: dict) -> ConflictGraph:
    return build_option_graph(pieces["actors"], pieces["codes"], pieces["owner_masks"],
                              pieces["payoffs"], once_mask=pieces["once_mask"],
                              drop_only_mask=pieces["drop_only_mask"])


def random_option_graph(rng: np.random.Generator, n_actors: int, max_opts: int = 2,
                        max_bits: int = 5, ties: bool = True) -> ConflictGraph:
    """A random option-form conflict with at most 2**max_bits states."""
    return graph_from(random_pieces(rng, n_actors, max_opts, max_bits, ties))
