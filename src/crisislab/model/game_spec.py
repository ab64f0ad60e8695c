"""Scenario ``games:`` section: the pydantic models of a game specification.

Pure data: the games engine compiles these into trees
(:func:`crisislab.games.spec.compile_game`); the model never imports an engine.

A game is either a named template with parameters::

    - id: brink
      template: brinkmanship
      players: {threatener: US, target: USSR}
      parameters:
        p_hard: {value: 0.4, assumption: "Kennedy's estimate, between 1/3 and 1/2"}

or an explicit tree whose payoffs and chance probabilities may be numbers or
formulas over the tree's own parameters (so lenses can override them)::

    - id: small
      tree:
        players: [US, NK]
        parameters: {p_res: 0.3}
        nodes:
          - {id: nature, chance: [{action: resolute, probability: p_res, to: a},
                                  {action: not_resolute, probability: 1 - p_res, to: b}]}
          - {id: a, player: NK, infoset: nk, moves: {escalate: w1, freeze: f1}}
          ...
          - {id: w1, payoffs: {US: -10, NK: -5}, outcome: war}

Structural checks are pydantic errors here; semantic checks (probabilities,
information sets, perfect recall, template assumptions) belong to the games
engine's compilation.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, model_validator

from crisislab.model.evidence import Evidence
from crisislab.model.normal_form_spec import table_to_tree_spec


class ParameterValue(Evidence):
    """A parameter value with its evidence."""

    value: float


Number = float | ParameterValue
Expr = float | str


def number(v: Number) -> float:
    return v.value if isinstance(v, ParameterValue) else float(v)


class GamePolicy(Evidence):
    """How one scenario policy sets a game: parameter values and committed first moves."""

    parameters: dict[str, Number] = Field(
        default_factory=dict, description="Parameter -> value under the policy.")
    actions: dict[str, str] = Field(
        default_factory=dict,
        description="Information set id -> the action the policy fixes there with "
        "probability 1 (a committed move).")


POLICIES_DESCRIPTION = ("Scenario policy id -> how that policy sets this game; a game with no "
                        "entry for a policy is solved unchanged under it.")


class TemplateGameSpec(Evidence):
    """A game given by a template name, role assignment and parameters."""

    id: str = Field(min_length=1)
    label: str | None = None
    template: str
    players: dict[str, str] = Field(description="Template role -> actor id.")
    parameters: dict[str, Number] = Field(default_factory=dict)
    policies: dict[str, GamePolicy] = Field(default_factory=dict,
                                            description=POLICIES_DESCRIPTION)


class ChanceMove(Evidence):
    action: str
    probability: Expr
    to: str


class NodeSpec(Evidence):
    """One node: a decision (player, moves), a chance node (chance) or a terminal (payoffs)."""

    id: str = Field(min_length=1)
    label: str | None = None
    player: str | None = None
    infoset: str | None = Field(default=None, description="Information set id; defaults to the "
                                                          "node id (the mover sees everything).")
    moves: dict[str, str] | None = Field(default=None, description="Action -> child node id.")
    chance: list[ChanceMove] | None = None
    payoffs: dict[str, Expr] | None = None
    outcome: str | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> NodeSpec:
        kinds = [k for k, v in (("moves", self.moves), ("chance", self.chance),
                                ("payoffs", self.payoffs)) if v is not None]
        if len(kinds) != 1:
            raise ValueError("a node needs exactly one of `moves` (decision, with `player`), "
                             f"`chance` or `payoffs` (terminal); got {kinds or 'none'}")
        if self.moves is not None and self.player is None:
            raise ValueError("a decision node (with `moves`) needs a `player`")
        if self.moves is None and (self.player is not None or self.infoset is not None):
            raise ValueError("only decision nodes (with `moves`) take `player` and `infoset`")
        if self.payoffs is None and self.outcome is not None:
            raise ValueError("only terminal nodes (with `payoffs`) take an `outcome`")
        return self


class TreeSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    players: list[str] = Field(min_length=1)
    parameters: dict[str, Number] = Field(default_factory=dict)
    root: str | None = None
    nodes: list[NodeSpec] = Field(min_length=1)


class TreeGameSpec(Evidence):
    """A game given as an explicit extensive-form tree."""

    id: str = Field(min_length=1)
    label: str | None = None
    tree: TreeSpec
    policies: dict[str, GamePolicy] = Field(default_factory=dict,
                                            description=POLICIES_DESCRIPTION)


class NormalFormSpec(BaseModel):
    """A payoff table: per actor, nested lists with one level per actor's strategies."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    players: list[str] = Field(min_length=1)
    strategies: dict[str, list[str]]
    parameters: dict[str, Number] = Field(default_factory=dict)
    payoffs: dict[str, Any] = Field(description="Actor -> nested lists of numbers or formulas "
                                                "(rows: the first actor's strategies).")
    outcomes: Any = Field(default=None, description="Optional outcome class per profile, "
                                                    "nested like the payoffs.")


class NormalFormGameSpec(TreeGameSpec):
    """A game given as a normal form (a bimatrix or an n-actor table).

    It is read into the equivalent tree -- each actor moves once without seeing
    the others -- so lenses, solvers and reports treat it like any tree game.
    """

    normal_form: NormalFormSpec

    @model_validator(mode="before")
    @classmethod
    def _as_tree(cls, data: Any) -> Any:
        if isinstance(data, dict) and "normal_form" in data and "tree" not in data:
            return {**data, "tree": table_to_tree_spec(data["normal_form"])}
        return data


def _game_kind(v: Any) -> str | None:
    if isinstance(v, dict):
        return ("template" if "template" in v else "normal_form" if "normal_form" in v
                else "tree" if "tree" in v else None)
    return "template" if isinstance(v, TemplateGameSpec) else (
        "normal_form" if isinstance(v, NormalFormGameSpec) else
        "tree" if isinstance(v, TreeGameSpec) else None)


GameSpec = Annotated[
    Annotated[TemplateGameSpec, Tag("template")] | Annotated[TreeGameSpec, Tag("tree")]
    | Annotated[NormalFormGameSpec, Tag("normal_form")],
    Discriminator(_game_kind, custom_error_type="game_kind",
                  custom_error_message="a game needs either `template:` (with `players` and "
                                       "`parameters`), `tree:` or `normal_form:`")]
