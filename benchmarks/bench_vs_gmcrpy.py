"""Whole-process CPU seconds of ``crisislab analyze`` beside gmcr-py on the same files.

Targets (issue 10, section 5): Elmira and Garrison through the CLI faster than gmcr-py
on the same ``.gmcr`` file, whole process; ``analyze`` at 4,096 states under 3 s.

gmcr-py is not a dependency and none of its code is in this repository: point
``GMCRPY_DIR`` at a checkout of https://github.com/onp/gmcr-py (its ``Examples/``
hold Elmira.gmcr and Garrison.gmcr).  Its side runs the current solver
(``data_02_conflictSolvers.LogicalSolver.findEquilibria``: Nash, GMR, SEQ, SIM, SMR
for every actor and state) after loading the file; crisislab's side is
``crisislab analyze FILE --mode each_once`` (the same sanctioning rule, plus the
executive summary, credible paths and joint moves it always prints), and
``--no-cruxes`` for the 4,096-state model.  Without ``GMCRPY_DIR`` only crisislab's
side is measured.

    GMCRPY_DIR=/path/to/gmcr-py python benchmarks/bench_vs_gmcrpy.py [--repeat N]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
from pathlib import Path

from process_cost import REFERENCE_LOOP, compile_bytecode, measure, reference_cpu

GMCRPY_RUN = """
import contextlib, io, sys
sys.path.insert(0, sys.argv[1])
import data_01_conflictModel as cm
import data_02_conflictSolvers as cs
g = cm.ConflictModel()
g.load_from_file(sys.argv[2])
solver = cs.LogicalSolver(g)
with contextlib.redirect_stdout(io.StringIO()):
    solver.findEquilibria()
"""


def child_cpu(args: list[str], cwd: str | None = None) -> float:
    return measure(args, columns=80, cwd=cwd)[1]


def four_thousand_states(path: Path, seed: int = 1) -> None:
    """4 actors x 3 options (2^12 = 4,096 states, all feasible); each actor ranks states
    by three random prioritized literals over the 12 options."""
    rng = random.Random(seed)
    actors = ["A", "B", "C", "D"]
    options = [f"{a.lower()}{k}" for a in actors for k in range(3)]
    lines = ["metadata: {title: 4096 states}", "actors:"]
    lines += [f"  - {{id: {a}, name: Actor {a}}}" for a in actors]
    lines.append("options:")
    lines += [f"  - {{id: {o}, label: option {o}, owner: {o[0].upper()}}}" for o in options]
    lines.append("preferences:")
    for a in actors:
        lines.append(f"  {a}:\n    prioritization:")
        for o in rng.sample(options, 3):
            lines.append(f"      - {'not ' if rng.random() < 0.5 else ''}{o}")
    lines.append("status_quo: none")
    path.write_text("\n".join(lines) + "\n")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    compile_bytecode()
    exe = str(Path(sys.executable).with_name("crisislab"))
    gmcrpy = os.environ.get("GMCRPY_DIR")
    bare = min(child_cpu([sys.executable, "-c", "pass"]) for _ in range(args.repeat))
    print(f"python -c pass: {bare:.2f} s CPU (whole process, best of {args.repeat}); "
          f"reference loop {REFERENCE_LOOP}: {reference_cpu():.2f} s\n")
    print(f"{'model':<28}{'crisislab analyze':>18}{'gmcr-py':>10}")
    for name in ("Elmira", "Garrison"):
        path = Path(gmcrpy or "", "Examples", f"{name}.gmcr")
        if not gmcrpy or not path.exists():
            print(f"{name:<28}{'(set GMCRPY_DIR to a gmcr-py checkout)':>40}")
            continue
        ours = min(child_cpu([exe, "analyze", str(path), "--mode", "each_once"])
                   for _ in range(args.repeat))
        theirs = min(child_cpu([sys.executable, "-c", GMCRPY_RUN, gmcrpy, str(path)],
                               cwd=gmcrpy) for _ in range(args.repeat))
        verdict = "faster" if ours < theirs else "slower"
        print(f"{name:<28}{ours:>16.2f} s{theirs:>8.2f} s   crisislab {verdict}")
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp, "big.yaml")
        four_thousand_states(big)
        ours = min(child_cpu([exe, "analyze", str(big), "--no-cruxes"])
                   for _ in range(args.repeat))
        print(f"{'4,096 states (4 x 3)':<28}{ours:>16.2f} s{'-':>10}   target < 3.00 s")


if __name__ == "__main__":
    main()
