"""The game an estimator fits: a small tree, the actors' utilities at its ends, the errors.

Signorino's strategic choice models (Signorino 1999, APSR 93(2): 279-297;
2003, Political Analysis 11: 316-344) put a random term on each choice (agent
error) or on each actor's utility for each outcome (private information) of a
game tree with perfect information, and read the equilibrium of the
resulting game of choices as a distribution over outcomes.  The trees the R
``games`` package names (Kenkel & Signorino 2014, J. Stat. Softw. 58(8)) are
built in here with R's labels for their utilities, so a model written for R
reads the same; any other tree can be declared.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from crisislab.games.estimate.formula import Formula


@dataclass(frozen=True)
class DecisionNode:
    """A choice by ``actor`` among ``moves`` (action -> node id or outcome)."""

    id: str
    actor: str
    moves: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class EstimationTree:
    """A tree of decision nodes with perfect information; the root is ``nodes[0]``."""

    nodes: tuple[DecisionNode, ...]
    outcomes: tuple[str, ...]  # terminal names, in the order outcome codes 1..k refer to

    @property
    def actors(self) -> tuple[str, ...]:
        seen: list[str] = []
        for n in self.nodes:
            if n.actor not in seen:
                seen.append(n.actor)
        return tuple(seen)

    def node(self, node_id: str) -> DecisionNode | None:
        for n in self.nodes:
            if n.id == node_id:
                return n
        return None

    def outcomes_below(self, target: str) -> list[str]:
        """Outcomes reachable from a node id or outcome name."""
        node = self.node(target)
        if node is None:
            return [target]
        out: list[str] = []
        for _, child in node.moves:
            out.extend(self.outcomes_below(child))
        return out

    def path_actions(self, outcome: str) -> list[tuple[str, str]]:
        """(node id, action) pairs on the way from the root to ``outcome``."""

        def walk(node_id: str) -> list[tuple[str, str]] | None:
            node = self.node(node_id)
            if node is None:
                return [] if node_id == outcome else None
            for action, child in node.moves:
                rest = walk(child)
                if rest is not None:
                    return [(node.id, action), *rest]
            return None

        return walk(self.nodes[0].id) or []


@dataclass(frozen=True)
class Utility:
    """One estimated utility: ``actor``'s payoff at ``outcome`` as a formula."""

    label: str  # e.g. "u14" (R's name) or "A@war"
    actor: str
    outcome: str
    formula: Formula


@dataclass(frozen=True)
class BuiltinModel:
    """A tree of the R ``games`` package with R's utility labels."""

    name: str
    tree: EstimationTree
    labels: tuple[tuple[str, str, str], ...]  # (label, actor, outcome), in R's formula order
    indicator_help: str
    description: str


Indicators = list[np.ndarray]


def _decode_indicators_12(ind: Indicators) -> list[int]:
    # esc + war: no escalation -> sq; escalation without war -> cap; both -> war
    return [0 if a == 0 else (1 if b == 0 else 2) for a, b in zip(*ind, strict=True)]


def _decode_indicators_122(ind: Indicators) -> list[int]:
    # y1 = actor 1 moves right, y2 = actor 2 moves right (at whichever node it is)
    return [2 * a + b for a, b in zip(*ind, strict=True)]


def _decode_indicators_123(ind: Indicators) -> list[int]:
    out = []
    for a, b, c in zip(*ind, strict=True):
        out.append(0 if a == 0 else (1 if b == 0 else (2 if c == 0 else 3)))
    return out


EGAME12 = BuiltinModel(
    name="egame12",
    tree=EstimationTree(
        nodes=(DecisionNode("n1", "1", (("status_quo", "sq"), ("escalate", "n2"))),
               DecisionNode("n2", "2", (("concede", "cap"), ("fight", "war")))),
        outcomes=("sq", "cap", "war")),
    labels=(("u11", "1", "sq"), ("u13", "1", "cap"), ("u14", "1", "war"),
            ("u24", "2", "war")),
    indicator_help="two 0/1 columns: actor 1 escalates, actor 2 fights (R's esc + war)",
    description="actor 1 keeps the status quo or escalates; actor 2 concedes "
    "(capitulation) or fights (war); actor 2's utility for capitulation is 0",
)

EGAME122 = BuiltinModel(
    name="egame122",
    tree=EstimationTree(
        nodes=(DecisionNode("n1", "1", (("L", "n2"), ("R", "n3"))),
               DecisionNode("n2", "2", (("L", "1"), ("R", "2"))),
               DecisionNode("n3", "2", (("L", "3"), ("R", "4")))),
        outcomes=("1", "2", "3", "4")),
    labels=(("u11", "1", "1"), ("u12", "1", "2"), ("u13", "1", "3"), ("u14", "1", "4"),
            ("u22", "2", "2"), ("u24", "2", "4")),
    indicator_help="two 0/1 columns: actor 1 moves right, actor 2 moves right",
    description="actor 1 moves left or right, then actor 2 moves left or right",
)

EGAME123 = BuiltinModel(
    name="egame123",
    tree=EstimationTree(
        nodes=(DecisionNode("n1", "1", (("L", "1"), ("R", "n2"))),
               DecisionNode("n2", "2", (("L", "2"), ("R", "n3"))),
               DecisionNode("n3", "3", (("L", "3"), ("R", "4")))),
        outcomes=("1", "2", "3", "4")),
    labels=(("u11", "1", "1"), ("u13", "1", "2"), ("u15", "1", "3"), ("u16", "1", "4"),
            ("u23", "2", "2"), ("u25", "2", "3"), ("u26", "2", "4"), ("u36", "3", "4")),
    indicator_help="three 0/1 columns: actor 1, 2 and 3 move right",
    description="actor 1 ends the game or passes to actor 2, who ends it or passes to "
    "actor 3, who chooses between the last two outcomes",
)

BUILTINS: dict[str, BuiltinModel] = {m.name: m for m in (EGAME12, EGAME122, EGAME123)}
DECODERS = {"egame12": _decode_indicators_12, "egame122": _decode_indicators_122,
            "egame123": _decode_indicators_123}


@dataclass(frozen=True)
class StrategicModel:
    """A tree, the utilities to estimate and the error structure."""

    tree: EstimationTree
    utilities: tuple[Utility, ...]
    link: str = "probit"  # probit | logit
    errors: str = "agent"  # agent | private
    name: str = "tree"
    notes: tuple[str, ...] = field(default_factory=tuple)


def structural_problems(tree: EstimationTree, errors: str, link: str) -> list[str]:
    """What makes a tree unusable for the chosen errors and link (empty when fine)."""
    out: list[str] = []
    ids = [n.id for n in tree.nodes]
    if len(set(ids)) != len(ids):
        out.append("node ids must be unique")
    targets = [c for n in tree.nodes for _, c in n.moves]
    outcomes = [t for t in targets if t not in ids]
    if sorted(outcomes) != sorted(set(outcomes)):
        out.append("each outcome must end exactly one path")
    if tree.nodes and tree.nodes[0].id in targets:
        out.append("the first node (the root) cannot be reached from another node")
    for n in tree.nodes[1:]:
        if targets.count(n.id) != 1:
            out.append(f"node {n.id!r} must be reached by exactly one move")
    for n in tree.nodes:
        if len(n.moves) < 2:
            out.append(f"node {n.id!r} needs at least two moves")
        if link == "probit" and len(n.moves) != 2:
            out.append(f"node {n.id!r} has {len(n.moves)} moves; the probit link needs "
                       "binary choices (use link: logit)")
    if errors == "private":
        if link != "probit":
            out.append("private-information errors are normal: use link: probit")
        for outcome in outcomes:
            actors = [nd.actor for nid, _ in tree.path_actions(outcome)
                      if (nd := tree.node(nid)) is not None]
            if len(actors) != len(set(actors)):
                out.append("with private-information errors an actor may move only once "
                           f"on a path (path to {outcome!r})")
                break
    return out
