"""The one result every report renders: policies x views x engines.

:class:`ScenarioAnalysis` holds, for every policy (the status quo first) and
every view (the base case, then each lens): where the conflict ends (named
outcomes first, state ids second, with the credible path to each), the games'
equilibria and outcome probabilities under that policy and view, and the
negotiation forecasts; then the cruxes, the comparisons the crux search made,
and the executive summary in plain sentences.  It is computed by
:func:`crisislab.compare.pipeline.analyze_scenario`; the terminal, JSON and
HTML reports only render it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from crisislab.bargaining.results import ForecastSet
from crisislab.compare.analysis import ConflictAnalysis
from crisislab.compare.engine_cruxes import EngineCrux
from crisislab.conflict.foresight import MixedResult
from crisislab.games.results import GameSolution
from crisislab.model.scenario import Scenario
from crisislab.provenance import Provenance, canonical_json, fixed  # noqa: F401 (re-export)

if TYPE_CHECKING:
    import pandas as pd

STATUS_QUO = "status_quo"
JSONValue = None | bool | int | float | str | list["JSONValue"] | dict[str, "JSONValue"]


@dataclass(frozen=True)
class PolicyInfo:
    """A row of the headline table: the status quo or one policy."""

    id: str
    label: str
    kind: str  # "status_quo", "commitment" or "start"
    start: int  # state index
    commit: tuple[tuple[str, bool], ...] = ()
    coalitions: tuple[tuple[str, ...], ...] = ()
    """The coalition structure the policy holds: actor ids per bloc, every actor placed
    (``()``: each actor moves alone)."""
    structure: str | None = None  # the id of the declared structure it names, if any

    def coalition_text(self) -> str:
        """'US+CN move jointly' for the blocs of two or more, '' without coalitions."""
        joint = ["+".join(b) for b in self.coalitions if len(b) > 1]
        if not joint:
            return ""
        verb = "moves" if len(joint) == 1 else "move"
        return " and ".join(joint) + f" {verb} as one"


@dataclass(frozen=True)
class ViewInfo:
    """A column of the headline table: the base case or one lens."""

    id: str
    name: str
    kind: str  # "base", "analyst" or "perception"
    holder: str | None = None


@dataclass(frozen=True)
class Step:
    """One move of a path: ``actor`` moves the crisis from ``source`` to ``target``."""

    actor: str
    source: int
    target: int

    def __repr__(self) -> str:
        return f"<Step {self.actor}: s{self.source + 1} → s{self.target + 1}>"


@dataclass(frozen=True)
class EndState:
    """A state a policy's path ends at, by outcome name first."""

    state: int  # index; the ordinal id is state + 1
    outcome: str | None  # outcome id (None: in no named outcome)
    label: str  # the outcome's label, or the state in words
    words: str  # the state in words
    path: tuple[Step, ...]

    @property
    def ref(self) -> str:
        """The state's ordinal id, ``sN``."""
        return f"s{self.state + 1}"

    def text(self) -> str:
        """'Stalemate (s2)', or 's7' for a state in no named outcome."""
        return f"{self.label} ({self.ref})" if self.outcome else self.ref

    def path_text(self) -> str:
        """'s1 → usa: s3 → chn: s7': who moves, to which state."""
        start = f"s{self.path[0].source + 1}" if self.path else self.ref
        return " → ".join([start, *(f"{s.actor}: s{s.target + 1}" for s in self.path)])

    def __repr__(self) -> str:
        return f"<EndState {self.text()} via {self.path_text()}>"


@dataclass(frozen=True)
class GameOutcome:
    """One game solved under one policy and one view: every equilibrium found."""

    game: str
    title: str
    policy: str
    view: str
    applies: bool  # the game declares a setting for this policy
    parameters: tuple[tuple[str, float], ...]
    actions: tuple[tuple[str, str], ...]  # committed moves: infoset -> action
    method: str
    complete: bool
    equilibria: tuple[tuple[tuple[str, float], ...], ...]  # outcome probabilities per eq.
    selected: int | None
    selection_rule: str | None
    solution: GameSolution

    def outcomes(self) -> list[str]:
        """Outcome ids with a positive probability in some equilibrium."""
        return sorted({o for eq in self.equilibria for o, _p in eq})

    def __repr__(self) -> str:
        from crisislab.compare.summary import game_text

        return (f"<GameOutcome {self.game!r} under {self.policy}, {self.view}: "
                f"{game_text(self)}>")

    def probability_range(self, outcome: str) -> tuple[float, float] | None:
        """Lowest and highest probability of ``outcome`` over the equilibria (None: no
        equilibrium)."""
        if not self.equilibria:
            return None
        values = [dict(eq).get(outcome, 0.0) for eq in self.equilibria]
        return min(values), max(values)


@dataclass(frozen=True)
class GameCurve:
    """Outcome probabilities as one parameter varies, every other parameter at the
    view's values, with the view's own value marked (one curve per view)."""

    game: str
    parameter: str
    view: str
    view_name: str
    x: tuple[float, ...]
    series: tuple[tuple[str, tuple[float | None, ...]], ...]  # outcome -> P (first eq.)
    low: tuple[tuple[str, tuple[float | None, ...]], ...]  # range over equilibria
    high: tuple[tuple[str, tuple[float | None, ...]], ...]
    marker: float | None


@dataclass(frozen=True)
class GameQRECurve:
    """Outcome probabilities along the principal branch of the agent QRE (``link``), at
    precisions ``lam`` from 0 (uniform play) up (see :mod:`crisislab.compare.qre_curves`)."""

    game: str
    view: str
    view_name: str
    link: str
    lam: tuple[float, ...]
    series: tuple[tuple[str, tuple[float, ...]], ...]  # outcome -> P at each lambda


@dataclass(frozen=True)
class ForecastValue:
    """Where one negotiation model expects one issue dimension to settle under a view."""

    issue: str
    label: str
    dimension: str
    model: str
    view: str
    value: float
    scale: tuple[float, float]
    scale_labels: tuple[str, str]
    veto: tuple[str, ...] = ()  # actors whose ideal equals the disagreement point


@dataclass(frozen=True)
class PolicyView:
    """One cell of the headline table."""

    policy: str
    view: str
    concept: str
    rule: str
    ends: tuple[EndState, ...]
    games: tuple[GameOutcome, ...]
    differs_from_status_quo: bool | None  # None for the status quo row
    why: str | None  # in words: why the policy makes no difference here

    def ends_text(self) -> str:
        """The end outcomes in words, joined by "or"."""
        return " or ".join(e.text() for e in self.ends) or "no stable end"

    def __repr__(self) -> str:
        return f"<PolicyView {self.policy} under {self.view}: ends in {self.ends_text()}>"


@dataclass(frozen=True)
class PolicyHypergame:
    """First-level hypergame under a policy: states stable for every actor in the game as
    that actor perceives it, on the graph the policy's commitment leaves."""

    policy: str
    concept: str
    equilibria: tuple[int, ...]
    by_outcome: tuple[tuple[str, tuple[int, ...]], ...] = ()
    """The equilibria grouped by named outcome (label, states), in the scenario's order of
    outcomes; states in no named outcome last, under "no named outcome".  Empty when the
    scenario names no outcomes."""


@dataclass(frozen=True)
class Comparison:
    """A pair of views the crux search compared, and how many conclusions differ."""

    view_a: str
    view_b: str
    differing: int
    cruxes: int


@dataclass(frozen=True)
class ScenarioAnalysis:
    """Everything crisislab concludes about one scenario (see the module docstring)."""

    scenario: Scenario
    conflict: ConflictAnalysis
    policies: tuple[PolicyInfo, ...]
    views: tuple[ViewInfo, ...]
    cells: tuple[PolicyView, ...]
    forecasts: tuple[ForecastValue, ...]
    curves: tuple[GameCurve, ...]
    comparisons: tuple[Comparison, ...]
    cruxes_searched: bool
    summary: tuple[str, ...]
    warnings: tuple[str, ...]
    provenance: Provenance
    forecast_set: ForecastSet | None = None  # the models' full results (trajectories)
    per_actor: MixedResult | None = None  # one solution concept per actor
    engine_cruxes: tuple[EngineCrux, ...] = ()  # game parameters and issue positions
    hypergames: tuple[PolicyHypergame, ...] = ()  # per policy, where actors hold lenses
    qre_curves: tuple[GameQRECurve, ...] = ()  # logit QRE branch per game and view
    timings: tuple[tuple[str, float], ...] = field(default=(), compare=False)

    # -- access -------------------------------------------------------------------
    def cell(self, policy: str, view: str = "base") -> PolicyView:
        """The result of one policy under one view; KeyError if unknown."""
        for c in self.cells:
            if c.policy == policy and c.view == view:
                return c
        raise KeyError((policy, view))

    def policy_label(self, policy: str) -> str:
        """The policy's label (its id when unknown)."""
        return next((p.label for p in self.policies if p.id == policy), policy)

    def view_name(self, view: str) -> str:
        """The view's name (its id when unknown)."""
        return next((v.name for v in self.views if v.id == view), view)

    @property
    def games(self) -> tuple[GameOutcome, ...]:
        """Every game solution of every cell."""
        return tuple(g for c in self.cells for g in c.games)

    # -- output -------------------------------------------------------------------
    def to_dict(self) -> dict[str, JSONValue]:
        """JSON-ready data (the JSON schema of ``crisislab analyze --json``)."""
        from crisislab.compare.serialize import scenario_analysis_dict

        return scenario_analysis_dict(self)

    def to_json(self) -> str:
        """Deterministic JSON (sorted keys, fixed float formatting)."""
        return canonical_json(self.to_dict())

    def to_html(self, path: str | Path, *, force: bool = False) -> Path:
        """Write the self-contained HTML report, atomically; an existing file is replaced
        only with ``force``."""
        import os
        import tempfile

        from crisislab.errors import input_error
        from crisislab.report.html import render_scenario_html

        target = Path(path)
        if target.exists() and not force:
            raise input_error(f"{target} exists", value=str(target),
                              expected="a new file name, or force=True")
        text = render_scenario_html(self)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp",
                                   dir=target.parent if str(target.parent) else ".")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
            os.replace(tmp, target)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        return target

    def to_pandas(self) -> pd.DataFrame:
        """One row per (policy, view, end state) with the games' outcome probabilities."""
        import pandas as pd

        rows = []
        for c in self.cells:
            probs = {f"P({o}) {g.game}": (g.probability_range(o) or (None, None))[0]
                     for g in c.games for o in g.outcomes()}
            for e in c.ends or (None,):
                rows.append({"policy": c.policy, "view": c.view, "concept": c.concept,
                             "state": e.ref if e else None,
                             "outcome": e.outcome if e else None,
                             "label": e.label if e else None,
                             "moves": len(e.path) if e else None, **probs})
        return pd.DataFrame(rows)

    def __repr__(self) -> str:
        from crisislab.display import count

        ends = sum(len(c.ends) for c in self.cells)
        sq = [c for c in self.cells if c.policy == STATUS_QUO and c.view == "base"]
        where = f"; status quo ends in {sq[0].ends_text()}" if sq else ""
        return (f"<ScenarioAnalysis {self.scenario.metadata.title!r}: "
                f"{count(len(self.policies), 'policy', 'policies')} x "
                f"{count(len(self.views), 'view')}, {count(ends, 'end state')}, "
                f"{count(len(self.games), 'game solution')}, "
                f"{count(len(self.conflict.cruxes), 'crux', 'cruxes')}{where}>")

    def _repr_html_(self) -> str:
        """The executive summary, the policy x view table and the cruxes (see
        :mod:`crisislab.report.notebook`)."""
        from crisislab.display import html

        return html(self)
