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


def test_same_box_as_ema_workbench() -> None:
    """Side by side with the EMA Workbench's PRIM (Kwakkel 2017), where it is installed:
    on the synthetic sweep, the densest box covering at least 90% of the cases has the
    same edges within 0.02 (the two differ only in how ties at a peeling quantile
    are broken)."""
    pd = __import__("pandas")
    eprim = __import__("pytest").importorskip("ema_workbench.analysis.prim")
    rng = np.random.default_rng(0)
    x = rng.random((4000, 3))
    y = (x[:, 0] > 0.2) & (x[:, 0] < 0.6) & (x[:, 2] > 0.7)
    theirs = eprim.Prim(pd.DataFrame(x, columns=["x0", "x1", "x2"]), y, threshold=0.8,
                        peel_alpha=0.05).find_box()
    traj = theirs.peeling_trajectory
    pick = traj[traj["coverage"] >= 0.9]["density"].idxmax()
    lims = theirs.box_lims[pick]
    mine = prim(x, y, ["x0", "x1", "x2"], alpha=0.05, min_coverage=0.9).box
    ours = {n: (lo, hi) for n, lo, hi in mine.limits}
    assert abs(ours["x0"][0] - lims["x0"][0]) < 0.02
    assert abs(ours["x0"][1] - lims["x0"][1]) < 0.02
    assert abs(ours["x2"][0] - lims["x2"][0]) < 0.02
    assert mine.density == float(traj.loc[pick, "density"])
