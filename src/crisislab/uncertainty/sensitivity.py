"""Which uncertain input matters most: Sobol indices and a one-at-a-time tornado.

Sobol indices (Sobol' 1993; Saltelli 2002 estimators) are computed by SALib
from a sweep drawn with ``method="sobol"`` (Saltelli's design): S1, the share
of a conclusion's variance due to one input alone, and ST, its share counting
every interaction.  The tornado moves one input at a time from its median to
its 10th and 90th percentiles (every value, for a discrete input or a
statement), the others held at their medians, and reports how far each
conclusion's score moves.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from crisislab.uncertainty.distributions import InputSpace

LOW_Q, HIGH_Q = 0.1, 0.9


@dataclass(frozen=True)
class SobolIndex:
    """First-order (``s1``) and total (``st``) Sobol indices of one input, with the
    half-widths of their confidence intervals."""
    input: str
    s1: float
    s1_conf: float
    st: float
    st_conf: float


def sobol_indices(y: np.ndarray, names: Sequence[str], seed: int) -> list[SobolIndex]:
    """First-order and total Sobol indices of ``y`` (rows in Saltelli's order)."""
    from SALib.analyze import sobol

    y = np.asarray(y, dtype=float)
    problem = {"num_vars": len(names), "names": list(names), "bounds": [[0.0, 1.0]] * len(names)}
    if np.ptp(y) == 0:
        return [SobolIndex(nm, 0.0, 0.0, 0.0, 0.0) for nm in names]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = sobol.analyze(problem, y, calc_second_order=False, seed=seed,
                            print_to_console=False)

    def clean(v: float) -> float:
        return float(v) if np.isfinite(v) else 0.0

    return [SobolIndex(nm, clean(res["S1"][k]), clean(res["S1_conf"][k]), clean(res["ST"][k]),
                       clean(res["ST_conf"][k])) for k, nm in enumerate(names)]


def tornado_rows(inputs: Sequence[InputSpace]) -> tuple[np.ndarray, list[tuple[int, float]]]:
    """Input rows of the one-at-a-time design: the medians first, then per input its
    low and high values (every value for a discrete input); and (input, value) per row."""
    base = np.asarray([s.ppf(np.asarray([0.5]))[0] for s in inputs], dtype=float)
    rows = [base]
    index: list[tuple[int, float]] = [(-1, float("nan"))]
    for k, s in enumerate(inputs):
        if s.discrete:
            values = [v for v, _p in s.outcomes()]
        else:
            values = [float(s.ppf(np.asarray([q]))[0]) for q in (LOW_Q, HIGH_Q)]
        for v in values:
            row = base.copy()
            row[k] = v
            rows.append(row)
            index.append((k, float(v)))
    return np.vstack(rows), index


@dataclass(frozen=True)
class TornadoBar:
    """One input's bar in a tornado chart: the score at every median, and its lowest
    and highest over the input's values."""
    input: str
    base: float  # the score with every input at its median
    low: float  # the lowest score over the input's values
    high: float
    low_value: str  # the input's value giving the lowest score
    high_value: str

    @property
    def swing(self) -> float:
        """Width of the bar (highest minus lowest score)."""
        return self.high - self.low


def tornado(scores: np.ndarray, index: Sequence[tuple[int, float]],
            inputs: Sequence[InputSpace]) -> list[list[TornadoBar]]:
    """Per conclusion (column of ``scores``), a bar per input, widest swing first."""
    out: list[list[TornadoBar]] = []
    base = scores[0]
    for c in range(scores.shape[1]):
        bars = []
        for k, s in enumerate(inputs):
            rows = [r for r, (j, _v) in enumerate(index) if j == k]
            vals = scores[rows, c]
            lo_r, hi_r = rows[int(np.argmin(vals))], rows[int(np.argmax(vals))]
            bars.append(TornadoBar(s.name, float(base[c]), float(vals.min()), float(vals.max()),
                                   s.quantile_label(index[lo_r][1]),
                                   s.quantile_label(index[hi_r][1])))
        bars.sort(key=lambda b: (-b.swing, b.input))
        out.append(bars)
    return out
