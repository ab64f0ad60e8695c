"""From the unit interval to an uncertain input's values (inverse distribution functions).

Every sampler draws points of the unit hypercube; each coordinate becomes one
input's value through its inverse distribution function, so Latin hypercube
and Sobol designs keep their stratification in every input.  A preference
statement's coordinate picks one of its alternatives (or leaves it out).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

from crisislab.model.uncertainty_spec import UncertainInput

LEFT_OUT = -1
"""Choice index of a probabilistic statement that is left out."""


@dataclass(frozen=True)
class InputSpace:
    """One uncertain input made ready for sampling.

    ``valid``: the values the input admits (a normal distribution is truncated there);
    ``choices``: for a preference statement, the formulas it may take with their
    probabilities (the rest of the probability leaves it out).
    """

    spec: UncertainInput
    valid: tuple[float, float]
    base: float | None  # the scenario's own value (numbers), for the tornado
    choices: tuple[tuple[str, float], ...] = ()

    @property
    def name(self) -> str:
        """The input's display name."""
        return self.spec.name()

    @property
    def discrete(self) -> bool:
        """Whether the input takes finitely many values."""
        return self.spec.is_discrete()

    def outcomes(self) -> list[tuple[float, float]]:
        """(value, probability) of a discrete input: every value it can take."""
        u = self.spec
        if u.is_preference:
            out = [(float(k), p) for k, (_f, p) in enumerate(self.choices) if p > 0]
            rest = 1.0 - sum(p for _f, p in self.choices)
            if rest > 1e-12:
                out.append((float(LEFT_OUT), rest))
            return out
        assert u.values is not None
        w = np.asarray(u.weights if u.weights is not None else [1.0] * len(u.values), float)
        w = w / w.sum()
        return [(float(v), float(p)) for v, p in zip(u.values, w, strict=True) if p > 0]

    def ppf(self, q: np.ndarray) -> np.ndarray:
        """Values at the unit-interval points ``q`` (statements: the choice index)."""
        u = self.spec
        q = np.clip(np.asarray(q, dtype=float), 0.0, np.nextafter(1.0, 0.0))
        if u.is_preference or u.distribution == "discrete":
            vals = self.outcomes()
            cum = np.cumsum([p for _v, p in vals])
            cum[-1] = 1.0
            idx = np.searchsorted(cum, q, side="right")
            return np.asarray([v for v, _p in vals], dtype=float)[np.minimum(idx, len(vals) - 1)]
        if u.distribution == "uniform":
            assert u.low is not None and u.high is not None
            return u.low + q * (u.high - u.low)
        if u.distribution == "beta":
            lo = u.low if u.low is not None else 0.0
            hi = u.high if u.high is not None else 1.0
            return lo + (hi - lo) * stats.beta.ppf(q, u.a, u.b)  # type: ignore[no-any-return]
        if u.distribution == "triangular":
            assert u.low is not None and u.high is not None and u.mode is not None
            width = u.high - u.low
            return np.asarray(stats.triang.ppf(q, (u.mode - u.low) / width, loc=u.low,
                                               scale=width))
        assert u.mean is not None and u.sd is not None  # normal, truncated
        lo = u.low if u.low is not None else self.valid[0]
        hi = u.high if u.high is not None else self.valid[1]
        return np.asarray(stats.truncnorm.ppf(q, (lo - u.mean) / u.sd, (hi - u.mean) / u.sd,
                                              loc=u.mean, scale=u.sd))

    def quantile_label(self, value: float) -> str:
        """The value as reports show it (a statement's choice in words)."""
        if not self.spec.is_preference:
            return f"{value:g}"
        k = int(value)
        if k == LEFT_OUT:
            return "left out"
        return "holds" if self.spec.alternatives is None else f"'{self.choices[k][0]}'"


def input_spaces(inputs: list[UncertainInput], valid: list[tuple[float, float]],
                 base: list[float | None], formulas: list[str | None]) -> list[InputSpace]:
    """Inputs made ready for sampling; ``formulas``: each statement's own formula."""
    out = []
    for u, v, b, f in zip(inputs, valid, base, formulas, strict=True):
        choices: tuple[tuple[str, float], ...] = ()
        if u.is_preference:
            if u.alternatives is not None:
                choices = tuple((a.formula, float(a.probability)) for a in u.alternatives)
            else:
                choices = ((str(f), float(u.probability or 0.0)),)
        out.append(InputSpace(u, v, b, choices))
    return out
