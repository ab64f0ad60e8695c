"""Coalition and inverse analysis times against model size, beside simple baselines.

Run: python benchmarks/bench_inverse_coalitions.py [--quick]

Targets: coalition stability for every coalition at 4,096 states under 5 s; inverse
analysis (counts of orderings, all four concepts) at 4,096 states under 60 s, exact or
stated as bounds.

Coalitions: stability of every state for every coalition of two or more actors, all
four concepts, by the bloc kernel; baseline: an explicit search over (state, last
mover) per state and coalition (coalition GMR), as a straightforward implementation
does — run on every state up to 512 states, on a sample of states above (time
extrapolated to all states).
Inverse: exact counts of the orderings of one actor under which state 1 is stable, all
four concepts; baseline: enumerating solutions with a SAT solver (the previous method),
which gives only a lower bound when it stops at its limit.
"""

from __future__ import annotations

import sys
import time

import numpy as np

from crisislab.conflict.coalitions import all_coalitions, coalition_stabilities
from crisislab.conflict.inverse import _sat, inverse_stability, stability_clauses
from crisislab.conflict.moves import build_option_graph

sys.set_int_max_str_digits(0)


def random_graph(rng: np.random.Generator, n_actors: int, opts: int):
    masks = [((1 << opts) - 1) << (opts * i) for i in range(n_actors)]
    n = 1 << (opts * n_actors)
    pay = rng.integers(0, n, size=(n_actors, n)).astype(float)
    once = sum(1 << (opts * i + opts - 1) for i in range(n_actors))  # one irreversible each
    return build_option_graph([f"A{i}" for i in range(n_actors)], np.arange(n), masks, pay,
                              once_mask=once)


def naive_reach(graph, movers, s):
    seen, stack, out = set(), [(s, None)], set()
    while stack:
        x, last = stack.pop()
        for b in movers:
            if b == last:
                continue
            m = graph.moves[b]
            for t in m.indices[m.indptr[x]:m.indptr[x + 1]]:
                out.add(int(t))
                if (int(t), b) not in seen:
                    seen.add((int(t), b))
                    stack.append((int(t), b))
    return out


def naive_cgmr(graph, members, states):
    others = [a for a in range(graph.n_actors) if a not in members]
    pay = graph.payoffs
    out = []
    for s in states:
        ok = True
        for t in naive_reach(graph, members, s):
            if all(pay[k, t] > pay[k, s] for k in members) and not any(
                    any(pay[k, s] >= pay[k, u] for k in members)
                    for u in naive_reach(graph, others, t)):
                ok = False
                break
        out.append(ok)
    return np.array(out)


def timed(fn):
    t0 = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t0


def digits(x: int) -> str:
    d = len(str(x))
    return f"{d}-digit"


def coalitions(sizes) -> None:
    print("coalition stability, every coalition of 2+ actors, every state")
    print(f"{'actors x opts':>14} {'states':>7} {'coalitions':>10} {'N/GMR/SEQ s':>12} "
          f"{'all four s':>11} {'naive GMR s':>13} {'agree':>6}")
    rng = np.random.default_rng(1)
    for n_actors, opts in sizes:
        g = random_graph(rng, n_actors, opts)
        coals = all_coalitions(g.actors, 2)
        _, t3 = timed(lambda g=g, c=coals: coalition_stabilities(g, c, ["nash", "gmr", "seq"]))
        res, t4 = timed(lambda g=g, c=coals: coalition_stabilities(g, c))
        states = np.arange(g.n_states) if g.n_states <= 512 else \
            np.sort(rng.choice(g.n_states, 32, replace=False))
        agree = True
        tn = 0.0
        for coal in coals:
            members = [g.actor_index(a) for a in coal]
            ref, t = timed(lambda g=g, m=members, st=states: naive_cgmr(g, m, st))
            tn += t
            agree &= bool(np.array_equal(res["gmr"][coal][states], ref))
        scale = g.n_states / states.size
        naive = f"{tn * scale:13.2f}" + ("" if scale == 1 else "*")
        print(f"{n_actors:>6} x {opts:<6} {g.n_states:>7} {len(coals):>10} {t3:12.2f} "
              f"{t4:11.2f} {naive:>13} {agree!s:>6}")
    print("  * extrapolated from 32 sampled states")


def inverse(sizes) -> None:
    print("\ninverse analysis (state s1, actor A0): exact counts of strict orderings")
    print(f"{'states':>7} {'concept':>7} {'method':>20} {'exact':>6} {'s':>8} {'count':>12} "
          f"{'SAT 2,000 models s':>19} {'SAT bound':>10}")
    rng = np.random.default_rng(2)
    for n_actors, opts in sizes:
        g = random_graph(rng, n_actors, opts)
        for concept in ("nash", "gmr", "seq", "smr"):
            res, t = timed(lambda g=g, c=concept: inverse_stability(g, 0, "A0", c))
            base = ""
            if concept == "gmr":
                clauses = stability_clauses(g, 0, 0, concept)
                vars_ = sorted(set().union(*(c.variables() for c in clauses)) - {0})
                (_sols, complete), tb = timed(lambda cl=clauses, v=vars_: _sat(cl, v, 0, 2_000))
                base = f"{tb:19.2f} {'complete' if complete else 'lower':>10}"
            count = digits(res.count_strict)
            print(f"{g.n_states:>7} {concept:>7} {res.method:>20} {res.exact!s:>6} {t:8.2f} "
                  f"{count:>12} {base}")


def main() -> None:
    quick = "--quick" in sys.argv
    coalitions([(3, 2), (3, 3), (4, 2)] + ([] if quick else [(4, 3)]))
    inverse([(3, 2), (3, 3)] + ([] if quick else [(4, 3)]))


if __name__ == "__main__":
    main()
