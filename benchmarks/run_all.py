"""Run every benchmark script in this folder, one after another.

Usage:  python benchmarks/run_all.py [name ...]     (e.g. ``stability bargaining``)

Each script prints its own figures beside its baseline; this runner only
starts them in fresh processes and reports how long each took.  Benchmarks
are not tests: they take minutes and print numbers for people to compare
with the targets in each script's docstring.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    every = sorted(HERE.glob("bench_*.py"))
    scripts = [s for s in every if not argv or s.stem.removeprefix("bench_") in argv]
    if not scripts:
        names = ", ".join(s.stem.removeprefix("bench_") for s in every)
        print(f"no benchmark named {argv}; have: {names}")
        return 2
    status = 0
    for script in scripts:
        print(f"\n=== {script.name} ===", flush=True)
        start = time.perf_counter()
        rc = subprocess.call([sys.executable, str(script)])
        print(f"=== {script.name}: exit {rc}, {time.perf_counter() - start:.1f} s ===", flush=True)
        status = status or rc
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
