"""Time and peak memory of the GMCR stability engine on random conflicts.

Usage:  python benchmarks/bench_stability.py [--max-bits 20] [--quick]

For each shape (actors x options per actor, all option combinations
feasible, random strict preferences, no irreversible options) prints the time
to build the move matrices and the time and peak traced memory
(``tracemalloc``) of each concept, plus the process's peak resident memory.
On the small shapes the same run times the loop-based reference
implementation of the definitions used in the tests, as a baseline.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

from crisislab.conflict.moves import build_option_graph
from crisislab.conflict.stability import analyze_stability

SHAPES = [(2, 2), (3, 2), (2, 4), (4, 2), (4, 3), (2, 6), (3, 4), (5, 3), (4, 4), (2, 8),
          (4, 5), (5, 4), (2, 10)]
CONCEPTS = ("nash", "gmr", "smr", "seq")


def random_graph(n_actors: int, opts: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    bits = n_actors * opts
    codes = np.arange(1 << bits, dtype=np.int64)
    masks = [((1 << opts) - 1) << (a * opts) for a in range(n_actors)]
    pay = np.stack([rng.permutation(codes.size) for _ in range(n_actors)]).astype(float)
    return build_option_graph([f"DM{a}" for a in range(n_actors)], codes, masks, pay)


def measure(fn):
    tracemalloc.start()
    t0 = time.perf_counter()
    out = fn()
    dt = time.perf_counter() - t0
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return out, dt, peak


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--max-bits", type=int, default=20)
    ap.add_argument("--quick", action="store_true", help="only shapes up to 2^12 states")
    args = ap.parse_args()
    max_bits = 12 if args.quick else args.max_bits
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "conflict"))
    try:
        from gmcr_reference import ref_stable
    except ImportError:  # pragma: no cover - tests folder absent
        ref_stable = None

    print(f"{'shape':>8} {'states':>9} {'moves':>6} {'concept':>7} {'time s':>8} "
          f"{'peak MB':>8}   baseline")
    for n_actors, opts in SHAPES:
        bits = n_actors * opts
        if bits > max_bits:
            continue
        shape = f"{n_actors}x{opts}"
        try:
            g, t_build, m_build = measure(lambda a=n_actors, o=opts: random_graph(a, o))
        except Exception as exc:  # the move builder refuses oversized models
            print(f"{shape:>8} {1 << bits:>9} refused: {str(exc).splitlines()[0]}")
            continue
        print(f"{shape:>8} {g.n_states:>9} {'build':>6} {'':>7} {t_build:8.3f} "
              f"{m_build / 2**20:8.1f}")
        total = 0.0
        for c in CONCEPTS:
            _, dt, peak = measure(lambda c=c, g=g: analyze_stability(g, (c,)))
            total += dt
            base = ""
            if ref_stable is not None and g.n_states <= 64:
                _, bt, _ = measure(lambda c=c, g=g: ref_stable(g, c))
                base = f"reference loops {bt:7.3f} s ({bt / max(dt, 1e-9):,.0f}x slower)"
            print(f"{'':>8} {'':>9} {'':>6} {c:>7} {dt:8.3f} {peak / 2**20:8.1f}   {base}")
        t0 = time.perf_counter()
        analyze_stability(g, CONCEPTS)
        dt_all = time.perf_counter() - t0
        print(f"{'':>8} {'':>9} {'':>6} {'all 4':>7} {dt_all:8.3f} {'':>8}"
              f"   untraced; traced singles sum {total:.3f} s; "
              f"process peak RSS {rss_mb():,.0f} MB")


if __name__ == "__main__":
    main()
