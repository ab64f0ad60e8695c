"""Scenario discovery: the boxes of the uncertain inputs in which a conclusion holds.

PRIM, the Patient Rule Induction Method (Friedman & Fisher 1999, "Bump hunting
in high-dimensional data", Statistics and Computing 9:123-143): start from the
box holding every sample and repeatedly peel off the fraction ``alpha`` of the
samples at one face of one input, choosing the peel that most raises the mean
(the share of samples in the box where the conclusion holds), until the box
holds fewer than ``min_support`` of the samples.  The peeling trajectory trades
*coverage* (the share of all samples where the conclusion holds that fall in
the box) against *density* (the share of the box's samples where it holds);
Bryant & Lempert (2010, "Thinking inside the box", Technological Forecasting
and Social Change 77:34-49) pick a box on that trade-off: here the densest box
whose coverage is at least ``min_coverage``, without the restrictions that
barely change its density.  The box is reported as readable rules on the
inputs it restricts.  Discrete inputs are peeled value by value.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Box:
    """A box of the inputs: per restricted input, the [low, high] it keeps."""

    limits: tuple[tuple[str, float, float], ...]  # (input, low, high), restricted only
    coverage: float
    density: float
    mass: float  # share of all samples inside the box

    def rules(self, labels: dict[str, str] | None = None) -> list[str]:
        """The box's limits as readable rules (``labels`` rename the inputs)."""
        out = []
        for name, lo, hi in self.limits:
            who = (labels or {}).get(name, name)
            if np.isfinite(lo) and np.isfinite(hi):
                out.append(f"{lo:.3g} <= {who} <= {hi:.3g}")
            elif np.isfinite(lo):
                out.append(f"{who} >= {lo:.3g}")
            else:
                out.append(f"{who} <= {hi:.3g}")
        return out


@dataclass(frozen=True)
class PrimResult:
    """PRIM's box, the (coverage, density) of each peeling step, and the density
    of the whole sample."""
    box: Box
    trajectory: tuple[tuple[float, float], ...]  # (coverage, density) after each peel
    base_density: float


def prim(x: np.ndarray, y: np.ndarray, names: Sequence[str], *, alpha: float = 0.05,
         min_support: float = 0.05, min_coverage: float = 0.8,
         drop_below: float = 0.02) -> PrimResult:
    """Peel a box around the samples where ``y`` holds (see the module docstring);
    then drop each restriction whose excluded samples hold the conclusion about as often
    as the box (within two binomial standard errors, at least ``drop_below``)."""
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=bool)
    n, d = x.shape
    total = max(1, int(y.sum()))
    inside = np.ones(n, dtype=bool)
    lo = np.full(d, -np.inf)
    hi = np.full(d, np.inf)
    boxes: list[tuple[np.ndarray, np.ndarray, float, float, float]] = []

    def record() -> None:
        k = int(inside.sum())
        cov = float(y[inside].sum()) / total
        den = float(y[inside].mean()) if k else 0.0
        boxes.append((lo.copy(), hi.copy(), cov, den, k / n))

    record()
    while inside.sum() > max(1, min_support * n):
        best = None
        for j in range(d):
            col = x[inside, j]
            vals = np.unique(col)
            if vals.size < 2:
                continue
            for side in ("low", "high"):
                if vals.size <= 1.0 / alpha:  # discrete: drop one extreme value
                    cut = vals[0] if side == "low" else vals[-1]
                    keep = col > cut if side == "low" else col < cut
                else:
                    q = np.quantile(col, alpha if side == "low" else 1 - alpha)
                    keep = col > q if side == "low" else col < q
                    if keep.all() or not keep.any():
                        continue
                if not keep.any() or keep.all():
                    continue
                mean = float(y[inside][keep].mean())
                if best is None or mean > best[0] + 1e-12:
                    best = (mean, j, side, keep)
        if best is None:
            break
        _mean, j, side, keep = best
        idx = np.flatnonzero(inside)
        removed = idx[~keep]
        inside[removed] = False
        kept = x[inside, j]
        if side == "low":
            lo[j] = float(kept.min())
        else:
            hi[j] = float(kept.max())
        record()
    base = boxes[0][3]
    eligible = [b for b in boxes if b[2] >= min_coverage - 1e-12] or boxes[:1]
    blo, bhi, cov, den, mass = max(eligible, key=lambda b: (b[3], b[2]))
    blo, bhi = blo.copy(), bhi.copy()
    # drop restrictions that do not matter: one is noise of the peeling (a sampled sweep
    # is finite) when the samples it excludes hold the conclusion about as often as the
    # box does (within two standard errors, or ``drop_below``)
    inside_box = ((x >= blo) & (x <= bhi)).all(axis=1)
    while True:
        best_drop = None
        for j in range(d):
            if not (np.isfinite(blo[j]) or np.isfinite(bhi[j])):
                continue
            lo2, hi2 = blo.copy(), bhi.copy()
            lo2[j], hi2[j] = -np.inf, np.inf
            wider = ((x >= lo2) & (x <= hi2)).all(axis=1)
            added = wider & ~inside_box
            gap = 0.0 if not added.any() else den - float(y[added].mean())
            noise = max(drop_below, 2.0 * np.sqrt(max(den * (1 - den), 1e-12) /
                                                  max(1, int(added.sum()))))
            if gap < noise and (best_drop is None or gap < best_drop[1]):
                best_drop = (j, gap)
        if best_drop is None:
            break
        j = best_drop[0]
        blo[j], bhi[j] = -np.inf, np.inf
        inside_box = ((x >= blo) & (x <= bhi)).all(axis=1)
        den = float(y[inside_box].mean()) if inside_box.any() else 0.0
        cov = float(y[inside_box].sum()) / total
        mass = float(inside_box.mean())
    limits = tuple((names[j], float(blo[j]), float(bhi[j])) for j in range(d)
                   if np.isfinite(blo[j]) or np.isfinite(bhi[j]))
    return PrimResult(Box(limits, cov, den, mass),
                      tuple((b[2], b[3]) for b in boxes), base)
