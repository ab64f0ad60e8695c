"""Probabilities of conclusions over a sweep, their Monte Carlo standard errors, and
which input moves each one most.

A conclusion holds or not in each sample; its probability is the weighted share
of samples where it holds.  Sampled sweeps report the binomial standard error
sqrt(p(1-p)/N) (for Latin hypercube and Sobol designs an upper bound: their
stratification only lowers the variance); an exhaustive sweep is exact (error 0).
"""

from __future__ import annotations

import numpy as np


def probabilities(hits: np.ndarray, weights: np.ndarray, exact: bool
                  ) -> tuple[np.ndarray, np.ndarray]:
    """(probability, standard error) per column of ``hits`` (samples, conclusions)."""
    x = np.asarray(hits, dtype=float)
    w = np.asarray(weights, dtype=float)
    p = np.clip(w @ x / w.sum(), 0.0, 1.0) if x.size else np.zeros(x.shape[1])
    if exact:
        return p, np.zeros_like(p)
    n = max(1, x.shape[0])
    return p, np.sqrt(p * (1.0 - p) / n)


def converged(se: np.ndarray, target: float) -> bool:
    """The stopping rule: every standard error at or below ``target``."""
    return bool(se.size == 0 or float(se.max()) <= target)


def regional_sensitivity(values: np.ndarray, hits: np.ndarray, weights: np.ndarray
                         ) -> np.ndarray:
    """(conclusions, inputs): |P(holds | input below its median) - P(holds | above)|.

    A cheap, model-free measure of how much each input moves each conclusion
    (regional sensitivity, Spear & Hornberger 1980), from the sweep's own samples;
    0 when an input takes a single value.
    """
    x = np.asarray(hits, dtype=float)
    w = np.asarray(weights, dtype=float)
    out = np.zeros((x.shape[1], values.shape[1]))
    for k in range(values.shape[1]):
        col = values[:, k]
        med = np.quantile(col, 0.5)
        low = col <= med
        if low.all():
            low = col < med
        if low.all() or not low.any():
            continue
        wl, wh = w * low, w * ~low
        out[:, k] = np.abs(wl @ x / wl.sum() - wh @ x / wh.sum())
    return out
