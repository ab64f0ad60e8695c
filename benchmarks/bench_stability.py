"""Time and peak memory of the GMCR stability engine on random conflicts.

Usage:  python benchmarks/bench_stability.py [--max-bits 20] [--baseline-max-bits 20]

For each shape (actors x options per actor, all option combinations
feasible, random strict preferences, no irreversible options) and each
concept alone and all four together, a fresh process builds the conflict and
analyses it; it reports the time to build the move matrices, the analysis
time and its peak resident memory (``getrusage``; building included).  The
engine's default path (``engine="auto"``: group reductions for option-form
models) runs beside the general sparse-matrix path (``engine="sparse"``), the
baseline; both must find the same stable states.  On shapes of at most 64
states the loop-based reference implementation used in the tests is timed
too.  Targets on a 2-core machine: 4 actors x 3 options, all four concepts,
under 0.25 s; 2^20 states under 60 s and 4 GB (build included).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from crisislab.conflict.graph import ConflictGraph
from crisislab.conflict.moves import build_option_graph
from crisislab.conflict.stability import analyze_stability
from crisislab.errors import InputError

SHAPES = [(2, 3), (2, 4), (4, 2), (4, 3), (2, 6), (3, 4), (5, 3), (4, 4), (2, 8),
          (5, 4), (4, 5), (2, 10)]
CONCEPTS = ("nash", "gmr", "smr", "seq")
RUNS = [(c,) for c in CONCEPTS] + [CONCEPTS]
#: Figures of the engine before the option-form path, int32 moves and the
#: in-place propagation, measured with this script's previous version on the
#: same machine (one process per shape: build, then each concept, then all four).
EARLIER_2_20 = {"5x4": "build 12.7 s, all four 72.0 s, peak 5,455 MB"}


def random_graph(n_actors: int, opts: int, seed: int = 0) -> ConflictGraph:
    rng = np.random.default_rng(seed)
    bits = n_actors * opts
    codes = np.arange(1 << bits, dtype=np.int64)
    masks = [((1 << opts) - 1) << (a * opts) for a in range(n_actors)]
    pay = np.stack([rng.permutation(codes.size) for _ in range(n_actors)]).astype(float)
    return build_option_graph([f"DM{a}" for a in range(n_actors)], codes, masks, pay)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(shape: str, concepts: tuple[str, ...], engine: str) -> dict:
    """One measurement, in this (fresh) process."""
    a, o = (int(x) for x in shape.split("x"))
    t0 = time.perf_counter()
    try:
        g = random_graph(a, o)
    except InputError as exc:  # the move builder refuses oversized models
        return {"refused": str(exc).splitlines()[0]}
    build = time.perf_counter() - t0
    t0 = time.perf_counter()
    res = analyze_stability(g, concepts, engine=engine)
    out = {"build": build, "time": time.perf_counter() - t0, "peak": peak_mb(),
           "states": g.n_states, "moves": int(sum(m.nnz for m in g.moves)),
           "stable": {c: int(res.stable[c].sum()) for c in concepts}}
    if engine == "auto" and g.n_states <= 64 and len(concepts) == 1:
        sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "conflict"))
        from gmcr_reference import ref_stable

        t0 = time.perf_counter()
        ref = ref_stable(g, concepts[0])
        out["reference"] = time.perf_counter() - t0
        out["reference_agrees"] = bool(np.array_equal(ref, res.stable[concepts[0]]))
    return out


def run_child(shape: str, concepts: tuple[str, ...], engine: str) -> dict:
    cmd = [sys.executable, __file__, "--child", shape, "--concepts", ",".join(concepts),
           "--engine", engine]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        return {"failed": (proc.stderr.strip().splitlines() or ["?"])[-1]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def fmt(r: dict) -> str:
    if "failed" in r:
        return f"failed: {r['failed']}"
    return f"{r['time']:8.3f} s {r['peak']:7,.0f} MB"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--max-bits", type=int, default=20)
    ap.add_argument("--baseline-max-bits", type=int, default=20,
                    help="run the sparse baseline only on shapes up to this many options")
    ap.add_argument("--shapes", help="comma-separated shapes AxO to run instead of the list")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--concepts", default=",".join(CONCEPTS), help=argparse.SUPPRESS)
    ap.add_argument("--engine", default="auto", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(args.child, tuple(args.concepts.split(",")), args.engine)))
        return
    shapes = ([tuple(int(x) for x in s.split("x")) for s in args.shapes.split(",")]
              if args.shapes else SHAPES)
    print("each figure: a fresh process; time = analysis, peak = peak RSS (build included)")
    print(f"{'shape':>6} {'states':>9} {'moves':>12} {'build':>8}  {'concepts':<8}"
          f" {'engine (auto)':>22}   {'baseline (sparse)':>22}  speed-up", flush=True)
    for n_actors, opts in shapes:
        bits = n_actors * opts
        if bits > args.max_bits:
            continue
        shape = f"{n_actors}x{opts}"
        for k, concepts in enumerate(RUNS):
            fast = run_child(shape, concepts, "auto")
            if "refused" in fast:
                print(f"{shape:>6} {1 << bits:>9} refused: {fast['refused']}", flush=True)
                break
            head = (f"{shape:>6} {fast.get('states', 0):>9} {fast.get('moves', 0):>12,}"
                    f" {fast.get('build', 0):6.2f} s" if k == 0 else " " * 39)
            label = "all four" if len(concepts) > 1 else concepts[0]
            line = f"{head}  {label:<8} {fmt(fast):>22}"
            if bits <= args.baseline_max_bits:
                base = run_child(shape, concepts, "sparse")
                line += f"   {fmt(base):>22}"
                if "time" in fast and "time" in base:
                    line += f"  {base['time'] / max(fast['time'], 1e-9):6.1f}x"
                    if fast["stable"] != base["stable"]:
                        line += "  MISMATCH"
            if len(concepts) > 1 and "time" in fast:
                line += f"   with build: {fast['build'] + fast['time']:.2f} s"
            if "reference" in fast:
                agree = "agrees" if fast["reference_agrees"] else "DISAGREES"
                line += f"   reference loops {fast['reference']:.3f} s ({agree})"
            print(line, flush=True)
        if shape in EARLIER_2_20:
            print(f"{'':>6} earlier engine on {shape}: {EARLIER_2_20[shape]}", flush=True)


if __name__ == "__main__":
    main()
