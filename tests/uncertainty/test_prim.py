"""PRIM scenario discovery on a synthetic sweep with a known box."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from crisislab.uncertainty.prim import prim


def test_recovers_a_known_box() -> None:
    """y holds exactly when 0.2 < x0 < 0.6 and x2 > 0.7; x1 is noise.  The box holds
    0.4 * 0.3 = 12% of the samples; PRIM must find its edges within a few percent and
    leave x1 unrestricted."""
    rng = np.random.default_rng(0)
    x = rng.random((4000, 3))
    y = (x[:, 0] > 0.2) & (x[:, 0] < 0.6) & (x[:, 2] > 0.7)
    res = prim(x, y, ["x0", "x1", "x2"], alpha=0.05, min_coverage=0.9)
    limits = {name: (lo, hi) for name, lo, hi in res.box.limits}
    assert set(limits) == {"x0", "x2"}
    assert abs(limits["x0"][0] - 0.2) < 0.03 and abs(limits["x0"][1] - 0.6) < 0.03
    assert abs(limits["x2"][0] - 0.7) < 0.03 and limits["x2"][1] == np.inf
    assert res.box.density > 0.9 and res.box.coverage >= 0.9
    assert res.base_density == float(y.mean())


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 10_000), cut=st.floats(0.2, 0.8))
def test_coverage_and_density_are_consistent(seed: int, cut: float) -> None:
    """Invariants of every box on the trajectory: coverage and density in [0, 1]; the
    chosen box is at least as dense as the whole sample space."""
    rng = np.random.default_rng(seed)
    x = rng.random((300, 2))
    y = x[:, 1] > cut
    res = prim(x, y, ["a", "b"])
    for cov, den in res.trajectory:
        assert 0.0 <= cov <= 1.0 and 0.0 <= den <= 1.0
    assert res.box.density >= res.base_density - 1e-12
