"""Sample plans over the uncertain inputs: Monte Carlo, Latin hypercube, Sobol, exhaustive.

A plan is a matrix of input values, one row per sample, with a weight per row
(1/N when sampled; the exact probability of each combination when
exhaustive).  Rows are drawn in fixed-size chunks, each from its own child of
``numpy.random.SeedSequence(seed)``, so the same seed gives the same plan
whichever machine or worker evaluates it.  ``sobol`` is Saltelli's design on a
scrambled Sobol sequence (SALib), from which the Sobol indices are computed.
"""

from __future__ import annotations

import itertools
import warnings
from dataclasses import dataclass

import numpy as np
from scipy.stats import qmc

from crisislab.errors import input_error
from crisislab.uncertainty.distributions import InputSpace

METHODS: tuple[str, ...] = ("lhs", "sobol", "mc", "exhaustive")
CHUNK = 256
MAX_SAMPLES = 10_000_000
BYTES_PER_SAMPLE_ESTIMATE = 64


@dataclass(frozen=True)
class SamplePlan:
    """Rows of input values (``values``, one column per input) and their weights."""

    inputs: tuple[InputSpace, ...]
    method: str
    seed: int
    unit: np.ndarray  # (n, d) points of the unit hypercube (exhaustive: NaN)
    values: np.ndarray  # (n, d) input values (statements: choice index, -1 left out)
    weights: np.ndarray  # (n,) summing to 1
    requested: int

    @property
    def n(self) -> int:
        """Number of samples."""
        return int(self.values.shape[0])

    @property
    def names(self) -> list[str]:
        """The inputs' names, in column order."""
        return [s.name for s in self.inputs]


def _sobol_base(n: int, d: int) -> int:
    """Saltelli base size for about ``n`` rows: a power of 2 (Sobol' sequences balance
    there), each base point giving d + 2 rows."""
    base = max(1, int(np.ceil(n / (d + 2))))
    return 1 << int(np.ceil(np.log2(base)))


def _unit(method: str, n: int, d: int, seed: int) -> np.ndarray:
    if method == "sobol":
        from SALib.sample import sobol as saltelli

        base = _sobol_base(n, d)
        problem = {"num_vars": d, "names": [f"x{k}" for k in range(d)],
                   "bounds": [[0.0, 1.0]] * d}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return np.asarray(saltelli.sample(problem, base, calc_second_order=False,
                                              scramble=True, seed=seed), dtype=float)
    chunks = []
    n_chunks = max(1, -(-n // CHUNK))
    for c, child in enumerate(np.random.SeedSequence(seed).spawn(n_chunks)):
        size = min(CHUNK, n - c * CHUNK)
        if method == "lhs":
            chunks.append(qmc.LatinHypercube(d, seed=np.random.default_rng(child)).random(size))
        else:
            chunks.append(np.random.default_rng(child).random((size, d)))
    return np.concatenate(chunks)


def make_plan(inputs: list[InputSpace], samples: int, method: str, seed: int,
              max_samples: int = MAX_SAMPLES) -> SamplePlan:
    """The plan of a sweep; an empty sample space or an oversized sweep is refused."""
    if method not in METHODS:
        raise input_error("unknown sampling method", value=method, expected=", ".join(METHODS))
    if not inputs:
        raise input_error("the scenario has no uncertain inputs: the sample space is empty",
                          expected="an 'uncertainty' section with at least one input")
    if samples < 1:
        raise input_error("the number of samples must be positive", value=samples,
                          expected="a whole number of at least 1")
    d = len(inputs)
    if method == "exhaustive":
        not_discrete = [s.name for s in inputs if not s.discrete]
        if not_discrete:
            raise input_error("an exhaustive sweep needs every input discrete",
                              value=not_discrete, expected="discrete distributions and "
                              "probabilistic statements only, or --method lhs|mc|sobol")
        grids = [s.outcomes() for s in inputs]
        count = int(np.prod([len(g) for g in grids], dtype=np.float64))
        if count > max_samples:
            raise input_error(f"{count:,} combinations to enumerate, above the limit of "
                              f"{max_samples:,}", value=count,
                              expected="fewer discrete inputs, or a sampled sweep")
        combos = list(itertools.product(*grids))
        values = np.asarray([[v for v, _p in c] for c in combos], dtype=float).reshape(-1, d)
        weights = np.asarray([float(np.prod([p for _v, p in c])) for c in combos])
        return SamplePlan(tuple(inputs), method, seed, np.full(values.shape, np.nan), values,
                          weights / weights.sum(), count)
    rows = samples if method != "sobol" else _sobol_base(samples, d) * (d + 2)
    if rows > max_samples:
        raise input_error(f"a sweep of {rows:,} samples, above the limit of {max_samples:,} "
                          f"(about {rows * BYTES_PER_SAMPLE_ESTIMATE * d / 1e9:.1f} GB of "
                          "plan and results)", value=rows,
                          expected=f"at most {max_samples:,} samples")
    unit = _unit(method, samples, d, seed)
    values = np.column_stack([s.ppf(unit[:, k]) for k, s in enumerate(inputs)])
    weights = np.full(unit.shape[0], 1.0 / unit.shape[0])
    return SamplePlan(tuple(inputs), method, seed, unit, values, weights, samples)
