"""``crisislab serve`` under load: 50 concurrent clients on loopback for 30 s.

Target (issue 14, section 3): 50 clients running analyses of the default scenario
(korea-2017) at once for 30 s, 0 errors, p95 latency reported.  The server runs
as ``crisislab serve`` in its own process on 127.0.0.1 (only loopback is ever
addressed); each client, in a loop until 30 s have passed, opens the page (a new
workspace, so nothing is reused from its earlier runs), starts an analysis as a
job, polls its progress and fetches the rendered results — what a person pressing
"Run" does.  Analyses run on the server's job workers (2 by default); the rest
wait in its bounded queue, so latency under load is mostly waiting.  Requests
already started when the 30 s end are awaited (bounded), then the server stops.

Printed: analyses completed, errors, latency (run pressed -> results shown)
median / p95 / max, throughput, the server's peak memory, and the baseline measured
in the same run: one client alone.

    python benchmarks/bench_load.py [--clients 50] [--seconds 30] [--cruxes] [--distinct]

By default every client sends the default scenario unchanged, as 50 people opening
the app would; the server's workspaces share one cache of engine results, so after
the first analysis the rest are answered from it.  ``--distinct`` gives every run a
title of its own, so every analysis computes every engine: the CPU-bound case.
``--cruxes`` runs the crux search too (about 5 s of CPU per analysis here, so far
fewer complete in 30 s).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

POLL = 0.2
DRAIN = 240.0  # seconds allowed, after the load ends, for runs already started


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def peak_rss_mb(pid: int) -> float:
    try:
        for row in Path(f"/proc/{pid}/status").read_text().splitlines():
            if row.startswith("VmHWM:"):
                return int(row.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


RUNS = iter(range(10**9))


def distinct(text: str) -> str:
    """The scenario under a title of its own: a different input, so the server's shared
    cache cannot answer it and every engine runs."""
    return text.replace('  title: "Korea 2017', f'  title: "Run {next(RUNS)}: Korea 2017', 1)


async def one_analysis(client, text: str, cruxes: bool, fresh: bool = False) -> float:
    """Open the page, run the analysis, fetch the results; seconds from Run to results."""
    if fresh:
        text = distinct(text)
    page = await client.get("/")
    page.raise_for_status()
    ws = page.text.split('data-workspace="', 1)[1].split('"', 1)[0]
    clock = time.perf_counter()
    r = await client.post("/api/run", json={"workspace": ws, "text": text,
                                            "name": "korea-2017.yaml", "cruxes": cruxes})
    r.raise_for_status()
    job = r.json()["id"]
    while True:
        status = (await client.get(f"/api/jobs/{job}")).raise_for_status().json()
        if status["state"] == "done":
            break
        if status["state"] in ("failed", "cancelled"):
            raise RuntimeError(f"job {status['state']}: {status['error']}")
        await asyncio.sleep(POLL)
    results = await client.get(f"/api/results/{ws}")
    results.raise_for_status()
    if 'id="policy-table"' not in results.json()["results"]:
        raise RuntimeError("results without the policy table")
    return time.perf_counter() - clock


async def load(base: str, text: str, clients: int, seconds: float, cruxes: bool,
               fresh: bool) -> tuple[list[float], list[str], float]:
    import httpx

    latencies: list[float] = []
    errors: list[str] = []
    start = time.perf_counter()
    # idle connections are dropped by the client (2 s) before the server closes them
    # (15 s), so a request never races a closing keep-alive connection
    limits = httpx.Limits(max_connections=clients + 5, keepalive_expiry=2)
    async with httpx.AsyncClient(base_url=base, timeout=DRAIN, limits=limits) as client:

        async def worker() -> None:
            while time.perf_counter() - start < seconds:
                try:
                    latencies.append(await one_analysis(client, text, cruxes, fresh))
                except Exception as exc:
                    where = getattr(getattr(exc, "request", None), "url", "")
                    errors.append(f"{type(exc).__name__} {where}: {exc}")

        tasks = [asyncio.create_task(worker()) for _ in range(clients)]
        await asyncio.wait_for(asyncio.gather(*tasks), seconds + DRAIN)
    return latencies, errors, time.perf_counter() - start


async def sequential(base: str, text: str, runs: int, cruxes: bool, fresh: bool
                     ) -> list[float]:
    """The baseline: one client alone, one analysis after another."""
    import httpx

    limits = httpx.Limits(keepalive_expiry=2)
    async with httpx.AsyncClient(base_url=base, timeout=DRAIN, limits=limits) as client:
        return [await one_analysis(client, text, cruxes, fresh) for _ in range(runs)]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--cruxes", action="store_true", help="include the crux search")
    parser.add_argument("--distinct", action="store_true",
                        help="give every run its own title, so no result is reused")
    args = parser.parse_args()

    from crisislab.model.io import read_source

    text, _name = read_source("builtin:korea-2017")
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-c", "from crisislab.cli import run; run()", "serve",
         "--no-browser", "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ})
    base = f"http://127.0.0.1:{port}"
    try:
        import httpx

        end = time.monotonic() + 30
        while time.monotonic() < end:
            try:
                httpx.get(base + "/favicon.ico", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.2)
        alone = asyncio.run(sequential(base, text, 3, args.cruxes, True))
        latencies, errors, wall = asyncio.run(
            load(base, text, args.clients, args.seconds, args.cruxes, args.distinct))
        rss = peak_rss_mb(server.pid)
    finally:
        server.terminate()
        server.wait(10)

    what = "with" if args.cruxes else "without"
    inputs = ("every run a distinct input (--distinct): all engines run each time"
              if args.distinct else "the same default scenario: the server's shared cache "
              "answers repeats")
    print(f"korea-2017 analyses ({what} the crux search) through crisislab serve on loopback;")
    print(f"  {inputs}; load average before: {os.getloadavg()[0]:.1f}")
    print(f"baseline, one client alone, distinct inputs: {statistics.median(alone):.2f} s "
          f"from Run to results (n={len(alone)})")
    print(f"{args.clients} concurrent clients for {args.seconds:.0f} s "
          f"(runs started by then finished; {wall:.1f} s in all):")
    print(f"  analyses completed {len(latencies)}, errors {len(errors)}, "
          f"throughput {len(latencies) / wall:.2f} per s")
    if latencies:
        ordered = sorted(latencies)
        p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
        print(f"  latency Run -> results: median {statistics.median(ordered):.2f} s, "
              f"p95 {p95:.2f} s, max {ordered[-1]:.2f} s")
    print(f"  server peak memory {rss:.0f} MB")
    for e in sorted(set(errors))[:5]:
        print(f"  error: {e}")
    return 1 if errors or not latencies else 0


if __name__ == "__main__":
    sys.exit(main())
