"""Inverse and coalition analysis times against model size, beside brute-force baselines.

Run: python benchmarks/bench_inverse_coalitions.py
Baselines: inverse — re-running forward stability for every set of states ranked
above the target (2^(n-1) runs, capped); coalitions — explicit search over
(state, last mover) per state and coalition, as in a straightforward implementation.
"""

from __future__ import annotations

import time

import numpy as np

from crisislab.conflict.coalitions import coalition_stability
from crisislab.conflict.inverse import inverse_stability
from crisislab.formats.gmcr_import import option_form_graph


def random_graph(rng, n_actors, opts):
    owners = [a for a in range(n_actors) for _ in range(opts)]
    n = 2 ** len(owners)
    pay = rng.integers(0, n, size=(n_actors, n)).astype(float)
    return option_form_graph([f"A{i}" for i in range(n_actors)], owners, pay)


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


def naive_cgmr(graph, members):
    others = [a for a in range(graph.n_actors) if a not in members]
    pay = graph.payoffs
    out = []
    for s in range(graph.n_states):
        ok = True
        for t in naive_reach(graph, members, s):
            if all(pay[k, t] > pay[k, s] for k in members) and not any(
                    any(pay[k, s] >= pay[k, u] for k in members)
                    for u in naive_reach(graph, others, t)):
                ok = False
                break
        out.append(ok)
    return np.array(out)


def sci(x: int) -> str:
    digits = len(str(x))
    return f"{x:.3g}" if digits < 300 else f"{str(x)[0]}.{str(x)[1:3]}e+{digits - 1}"


def timed(fn):
    t0 = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t0


def main() -> None:
    rng = np.random.default_rng(1)
    print("coalition GMR stability, coalition {A0, A1}, every state")
    print(f"{'actors x opts':>14} {'states':>7} {'engine s':>9} {'naive s':>9} {'agree':>6}")
    for n_actors, opts in [(3, 2), (3, 3), (4, 2), (4, 3), (5, 2)]:
        g = random_graph(rng, n_actors, opts)
        fast, tf = timed(lambda g=g: coalition_stability(g, [0, 1], "gmr"))
        if g.n_states <= 1024:
            slow, ts = timed(lambda g=g: naive_cgmr(g, [0, 1]))
            agree = str(bool(np.array_equal(fast, slow)))
            ts_s = f"{ts:9.3f}"
        else:
            agree, ts_s = "-", "      (skip)"
        print(f"{n_actors:>6} x {opts:<6} {g.n_states:>7} {tf:9.3f} {ts_s} {agree:>6}")

    print("\ninverse analysis (state 0, actor A0): exact counts of strict orderings")
    print(f"{'actors x opts':>14} {'states':>7} {'concept':>7} {'method':>20} {'s':>8} "
          f"{'brute-force s':>14} {'orderings (strict)':>19}")
    for n_actors, opts in [(2, 2), (3, 2), (3, 3)]:
        g = random_graph(rng, n_actors, opts)
        for concept in ("gmr", "smr"):
            res, t = timed(lambda g=g, c=concept: inverse_stability(g, 0, "A0", c,
                                                                     limit=5_000))
            nvars = len(set().union(*(c.variables() for c in res.constraints)) - {0}) \
                if res.constraints else 0
            if nvars <= 20:
                ref, tb = timed(lambda g=g, c=concept: inverse_stability(
                    g, 0, "A0", c, method="brute_force"))
                assert ref.sets_by_size == res.sets_by_size
                tb_s = f"{tb:14.3f}"
            else:
                tb_s = f"{'2^' + str(nvars) + ' sets':>14}"
            bound = "" if res.exact else ">="
            print(f"{n_actors:>6} x {opts:<6} {g.n_states:>7} {concept:>7} {res.method:>20} "
                  f"{t:8.3f} {tb_s} {bound}{sci(res.count_strict):>17}")


if __name__ == "__main__":
    main()
