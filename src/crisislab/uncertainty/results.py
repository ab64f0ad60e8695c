"""The result of a sweep: how likely each conclusion is, and what decides it.

:class:`SweepResult` is what ``crisislab sweep`` prints and writes: per
conclusion (a policy ends in an outcome under a view, ends nowhere, a state is
an equilibrium, a game's outcome probability is above a level) its probability
over the uncertain inputs with a Monte Carlo standard error, the inputs that
move it most, the box of inputs in which it holds (PRIM), and, from a Sobol
sweep, its Sobol indices.  The per-sample table (inputs and conclusions) goes
to pandas or Parquet.  Reports render it; they compute nothing.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from crisislab.provenance import Provenance, canonical_json, fixed
from crisislab.uncertainty.prim import Box
from crisislab.uncertainty.sensitivity import SobolIndex, TornadoBar

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class InputInfo:
    """An uncertain input as reports show it."""

    name: str
    label: str
    kind: str  # game, issue, statement, override
    lens: str | None
    distribution: str  # in words, e.g. "beta(a=7, b=3)"
    evidence: str | None


@dataclass(frozen=True)
class Conclusion:
    """One conclusion's probability over the sweep and what decides it."""

    id: str
    kind: str  # ends, no_end, equilibrium, game
    policy: str | None
    view: str
    subject: str  # outcome id, state ref, or "game:outcome"
    text: str
    probability: float
    se: float
    mean_score: float  # games: the mean outcome probability; else = probability
    drivers: tuple[tuple[str, float], ...] = ()  # regional sensitivity, largest first
    sobol: tuple[SobolIndex, ...] = ()
    tornado: tuple[TornadoBar, ...] = ()
    box: Box | None = None
    box_rules: tuple[str, ...] = ()  # the box in words


@dataclass(frozen=True)
class ProbabilisticEquilibria:
    """One view's and concept's stable states under probabilistic preferences."""

    view: str
    concept: str
    equilibria: tuple[int, ...]  # stable for every actor (state indices)
    stable: tuple[tuple[str, tuple[int, ...]], ...]  # (actor, the states stable for it)


@dataclass(frozen=True)
class ProbabilisticSummary:
    """Stability under probabilistic preferences (Rêgo & dos Santos 2015) at the
    thresholds alpha, beta, gamma: each actor's preference between two states holds
    with the probability the probabilistic statements give it."""

    alpha: float
    beta: float
    gamma: float
    exact: bool  # every combination of the statements enumerated (else the samples)
    configurations: int  # combinations (or distinct sampled ones) behind the probabilities
    rows: tuple[ProbabilisticEquilibria, ...]

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON (states as ordinal ids ``sN``, numbers fixed-precision)."""
        def refs(states: tuple[int, ...]) -> list[str]:
            return [f"s{k + 1}" for k in states]

        return {"alpha": fixed(self.alpha), "beta": fixed(self.beta),
                "gamma": fixed(self.gamma), "exact": self.exact,
                "configurations": self.configurations,
                "reference": "Rêgo & dos Santos 2015",
                "rows": [{"view": r.view, "concept": r.concept,
                          "equilibria": refs(r.equilibria),
                          "stable": {a: refs(st) for a, st in r.stable}}
                         for r in self.rows]}


@dataclass(frozen=True)
class SweepResult:
    """Everything a sweep concludes (see the module docstring)."""

    title: str
    inputs: tuple[InputInfo, ...]
    conclusions: tuple[Conclusion, ...]
    views: tuple[tuple[str, str], ...]  # (id, name)
    policies: tuple[tuple[str, str], ...]  # (id, label)
    method: str
    seed: int
    samples: int  # evaluated
    requested: int
    partial: bool  # stopped before every sample was evaluated (interrupt)
    stopped_early: bool  # the standard-error target was reached
    provenance: Provenance
    values: np.ndarray = field(repr=False, compare=False)  # (samples, inputs)
    weights: np.ndarray = field(repr=False, compare=False)
    hits: np.ndarray = field(repr=False, compare=False)  # (samples, conclusions) bool
    scores: np.ndarray = field(repr=False, compare=False)  # (samples, conclusions)
    unknown_preferences: tuple[tuple[str, str, str, tuple[int, ...]], ...] = ()
    # (view, concept, extension, equilibria): Li, Hipel, Kilgour & Fang 2004
    probabilistic: ProbabilisticSummary | None = None  # Rêgo & dos Santos 2015, if asked
    drivers: tuple[tuple[str, float], ...] = ()
    """Every input that moves some conclusion, by its largest effect on any conclusion
    (largest first, ties by name), as the sweep ranked them."""

    def __repr__(self) -> str:
        from crisislab.results import compact_repr

        done = f"{self.samples}/{self.requested}" if self.samples != self.requested \
            else str(self.samples)
        return compact_repr("SweepResult", self.title, samples=done, method=self.method,
                            seed=self.seed, inputs=len(self.inputs),
                            conclusions=len(self.conclusions),
                            **({"partial": True} if self.partial else {}))

    def _repr_html_(self) -> str:
        from crisislab.display import html

        return html(self)

    def conclusion(self, cid: str) -> Conclusion:
        """The conclusion with this id (KeyError if the sweep has none)."""
        for c in self.conclusions:
            if c.id == cid:
                return c
        raise KeyError(cid)

    # -- output -----------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON: inputs, conclusions with probabilities, drivers and boxes."""
        def box(b: Box | None, rules: tuple[str, ...]) -> dict[str, Any] | None:
            if b is None:
                return None
            return {"limits": [{"input": n, "low": fixed(lo) if np.isfinite(lo) else None,
                                "high": fixed(hi) if np.isfinite(hi) else None}
                               for n, lo, hi in b.limits],
                    "rules": list(rules), "coverage": fixed(b.coverage),
                    "density": fixed(b.density), "mass": fixed(b.mass)}

        return {
            "provenance": self.provenance.model_dump(),
            "title": self.title,
            "method": self.method, "seed": self.seed, "samples": self.samples,
            "requested": self.requested, "partial": self.partial,
            "stopped_early": self.stopped_early,
            "views": [{"id": i, "name": n} for i, n in self.views],
            "policies": [{"id": i, "label": n} for i, n in self.policies],
            "inputs": [{"name": i.name, "label": i.label, "kind": i.kind, "lens": i.lens,
                        "distribution": i.distribution, "evidence": i.evidence}
                       for i in self.inputs],
            "unknown_preferences": [
                {"view": v, "concept": c, "extension": e,
                 "equilibria": [f"s{k + 1}" for k in eq]}
                for v, c, e, eq in self.unknown_preferences],
            "probabilistic_preferences": self.probabilistic.to_dict()
            if self.probabilistic is not None else None,
            "top_drivers": [{"input": n, "effect": fixed(e)} for n, e in self.drivers[:5]],
            "conclusions": [{
                "id": c.id, "kind": c.kind, "policy": c.policy, "view": c.view,
                "subject": c.subject, "text": c.text, "probability": fixed(c.probability),
                "se": fixed(c.se), "mean_score": fixed(c.mean_score),
                "drivers": [{"input": n, "effect": fixed(e)} for n, e in c.drivers],
                "sobol": [{"input": s.input, "S1": fixed(s.s1), "S1_conf": fixed(s.s1_conf),
                           "ST": fixed(s.st), "ST_conf": fixed(s.st_conf)} for s in c.sobol],
                "tornado": [{"input": t.input, "base": fixed(t.base), "low": fixed(t.low),
                             "high": fixed(t.high), "low_value": t.low_value,
                             "high_value": t.high_value} for t in c.tornado],
                "box": box(c.box, c.box_rules)} for c in self.conclusions],
        }

    def to_json(self) -> str:
        """Canonical JSON of :meth:`to_dict` (byte-identical for the same input and seed)."""
        return canonical_json(self.to_dict())

    def to_pandas(self) -> pd.DataFrame:
        """One row per sample: its weight, every input's value, every conclusion (0/1) and
        every game and forecast conclusion's score (the outcome probability, the
        forecast); ``crisislab sweep --resume`` continues a sweep from this table."""
        import pandas as pd

        data: dict[str, Any] = {"sample": np.arange(self.values.shape[0]),
                                "weight": self.weights}
        for k, i in enumerate(self.inputs):
            data[f"input:{i.name}"] = self.values[:, k]
        for k, c in enumerate(self.conclusions):
            data[c.id] = self.hits[:, k]
            if c.kind in ("game", "forecast"):
                data[f"score:{c.id}"] = self.scores[:, k]
        return pd.DataFrame(data)

    def write_json(self, path: str | Path, *, force: bool = False) -> Path:
        """Write :meth:`to_json` to ``path`` atomically (refuses an existing file unless
        ``force``)."""
        return _write_atomic(Path(path), self.to_json().encode("utf-8"), force)

    def parquet_bytes(self) -> bytes:
        """The samples table (:meth:`to_pandas`) as Parquet."""
        import io

        buf = io.BytesIO()
        self.to_pandas().to_parquet(buf, index=False)
        return buf.getvalue()

    def write_parquet(self, path: str | Path, *, force: bool = False) -> Path:
        """Write :meth:`parquet_bytes` to ``path`` atomically (refuses an existing file
        unless ``force``)."""
        return _write_atomic(Path(path), self.parquet_bytes(), force)


def _write_atomic(target: Path, data: bytes, force: bool) -> Path:
    from crisislab.errors import input_error

    if target.exists() and not force:
        raise input_error(f"{target} exists", value=str(target),
                          expected="a new file name, or --force to replace it")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp",
                               dir=str(target.parent) if str(target.parent) else ".")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return target
