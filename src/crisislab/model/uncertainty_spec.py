"""The scenario's ``uncertainty`` section: which inputs are uncertain, and how.

An analyst never knows a government's preferences or beliefs exactly.  Each
entry names one input of the scenario and says how uncertain it is:

* a **number** (a game parameter, an issue position, salience or capability),
  in the base case or in one lens, given a distribution::

      - id: nk_resolve_beijing
        game: embargo_or_talks
        parameter: p_nk_resolute
        lens: beijing                 # omit for the base case
        distribution: beta            # uniform, beta, normal, triangular, discrete
        a: 7
        b: 3

  ``uniform`` takes ``low``/``high``; ``beta`` takes ``a``/``b`` (on [0, 1], or on
  [``low``, ``high``] when given); ``normal`` takes ``mean``/``sd`` and is
  truncated to [``low``, ``high``] (each defaulting to the input's valid range);
  ``triangular`` takes ``low``/``mode``/``high``; ``discrete`` takes ``values`` and
  optional ``weights``;

* a **preference statement** held with a probability (probabilistic preferences,
  Rêgo & dos Santos 2015): ``actor`` + ``statement`` (an id in the actor's base
  prioritization) or ``lens`` + ``override`` (an override id of that lens), with
  ``probability`` (the statement holds; otherwise it is left out) or
  ``alternatives`` (formulas with probabilities summing to at most 1; the rest is
  the statement left out).

The model checks the references and the numbers (:func:`uncertainty_problems`);
whether a game parameter's distribution stays inside the values its game
admits is the games engine's to say (``crisislab.uncertainty.checks``).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field

from crisislab.model.evidence import ID_PATTERN, Evidence, Strict
from crisislab.model.problems import DocPath, RawProblem

if TYPE_CHECKING:
    from crisislab.model.scenario import Scenario

DistributionKind = Literal["uniform", "beta", "normal", "triangular", "discrete"]
ISSUE_FIELDS = ("position", "salience", "capability")


class Alternative(Strict):
    """One formula a probabilistic statement may take, with its probability."""

    formula: str
    probability: float


class UncertainInput(Evidence):
    """One uncertain input of the scenario (see the module docstring)."""

    id: str | None = Field(default=None, pattern=ID_PATTERN,
                           description="Name used in reports (default: built from the target).")
    label: str | None = Field(default=None, description="The input in plain words.")
    lens: str | None = Field(default=None, description="The lens whose value is uncertain "
                             "(omit for the base case).")
    game: str | None = None
    parameter: str | None = None
    issue: str | None = None
    actor: str | None = None
    field: Literal["position", "salience", "capability"] | None = None
    statement: str | None = None
    override: str | None = None
    distribution: DistributionKind | None = None
    low: float | None = None
    high: float | None = None
    mode: float | None = None
    mean: float | None = None
    sd: float | None = None
    a: float | None = None
    b: float | None = None
    values: list[float] | None = None
    weights: list[float] | None = None
    probability: float | None = None
    alternatives: list[Alternative] | None = None

    @property
    def kind(self) -> str:
        """``game``, ``issue``, ``statement`` (base prioritization) or ``override``."""
        if self.game is not None or self.parameter is not None:
            return "game"
        if self.issue is not None or self.field is not None:
            return "issue"
        if self.override is not None:
            return "override"
        return "statement"

    @property
    def is_preference(self) -> bool:
        """Whether the input varies a preference (a statement or a lens override) rather than a
        number."""
        return self.kind in ("statement", "override")

    def name(self) -> str:
        """The input's id, or a name built from where it points (lens, game, issue, parameter):
        how results and sensitivity tables label it."""
        if self.id is not None:
            return self.id
        where = f"{self.lens}:" if self.lens else ""
        if self.kind == "game":
            return f"{where}{self.game}.{self.parameter}"
        if self.kind == "issue":
            return f"{where}{self.issue}.{self.actor}.{self.field}"
        if self.kind == "override":
            return f"{where}{self.override}"
        return f"{self.actor}.{self.statement}"

    def is_discrete(self) -> bool:
        """Whether the input takes one of listed values (a preference input always does): it
        is sampled by choice among them, not from a continuous distribution."""
        return self.is_preference or self.distribution == "discrete"


class Uncertainty(Strict):
    """The uncertain inputs of a scenario."""

    inputs: list[UncertainInput] = Field(default_factory=list)
    level: float = Field(default=0.5, ge=0.0, le=1.0, description="The level a game's "
                         "outcome probability is compared with ('P(war) above 0.5').")


# -- checks --------------------------------------------------------------------------
def _bad(path: DocPath, message: str, value: object, expected: str) -> RawProblem:
    return RawProblem(path, message, value, expected)


def distribution_problems(u: UncertainInput, path: DocPath) -> Iterator[RawProblem]:
    """Problems of a number's distribution by itself (not against the input's range)."""
    d = u.distribution
    need = {"uniform": ("low", "high"), "beta": ("a", "b"), "normal": ("mean", "sd"),
            "triangular": ("low", "mode", "high"), "discrete": ("values",)}[d or "uniform"]
    for f in need:
        if getattr(u, f) is None:
            yield _bad((*path, "distribution"), f"a {d} distribution needs {f!r}", d,
                       f"the fields {', '.join(need)}")
            return
    for f in ("low", "high", "mode", "mean", "sd", "a", "b"):
        v = getattr(u, f)
        if v is not None and not math.isfinite(v):
            yield _bad((*path, f), f"{f} must be a finite number", v, "a finite number")
            return
    if u.low is not None and u.high is not None and not u.low < u.high:
        yield _bad((*path, "high"), "high must be above low", u.high, f"a number above {u.low}")
    if d == "triangular" and u.low is not None and u.high is not None and u.mode is not None \
            and not u.low <= u.mode <= u.high:
        yield _bad((*path, "mode"), "the mode lies outside [low, high]", u.mode,
                   f"a number in [{u.low}, {u.high}]")
    if d == "normal" and u.sd is not None and not u.sd > 0:
        yield _bad((*path, "sd"), "the standard deviation must be positive", u.sd,
                   "a number above 0")
    if d == "beta":
        for f in ("a", "b"):
            v = getattr(u, f)
            if v is not None and not v > 0:
                yield _bad((*path, f), f"beta shape {f} must be positive", v, "a number above 0")
    if d == "discrete" and u.values is not None:
        if not u.values:
            yield _bad((*path, "values"), "no values", [], "at least one value")
        if not all(math.isfinite(v) for v in u.values):
            yield _bad((*path, "values"), "values must be finite numbers", u.values,
                       "finite numbers")
        if u.weights is not None:
            if len(u.weights) != len(u.values):
                yield _bad((*path, "weights"), f"{len(u.weights)} weights for "
                           f"{len(u.values)} values", u.weights, "one weight per value")
            elif any(not (math.isfinite(w) and w >= 0) for w in u.weights) \
                    or sum(u.weights) <= 0:
                yield _bad((*path, "weights"), "weights must be non-negative with a positive "
                           "sum", u.weights, "non-negative numbers, not all zero")


def support(u: UncertainInput, valid: tuple[float, float]) -> tuple[float, float]:
    """The smallest interval holding every value the distribution can give."""
    if u.distribution == "discrete":
        vals = u.values or [0.0]
        return min(vals), max(vals)
    if u.distribution == "normal":
        return (u.low if u.low is not None else valid[0],
                u.high if u.high is not None else valid[1])
    if u.distribution == "beta":
        return (u.low if u.low is not None else 0.0, u.high if u.high is not None else 1.0)
    return (u.low if u.low is not None else 0.0, u.high if u.high is not None else 1.0)


def range_problems(u: UncertainInput, path: DocPath, valid: tuple[float, float],
                   what: str) -> Iterator[RawProblem]:
    """A distribution that can leave the input's valid range (normal: truncated there)."""
    lo, hi = support(u, valid)
    if lo < valid[0] - 1e-12 or hi > valid[1] + 1e-12:
        field = "values" if u.distribution == "discrete" else \
            ("low" if lo < valid[0] - 1e-12 else "high")
        yield _bad((*path, field), f"the distribution can leave the valid range of {what}: "
                   f"its values span [{lo:g}, {hi:g}]", [lo, hi],
                   f"values within [{valid[0]:g}, {valid[1]:g}]")


def _probability_problems(u: UncertainInput, path: DocPath, known: list[str]
                          ) -> Iterator[RawProblem]:
    from crisislab.model.logic import FormulaError, parse_formula

    if (u.probability is None) == (u.alternatives is None):
        yield _bad(path, "a probabilistic statement needs exactly one of 'probability' and "
                   "'alternatives'", None, "probability: p, or alternatives: [...]")
        return
    if u.distribution is not None:
        yield _bad((*path, "distribution"), "a preference statement takes a probability, not "
                   "a distribution", u.distribution, "probability or alternatives")
    if u.probability is not None and not 0.0 <= u.probability <= 1.0:
        yield _bad((*path, "probability"), "a probability outside [0, 1]", u.probability,
                   "a number in [0, 1]")
    total = 0.0
    for k, alt in enumerate(u.alternatives or []):
        if not 0.0 <= alt.probability <= 1.0:
            yield _bad((*path, "alternatives", k, "probability"), "a probability outside "
                       "[0, 1]", alt.probability, "a number in [0, 1]")
        total += alt.probability
        try:
            parse_formula(alt.formula, known)
        except FormulaError as exc:
            yield RawProblem((*path, "alternatives", k, "formula"),
                             f"bad formula: {exc.message}\n    {exc.caret()}", alt.formula,
                             exc.expected, offset=exc.position)
    if u.alternatives is not None and total > 1.0 + 1e-9:
        yield _bad((*path, "alternatives"), f"the alternatives' probabilities sum to {total:g}",
                   total, "a sum of at most 1 (the rest: the statement left out)")
    if u.alternatives is not None and not u.alternatives:
        yield _bad((*path, "alternatives"), "no alternatives", [], "at least one formula")


def uncertainty_problems(scenario: Scenario) -> list[RawProblem]:
    """Every problem of the ``uncertainty`` section the model can see."""
    section = scenario.uncertainty
    if section is None:
        return []
    out: list[RawProblem] = []
    names: dict[str, int] = {}
    lenses = {lz.id: lz for lz in scenario.lenses}
    games = {g.id: g for g in scenario.games}
    issues = {i.id: i for i in scenario.issues}
    for k, u in enumerate(section.inputs):
        path: DocPath = ("uncertainty", "inputs", k)
        name = u.name()
        if name in names:
            out.append(_bad((*path, "id"), f"two uncertain inputs named {name!r}", name,
                            "each input once (give an 'id' to tell them apart)"))
        names[name] = k
        if u.lens is not None and u.lens not in lenses:
            out.append(_bad((*path, "lens"), f"unknown lens {u.lens!r}", u.lens,
                            f"one of the lens ids {sorted(lenses)}"))
            continue
        kind = u.kind
        if kind in ("game", "issue"):
            if u.distribution is None:
                out.append(_bad(path, "an uncertain number needs a 'distribution'", None,
                                "distribution: uniform, beta, normal, triangular or discrete"))
                continue
            if u.probability is not None or u.alternatives is not None:
                out.append(_bad((*path, "probability" if u.probability is not None
                                 else "alternatives"), "a number takes a distribution, not a "
                                "probability", u.probability, "the distribution's fields"))
                continue
            bad = list(distribution_problems(u, path))
            out += bad
            if bad:
                continue
        if kind == "game":
            out += _game_refs(u, path, games, lenses)
        elif kind == "issue":
            out += _issue_refs(u, path, issues)
        elif kind == "override":
            if u.lens is None:
                out.append(_bad((*path, "lens"), "an override belongs to a lens", None,
                                "lens: <lens id>"))
                continue
            ids = [ov.id for ov in lenses[u.lens].overrides if ov.id is not None]
            if u.override not in ids:
                out.append(_bad((*path, "override"), f"lens {u.lens!r} has no override "
                                f"{u.override!r}", u.override, f"one of {ids}"))
                continue
            out += _probability_problems(u, path, scenario.option_ids())
        else:
            if u.actor is None or u.statement is None:
                out.append(_bad(path, "an uncertain input names a game parameter, an issue "
                                "field or a preference statement", None,
                                "game+parameter, issue+actor+field, actor+statement or "
                                "lens+override"))
                continue
            if u.lens is not None:
                out.append(_bad((*path, "lens"), "a statement of the base preferences takes no "
                                "lens (name the lens's override with 'override')", u.lens,
                                "no lens, or lens + override"))
                continue
            pref = scenario.preferences.get(u.actor)
            if pref is None or pref.prioritization is None:
                out.append(_bad((*path, "actor"), f"no prioritization for actor {u.actor!r}",
                                u.actor, "an actor whose preferences are prioritization "
                                "statements"))
                continue
            ids = [str(st.id) for st in pref.statements()]
            if u.statement not in ids:
                out.append(_bad((*path, "statement"), f"{u.actor} has no statement "
                                f"{u.statement!r}", u.statement, f"one of {ids}"))
                continue
            out += _probability_problems(u, path, scenario.option_ids())
    return out


def _game_refs(u: UncertainInput, path: DocPath, games: dict[str, Any], lenses: dict[str, Any]
               ) -> Iterator[RawProblem]:
    if u.game not in games:
        yield _bad((*path, "game"), f"unknown game {u.game!r}", u.game,
                   f"one of the game ids {sorted(games)}")
        return
    spec = games[u.game]
    if getattr(spec, "tree", None) is None:
        return  # a template's parameters are the games engine's to check
    params = spec.tree.parameters
    if u.parameter not in params:
        yield _bad((*path, "parameter"), f"game {u.game!r} has no parameter {u.parameter!r}",
                   u.parameter, f"one of {sorted(params)}")


def _issue_refs(u: UncertainInput, path: DocPath, issues: dict[str, Any]) -> Iterator[RawProblem]:
    if u.issue not in issues:
        yield _bad((*path, "issue"), f"unknown issue {u.issue!r}", u.issue,
                   f"one of the issue ids {sorted(issues)}")
        return
    spec = issues[u.issue]
    if u.actor not in spec.positions:
        yield _bad((*path, "actor"), f"issue {u.issue!r} has no position for {u.actor!r}",
                   u.actor, f"one of {sorted(spec.positions)}")
        return
    if u.field is None:
        yield _bad(path, "an uncertain issue input needs 'field'", None,
                   "field: position, salience or capability")
        return
    pos = spec.positions[u.actor]
    if isinstance(getattr(pos, u.field), list):
        yield _bad((*path, "field"), f"{u.field} of {u.actor} has several dimensions", u.field,
                   "a one-dimensional issue")
        return
    yield from range_problems(u, path, issue_field_range(spec, u.field), f"{u.field}")


def issue_field_range(spec: object, field: str) -> tuple[float, float]:
    """The values an issue field admits: the scale, [0, salience_max], or positive."""
    if field == "position":
        scale = spec.scales()[0]  # type: ignore[attr-defined]
        return float(scale.min), float(scale.max)
    if field == "salience":
        return 0.0, float(spec.salience_max)  # type: ignore[attr-defined]
    return 1e-9, math.inf
