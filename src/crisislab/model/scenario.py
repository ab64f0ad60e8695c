"""The scenario: what a crisis *is*, as immutable validated data.

These pydantic models are the schema of the scenario file (YAML or JSON) and
the source of the published JSON Schema (``crisislab schema``).  Structural
checks live here; checks that need the whole scenario (unknown ids, formulas,
feasible states, complete rankings) live in :mod:`crisislab.model.validate`.

Every element that encodes a judgement may carry its evidence: ``source``
(the id of an entry in ``metadata.sources``) with a short ``quote``, or an
``assumption`` that says plainly that it is the analyst's own.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, model_validator

from crisislab.model.evidence import ID_PATTERN, Evidence, Strict
from crisislab.model.game_spec import GameSpec
from crisislab.model.issue_spec import IssueSpec
from crisislab.model.uncertainty_spec import Uncertainty

StateRef = int | str | list[str]
"""A reference to a state.

* an integer: the decimal code (sum of option_k * 2**k, declared option order);
* a string: a graph-form state id, a Y/N pattern in declared option order
  (``"YNNY"``, ``-`` allowed as a separator: ``"YN-NY"``), or the options taken
  joined by ``+`` (``"embargo+cut_ties"``; ``"none"`` for no option taken);
* a list of option ids: the options taken.
"""


class Source(Strict):
    """A cited source of the scenario's facts."""
    id: str = Field(pattern=ID_PATTERN)
    citation: str
    url: str | None = None
    date: str | None = None


class Metadata(Strict):
    """Title, description, date and sources of a scenario."""
    title: str
    description: str | None = None
    date: str | None = None
    sources: list[Source] = Field(default_factory=list)


class Actor(Evidence):
    """A party to the crisis."""
    id: str = Field(pattern=ID_PATTERN)
    name: str
    description: str | None = None


class Option(Evidence):
    """A course of action one actor controls."""
    id: str = Field(pattern=ID_PATTERN)
    label: str
    owner: str
    reversibility: Literal["both", "once", "drop_only"] = Field(
        default="both",
        description="both: can be taken and undone; once: cannot be undone once taken; "
        "drop_only: can only be given up.",
    )


class Constraint(Evidence):
    """A feasibility constraint: exactly one of the four forms."""

    formula: str | None = None
    mutually_exclusive: list[str] | None = Field(default=None, min_length=1)
    at_least_one: list[str] | None = Field(default=None, min_length=1)
    exactly_one: list[str] | None = Field(default=None, min_length=1)
    label: str | None = None

    @model_validator(mode="after")
    def _one_form(self) -> Constraint:
        forms = [f for f in ("formula", "mutually_exclusive", "at_least_one", "exactly_one")
                 if getattr(self, f) is not None]
        if len(forms) != 1:
            raise ValueError("a constraint needs exactly one of formula, mutually_exclusive, "
                             f"at_least_one, exactly_one (found {forms or 'none'})")
        return self


class Statement(Evidence):
    """One option-prioritization statement (a formula over option ids)."""

    formula: str
    id: str | None = Field(default=None, pattern=ID_PATTERN)
    question: str | None = Field(
        default=None,
        description="The statement as a question in plain words, used when explaining cruxes.",
    )
    answer: str | None = Field(
        default=None, description="This statement's answer to the question (e.g. 'yes')."
    )


class Preference(Evidence):
    """An actor's preferences, in exactly one of three forms."""

    prioritization: list[str | Statement] | None = Field(
        default=None,
        description="Ordered statements, most important first; statement k of n weighs "
        "2**(n-k) when true; equal totals are ties.",
    )
    ranking: list[int | str | list[int | str]] | None = Field(
        default=None,
        description="Every feasible state, most preferred first; a nested list is a tie "
        "(name a state by its options with 'a+b' inside a ranking).",
    )
    scores: dict[str, float] | None = Field(
        default=None, description="State reference -> score (higher is better)."
    )

    @model_validator(mode="after")
    def _one_form(self) -> Preference:
        forms = [f for f in ("prioritization", "ranking", "scores") if getattr(self, f) is not None]
        if len(forms) != 1:
            raise ValueError("preferences need exactly one of prioritization, ranking, scores "
                             f"(found {forms or 'none'})")
        return self

    def statements(self) -> list[Statement]:
        """The prioritization statements, most important first."""
        out = []
        for k, item in enumerate(self.prioritization or []):
            st = item if isinstance(item, Statement) else Statement(formula=item)
            if st.id is None:
                st = st.model_copy(update={"id": f"s{k + 1}"})
            out.append(st)
        return out


class GraphState(Evidence):
    """A named state of a graph-form model."""
    id: str = Field(pattern=ID_PATTERN)
    label: str | None = None


class GraphForm(Strict):
    """Explicit states and per-actor moves, for models option form cannot express."""

    states: list[GraphState]
    moves: dict[str, list[tuple[str, str]]] = Field(
        description="actor id -> list of [from state id, to state id]."
    )


class PreferenceOverride(Evidence):
    """One atomic assumption of a lens about one actor's preferences.

    Either a whole replacement (``preferences``) or a change to one
    prioritization statement, identified by its ``statement`` id: a new
    ``formula`` (inserted at ``position`` if the id is new), or ``remove``.
    """

    id: str | None = Field(default=None, pattern=ID_PATTERN)
    actor: str
    preferences: Preference | None = None
    statement: str | None = Field(default=None, pattern=ID_PATTERN)
    formula: str | None = None
    position: int | None = Field(default=None, ge=1)
    remove: bool = False
    add: bool = Field(
        default=False,
        description="The override adds a statement the base case lacks; without it a "
        "'statement' id the base case does not have is an error (a typo must not pass).")
    question: str | None = None
    answer: str | None = Field(
        default=None, description="This override's answer to the question (e.g. 'no')."
    )

    @model_validator(mode="after")
    def _one_form(self) -> PreferenceOverride:
        if self.preferences is None and self.statement is None:
            raise ValueError("an override needs either 'preferences' or 'statement'")
        if self.preferences is not None and self.statement is not None:
            raise ValueError("an override takes 'preferences' or 'statement', not both")
        if self.statement is not None and not self.remove and self.formula is None:
            raise ValueError("a statement override needs 'formula' or 'remove: true'")
        return self


class StateFormula(Strict):
    """The states where a formula over option ids is true (option form)."""

    formula: str


UnperceivedRef = int | str | list[str] | StateFormula
"""A state reference (see :data:`StateRef`) or ``{formula: ...}`` for every state
where the formula holds."""


class SecondLevel(Strict):
    """The lens holder's belief about how another actor perceives the game."""

    overrides: list[PreferenceOverride] = Field(default_factory=list)


class Lens(Evidence):
    """A named set of overrides: a perception (one actor's view) or an analyst's case."""

    id: str = Field(pattern=ID_PATTERN)
    name: str
    kind: Literal["perception", "analyst"] = "analyst"
    holder: str | None = Field(default=None, description="The perceiving actor (perception).")
    description: str | None = None
    overrides: list[PreferenceOverride] = Field(default_factory=list)
    views: dict[str, SecondLevel] = Field(
        default_factory=dict,
        description="Second level: actor id -> how the holder believes that actor sees the "
        "others' preferences.",
    )
    games: dict[str, dict[str, Any]] = Field(
        default_factory=dict, description="game id -> parameter -> value."
    )
    issues: dict[str, dict[str, dict[str, Any]]] = Field(
        default_factory=dict, description="issue id -> actor id -> field -> value."
    )
    unperceived: list[UnperceivedRef] = Field(
        default_factory=list,
        description="States the holder does not perceive (state references, or "
        "{formula: ...} for every state where it holds): the holder cannot move to or from "
        "them, and in its view no sanction runs through them (Wang, Hipel & Fraser 1988).")

    @model_validator(mode="after")
    def _holder(self) -> Lens:
        if self.kind == "perception" and self.holder is None:
            raise ValueError("a perception lens needs a 'holder' (the actor whose view it is)")
        if self.unperceived and self.kind != "perception":
            raise ValueError("'unperceived' needs a perception lens (kind: perception, holder: "
                             "the actor who does not perceive the states)")
        return self


class Outcome(Evidence):
    """A named class of states (war, deal, ...), given by a formula over option ids.

    Outcomes are listed in order; a state's outcome is the *first* whose formula
    holds, so a general class ("escalation") can follow a specific one ("war").
    """

    id: str = Field(pattern=ID_PATTERN, description="Outcome id, unique (e.g. 'war').")
    label: str = Field(description="The outcome in plain words, used first in every report.")
    when: str = Field(
        description="Formula over option ids (same syntax and helpers as feasibility "
        "formulas); a state belongs to the first outcome whose formula holds.")
    description: str | None = None


class Policy(Evidence):
    """What one or more actors commit to: option values held fixed for the rest of the
    crisis (``kind: commitment``), or only a starting state (``kind: start``)."""

    id: str = Field(pattern=ID_PATTERN)
    label: str
    kind: Literal["commitment", "start"] = Field(
        default="commitment",
        description="commitment: the owners of the options in 'commit' cannot change them for "
        "the rest of the crisis, everything else evolves; start: the policy only sets the "
        "starting state of the path analysis and every move stays open.")
    commit: dict[str, bool] = Field(
        default_factory=dict,
        description="option id -> value its owner holds fixed (taken or not) for the rest of "
        "the crisis; also applied to the starting state.")
    state: StateRef | None = Field(
        default=None, description="Explicit starting state (otherwise the status quo with "
        "'set' and 'commit' applied).")
    set: dict[str, bool] = Field(
        default_factory=dict,
        description="option id -> taken: further changes to the status quo for the starting "
        "state (not committed).")
    coalitions: str | list[list[str]] | None = Field(
        default=None,
        description="A coalition structure held under the policy (\"Washington and Beijing "
        "agree their responses\"): the id of a 'coalition_structures' entry, or blocs of actor "
        "ids such as [[US, CN]].  Each bloc then moves as one actor (moves its members agree "
        "on) in the stability and the paths of every view; actors not named move alone.")


class CoalitionStructure(Evidence):
    """A named partition of the actors into blocs that move as one (a coalition structure).

    Each bloc moves with the union of its members' options and improves only by
    moves its members agree on; actors not named form blocs of their own.
    """

    id: str = Field(pattern=ID_PATTERN)
    label: str | None = None
    blocs: list[list[str]] = Field(
        min_length=1, description="Blocs of actor ids, e.g. [[US, CN], [KP]].")


class Scenario(Strict):
    """A crisis as data.  Option form (``options``) or graph form (``graph``)."""

    metadata: Metadata
    actors: list[Actor]
    options: list[Option] = Field(default_factory=list)
    feasibility: list[str | Constraint] = Field(default_factory=list)
    graph: GraphForm | None = None
    preferences: dict[str, Preference] = Field(default_factory=dict)
    status_quo: StateRef | None = None
    outcomes: list[Outcome] = Field(
        default_factory=list,
        description="Named classes of states, in order; a state's outcome is the first whose "
        "formula holds.")
    policies: list[Policy] = Field(default_factory=list)
    lenses: list[Lens] = Field(default_factory=list)
    games: list[GameSpec] = Field(
        default_factory=list, description="Games of incomplete information (crisislab solve).")
    issues: list[IssueSpec] = Field(
        default_factory=list, description="Negotiation issues (crisislab forecast).")
    uncertainty: Uncertainty | None = Field(
        default=None, description="Uncertain inputs: distributions of game parameters and "
        "issue fields, probabilistic preference statements (crisislab sweep).")
    coalition_structures: list[CoalitionStructure] = Field(
        default_factory=list,
        description="Named partitions of the actors into blocs (analyze --coalitions).")

    @property
    def has_conflict(self) -> bool:
        """Whether the scenario has a graph model (options or explicit graph)."""
        return bool(self.options) or self.graph is not None

    def actor_ids(self) -> list[str]:
        """Ids of the actors, in declaration order."""
        return [a.id for a in self.actors]

    def actor(self, actor_id: str) -> Actor:
        """The actor with id ``actor_id``."""
        return next(a for a in self.actors if a.id == actor_id)

    def lens(self, lens_id: str) -> Lens:
        """The lens with id ``lens_id``."""
        return next(lens for lens in self.lenses if lens.id == lens_id)

    def outcome_ids(self) -> list[str]:
        """Ids of the named outcomes."""
        return [o.id for o in self.outcomes]

    def policy_ids(self) -> list[str]:
        """Ids of the policies."""
        return [p.id for p in self.policies]

    def policy(self, policy_id: str) -> Policy:
        """The policy with id ``policy_id``."""
        return next(p for p in self.policies if p.id == policy_id)

    def option_ids(self) -> list[str]:
        """Ids of the options, in declaration order."""
        return [o.id for o in self.options]

    def constraints(self) -> list[Constraint]:
        """The feasibility constraints, formulas wrapped as constraints."""
        return [c if isinstance(c, Constraint) else Constraint(formula=c)
                for c in self.feasibility]

    def coalition_structure(self, structure_id: str) -> CoalitionStructure:
        """The coalition structure with id ``structure_id``."""
        return next(c for c in self.coalition_structures if c.id == structure_id)

    def source_text(self, source_id: str | None) -> str | None:
        """The citation of a source id, if the scenario lists it."""
        for s in self.metadata.sources:
            if s.id == source_id:
                return s.citation
        return None
