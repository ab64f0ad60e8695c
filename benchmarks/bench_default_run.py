"""The default ``crisislab`` run (korea-2017): CPU seconds by phase, beside a baseline.

Target (issue 10, section 5): the whole default run under 2 s of CPU on 2 cores,
stability computed once per (policy, view) and reused for paths, cruxes and
what-ifs.  Printed:

* the whole process (``crisislab`` with no arguments, output discarded), CPU seconds
  of the child (user + system), least and median over ``--runs`` fresh processes,
  and ``python -c pass`` for the interpreter alone, interleaved with it (bytecode
  written first, as an install has it: :mod:`process_cost`);
* the pipeline's own phases (build, stability and paths per view, hypergames,
  cruxes, what-if, games, forecasts, summary) and rendering, in-process;
* the baseline measured in the same run: a plain per-view loop that recomputes
  stability for every start and concept from scratch (no reuse), as the pipeline
  did before stability results were shared.

    python benchmarks/bench_default_run.py [--repeat N] [--runs N]
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from pathlib import Path

from process_cost import REFERENCE_LOOP, compile_bytecode, measure, reference_cpu


def baseline_loop(scenario: object) -> float:
    """Stability recomputed for every view, start and concept, then the paths."""
    from crisislab.compare.views import ConflictModel, all_views
    from crisislab.conflict.stability import analyze_stability
    from crisislab.conflict.status_quo import analyze_status_quo

    t0 = time.process_time()
    model = ConflictModel(scenario)  # type: ignore[arg-type]
    for view in all_views(scenario):  # type: ignore[arg-type]
        graph = model.graph_for(view.scenario)
        for start in model.starts():
            for concept in ("nash", "gmr", "smr", "seq"):
                res = analyze_stability(graph, (concept,))
                analyze_status_quo(graph, start.state, concept, stability=res)
    return time.process_time() - t0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3, help="in-process repeats (best kept)")
    ap.add_argument("--runs", type=int, default=9, help="whole-process runs")
    args = ap.parse_args()
    compile_bytecode()
    exe = str(Path(sys.executable).with_name("crisislab"))
    measure([exe])  # warm the file cache
    bare, whole = [], []
    for _ in range(args.runs):  # interleaved: a busy machine slows both alike
        bare.append(measure([sys.executable, "-c", "pass"], columns=80)[1])
        whole.append(measure([exe], columns=80)[1])
    print(f"CPU seconds over {args.runs} fresh processes: min / median")
    print(f"python -c pass                       {min(bare):6.2f} / {statistics.median(bare):.2f}")
    print(f"reference loop ({REFERENCE_LOOP})   {reference_cpu():6.2f}   the machine's speed now")
    print(f"crisislab (default run, whole)       {min(whole):6.2f} / "
          f"{statistics.median(whole):.2f}   target < 2.00")

    from rich.console import Console

    from crisislab.compare.pipeline import analyze_scenario
    from crisislab.model.io import load
    from crisislab.report.terminal import render_scenario

    t0 = time.process_time()
    scenario = load()
    load_s = time.process_time() - t0
    best: dict[str, float] = {}
    for _ in range(args.repeat):
        # as the default run asks: the what-if table, every concept's cruxes and every
        # negotiation model under a lens only with --details/--json/--html
        sa = analyze_scenario(scenario, what_if=False, crux_concepts=("seq",),
                              lens_models=("challenge",))
        t1 = time.process_time()
        render_scenario(sa, Console(file=io.StringIO(), width=80))
        phases = dict(sa.timings) | {"render": time.process_time() - t1}
        for k, v in phases.items():
            best[k] = min(best.get(k, v), v)
    print(f"\nin-process phases (best of {args.repeat}), CPU seconds:")
    print(f"  {'load and validate':<28}{load_s:6.3f}")
    for k, v in best.items():
        print(f"  {k:<28}{v:6.3f}")
    print(f"  {'total':<28}{sum(best.values()) + load_s:6.3f}")
    sa_what_if = analyze_scenario(scenario, what_if=True)
    print(f"  (what-if, only with --details/--json/--html: "
          f"{dict(sa_what_if.timings).get('what-if', 0.0):.3f})")
    base = min(baseline_loop(scenario) for _ in range(args.repeat))
    ours = best.get("stability and paths", 0.0)
    print(f"\nstability + paths for every view and start: pipeline {ours:.3f} s, "
          f"baseline per-view loop {base:.3f} s ({base / max(ours, 1e-9):.1f}x)")


if __name__ == "__main__":
    main()
