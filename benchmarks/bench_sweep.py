"""Speed of a preference sweep: batched stability against one engine call per sample.

Run: ``python benchmarks/bench_sweep.py [--samples N] [--quick]``.

korea-2017 (186 states, 3 actors) under every view (the base case and its 4
lenses), Nash/GMR/SMR/SEQ, with random preference samples: each actor's
prioritization statements are each left out with probability 0.3 (so nearly
every sample is a distinct ranking and no de-duplication helps), and the
credible paths from the status quo.  Printed side by side, measured in the
same run:

* ``batched``: :func:`crisislab.uncertainty.batch_stability.batch_stability` and
  ``credible_ends`` over every (sample, view) at once, in chunks of 1024;
* ``engine loop``: :func:`crisislab.conflict.stability.analyze_stability` and the
  credible status quo analysis, once per (sample, view), on the prebuilt graph;
* ``API loop``: ``crisislab.stability(scenario)`` once per (sample, view), the
  way a user without the sweep would write it (a scenario per sample).

The loops are timed on a subset and reported per sample and extrapolated.
Target (issue 12): batched >= 20x faster than the API loop on the same cores.

Then the games of a sweep (korea-2017's game under 4 policies and 5 views, its
uncertain priors sampled by Latin hypercube), CPU seconds per sample, in the
same run: ``batched`` is the sweep's own evaluation
(:func:`crisislab.games.batch.solve_settings`: the tree compiled once per
policy, the pure search over every setting at once); ``loop`` calls the
pipeline's single solve once per distinct setting, as sweeps did before, once
with the sequential-consistency LP remembered (today's single solver) and once
without (the single solver before the batching).  The three give the same
answers (checked).  Then the throughput of whole sweeps (games included) on
one process and on a Dask LocalCluster of 1 and 2 workers, and the plan for
10^6 samples.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

import crisislab
from crisislab.compare.views import ConflictModel, all_views
from crisislab.conflict.stability import analyze_stability
from crisislab.conflict.status_quo import analyze_status_quo
from crisislab.model.logic import parse_formula
from crisislab.model.scenario import Preference
from crisislab.uncertainty.batch_stability import Edges, batch_stability, credible_ends

CONCEPTS = ("nash", "gmr", "smr", "seq")


def statement_truths(view_scenario, space) -> list[np.ndarray]:  # type: ignore[no-untyped-def]
    """Per actor: (statements, states) truth of each prioritization statement."""
    out = []
    for actor in space.actors:
        pref = view_scenario.preferences[actor]
        rows = [parse_formula(st.formula, space.option_ids).evaluate(space.codes,
                                                                    space.option_index)
                for st in pref.statements()]
        out.append(np.asarray(rows, dtype=float))
    return out


def random_payoffs(truths: list[np.ndarray], keep: list[np.ndarray]) -> np.ndarray:
    """(samples, actors, states) payoffs: statement k of the kept n weighs 2^(n-k)."""
    k = keep[0].shape[0]
    n = truths[0].shape[1]
    out = np.zeros((k, len(truths), n))
    for i, (t, kp) in enumerate(zip(truths, keep, strict=True)):
        rank = np.cumsum(kp[:, ::-1], axis=1)[:, ::-1]  # kept statements from here on
        weights = np.where(kp, 2.0 ** (rank - 1), 0.0)
        out[:, i, :] = weights @ t
    return out


def loop_games(task, values, views, col, hits, scores) -> None:  # type: ignore[no-untyped-def]
    """The games of a sweep the way sweeps solved them before the batching: the
    pipeline's single solve per sample, policy and view, cached by setting."""
    import json
    import math

    from crisislab.compare.pipeline import summary_method
    from crisislab.compare.sweep import starts_of
    from crisislab.compare.views import BASE, STATUS_QUO
    from crisislab.games.policy import game_under_policy
    from crisislab.games.solve import solve_compiled
    from crisislab.uncertainty.apply import game_parameters

    sc = task.scenario
    for spec in sc.games:
        method = summary_method(spec)
        cache: dict[str, list[dict[str, float]]] = {}
        for st_id, _label in starts_of(sc):
            policy = None if st_id == STATUS_QUO else st_id
            entry = spec.policies.get(policy) if policy is not None else None
            setting = entry.model_dump(mode="json") if entry is not None else None
            for v in views:
                for r in range(values.shape[0]):
                    params = game_parameters(sc, spec.id, None if v == BASE else v,
                                             task.inputs, values[r])
                    key = json.dumps([setting, params], sort_keys=True, default=str)
                    if key not in cache:
                        sol = solve_compiled(
                            game_under_policy(spec, policy if entry else None, params),
                            method, None if v == BASE else v, sc.metadata.title,
                            select=False)
                        cache[key] = [dict(e.outcome_probabilities) for e in sol.equilibria]
                    prefix = f"game:{spec.id}:{st_id}:{v}:"
                    for cid, j in col.items():
                        if cid.startswith(prefix):
                            low = min((eq.get(cid[len(prefix):], 0.0) for eq in cache[key]),
                                      default=math.nan)
                            scores[r, j] = low
                            hits[r, j] = bool(cache[key]) and low > task.level


def game_costs(sc, samples: int) -> None:  # type: ignore[no-untyped-def]
    """CPU seconds per sample of a sweep's games: batched against the per-sample loop."""
    from crisislab.compare.analysis import DEFAULT_CONCEPTS
    from crisislab.compare.sweep import SweepTask, _games, conclusion_keys, sweep_inputs
    from crisislab.games import consistency
    from crisislab.uncertainty.sampling import make_plan

    inputs = sweep_inputs(sc)
    values = make_plan(inputs, samples, "lhs", 1).values
    task = SweepTask(sc, tuple(inputs), tuple(DEFAULT_CONCEPTS), True, 0.3, False)
    keys, views = conclusion_keys(task)
    col = {k.id: j for j, k in enumerate(keys)}
    remembered = consistency._feasible
    out = {}
    for name in ("loop, LP not remembered", "loop", "batched"):
        remembered.cache_clear()
        if name == "loop, LP not remembered":
            consistency._feasible = remembered.__wrapped__  # type: ignore[assignment]
        hits = np.zeros((samples, len(keys)), dtype=bool)
        scores = np.zeros((samples, len(keys)))
        clock = time.process_time()
        (_games if name == "batched" else loop_games)(task, values, views, col, hits, scores)
        out[name] = (time.process_time() - clock) / samples, hits, scores
        consistency._feasible = remembered
    base = out["batched"]
    same = all(np.array_equal(o[1], base[1]) and np.array_equal(o[2], base[2], equal_nan=True)
               for o in out.values())
    print(f"games of a korea-2017 sweep, {samples} samples x 4 policies x {len(views)} views "
          f"(CPU per sample; same answers: {'yes' if same else 'NO'}):")
    for name, (per, _h, _s) in out.items():
        print(f"  {name:<26}{per * 1e3:>9.1f} ms{per / base[0]:>8.1f}x")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--samples", type=int, default=10_000)
    ap.add_argument("--loop", type=int, default=100, help="samples timed in the loops")
    ap.add_argument("--quick", action="store_true", help="1000 samples, short loops")
    args = ap.parse_args()
    if args.quick:
        args.samples, args.loop = 1000, 20
    sc = crisislab.load()
    model = ConflictModel(sc)
    space, n = model.space, model.space.n
    views = all_views(sc)
    rng = np.random.default_rng(0)
    start = model.starts()[0].state
    payoffs = []
    for view in views:
        truths = statement_truths(view.scenario, space)
        keep = [rng.random((args.samples, t.shape[0])) > 0.3 for t in truths]
        payoffs.append(random_payoffs(truths, keep))
    pay = np.stack(payoffs, axis=1).reshape(-1, len(space.actors), n)  # (samples*views,...)
    distinct = np.unique(pay.reshape(pay.shape[0], -1), axis=0).shape[0]
    print(f"korea-2017: {n} states, {len(views)} views, {args.samples:,} preference samples "
          f"({pay.shape[0]:,} sample-views, {distinct:,} distinct rankings), "
          f"concepts {', '.join(CONCEPTS)}")

    edges = [Edges.of(m, n) for m in model.graph.moves]
    clock = time.perf_counter()
    ends_count = 0
    for a in range(0, pay.shape[0], 1024):
        res = batch_stability(model.graph, pay[a:a + 1024], CONCEPTS, edges)
        ends_count += int(credible_ends(res, "seq", start, n).sum())
    batched = time.perf_counter() - clock
    per_batched = batched / pay.shape[0]

    sub = pay[: args.loop * len(views)]
    clock = time.perf_counter()
    loop_ends = 0
    for k in range(sub.shape[0]):
        r = analyze_stability(model.graph.with_payoffs(sub[k]), CONCEPTS)
        loop_ends += len(analyze_status_quo(r.graph, start, "seq", stability=r,
                                            rule="credible").paths)
    per_engine = (time.perf_counter() - clock) / sub.shape[0]

    # the API loop: a scenario per sample whose scores are the sampled payoffs
    clock = time.perf_counter()
    for k in range(sub.shape[0]):
        prefs = {a: Preference(scores={str(int(space.codes[s])): float(sub[k, i, s])
                                       for s in range(n)})
                 for i, a in enumerate(space.actors)}
        r = crisislab.stability(sc.model_copy(update={"preferences": prefs, "lenses": []}),
                                concepts=CONCEPTS)
        analyze_status_quo(r.graph, start, "seq", stability=r, rule="credible")
    per_api = (time.perf_counter() - clock) / sub.shape[0]

    total = pay.shape[0]
    print(f"{'method':<14}{'per sample-view':>18}{'all ' + format(total, ','):>16}"
          f"{'vs batched':>12}")
    print(f"{'batched':<14}{per_batched * 1e3:>15.3f} ms{batched:>14.1f} s{1.0:>11.1f}x")
    print(f"{'engine loop':<14}{per_engine * 1e3:>15.3f} ms{per_engine * total:>13.1f} s*"
          f"{per_engine / per_batched:>11.1f}x")
    print(f"{'API loop':<14}{per_api * 1e3:>15.3f} ms{per_api * total:>13.1f} s*"
          f"{per_api / per_batched:>11.1f}x")
    print(f"* extrapolated from {sub.shape[0]} sample-views; target: batched >= 20x faster "
          f"than the API loop: {'met' if per_api / per_batched >= 20 else 'NOT met'}")

    game_costs(sc, 32 if args.quick else 128)

    # whole sweeps (games included) per worker
    from crisislab.compare.sweep import sweep

    samples = 32 if args.quick else 64
    clock = time.perf_counter()
    sweep(sc, samples=samples, seed=1, tornado_chart=False, unknown=False)
    serial = samples / (time.perf_counter() - clock)
    print(f"whole sweep of korea-2017 (games included), one process: {serial:.1f} samples/s")
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        return
    for workers in (1, 2):
        with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                          dashboard_address=None) as cluster, Client(cluster) as client:
            clock = time.perf_counter()
            sweep(sc, samples=samples, seed=1, tornado_chart=False, unknown=False,
                  scheduler=client, chunk=max(1, samples // (2 * workers)))
            rate = samples / (time.perf_counter() - clock)
        print(f"  Dask LocalCluster, {workers} worker(s): {rate:.1f} samples/s "
              f"({rate / workers:.1f} per worker)")
    plan = 1_000_000 / max(serial, 1e-9)
    print(f"10^6 samples at {serial:.1f} samples/s per worker: {plan / 3600:.0f} worker-hours "
          f"(e.g. {plan / 3600 / 64:.1f} h on 64 workers)")


if __name__ == "__main__":
    main()
