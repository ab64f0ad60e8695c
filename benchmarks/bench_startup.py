"""Start-up cost: ``import crisislab``, ``crisislab --version`` and ``--help``.

Target (issue 10, part 4): ``crisislab --version`` and ``crisislab --help``
within 0.3 s of a bare ``python -c pass`` on the same machine.  The baseline
(a bare interpreter) is measured in the same run, each command ``--runs``
times in fresh processes, interleaved so that a busy machine slows all of
them alike; the table shows medians of wall-clock and CPU seconds (user +
system of the child) and each command's excess over the baseline.

    python benchmarks/bench_startup.py [--runs N]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
from pathlib import Path

from process_cost import REFERENCE_LOOP, compile_bytecode, measure, reference_cpu

TARGET_EXCESS_S = 0.3


def _crisislab() -> list[str]:
    """The installed console script, next to this interpreter (else on PATH)."""
    here = Path(sys.executable).with_name("crisislab")
    if here.exists():
        return [str(here)]
    found = shutil.which("crisislab")
    if found is None:
        raise SystemExit("the crisislab command is not installed (pip install -e .)")
    return [found]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=9, help="runs per command (median reported)")
    args = ap.parse_args()
    compile_bytecode()
    py = sys.executable
    cli = _crisislab()
    commands = {
        "python -c pass (baseline)": [py, "-c", "pass"],
        "python -c 'import crisislab'": [py, "-c", "import crisislab"],
        "crisislab --version": [*cli, "--version"],
        "crisislab --help": [*cli, "--help"],
    }
    for cmd in commands.values():  # warm the file cache once
        measure(cmd)
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for _ in range(args.runs):
        for name, cmd in commands.items():
            samples[name].append(measure(cmd))
    wall = {n: statistics.median(w for w, _ in s) for n, s in samples.items()}
    cpu = {n: statistics.median(c for _, c in s) for n, s in samples.items()}
    base_wall, base_cpu = wall["python -c pass (baseline)"], cpu["python -c pass (baseline)"]
    print(f"medians of {args.runs} runs; target: --version and --help within "
          f"{TARGET_EXCESS_S:.1f} s of the baseline")
    print(f"{'command':32s} {'wall s':>8s} {'cpu s':>8s} {'wall - base':>12s} {'target':>8s}")
    for name in commands:
        excess = wall[name] - base_wall
        verdict = ""
        if name.startswith("crisislab"):
            verdict = "met" if excess <= TARGET_EXCESS_S else "MISSED"
        print(f"{name:32s} {wall[name]:8.3f} {cpu[name]:8.3f} {excess:+12.3f} {verdict:>8s}")
    print(f"(baseline CPU {base_cpu:.3f} s; reference loop {REFERENCE_LOOP}: "
          f"{reference_cpu():.2f} s, the machine's speed now)")


if __name__ == "__main__":
    main()
