"""Run ``validate`` and ``analyze --json`` on mutated inputs, with a time and memory budget.

Every input must end in one of two ways: exit 0, or exit 2 with a message
located in the file (``FILE:LINE:COL:``).  Anything else is counted by class:
an internal error (exit 1 or an exception: a traceback), an unlocated refusal,
more than 5 s of CPU, more than 500 MB of peak memory, or a worker that stopped
answering (killed after a wall-clock limit).

Each worker process runs inputs in-process through the CLI (typer's
``CliRunner``); before each input it resets the kernel's peak-RSS mark
(``/proc/self/clear_refs``) and afterwards reads ``VmHWM``, and an address-space
limit stops a runaway allocation from taking the machine down.

``python tests/fuzz/fuzz_harness.py --count 10000 --jobs 2`` (``make fuzz``)
prints the counts by class and writes failing inputs to ``tests/fuzz/failures/``.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import re
import resource
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import contextlib

from fuzz_mutate import HERE, mutate, seed_texts

CPU_LIMIT_S = 5.0
MEMORY_LIMIT_MB = 500.0
WALL_LIMIT_S = 120.0  # a worker silent this long is killed and its input counted as a hang
ADDRESS_SPACE_MB = 3000  # hard stop for a runaway allocation (numpy reserves virtual memory)


@dataclass
class Outcome:
    """What one input did."""

    number: int
    description: str
    kind: str  # ok, refused, unlocated, internal, slow, memory, hang
    detail: str = ""
    cpu_s: float = 0.0
    peak_mb: float = 0.0


def _peak_reset() -> None:
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
    except OSError:
        pass


def _peak_mb() -> float:
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


_LOCATED = None


def classify_run(path: str, exit_code: int, output: str, exception: BaseException | None) \
        -> tuple[str, str]:
    """(kind, detail) of one CLI run on ``path``."""
    if exception is not None and not isinstance(exception, SystemExit):
        return "internal", f"{type(exception).__name__}: {str(exception)[:200]}"
    if exit_code == 0:
        return "ok", ""
    if exit_code == 2:
        if re.search(re.escape(path) + r":\d+(:\d+)?: ", output):
            return "refused", output.splitlines()[1][len(path):][:120] if "\n" in output else ""
        return "unlocated", output[:300]
    return "internal", f"exit {exit_code}: {output[:300]}"


def run_input(path: str, out_dir: str) -> tuple[str, str]:
    """``validate PATH`` then ``analyze PATH --json OUT``: the worse outcome of the two."""
    from typer.testing import CliRunner

    from crisislab.cli.main import app

    runner = CliRunner()
    worst = ("ok", "")
    for args in (["validate", path],
                 ["analyze", path, "--json", os.path.join(out_dir, "out.json"), "--force"]):
        res = runner.invoke(app, args, catch_exceptions=True)
        output = res.output + (getattr(res, "stderr", "") if _stderr_separate(res) else "")
        kind, detail = classify_run(path, res.exit_code, output, res.exception)
        if kind != "ok" and kind != "refused":
            return kind, f"{args[0]}: {detail}"
        if kind == "refused":
            worst = (kind, detail)
    return worst


def _stderr_separate(res: Any) -> bool:
    try:
        return bool(res.stderr) and res.stderr not in res.output
    except ValueError:
        return False


def _worker(conn: Any, seeds: list[tuple[str, str]]) -> None:
    limit = ADDRESS_SPACE_MB * 1024 * 1024
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    tmp = tempfile.mkdtemp(prefix="crisislab-fuzz-")
    while True:
        number = conn.recv()
        if number is None:
            break
        description, suffix, raw = mutate(seeds, number)
        path = os.path.join(tmp, f"input{suffix}")
        with open(path, "wb") as fh:
            fh.write(raw)
        _peak_reset()
        start = time.process_time()
        try:
            kind, detail = run_input(path, tmp)
        except MemoryError:
            kind, detail = "memory", "MemoryError"
        except BaseException as exc:  # the harness itself must keep going
            kind, detail = "internal", f"{type(exc).__name__}: {exc}"[:300]
        cpu = time.process_time() - start
        peak = _peak_mb()
        if kind in ("ok", "refused"):
            if cpu > CPU_LIMIT_S:
                kind, detail = "slow", f"{cpu:.1f} s CPU"
            elif peak > MEMORY_LIMIT_MB:
                kind, detail = "memory", f"{peak:.0f} MB peak"
        conn.send(Outcome(number, description, kind, detail, cpu, peak))


def run(numbers: list[int], jobs: int, progress: bool = True,
        wall_limit: float = WALL_LIMIT_S, max_seconds: float | None = None) -> list[Outcome]:
    """Run inputs ``numbers`` on ``jobs`` worker processes (stop handing out inputs after
    ``max_seconds``, so a shared machine still gets counts for what ran)."""
    ctx = mp.get_context("fork")
    seeds = seed_texts()
    todo = list(reversed(numbers))
    results: list[Outcome] = []
    workers: list[dict[str, Any]] = []

    def start() -> dict[str, Any]:
        parent, child = ctx.Pipe()
        proc = ctx.Process(target=_worker, args=(child, seeds), daemon=True)
        proc.start()
        return {"proc": proc, "conn": parent, "job": None, "since": 0.0}

    began = time.monotonic()

    def feed(w: dict[str, Any]) -> None:
        if max_seconds is not None and time.monotonic() - began > max_seconds:
            todo.clear()
        if todo:
            w["job"] = todo.pop()
            w["since"] = time.monotonic()
            w["conn"].send(w["job"])
        else:
            w["job"] = None

    for _ in range(max(1, jobs)):
        w = start()
        workers.append(w)
        feed(w)
    last = time.monotonic()
    while any(w["job"] is not None for w in workers):
        for i, w in enumerate(workers):
            if w["job"] is None:
                continue
            if w["conn"].poll(0.05):
                try:
                    results.append(w["conn"].recv())
                except EOFError:
                    results.append(Outcome(w["job"], mutate(seeds, w["job"])[0], "hang",
                                           "worker died"))
                    w["proc"].kill()
                    workers[i] = w = start()
                feed(w)
            elif not w["proc"].is_alive() or time.monotonic() - w["since"] > wall_limit:
                results.append(Outcome(w["job"], mutate(seeds, w["job"])[0], "hang",
                                       f"no answer within {wall_limit:.0f} s"
                                       if w["proc"].is_alive() else "worker died"))
                w["proc"].kill()
                workers[i] = w = start()
                feed(w)
        if progress and time.monotonic() - last > 10:
            last = time.monotonic()
            counts = Counter(o.kind for o in results)
            print(f"  {len(results)}/{len(numbers)} inputs: "
                  + ", ".join(f"{k} {n}" for k, n in sorted(counts.items())),
                  file=sys.stderr, flush=True)
    for w in workers:
        w["conn"].send(None)
        w["proc"].join(timeout=5)
    return sorted(results, key=lambda o: o.number)


FAILURE_KINDS = ("unlocated", "internal", "slow", "memory", "hang")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--start", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--max-minutes", type=float, default=None,
                        help="stop handing out inputs after this long (counts what ran)")
    args = parser.parse_args(argv)
    began = time.monotonic()
    results = run(list(range(args.start, args.start + args.count)), args.jobs,
                  max_seconds=None if args.max_minutes is None else args.max_minutes * 60)
    counts = Counter(o.kind for o in results)
    print(f"{len(results)} inputs in {time.monotonic() - began:.0f} s "
          f"({args.jobs} processes)")
    for kind in ("ok", "refused", *FAILURE_KINDS):
        print(f"  {kind:10s} {counts.get(kind, 0)}")
    cpu = sorted(o.cpu_s for o in results)
    peak = sorted(o.peak_mb for o in results)
    if results:
        print(f"  CPU per input: median {cpu[len(cpu) // 2]:.2f} s, max {cpu[-1]:.2f} s; "
              f"peak memory: median {peak[len(peak) // 2]:.0f} MB, max {peak[-1]:.0f} MB")
    refusals = Counter(re.sub(r"'[^']*'|\d[\d,]*", "…", o.detail)[:70]
                       for o in results if o.kind == "refused")
    print("  most common refusals:")
    for msg, n in refusals.most_common(12):
        print(f"    {n:6d}  {msg}")
    failures = [o for o in results if o.kind in FAILURE_KINDS]
    if failures:
        out = HERE / "failures"
        out.mkdir(exist_ok=True)
        seeds = seed_texts()
        for o in failures[:200]:
            _, suffix, raw = mutate(seeds, o.number)
            (out / f"input-{o.number}{suffix}").write_bytes(raw)
            print(f"  FAIL {o.kind}: {o.description} — {o.detail}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
