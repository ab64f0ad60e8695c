"""What one analyst has open in the page: a scenario, its analysis, the beliefs moved.

A :class:`Workspace` holds the last validated scenario, the full analysis of it
(cruxes included, run as a job), the beliefs the analyst has changed since, and
the analysis under those beliefs.  Changing beliefs reruns the pipeline without
the crux search and with a :class:`~crisislab.compare.reuse.PipelineCache`, so
only the engines the change touches recompute; :func:`flips` then names the
cells of the policy x view table whose conclusion changed and the cruxes of the
full run that involve the moved belief.  The crux search under the new beliefs
(seconds) then runs as a background job (:meth:`Workspace.search_cruxes`) and
replaces the analysis when it finishes, unless the beliefs moved again meanwhile.
Everything shown is read from the pipeline's results; nothing here computes a
conclusion itself.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from crisislab.app.beliefs import Control, Value, apply_beliefs, controls
from crisislab.app.jobs import problem_dict
from crisislab.bounded_store import BoundedStore
from crisislab.compare.pipeline import analyze_scenario
from crisislab.compare.reuse import PipelineCache
from crisislab.compare.scenario_analysis import ScenarioAnalysis
from crisislab.compare.summary import ends_text, game_text
from crisislab.errors import CrisislabError, Problem, ScenarioError, input_error
from crisislab.formats.scenario import load_text
from crisislab.model.scenario import Scenario

MAX_STATES = 1 << 16
"""Largest raw option space (2^options) the app enumerates: a pasted scenario cannot make
the server build millions of states."""


@lru_cache(maxsize=64)
def _checked(text: str, name: str) -> tuple[Scenario | None, tuple[Problem, ...]]:
    """Parsing is most of the cost of a check: the same text (a page reopened, a
    keystroke undone, many analysts on one scenario) is parsed once.  Scenarios are
    never edited in place, so sharing one is safe."""
    try:
        return load_text(text, name, max_states=MAX_STATES), ()
    except CrisislabError as exc:
        return None, tuple(exc.problems)


def validate(text: str, name: str) -> tuple[Scenario | None, list[dict[str, Any]]]:
    """The scenario, or every located problem in it (the command line's messages)."""
    scenario, problems = _checked(text, name)
    return scenario, [problem_dict(p) for p in problems]


@dataclass(frozen=True)
class Flip:
    """A cell of the policy x view table whose conclusion changed, and why."""

    policy: str
    view: str
    policy_label: str
    view_name: str
    what: str  # "where it ends" or the game's title
    before: str
    after: str
    cruxes: tuple[str, ...]  # cruxes of the full run that involve the moved belief


@dataclass
class Workspace:
    """One analyst's open scenario (see the module docstring)."""

    id: str
    name: str = "korea-2017"
    text: str = ""
    scenario: Scenario | None = None
    full: ScenarioAnalysis | None = None
    current: ScenarioAnalysis | None = None
    beliefs: dict[str, Value] = field(default_factory=dict)
    cache: PipelineCache = field(default_factory=PipelineCache)
    lock: threading.Lock = field(default_factory=threading.Lock)
    last_flips: tuple[Flip, ...] = ()
    revision: int = 0  # counts the runs and belief changes; a crux search is for one
    crux_job: str | None = None  # the background crux search for the current beliefs

    def controls(self) -> list[Control]:
        """The page's controls for the loaded scenario (none before one is loaded)."""
        return controls(self.scenario) if self.scenario is not None else []

    def run(self, text: str, name: str, cruxes: bool,
            progress: Callable[[str], None]) -> ScenarioAnalysis:
        """Validate and analyse ``text`` (the job behind the Run button)."""
        progress("validating the scenario")
        scenario, problems = _checked(text, name)
        if scenario is None:
            raise ScenarioError(list(problems))
        sa = analyze_scenario(scenario, cruxes=cruxes, what_if=cruxes, progress=progress,
                              cache=self.cache)
        with self.lock:
            self.text, self.name = text, name
            self.scenario, self.full, self.current = scenario, sa, sa
            self.beliefs, self.last_flips = {}, ()
            self.revision += 1
            self.crux_job = None
        return sa

    def change(self, beliefs: Mapping[str, Value]) -> tuple[ScenarioAnalysis, float]:
        """Recompute under ``beliefs`` (every changed control, relative to the scenario as
        run); returns the analysis and the seconds it took."""
        with self.lock:
            if self.scenario is None or self.full is None or self.current is None:
                raise input_error("no analysis yet", expected="run the scenario first")
            clock = time.perf_counter()
            changed = apply_beliefs(self.scenario, beliefs)
            try:
                sa = analyze_scenario(changed, cruxes=False, what_if=False, cache=self.cache)
            except (ValueError, KeyError) as exc:
                raise input_error(f"these beliefs do not make a valid scenario: {exc}",
                                  expected="another combination of beliefs") from None
            moved = {k for k in set(beliefs) | set(self.beliefs)
                     if beliefs.get(k) != self.beliefs.get(k)}
            self.last_flips = flips(self.current, sa, self.full,
                                    [c for c in controls(self.scenario) if c.id in moved])
            self.current, self.beliefs = sa, dict(beliefs)
            self.revision += 1
            return sa, time.perf_counter() - clock

    def search_cruxes(self, revision: int,
                      progress: Callable[[str], None]) -> ScenarioAnalysis | None:
        """The crux search under the beliefs of ``revision`` (the background job after a
        change).  Its analysis replaces the one shown, which has the same conclusions
        without the cruxes, if the beliefs have not moved since; otherwise it is
        dropped (None).  Runs outside the lock: a change meanwhile is not held up, and
        cancels this job at its next progress report."""
        with self.lock:
            if revision != self.revision or self.scenario is None or self.full is None:
                return None
            scenario, beliefs, full = self.scenario, dict(self.beliefs), self.full
        if beliefs:
            sa = analyze_scenario(apply_beliefs(scenario, beliefs), cruxes=True, what_if=False,
                                  progress=progress, cache=self.cache)
        else:
            sa = full  # back at the scenario as run: its cruxes are the full run's
        with self.lock:
            if revision != self.revision:
                return None
            self.current = sa
        return sa

    def edited_text(self) -> str:
        """The scenario text with the changed beliefs written in (comments and order
        kept; the text is parsed as data, never executed)."""
        from crisislab.app.yaml_edit import write_beliefs

        return write_beliefs(self.text, self.beliefs) if self.beliefs else self.text


def _cell_texts(sa: ScenarioAnalysis, policy: str, view: str) -> list[tuple[str, str]]:
    c = sa.cell(policy, view)
    return [("where it ends", ends_text(c)), *((g.title, game_text(g)) for g in c.games)]


def flips(before: ScenarioAnalysis, after: ScenarioAnalysis, full: ScenarioAnalysis,
          moved: list[Control]) -> tuple[Flip, ...]:
    """The cells whose conclusion differs between ``before`` and ``after``, each with the
    cruxes of ``full`` (the last run with the crux search) that involve a moved belief."""
    out = []
    for p in after.policies:
        for v in after.views:
            try:
                old = dict(_cell_texts(before, p.id, v.id))
            except KeyError:
                continue
            for what, text in _cell_texts(after, p.id, v.id):
                if old.get(what) is not None and old[what] != text:
                    out.append(Flip(p.id, v.id, p.label, v.name, what, old[what], text,
                                    deciding_cruxes(full, p.id, v.id, what, moved)))
    return tuple(out)


def deciding_cruxes(full: ScenarioAnalysis, policy: str, view: str, what: str,
                    moved: list[Control], limit: int = 2) -> tuple[str, ...]:
    """Cruxes of the full run about this policy whose minimal sets contain a moved
    belief (conflict cruxes for statements and overrides, game cruxes for priors),
    those comparing the flipped cell's own view first."""
    subjects = {c.subject for c in moved if c.subject}
    found: list[tuple[bool, str]] = []
    if what == "where it ends":
        for cr in full.conflict.cruxes:
            if cr.conclusion.start not in (policy, None) or cr.conclusion.kind == "equilibrium":
                continue
            keys = {f"{cr.assumptions[i].key[0]}:{cr.assumptions[i].key[1]}"
                    for s in cr.sets for i in s}
            if keys & subjects:
                found.append((view not in (cr.view_a, cr.view_b),
                              f"{full.view_name(cr.view_a)} vs {full.view_name(cr.view_b)}: "
                              f"{cr.text} — " + " ".join(cr.sentences[:1])))
    else:
        for ec in full.engine_cruxes:
            if ec.kind != "game" or ec.policy not in (policy, None):
                continue
            keys = {ec.assumptions[i].key for s in ec.sets for i in s}
            if keys & subjects:
                decided = ", ".join(sorted(keys & subjects))
                found.append((view not in (ec.view_a, ec.view_b),
                              f"{full.view_name(ec.view_a)} vs {full.view_name(ec.view_b)}: "
                              f"{ec.text} ({ec.value_a} vs {ec.value_b}) is decided by "
                              f"{decided}"))
    ranked = [text for _other, text in sorted(found, key=lambda f: f[0])]
    return tuple(dict.fromkeys(ranked))[:limit]


class Workspaces:
    """The open workspaces by id, the least recently used dropped first.  They share one
    :class:`PipelineCache`: the engines are deterministic, so two analysts who open the
    same scenario get the same results, computed once."""

    def __init__(self, keep: int = 128) -> None:
        self.keep = keep
        self.items: BoundedStore[str, Workspace] = BoundedStore(keep)
        self.cache = PipelineCache(size=32)

    def new(self) -> Workspace:
        """A fresh workspace, the least recently used one dropped beyond ``keep``."""
        ws = Workspace(secrets.token_hex(12), cache=self.cache)
        self.items.put(ws.id, ws)
        return ws

    def get(self, ws_id: str) -> Workspace | None:
        """The workspace with this id (marked as recently used), if it is still kept."""
        return self.items.get(ws_id)
