"""Speed of the negotiation models: time per round and to convergence.

Run: ``python benchmarks/bench_bargaining.py [--quick]``.  Prints, for 10, 17,
26, 80 and 250 actors, the vectorised challenge model and spatial model
beside a deliberately simple loop implementation of the challenge model
(one actor at a time, as public Python implementations are written), and
KTAB's own run times where ``../shared/data/bargaining/ktab`` has them.

Targets: 17 actors x 10 rounds of the challenge model under 0.1 s; the
26-actor SMP run (China SOE policy) faster than KTAB's C++ (6.0 s).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

from crisislab.bargaining import (
    ChallengeOptions,
    IssueArrays,
    SMPOptions,
    challenge_model,
    issue_arrays,
    load_ktab_csv,
    smp_model,
)

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "bargaining" / "ktab"
KTAB_SECONDS = {"SOE-Policy.csv": 6.0, "dummyData-a040.csv": 36.7, "dummyData-a080.csv": 416.9}


def random_issue(n: int, seed: int = 0) -> IssueArrays:
    rng = np.random.default_rng(seed)
    return IssueArrays(issue=f"random{n}", actors=tuple(f"a{i}" for i in range(n)),
                       dimensions=("d",), positions=rng.uniform(0, 100, (n, 1)).round(1),
                       salience=rng.uniform(0.1, 1.0, (n, 1)),
                       capability=rng.uniform(1, 100, n), lower=np.array([0.0]),
                       upper=np.array([100.0]))


def loop_challenge_round(x: list[float], c: list[float], s: list[float], rng: float) -> None:
    """One round written the simple way: loops over actors, the triad sum per call."""
    n = len(x)

    def compare(k: int, xa: float, xb: float) -> float:
        return c[k] * s[k] * (abs(x[k] - xb) / rng - abs(x[k] - xa) / rng)

    def prob(i: int, j: int) -> float:
        total = sum(abs(compare(k, x[a], x[b])) for k in range(n) for a in range(n)
                    for b in range(n))
        return sum(max(0.0, compare(k, x[i], x[j])) for k in range(n)) / total

    def eu(i: int, j: int) -> float:
        d = abs(x[i] - x[j]) / rng
        p = prob(i, j)
        return s[j] * (p * (2 - 4 * (0.5 - 0.5 * d)) + (1 - p) * (2 - 4 * (0.5 + 0.5 * d))) \
            + (1 - s[j]) * (2 - 4 * (0.5 - 0.5 * d))

    for a in range(n):
        for b in range(n):
            if a != b:
                eu(a, b)
                eu(b, a)


def timed(fn, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--quick", action="store_true", help="skip the 250-actor SMP run")
    args = ap.parse_args(argv)
    sizes = [10, 17, 26, 80, 250]

    print("Challenge model (BDM/Scholz), random 1-D issues")
    print(f"{'actors':>6} {'10 rounds s':>12} {'per round ms':>13} {'to conv. s':>11} "
          f"{'rounds':>7} {'loop 1 round s':>15}")
    for n in sizes:
        arr = random_issue(n)
        t10 = timed(lambda a=arr: challenge_model(a, ChallengeOptions(stop="rounds",
                                                                      max_rounds=10)))
        t0 = time.perf_counter()
        f = challenge_model(arr)
        tc = time.perf_counter() - t0
        loop = "-"
        if n <= 17:
            x = [float(v) for v in arr.positions[:, 0]]
            lt = timed(lambda x=x, a=arr: loop_challenge_round(
                x, a.capability.tolist(), a.salience[:, 0].tolist(), max(x) - min(x)), 1)
            loop = f"{lt:.2f}"
        print(f"{n:>6} {t10:>12.4f} {1000 * t10 / 10:>13.2f} {tc:>11.3f} "
              f"{len(f.rounds) - 1:>7} {loop:>15}")

    print()
    print("Spatial model (KTAB-style SMP), deterministic, to KTAB's stopping rule")
    print(f"{'case':>22} {'actors':>6} {'turns':>6} {'total s':>9} {'per turn ms':>12} "
          f"{'KTAB C++ s':>11}")
    cases: list[tuple[str, IssueArrays, float | None]] = []
    for name in ("SOE-Policy.csv", "dummyData-a040.csv", "dummyData-a080.csv"):
        path = SHARED / name
        if path.exists():
            cases.append((name, issue_arrays(load_ktab_csv(path)), KTAB_SECONDS[name]))
    for n in sizes:
        if n == 250 and args.quick:
            continue
        cases.append((f"random{n}", random_issue(n), None))
    for name, arr, ktab in cases:
        opts = SMPOptions(max_iter=20) if arr.n_actors >= 250 else SMPOptions()
        t0 = time.perf_counter()
        f = smp_model(arr, opts)
        tt = time.perf_counter() - t0
        turns = len(f.rounds) - 1
        k = f"{ktab:.1f}" if ktab else "-"
        note = "" if opts.max_iter == 100 else f" (capped at {opts.max_iter})"
        print(f"{name:>22} {arr.n_actors:>6} {turns:>6} {tt:>9.3f} "
              f"{1000 * tt / max(turns, 1):>12.1f} {k:>11}{note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
