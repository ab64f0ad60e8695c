"""``crisislab serve``: how fast the page updates after a belief changes.

Target (issue 14, section 2): on the default scenario (korea-2017) the page updates
within 0.5 s of a change.  The app serves over loopback (uvicorn in a thread of this
process); after one full run, each change is a POST of the changed beliefs and the
answer is the re-rendered results (the policy x view table with flipped cells
marked, the summary, cruxes, games, forecasts).  Printed, for each kind of change
(a game prior, a preference statement, a lens's issue value):

* the round trip as the page sees it (request, recompute, render, response),
  median / p95 / max over the changes;
* the recompute alone (the server's own figure);
* a change made while the previous change's crux search runs in the background (it is
  cancelled first), and how long the crux search under the last change takes;
* baselines measured in the same run: the pipeline without the cache (every
  engine recomputed, crux search off) and the full analysis with the crux search —
  what a change would cost without reuse.

    python benchmarks/bench_serve.py [--changes N]
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import threading
import time


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def line(label: str, values: list[float]) -> str:
    ms = [v * 1000 for v in values]
    return (f"  {label:<44} median {statistics.median(ms):7.1f} ms   p95 "
            f"{percentile(ms, 0.95):7.1f} ms   max {max(ms):7.1f} ms   (n={len(ms)})")


def browser_figures(base: str, changes: int = 8) -> None:
    """The same update as a person sees it: headless Chromium moves the slider, and the
    page's own clock runs from the change event to the new results in the DOM."""
    import shutil

    chromium = shutil.which("chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        chromium = None
    if chromium is None:
        print(" in the browser: skipped (no chromium or playwright)")
        return
    args = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-sync",
            "--disable-background-networking", "--disable-component-update", "--no-first-run"]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=args)
        page = browser.new_page()
        page.goto(base + "/")
        page.wait_for_selector("#validation.ok", timeout=60_000)
        page.uncheck("#cruxes")
        page.click("#run")
        page.wait_for_selector('body[data-ready="1"]', timeout=120_000)
        slider = page.locator('input[data-id="prior:embargo_or_talks:p_nk_resolute"]')
        shown = []
        for k in range(changes):
            value = f"{0.1 + 0.8 * k / max(1, changes - 1):.2f}"
            clock = time.perf_counter()
            slider.fill(value)
            page.wait_for_selector("#timing:has-text('Updated in')", timeout=30_000)
            outside = time.perf_counter() - clock
            text = page.inner_text("#timing")
            page_ms = float(text.split("Updated in ", 1)[1].split(" ms", 1)[0])
            page.evaluate("document.getElementById('timing').textContent = ''")
            shown.append((page_ms / 1000, outside))
        browser.close()
    print(f" in headless Chromium, game prior moved {changes} times")
    print(line("change event -> results in the page (page clock)", [a for a, _b in shown]))
    print(line("slider moved -> results seen (driver clock)", [b for _a, b in shown]))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--changes", type=int, default=12, help="changes of each kind")
    args = parser.parse_args()

    import httpx
    import uvicorn

    from crisislab.app.server import create_app
    from crisislab.compare.pipeline import analyze_scenario
    from crisislab.formats.scenario import load_text
    from crisislab.model.io import read_source

    text, _name = read_source("builtin:korea-2017")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(text, "korea-2017.yaml"),
                                           host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    base = f"http://127.0.0.1:{port}"
    client = httpx.Client(base_url=base, timeout=120)
    ws = client.get("/").text.split('data-workspace="', 1)[1].split('"', 1)[0]
    clock = time.perf_counter()
    job = client.post("/api/run", json={"workspace": ws, "text": text, "name": "k.yaml"}).json()
    while client.get(f"/api/jobs/{job['id']}").json()["state"] not in ("done", "failed"):
        time.sleep(0.05)
    full_seconds = time.perf_counter() - clock
    client.get(f"/api/results/{ws}")

    n = args.changes
    kinds = {
        "game prior (base p_nk_resolute)": [
            {"prior:embargo_or_talks:p_nk_resolute": round(0.05 + 0.9 * k / max(1, n - 1), 3)}
            for k in range(n)],
        "preference statement (toggled)": [
            {"statement:CN:cn_no_collision": False} if k % 2 == 0 else
            {"statement:US:us_press_until_china_joins": False} for k in range(n)],
        "lens issue value (KP capability)": [
            {"lens_issue:washington:sequencing:KP:capability": float(5 * (k % 20 + 1))}
            for k in range(n)],
    }
    print(f"korea-2017: full run with cruxes through the app (job): {full_seconds:.2f} s "
          f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores: other "
          "processes slow every figure alike; compare with the baselines below)")
    print(f"page update after one change, {n} changes of each kind (target: 0.5 s):")
    worst = 0.0
    for label, changes in kinds.items():
        trips, server_side = [], []
        for beliefs in changes:
            clock = time.perf_counter()
            r = client.post("/api/beliefs", json={"workspace": ws, "beliefs": beliefs})
            trips.append(time.perf_counter() - clock)
            r.raise_for_status()
            server_side.append(r.json()["seconds"])
        worst = max(worst, percentile(trips, 0.95))
        print(f" {label}")
        print(line("round trip (recompute + render + HTTP)", trips))
        print(line("recompute only (server)", server_side))

    # each change starts the crux search under the new beliefs as a background job; a
    # change made while it runs cancels it first (it stops at its next conclusion)
    trips, arrivals = [], []
    for k in range(max(2, n // 3)):
        beliefs = {"prior:embargo_or_talks:p_nk_resolute": round(0.15 + 0.07 * k, 3)}
        time.sleep(1.0)  # the previous change's crux search is running now
        clock = time.perf_counter()
        r = client.post("/api/beliefs", json={"workspace": ws, "beliefs": beliefs})
        trips.append(time.perf_counter() - clock)
        r.raise_for_status()
    job = r.json()["crux_job"]
    while client.get(f"/api/jobs/{job}").json()["state"] not in ("done", "failed",
                                                                 "cancelled"):
        time.sleep(0.05)
    arrivals.append(time.perf_counter() - clock)
    worst = max(worst, percentile(trips, 0.95))
    print(" game prior moved 1 s after the last change (its crux search running)")
    print(line("round trip (recompute + render + HTTP)", trips))
    print(line("change -> cruxes under the new beliefs (job)", arrivals))

    browser_figures(base)

    scenario = load_text(text, "k.yaml")
    fresh = []
    for _ in range(3):
        clock = time.perf_counter()
        analyze_scenario(scenario, cruxes=False, what_if=False)
        fresh.append(time.perf_counter() - clock)
    clock = time.perf_counter()
    analyze_scenario(scenario)
    whole = time.perf_counter() - clock
    print("baselines, same run:")
    print(line("pipeline without the cache, no crux search", fresh))
    print(f"  {'full pipeline with crux search':<44} {whole * 1000:7.1f} ms")
    print(f"worst p95 round trip {worst * 1000:.0f} ms: "
          f"{'within' if worst <= 0.5 else 'OVER'} the 0.5 s target")
    server.should_exit = True


if __name__ == "__main__":
    main()
