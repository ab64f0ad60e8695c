"""The Nash bargaining objective on a grid of points, against one point at a time.

The 1-D search evaluates the objective at 2,001 grid points in one array computation;
each value must equal, to the bit, the one-point objective at that point (feasible
points give the negative weighted log Nash product, infeasible ones the penalty).
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from crisislab.bargaining.baselines import nash_objectives


@settings(max_examples=80, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 12), st.integers(1, 3),
       st.sampled_from(["linear", "quadratic"]))
def test_grid_values_equal_pointwise_values(seed, n, dims, utility):
    rng = np.random.default_rng(seed)
    ideal = rng.random((n, dims))
    sal = rng.random((n, dims)) * (rng.random((n, dims)) < 0.9)  # some zero saliences
    d = rng.uniform(-0.2, 0.9, size=n)
    w = rng.random(n) * 10
    active = rng.random(n) < 0.85
    active[rng.integers(n)] = True
    objective, objective_on = nash_objectives(ideal, sal, d, w, active, utility)
    points = rng.uniform(-0.1, 1.1, size=(int(rng.integers(1, 60)), dims))
    if dims == 1:
        points = np.concatenate([points, np.linspace(0, 1, 2001)[:, None]])
    got = objective_on(points)
    want = np.array([objective(p) for p in points])
    assert got.tobytes() == want.tobytes()
