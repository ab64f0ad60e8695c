"""A game under a scenario policy: the policy's parameter values and committed moves.

A game may declare, per scenario policy, parameter values (``parameters``) and
actions the policy fixes with probability 1 at named information sets
(``actions``: a committed first move).  A committed move is modelled by
removing the other actions at that information set, so every solver sees the
game the committed actor actually plays; the subtrees only those actions
reached are dropped.  A game with no entry for a policy is the same game.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from crisislab.errors import Problem, ScenarioError
from crisislab.games.spec import (
    CompiledGame,
    GameSpec,
    TemplateGameSpec,
    TreeGameSpec,
    apply_game_overrides,
    compile_game,
)
from crisislab.games.tree import CHANCE, DECISION, GameTree, TreeBuilder


def policy_parameters(spec: TemplateGameSpec | TreeGameSpec, policy_id: str | None
                      ) -> dict[str, object]:
    """Parameter overrides a policy sets in this game (empty when it has no entry)."""
    entry = spec.policies.get(policy_id) if policy_id is not None else None
    return dict(entry.parameters) if entry is not None else {}


def policy_actions(spec: TemplateGameSpec | TreeGameSpec, policy_id: str | None
                   ) -> dict[str, str]:
    """Information set -> committed action under a policy (empty when it has no entry)."""
    entry = spec.policies.get(policy_id) if policy_id is not None else None
    return dict(entry.actions) if entry is not None else {}


def restrict_tree(tree: GameTree, fixed: Mapping[str, str]) -> GameTree:
    """The tree with only the fixed action left at each named information set.

    Raises ScenarioError (paths ``games.<id>.actions.<infoset>``) for an unknown
    information set or action.
    """
    problems: list[Problem] = []
    by_id = {s.id: s for s in tree.infosets}
    for iset, action in fixed.items():
        if iset not in by_id:
            problems.append(Problem(f"no information set {iset!r}", path=f"games.?.actions.{iset}",
                                    value=iset, expected="one of " + ", ".join(by_id)))
        elif action not in by_id[iset].actions:
            problems.append(Problem(f"information set {iset!r} has no action {action!r}",
                                    path=f"games.?.actions.{iset}", value=action,
                                    expected="one of " + ", ".join(by_id[iset].actions)))
    if problems:
        raise ScenarioError(problems)
    if not fixed:
        return tree
    builder = TreeBuilder(tree.title, tree.players, None)
    stack = [0]
    while stack:
        n = stack.pop()
        nid = tree.node_ids[n]
        kind = int(tree.kind[n])
        kids = tree.children[n]
        acts = tree.actions[n]
        if kind == DECISION:
            info = tree.infosets[int(tree.infoset_of[n])]
            keep = [j for j, a in enumerate(acts) if info.id not in fixed or a == fixed[info.id]]
            builder.decision(nid, info.player, info.id,
                             {acts[j]: tree.node_ids[kids[j]] for j in keep})
            stack.extend(kids[j] for j in keep)
        elif kind == CHANCE:
            builder.chance(nid, {acts[j]: (float(tree.edge_chance[c]), tree.node_ids[c])
                                 for j, c in enumerate(kids)})
            stack.extend(kids)
        else:
            builder.terminal(nid, {p: float(tree.payoffs[n, k])
                                   for k, p in enumerate(tree.players)}, tree.outcome[n])
    return builder.build(root=tree.node_ids[0])


def game_under_policy(spec: GameSpec, policy_id: str | None,
                      lens_parameters: Mapping[str, object] | None = None,
                      outcomes: Sequence[str] | None = None) -> CompiledGame:
    """The game as solved under a view's parameters and a policy's setting, together.

    The lens's parameters apply first, the policy's on top (a policy is a choice
    the actors make; a lens is a belief about the world — when both set one
    parameter the policy's value is what the actors would face).  Problems are
    ScenarioErrors located at ``games.<id>.parameters.<name>`` or
    ``games.<id>.actions.<infoset>``.
    """
    assert isinstance(spec, (TemplateGameSpec, TreeGameSpec))
    if lens_parameters:
        spec = apply_game_overrides(spec, dict(lens_parameters))
    params = policy_parameters(spec, policy_id)
    if params:
        try:
            spec = apply_game_overrides(spec, params)
        except ScenarioError as exc:
            raise ScenarioError([p.__class__(p.message, path=f"games.{spec.id}.parameters."
                                             f"{p.value}", value=p.value, expected=p.expected)
                                 for p in exc.problems]) from None
    compiled = compile_game(spec, f"games.{spec.id}", outcomes)
    fixed = policy_actions(spec, policy_id)
    if not fixed:
        return compiled
    try:
        tree = restrict_tree(compiled.tree, fixed)
    except ScenarioError as exc:
        raise ScenarioError([Problem(p.message, path=(p.path or "").replace(
            "games.?.", f"games.{spec.id}."), value=p.value, expected=p.expected)
            for p in exc.problems]) from None
    return CompiledGame(compiled.spec, tree, compiled.template, compiled.parameters,
                        compiled.players)

