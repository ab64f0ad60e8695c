"""Results kept between runs of the pipeline on edited versions of one scenario.

An analyst who moves one belief changes one engine's input: a game prior touches
only the games that read it, a preference statement only the conflict, an issue
position only the forecasts.  :class:`PipelineCache` keys each engine's result
by exactly the part of the scenario that engine reads, so a rerun of
:func:`crisislab.compare.pipeline.analyze_scenario` after a change recomputes
only what the change touches — the conflict when preferences or lenses'
overrides change, a game under a (policy, view) when its parameters change,
the forecasts when an issue changes (and what is derived from the conflict alone,
the comparisons of views and the hypergames under each policy) — and returns the
same result as a fresh run (the engines are deterministic; the keys hold
everything they read).
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from crisislab.bounded_store import BoundedStore

if TYPE_CHECKING:
    from crisislab.bargaining.results import ForecastSet
    from crisislab.compare.analysis import ConflictAnalysis
    from crisislab.compare.scenario_analysis import (
        Comparison,
        ForecastValue,
        PolicyHypergame,
    )
    from crisislab.games.results import GameSolution
    from crisislab.model.scenario import Scenario

def _digest(data: Any) -> str:
    text = json.dumps(data, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def conflict_key(scenario: Scenario, settings: dict[str, Any]) -> str:
    """What the conflict engines read: everything but the games, the issues and the
    lenses' game and issue values."""
    data = scenario.model_dump(mode="json", exclude={"games", "issues"})
    for lens in data.get("lenses", []):
        lens.pop("games", None)
        lens.pop("issues", None)
    return _digest([data, settings])


def forecast_key(scenario: Scenario, lens_models: Sequence[str] = ()) -> str:
    """What the negotiation models read: the actors, the issues and the lenses' issue
    values; and which models run under a lens."""
    return _digest([[a.id for a in scenario.actors],
                    [i.model_dump(mode="json") for i in scenario.issues],
                    [[lz.id, lz.issues] for lz in scenario.lenses], list(lens_models)])


def issue_part_key(issue: Any, lens: str | None, overrides: Any,
                   models: Sequence[str] = ()) -> str:
    """One issue's forecasts under one view: the issue, the view's values for it and the
    models run."""
    return _digest([issue.model_dump(mode="json"), lens, overrides, list(models)])


def game_key(spec: Any, title: str) -> str:
    """A game's structure and the scenario's title, which its provenance records.  The
    parameter values are left out: the solutions inside are keyed by the values in
    force (the game's own with the view's on top) and the policy, so moving one
    prior re-solves only the views that do not override it."""
    data = spec.model_dump(mode="json")
    (data.get("tree") or data).pop("parameters", None)
    return _digest([data, title])


@dataclass
class PipelineCache:
    """Engine results keyed by the inputs they read (see the module docstring)."""

    size: int = 16
    conflicts: BoundedStore[str, ConflictAnalysis] = field(init=False)
    # per conflict key: the view comparisons and the hypergames under each policy
    derived: BoundedStore[str, tuple[tuple[Comparison, ...], tuple[PolicyHypergame, ...]]] \
        = field(init=False)
    forecasts: BoundedStore[str, tuple[tuple[ForecastValue, ...], ForecastSet]] = field(
        init=False)
    games: BoundedStore[str, dict[str, GameSolution]] = field(init=False)
    issue_parts: BoundedStore[str, list[Any]] = field(init=False)  # one issue, one view
    hits: dict[str, int] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __post_init__(self) -> None:
        # least recently used first out: a session of edits keeps only recent results
        self.conflicts = BoundedStore(self.size)
        self.derived = BoundedStore(self.size)
        self.forecasts = BoundedStore(self.size)
        self.games = BoundedStore(self.size * 4)
        self.issue_parts = BoundedStore(self.size * 8)

    def count(self, what: str) -> None:
        """Count one reuse of a cached ``what`` (the runs' statistics show what the cache saved);
        under the lock, as parallel views share it."""
        with self._lock:
            self.hits[what] = self.hits.get(what, 0) + 1

    def game_solutions(self, spec: Any, title: str) -> dict[str, GameSolution]:
        """The solutions of ``spec`` under (view values, policy) found so far."""
        return self.games.get_or_put(game_key(spec, title), dict)
