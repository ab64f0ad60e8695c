"""Whole-process cost, as the benchmarks that time the command line measure it.

Two things every such benchmark needs, kept here once:

* :func:`measure` runs a command in a fresh process and returns its wall-clock
  and CPU seconds (user + system of the child), output discarded;
* :func:`reference_cpu` times a fixed pure-Python loop in a fresh process, so a
  reader can tell a slow machine from a slow crisislab: on a shared virtual machine
  the same work takes up to 1.6 times as long at busy moments;
* :func:`compile_bytecode` writes crisislab's bytecode before any timing.  An
  installed package has it (pip compiles on install), but a source checkout run
  with ``PYTHONDONTWRITEBYTECODE`` set (common in containers) recompiles every
  changed module in every process — about 0.2 s of CPU on the default run, a cost
  no user of an installed crisislab pays.
"""

from __future__ import annotations

import compileall
import os
import resource
import subprocess
import sys
import time
from pathlib import Path


def compile_bytecode() -> None:
    """Write up-to-date bytecode for the crisislab package this interpreter imports."""
    import crisislab

    root = Path(crisislab.__file__).resolve().parent
    dont_write = sys.dont_write_bytecode
    sys.dont_write_bytecode = False
    try:
        compileall.compile_dir(str(root), quiet=1)
    finally:
        sys.dont_write_bytecode = dont_write


REFERENCE_LOOP = "sum(range(20_000_000))"


def reference_cpu(runs: int = 5) -> float:
    """Least CPU seconds of a fixed loop (:data:`REFERENCE_LOOP`) over ``runs`` fresh
    processes: printed beside a benchmark's figures as the machine's speed then."""
    return min(measure([sys.executable, "-c", REFERENCE_LOOP])[1] for _ in range(runs))


def measure(cmd: list[str], *, columns: int = 100, cwd: str | None = None) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one run of ``cmd`` in a fresh process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   cwd=cwd, env={**os.environ, "COLUMNS": str(columns)})
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
