"""Compilation of the model's game specifications into game trees.

The specifications themselves (:class:`TemplateGameSpec`, :class:`TreeGameSpec`,
``GameSpec`` ...) are model data in :mod:`crisislab.model.game_spec`; they are
re-exported here so that older imports (``crisislab.games.spec.GameSpec``)
keep working.  Importing the models from this module is deprecated: import
them from :mod:`crisislab.model.game_spec`.

Semantic checks (probabilities, information sets, perfect recall, template
assumptions) raise :class:`~crisislab.errors.ScenarioError` with a ``path``
such as ``games[0].tree.nodes[3].chance``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from crisislab.errors import Problem, ScenarioError
from crisislab.games.expressions import ExpressionError, evaluate, expression_names
from crisislab.games.templates import TEMPLATES, Template
from crisislab.games.tree import GameTree, TreeBuilder, TreeError
from crisislab.model.game_spec import (
    ChanceMove,
    Expr,
    GamePolicy,
    GameSpec,
    NodeSpec,
    NormalFormGameSpec,
    NormalFormSpec,
    Number,
    ParameterValue,
    TemplateGameSpec,
    TreeGameSpec,
    TreeSpec,
    number,
)

__all__ = [
    "ChanceMove",
    "CompiledGame",
    "Expr",
    "GamePolicy",
    "GameSpec",
    "NodeSpec",
    "NormalFormGameSpec",
    "NormalFormSpec",
    "Number",
    "ParameterValue",
    "TemplateGameSpec",
    "TreeGameSpec",
    "TreeSpec",
    "apply_game_overrides",
    "compile_game",
    "game_parameters",
    "number",
    "validate_games",
]


# ------------------------------------------------------------------------- compilation
@dataclass(frozen=True)
class CompiledGame:
    """A validated game: its tree, and for templates the template and resolved parameters."""

    spec: TemplateGameSpec | TreeGameSpec | None
    tree: GameTree
    template: Template | None
    parameters: dict[str, float]
    players: dict[str, str]

    @property
    def game_id(self) -> str:
        return self.spec.id if self.spec is not None else "game"

    @property
    def label(self) -> str:
        return (self.spec.label if self.spec is not None else None) or self.tree.title


def game_parameters(spec: TemplateGameSpec | TreeGameSpec) -> dict[str, float]:
    """Current parameter values (template defaults filled in)."""
    if isinstance(spec, TemplateGameSpec):
        tpl = TEMPLATES.get(spec.template)
        given = {k: number(v) for k, v in spec.parameters.items()}
        return tpl.resolve(given) if tpl else given
    return {k: number(v) for k, v in spec.tree.parameters.items()}


def _err(message: str, path: str, value: Any = None, expected: str | None = None
         ) -> Problem:
    return Problem(message, path=path, value=value, expected=expected)


def _compile_template(spec: TemplateGameSpec, path: str) -> CompiledGame:
    tpl = TEMPLATES.get(spec.template)
    if tpl is None:
        raise ScenarioError([_err(f"unknown game template {spec.template!r}",
                                  f"{path}.template", spec.template,
                                  "one of " + ", ".join(sorted(TEMPLATES)))])
    problems: list[Problem] = []
    if set(spec.players) != set(tpl.roles):
        problems.append(_err(f"template {tpl.name!r} needs exactly the roles {list(tpl.roles)}",
                             f"{path}.players", dict(spec.players), ", ".join(tpl.roles)))
    if len(set(spec.players.values())) != len(spec.players):
        problems.append(_err("each role needs a different actor", f"{path}.players",
                             dict(spec.players)))
    for name, raw in spec.parameters.items():
        info = tpl.parameters.get(name)
        if info is None:
            problems.append(_err(f"template {tpl.name!r} has no parameter {name!r}",
                                 f"{path}.parameters.{name}", name,
                                 "one of " + ", ".join(tpl.parameters)))
            continue
        v = number(raw)
        if not info.low <= v <= info.high:
            problems.append(_err(f"parameter {name!r} = {v} is outside [{info.low}, "
                                 f"{info.high}]", f"{path}.parameters.{name}", v,
                                 f"{info.low} <= {name} <= {info.high}"))
        if info.integer and v != int(v):
            problems.append(_err(f"parameter {name!r} must be a whole number",
                                 f"{path}.parameters.{name}", v, "an integer"))
    if problems:
        raise ScenarioError(problems)
    params = tpl.resolve({k: number(v) for k, v in spec.parameters.items()})
    bad = tpl.check(params)
    if bad:
        raise ScenarioError([_err(f"{msg} (template {tpl.name!r} assumes it)",
                                  f"{path}.parameters.{name}", params[name])
                             for name, msg in bad])
    return CompiledGame(spec, tpl.build(params, spec.players), tpl, params, dict(spec.players))


def _compile_tree(spec: TreeGameSpec, path: str, outcomes: Sequence[str] | None = None
                  ) -> CompiledGame:
    ts = spec.tree
    params = {k: number(v) for k, v in ts.parameters.items()}
    problems: list[Problem] = []
    index = {n.id: i for i, n in enumerate(ts.nodes)}
    b = TreeBuilder(spec.label or spec.id, ts.players, outcomes)

    def value(expr: Expr, where: str) -> float | None:
        try:
            unknown = expression_names(expr) - set(params) if isinstance(expr, str) else set()
            if unknown:
                problems.append(_err(f"unknown parameter(s) {sorted(unknown)} in {expr!r}", where,
                                     expr, "a parameter declared under tree.parameters"))
                return None
            return evaluate(expr, params)
        except ExpressionError as exc:
            problems.append(_err(str(exc), where, expr, "a number or arithmetic formula"))
            return None

    for i, n in enumerate(ts.nodes):
        npath = f"{path}.tree.nodes[{i}]"
        try:
            if n.moves is not None:
                assert n.player is not None
                b.decision(n.id, n.player, n.infoset or n.id, n.moves)
            elif n.chance is not None:
                moves: dict[str, tuple[float, str]] = {}
                for j, m in enumerate(n.chance):
                    if m.action in moves:
                        problems.append(_err(f"chance action {m.action!r} repeated",
                                             f"{npath}.chance[{j}].action", m.action))
                    pv = value(m.probability, f"{npath}.chance[{j}].probability")
                    moves[m.action] = (0.0 if pv is None else pv, m.to)
                b.chance(n.id, moves)
            else:
                assert n.payoffs is not None
                pays = {pl: value(v, f"{npath}.payoffs.{pl}") for pl, v in n.payoffs.items()}
                b.terminal(n.id, {k: (0.0 if v is None else v) for k, v in pays.items()},
                           n.outcome)
        except TreeError as exc:
            problems.append(_err(exc.message, f"{npath}.id", n.id))
    if problems:
        raise ScenarioError(problems)
    try:
        tree = b.build(root=ts.root)
    except TreeError as exc:
        where = f"{path}.tree.nodes[{index[exc.node]}]" if exc.node in index else f"{path}.tree"
        if exc.field_name and exc.node in index:
            where += f".{exc.field_name}"
        raise ScenarioError([_err(exc.message, where, exc.node)]) from None
    return CompiledGame(spec, tree, None, params, {p: p for p in ts.players})


def compile_game(spec: TemplateGameSpec | TreeGameSpec, path: str = "games[0]",
                 outcomes: Sequence[str] | None = None) -> CompiledGame:
    """Validate a game and build its tree; ScenarioError with scenario paths on failure.

    ``outcomes`` are the scenario's outcome ids, which a tree's terminal nodes may
    name besides the built-in classes (war, deal, status_quo, capitulation_<actor>);
    ``None`` (solving an already validated game) does not check terminal labels.
    """
    if isinstance(spec, TemplateGameSpec):
        return _compile_template(spec, path)
    return _compile_tree(spec, path, outcomes)


def validate_games(games: list[TemplateGameSpec | TreeGameSpec],
                   actor_ids: set[str] | None = None, outcomes: Sequence[str] = ()) -> None:
    """Check every game of a scenario; all problems are reported together."""
    problems: list[Problem] = []
    seen: set[str] = set()
    for i, g in enumerate(games):
        if g.id in seen:
            problems.append(_err(f"duplicate game id {g.id!r}", f"games[{i}].id", g.id))
        seen.add(g.id)
        if actor_ids is not None:
            actors = g.players.values() if isinstance(g, TemplateGameSpec) else g.tree.players
            for a in actors:
                if a not in actor_ids:
                    where = "players" if isinstance(g, TemplateGameSpec) else "tree.players"
                    problems.append(_err(f"game player {a!r} is not a declared actor",
                                         f"games[{i}].{where}", a,
                                         "one of " + ", ".join(sorted(actor_ids))))
        try:
            compile_game(g, f"games[{i}]", outcomes)
        except ScenarioError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ScenarioError(problems)


def apply_game_overrides(spec: TemplateGameSpec | TreeGameSpec,
                         overrides: dict[str, Any]) -> TemplateGameSpec | TreeGameSpec:
    """The same game with some parameters (priors, payoffs) replaced, as a lens sees it.

    Values may be numbers or ``{value, source, quote, assumption}``.  Unknown
    names raise ScenarioError with path ``games.<id>.<name>``.
    """
    if isinstance(spec, TemplateGameSpec):
        tpl = TEMPLATES.get(spec.template)
        known = set(tpl.parameters) if tpl else set(spec.parameters)
    else:
        known = set(spec.tree.parameters)
    problems = [_err(f"game {spec.id!r} has no parameter {k!r}", f"games.{spec.id}.{k}", k,
                     "one of " + ", ".join(sorted(known)))
                for k in overrides if k not in known]
    if problems:
        raise ScenarioError(problems)

    def coerce(k: str, v: Any) -> Number:
        if isinstance(v, ParameterValue):
            return v
        if isinstance(v, dict):
            return ParameterValue.model_validate(v)
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise ScenarioError([_err(f"parameter {k!r} of game {spec.id!r} must be a number",
                                      f"games.{spec.id}.{k}", v,
                                      "a number, or {value, source, quote, assumption}")])
        return float(v)

    new = {k: coerce(k, v) for k, v in sorted(overrides.items())}
    if isinstance(spec, TemplateGameSpec):
        return spec.model_copy(update={"parameters": {**spec.parameters, **new}})
    tree = spec.tree.model_copy(update={"parameters": {**spec.tree.parameters, **new}})
    return spec.model_copy(update={"tree": tree})
