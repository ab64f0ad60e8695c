"""Time and peak memory of the GMCR stability engine on random conflicts.

Usage:  python benchmarks/bench_stability.py [--max-bits 20]

For each shape (actors x options per actor, all option combinations
feasible, random strict preferences, no irreversible options) prints the time
to build the move matrices, the time of each concept alone and of all four
together, and the peak resident memory of the process (each shape runs in a
fresh process).
On the small shapes the same run times the loop-based reference
implementation of the definitions used in the tests, as a baseline.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from crisislab.conflict.moves import build_option_graph
from crisislab.conflict.stability import analyze_stability

SHAPES = [(2, 2), (3, 2), (2, 4), (4, 2), (4, 3), (2, 6), (3, 4), (5, 3), (4, 4), (2, 8),
          (5, 4), (2, 10)]
CONCEPTS = ("nash", "gmr", "smr", "seq")


def random_graph(n_actors: int, opts: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    bits = n_actors * opts
    codes = np.arange(1 << bits, dtype=np.int64)
    masks = [((1 << opts) - 1) << (a * opts) for a in range(n_actors)]
    pay = np.stack([rng.permutation(codes.size) for _ in range(n_actors)]).astype(float)
    return build_option_graph([f"DM{a}" for a in range(n_actors)], codes, masks, pay)


def measure(fn):
    t0 = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t0


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_shape(n_actors: int, opts: int) -> None:
    """One shape, in its own process so that the peak RSS belongs to it alone."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "conflict"))
    try:
        from gmcr_reference import ref_stable
    except ImportError:  # pragma: no cover - tests folder absent
        ref_stable = None
    shape = f"{n_actors}x{opts}"
    bits = n_actors * opts
    try:
        g, t_build = measure(lambda: random_graph(n_actors, opts))
    except Exception as exc:  # the move builder refuses oversized models
        print(f"{shape:>6} {1 << bits:>9} refused: {str(exc).splitlines()[0]}", flush=True)
        return
    moves = sum(int(m.nnz) for m in g.moves)
    print(f"{shape:>6} {g.n_states:>9} {moves:>11,} build {t_build:8.3f} s", flush=True)
    total = 0.0
    for c in CONCEPTS:
        _, dt = measure(lambda c=c: analyze_stability(g, (c,)))
        total += dt
        base = ""
        if ref_stable is not None and g.n_states <= 64:
            _, bt = measure(lambda c=c: ref_stable(g, c))
            base = f"   baseline (reference loops) {bt:7.3f} s, {bt / max(dt, 1e-9):,.0f}x"
        print(f"{'':>6} {'':>9} {'':>11} {c:>5} {dt:8.3f} s{base}", flush=True)
    _, dt_all = measure(lambda: analyze_stability(g, CONCEPTS))
    print(f"{'':>6} {'':>9} {'':>11} {'all4':>5} {dt_all:8.3f} s   "
          f"peak RSS of this run {rss_mb():,.0f} MB", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--max-bits", type=int, default=20)
    ap.add_argument("--shape", help="run one shape AxO in this process")
    args = ap.parse_args()
    if args.shape:
        a, o = (int(x) for x in args.shape.split("x"))
        run_shape(a, o)
        return
    print(f"{'shape':>6} {'states':>9} {'moves':>11}  concept / time", flush=True)
    for n_actors, opts in SHAPES:
        if n_actors * opts > args.max_bits:
            continue
        subprocess.run([sys.executable, __file__, "--shape", f"{n_actors}x{opts}"], check=False)


if __name__ == "__main__":
    main()
