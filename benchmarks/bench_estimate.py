"""Speed of strategic estimation: egame12 on war1800 beside the multinomial logit.

Run: ``python benchmarks/bench_estimate.py [--repeat N]``.  Prints the time to
fit R's ``games`` example (egame12, probit, agent errors, 282 complete cases of
../shared/data/events/war1800) with each link and error structure, the
multinomial-logit baseline on the same cases and regressors, and, as a second
baseline, the same maximisation driven by a numerical gradient (central
differences of the likelihood: what a fit without the exact score costs), plus
simulated egame12 data sets of 1 000 to 30 000 cases.

Target: egame12 on war1800 (about 300 cases) under 1 s.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
from scipy import optimize

from crisislab.games.estimate.data import prepare, read_csv
from crisislab.games.estimate.fit import maximise, multinomial_logit
from crisislab.games.estimate.likelihood import Block, Problem, loglik_terms
from crisislab.games.estimate.model import EGAME12
from crisislab.games.estimate.spec import load_model_text

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "events" / "war1800" \
    / "war1800.csv"
FORMULA = "esc + war ~ s_wt_re1 + revis1 | 0 | regime1 | balanc + regime2"


def best_of(repeat: int, fn) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def numeric_gradient_fit(prob: Problem, y: np.ndarray) -> float:
    def f(theta: np.ndarray) -> float:
        return -float(loglik_terms(prob, theta, y)[0].sum())

    res = optimize.minimize(f, np.zeros(prob.n_params), method="BFGS",
                            options={"gtol": 1e-5})
    return -float(res.fun)


def simulated(n: int, seed: int = 0) -> tuple[Problem, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = np.column_stack([np.ones(n), rng.normal(size=n)])
    W = np.column_stack([np.ones(n), rng.integers(0, 2, n)])
    Z = np.column_stack([np.ones(n), rng.normal(size=n)])
    u11, u14, u24 = X @ [-0.3, 0.8], W @ [0.5, -1.2], Z @ [0.4, -1.0]
    fight = u24 + rng.normal(size=n) > rng.normal(size=n)
    from scipy.stats import norm

    esc = norm.cdf(u24 / np.sqrt(2)) * u14 + rng.normal(size=n) > u11 + rng.normal(size=n)
    y = np.where(~esc, 0, np.where(fight, 2, 1))
    blocks = (Block("1", "sq", 0, X), Block("1", "war", 2, W), Block("2", "war", 4, Z))
    return Problem(EGAME12.tree, blocks, 6, "probit", "agent"), y


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args(argv)
    if not DATA.exists():
        print(f"war1800 not found at {DATA}; skipping the war1800 rows")
    else:
        df = read_csv(DATA)
        print(f"war1800: {FORMULA}")
        print(f"{'model':34s} {'cases':>6s} {'params':>6s} {'logLik':>10s} {'seconds':>9s}")
        for link, errors in (("probit", "agent"), ("logit", "agent"), ("probit", "private")):
            loaded = load_model_text(f"model: egame12\nformula: \"{FORMULA}\"\nlink: {link}\n"
                                     f"errors: {errors}\n", "war1800-model")
            prep = prepare(loaded, df, str(DATA))
            holder: dict[str, float] = {}

            def run(prep=prep, holder=holder) -> None:  # type: ignore[no-untyped-def]
                holder["ll"] = maximise(prep.problem, prep.y).loglik

            t = best_of(args.repeat, run)
            print(f"{'egame12 ' + link + ' ' + errors + ' (exact score)':34s} {len(prep.y):6d} "
                  f"{prep.problem.n_params:6d} {holder['ll']:10.4f} {t:9.4f}")
            if (link, errors) == ("probit", "agent"):
                k = len(EGAME12.tree.outcomes)
                mnl: dict[str, float] = {}

                def run_mnl(prep=prep, mnl=mnl, k=k) -> None:  # type: ignore[no-untyped-def]
                    mnl["ll"] = multinomial_logit(prep.baseline_X, prep.y, k,
                                                  prep.baseline_names).loglik

                t = best_of(args.repeat, run_mnl)
                print(f"{'baseline: multinomial logit':34s} {len(prep.y):6d} "
                      f"{prep.baseline_X.shape[1] * (k - 1):6d} {mnl['ll']:10.4f} {t:9.4f}")
                num: dict[str, float] = {}

                def run_num(prep=prep, num=num) -> None:  # type: ignore[no-untyped-def]
                    num["ll"] = numeric_gradient_fit(prep.problem, prep.y)

                t = best_of(max(1, args.repeat // 2), run_num)
                print(f"{'baseline: numerical-gradient BFGS':34s} {len(prep.y):6d} "
                      f"{prep.problem.n_params:6d} {num['ll']:10.4f} {t:9.4f}")
        print("target: egame12 on war1800 under 1 s")
    print("\nsimulated egame12 (probit, agent errors, 6 parameters)")
    print(f"{'cases':>8s} {'exact score s':>14s} {'numerical gradient s':>21s}")
    for n in (1_000, 3_000, 10_000, 30_000):
        prob, y = simulated(n)
        t1 = best_of(max(1, args.repeat // 2), lambda prob=prob, y=y: maximise(prob, y))
        t2 = best_of(1, lambda prob=prob, y=y: numeric_gradient_fit(prob, y))
        print(f"{n:8d} {t1:14.4f} {t2:21.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
