"""The default run (``crisislab`` on the built-in korea-2017): whole process and CPU by package.

Target (issue 10, parts 4 and 5): the default run under 2 s of CPU; the
README's figure measured here, not remembered.

Whole process: median wall and CPU seconds of ``crisislab`` (output discarded)
over ``--runs`` fresh processes, beside a bare ``python -c pass`` measured in
the same run.

By phase: one more run inside this process under a CPU-time sampling profiler
(a sample every ``--interval`` ms of CPU).  A sample counts for ``import`` when
Python is importing a module, otherwise for the crisislab package of the
innermost crisislab function on the stack (model = loading and validating,
conflict, games, bargaining, compare = lenses/hypergames/cruxes,
report = rendering, cli), so the breakdown follows the code wherever a
computation moves.  Sampling gives estimates: the shares, not the milliseconds,
are the point.

    python benchmarks/bench_default_run_profile.py [--runs N] [--interval MS]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import signal
import statistics
import sys
import time
from collections import Counter
from pathlib import Path
from types import FrameType

from process_cost import compile_bytecode, measure

TARGET_CPU_S = 2.0
SRC = str(Path(__file__).resolve().parents[1] / "src" / "crisislab")


def _phase(frame: FrameType | None) -> str:
    """What the interpreter was doing when sampled (see the module docstring)."""
    innermost = None
    f = frame
    while f is not None:
        name = f.f_code.co_filename
        if name.startswith("<frozen importlib"):
            return "import"
        if innermost is None and name.startswith(SRC):
            rel = name[len(SRC) + 1:]
            innermost = rel.split(os.sep)[0].removesuffix(".py")
        f = f.f_back
    return innermost or "other"


def _profile_in_process(interval_ms: float) -> tuple[Counter[str], float]:
    samples: Counter[str] = Counter()

    def handler(_sig: int, frame: FrameType | None) -> None:
        samples[_phase(frame)] += 1

    signal.signal(signal.SIGPROF, handler)
    cpu0 = time.process_time()
    signal.setitimer(signal.ITIMER_PROF, interval_ms / 1000, interval_ms / 1000)
    try:
        from crisislab.cli.main import app

        with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):
            app([], standalone_mode=True)
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0, 0)
    return samples, time.process_time() - cpu0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--interval", type=float, default=2.0, help="sampling interval, ms of CPU")
    args = ap.parse_args()
    compile_bytecode()
    cli = Path(sys.executable).with_name("crisislab")
    commands = {"python -c pass (baseline)": [sys.executable, "-c", "pass"],
                "crisislab (default run)": [str(cli)]}
    got: dict[str, list[tuple[float, float]]] = {n: [] for n in commands}
    for _ in range(args.runs):
        for name, cmd in commands.items():
            got[name].append(measure(cmd, columns=120))
    print(f"whole process, medians of {args.runs} runs; target: default run under "
          f"{TARGET_CPU_S:.1f} s of CPU")
    print(f"{'command':28s} {'wall s':>8s} {'cpu s':>8s} {'target':>8s}")
    for name, runs in got.items():
        wall = statistics.median(w for w, _ in runs)
        cpu = statistics.median(c for _, c in runs)
        verdict = ("met" if cpu <= TARGET_CPU_S else "MISSED") if name.startswith("crisislab") \
            else ""
        print(f"{name:28s} {wall:8.2f} {cpu:8.2f} {verdict:>8s}")

    samples, cpu = _profile_in_process(args.interval)
    total = sum(samples.values()) or 1
    print(f"\nby phase (one in-process run, {cpu:.2f} s CPU, {total} samples):")
    for phase, n in samples.most_common():
        print(f"  {phase:12s} {n / total:6.1%}  ~{cpu * n / total:6.2f} s")


if __name__ == "__main__":
    main()
