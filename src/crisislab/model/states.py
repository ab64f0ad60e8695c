"""Feasible states, state references and preference vectors.

State numbering (documented, stable, comparable with the literature):

* option form: the **decimal code** of a state is ``sum(option_k * 2**k)`` over
  the options in declared order (option 1 is bit 0), as in Fang, Hipel &
  Kilgour (1993) and GMCR II; feasible states are sorted by ascending code and
  their **ordinal id** is the 1-based position in that order;
* graph form: states keep their declared order; the ordinal id is the 1-based
  position and the code is ``id - 1``.

Enumeration is one numpy pass per constraint over all raw codes, so the raw
option space is bounded up front (:data:`crisislab.model.validate.DEFAULT_MAX_STATES`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from crisislab.model.logic import Formula, helper_formula, parse_formula
from crisislab.model.scenario import Constraint, Preference, Scenario, StateRef

_PATTERN = re.compile(r"^[YNyn\-]+$")
_ORDINAL = re.compile(r"^[sS](\d+)$")


class StateRefError(ValueError):
    """A state reference does not name a feasible state."""

    def __init__(self, message: str, expected: str):
        super().__init__(message)
        self.message = message
        self.expected = expected


TRUTH_CACHE_ENTRIES = 1 << 25
"""Most truth-table entries one state space remembers (:meth:`StateSpace.truth`)."""


@dataclass(frozen=True, eq=False)
class StateSpace:
    """The feasible states of a scenario and what is needed to talk about them."""

    actors: tuple[str, ...]
    option_ids: tuple[str, ...]
    option_owner: tuple[str, ...]
    codes: np.ndarray  # int64, ascending for option form
    names: tuple[str, ...] | None = None  # graph form
    _index: dict[int, int] = field(default_factory=dict, repr=False)
    _truths: dict[str, np.ndarray] = field(default_factory=dict, repr=False)

    @property
    def n(self) -> int:
        """Number of states."""
        return int(self.codes.shape[0])

    @property
    def option_index(self) -> dict[str, int]:
        """Position of each option id."""
        return {o: k for k, o in enumerate(self.option_ids)}

    @property
    def is_graph_form(self) -> bool:
        """Whether the states are named (graph form) rather than option codes."""
        return self.names is not None

    def truth(self, formula: str) -> np.ndarray:
        """Whether ``formula`` holds in each state (read-only bool array).

        Remembered per space (up to about 32 million entries in all): the pipeline
        asks for the same preference statements for every view, policy, crux and
        what-if it tries, thousands of times in one analysis.
        """
        hit = self._truths.get(formula)
        if hit is None:
            hit = np.asarray(parse_formula(formula, self.option_ids)
                             .evaluate(self.codes, self.option_index), dtype=bool)
            hit.flags.writeable = False
            if self.n * (len(self._truths) + 1) <= TRUTH_CACHE_ENTRIES:
                self._truths[formula] = hit
        return hit

    def owner_mask(self, actor: str) -> int:
        """Bit mask of the options ``actor`` owns."""
        return sum(1 << k for k, owner in enumerate(self.option_owner) if owner == actor)

    def index_of_code(self, code: int) -> int | None:
        """Index of the state with option code ``code``, if feasible."""
        i = int(np.searchsorted(self.codes, code))
        if i < self.n and int(self.codes[i]) == code:
            return i
        return None

    def ordinal(self, index: int) -> int:
        """1-based ordinal id of the state at ``index``."""
        return index + 1

    @property
    def names_shadow_ordinals(self) -> bool:
        """Whether a graph-form state is named ``sK`` while not being the K-th state.

        Models copied from the literature often number states from 0 or with
        gaps; then ``s1`` must keep meaning the state the file calls ``s1``, so
        such scenarios show and read states by their names (never by ordinal).
        """
        if self.names is None:
            return False
        for k, name in enumerate(self.names):
            m = _ORDINAL.match(name)
            if m and int(m.group(1)) != k + 1:
                return True
        return False

    def state_id(self, index: int) -> str:
        """The id a user sees and types: ``s<ordinal>``, or the graph-form name where
        names look like ordinals of other states (see :attr:`names_shadow_ordinals`)."""
        if self.names is not None and self.names_shadow_ordinals:
            return self.names[index]
        return f"s{index + 1}"

    def resolve_text(self, text: str) -> int:
        """Index of a state typed by a user (command line): a graph-form state name
        first, then ``sK`` (ordinal id), a decimal code, a Y/N pattern, or ``a+b``.

        ``sK`` is refused where it is ambiguous: an option of that id exists, or
        graph-form names look like ordinals of other states.
        """
        t = text.strip()
        if self.names is not None and t in self.names:
            return self.names.index(t)
        m = _ORDINAL.match(t)
        if m:
            if self.names_shadow_ordinals:
                raise StateRefError(
                    f"no state named {t!r} (state names here look like ordinal ids, so "
                    "ordinal ids are not read)", f"one of the state names {list(self.names or ())}")
            if t in self.option_ids:
                raise StateRefError(
                    f"{t!r} is ambiguous: an option id and the ordinal id of a state",
                    f"the state as a Y/N pattern or decimal code, or '{t}+' for the state "
                    f"with only option {t} taken")
            k = int(m.group(1))
            if not 1 <= k <= self.n:
                raise StateRefError(f"no state {t}", f"s1 .. s{self.n}")
            return k - 1
        if t.isdigit():
            return self.resolve(int(t))
        if "+" in t:
            return self.resolve([p.strip() for p in t.split("+") if p.strip()])
        return self.resolve(t)

    def taken(self, index: int) -> list[str]:
        """Ids of the options taken in the state at ``index``."""
        code = int(self.codes[index])
        return [o for k, o in enumerate(self.option_ids) if code >> k & 1]

    def pattern(self, index: int) -> str:
        """Y/N pattern in declared option order (graph form: the state id)."""
        if self.names is not None:
            return self.names[index]
        code = int(self.codes[index])
        return "".join("Y" if code >> k & 1 else "N" for k in range(len(self.option_ids)))

    def resolve(self, ref: StateRef) -> int:
        """Index of the state named by ``ref`` (see :data:`StateRef`)."""
        if self.names is not None:
            if isinstance(ref, str) and ref in self.names:
                return self.names.index(ref)
            if isinstance(ref, int) and not isinstance(ref, bool) and 1 <= ref <= self.n:
                return ref - 1
            raise StateRefError(f"no state {ref!r}", f"one of the state ids {list(self.names)}")
        code = self._code_of(ref)
        idx = self.index_of_code(code)
        if idx is None:
            raise StateRefError(f"state {ref!r} (decimal code {code}) is not feasible",
                                "a state allowed by the feasibility constraints")
        return idx

    def _code_of(self, ref: StateRef) -> int:
        opts = self.option_index
        if isinstance(ref, bool):
            raise StateRefError(f"{ref!r} is not a state", "a decimal code, pattern or options")
        if isinstance(ref, int):
            if not 0 <= ref < 1 << len(self.option_ids):
                raise StateRefError(f"decimal code {ref} out of range",
                                    f"0 .. {(1 << len(self.option_ids)) - 1}")
            return ref
        if isinstance(ref, list):
            taken = ref
        else:
            text = ref.strip()
            compact = text.replace("-", "")
            if _PATTERN.match(text) and len(compact) == len(self.option_ids) \
                    and text not in opts:
                return sum(1 << k for k, ch in enumerate(compact) if ch in "Yy")
            taken = [] if text in ("none", "") else [t.strip() for t in text.split("+")]
        code = 0
        for t in taken:
            if t not in opts:
                raise StateRefError(f"unknown option {t!r} in state {ref!r}",
                                    f"option ids among {list(self.option_ids)}, or a Y/N "
                                    f"pattern of length {len(self.option_ids)}")
            code |= 1 << opts[t]
        return code


def constraint_formula(c: Constraint, known: Sequence[str]) -> Formula:
    """A constraint as a formula over the options (helpers such as ``exactly_one`` expanded)."""
    if c.formula is not None:
        return parse_formula(c.formula, known)
    for helper in ("mutually_exclusive", "at_least_one", "exactly_one"):
        ids = getattr(c, helper)
        if ids is not None:
            return helper_formula(helper, ids)
    raise ValueError("empty constraint")  # excluded by the schema


def state_space(scenario: Scenario) -> StateSpace:
    """Enumerate the feasible states (the raw space must already be size-checked)."""
    actors = tuple(scenario.actor_ids())
    if scenario.graph is not None:
        names = tuple(s.id for s in scenario.graph.states)
        return StateSpace(actors, (), (), np.arange(len(names), dtype=np.int64), names)
    ids = tuple(scenario.option_ids())
    codes = np.arange(1 << len(ids), dtype=np.int64)
    index = {o: k for k, o in enumerate(ids)}
    keep = np.ones(codes.shape, dtype=bool)
    for c in scenario.constraints():
        keep &= constraint_formula(c, ids).evaluate(codes, index)
    return StateSpace(actors, ids, tuple(o.owner for o in scenario.options), codes[keep])


def payoff_vector(pref: Preference, space: StateSpace) -> np.ndarray:
    """Numeric preference over states (higher is better; equal values are ties)."""
    n = space.n
    if pref.prioritization is not None:
        statements = pref.statements()
        total = np.zeros(n, dtype=np.float64)
        m = len(statements)
        for k, st in enumerate(statements, start=1):
            total += space.truth(st.formula) * float(2 ** (m - k))
        return total
    if pref.ranking is not None:
        out = np.full(n, np.nan)
        levels = len(pref.ranking)
        for pos, item in enumerate(pref.ranking):
            group = item if isinstance(item, list) else [item]
            for ref in group:
                out[space.resolve(ref)] = float(levels - pos)
        return out
    assert pref.scores is not None
    out = np.full(n, np.nan)
    for ref, value in pref.scores.items():
        out[space.resolve(_score_key(ref))] = float(value)
    return out


def _score_key(key: str) -> StateRef:
    return int(key) if key.strip().lstrip("-").isdigit() else key


def payoff_matrix(scenario: Scenario, space: StateSpace) -> np.ndarray:
    """Payoff ranks, one row per actor, one column per state."""
    return np.vstack([payoff_vector(scenario.preferences[a], space) for a in space.actors])
