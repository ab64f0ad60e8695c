"""Extensive-form game trees: the one representation every solver works on.

Templates and scenario trees compile to a :class:`GameTree`; solvers, the
Gambit exporter and the evaluator in :mod:`crisislab.games.profile` only read
it.  Nodes are stored in pre-order (a parent precedes its children) as flat
numpy arrays so that a behaviour profile can be evaluated for all nodes at
once, level by level, instead of by recursion.

A behaviour profile is one flat vector: for information set ``k`` its action
probabilities sit at ``slot_offset[k] : slot_offset[k] + len(actions)``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

TERMINAL, DECISION, CHANCE = 0, 1, 2
BASE_OUTCOMES = ("war", "deal", "status_quo")
PROB_TOLERANCE = 1e-9


class TreeError(ValueError):
    """A structural problem in a game tree, with the id of the node concerned."""

    def __init__(self, message: str, node: str | None = None, field_name: str | None = None):
        super().__init__(message)
        self.message = message
        self.node = node
        self.field_name = field_name


def outcome_classes(players: Sequence[str]) -> tuple[str, ...]:
    """Allowed outcome classes: war, deal, status quo and one capitulation per player."""
    return BASE_OUTCOMES + tuple(f"capitulation_{p}" for p in players)


@dataclass(frozen=True)
class Infoset:
    """An information set: the nodes a player cannot tell apart."""

    id: str
    player: str
    actions: tuple[str, ...]
    members: tuple[int, ...]


@dataclass(frozen=True, eq=False)
class GameTree:
    """A finite extensive-form game with chance moves and information sets.

    Attributes:
        title: human-readable name.
        players: player ids (actor ids for scenario games).
        node_ids: node names, pre-order; index 0 is the root.
        kind: TERMINAL, DECISION or CHANCE per node.
        parent: parent index (-1 for the root).
        parent_action: index of the action of the parent that leads here (-1 root).
        children: child indices per node, in action order.
        actions: action labels per node (decision: its infoset's actions).
        edge_chance: probability of the chance move into each node (nan if the
            parent is not a chance node).
        infoset_of: information-set index of each decision node, -1 otherwise.
        infosets: the information sets, in pre-order of first member.
        payoffs: (n_nodes, n_players), finite on terminals, 0 elsewhere.
        outcome: outcome class of each terminal (None elsewhere or unclassified).
    """

    title: str
    players: tuple[str, ...]
    node_ids: tuple[str, ...]
    kind: np.ndarray
    parent: np.ndarray
    parent_action: np.ndarray
    children: tuple[tuple[int, ...], ...]
    actions: tuple[tuple[str, ...], ...]
    edge_chance: np.ndarray
    infoset_of: np.ndarray
    infosets: tuple[Infoset, ...]
    payoffs: np.ndarray
    outcome: tuple[str | None, ...]
    slot_offset: np.ndarray = field(init=False)
    edge_slot: np.ndarray = field(init=False)
    levels: tuple[np.ndarray, ...] = field(init=False)
    infoset_children: tuple[np.ndarray, ...] = field(init=False)

    def __post_init__(self) -> None:
        sizes = np.array([len(s.actions) for s in self.infosets], dtype=np.int64)
        offset = np.concatenate([[0], np.cumsum(sizes)[:-1]]) if len(sizes) else np.zeros(0, int)
        object.__setattr__(self, "slot_offset", offset.astype(np.int64))
        edge_slot = np.full(self.n_nodes, -1, dtype=np.int64)
        for n in range(1, self.n_nodes):
            p = int(self.parent[n])
            if self.kind[p] == DECISION:
                edge_slot[n] = offset[self.infoset_of[p]] + self.parent_action[n]
        object.__setattr__(self, "edge_slot", edge_slot)
        depth = np.zeros(self.n_nodes, dtype=np.int64)
        for n in range(1, self.n_nodes):
            depth[n] = depth[self.parent[n]] + 1
        levels = tuple(np.flatnonzero(depth == d) for d in range(1, int(depth.max(initial=0)) + 1))
        object.__setattr__(self, "levels", levels)
        object.__setattr__(self, "infoset_children", tuple(
            np.array([self.children[m] for m in s.members], dtype=np.int64)
            for s in self.infosets))

    # -- sizes -----------------------------------------------------------------
    @property
    def n_nodes(self) -> int:
        """Number of nodes."""
        return len(self.node_ids)

    @property
    def n_slots(self) -> int:
        """Number of (information set, action) slots of a behaviour profile."""
        return int(sum(len(s.actions) for s in self.infosets))

    @property
    def n_terminals(self) -> int:
        """Number of terminal nodes."""
        return int(np.count_nonzero(self.kind == TERMINAL))

    def player_index(self, player: str) -> int:
        """Position of ``player`` in :attr:`players`."""
        return self.players.index(player)

    def infoset_index(self, infoset_id: str) -> int:
        """Position of the information set ``infoset_id``; KeyError if unknown."""
        for k, s in enumerate(self.infosets):
            if s.id == infoset_id:
                return k
        raise KeyError(infoset_id)

    def is_perfect_information(self) -> bool:
        """True when every information set is a single node."""
        return all(len(s.members) == 1 for s in self.infosets)

    def pure_profile_count(self) -> int:
        """Number of pure behaviour profiles (product of action counts)."""
        total = 1
        for s in self.infosets:
            total *= len(s.actions)
        return total

    # -- profiles --------------------------------------------------------------
    def profile_from_mapping(self, behaviour: Mapping[str, Mapping[str, float]]) -> np.ndarray:
        """Flat behaviour vector from ``{infoset id: {action: probability}}``.

        Missing infosets or actions get probability 0; every infoset must be given.
        """
        b = np.zeros(self.n_slots)
        for k, s in enumerate(self.infosets):
            if s.id not in behaviour:
                raise KeyError(f"no behaviour given for information set {s.id!r}")
            given = behaviour[s.id]
            unknown = set(given) - set(s.actions)
            if unknown:
                raise KeyError(f"unknown actions {sorted(unknown)} at information set {s.id!r}")
            for j, a in enumerate(s.actions):
                b[self.slot_offset[k] + j] = float(given.get(a, 0.0))
        return b

    def profile_to_mapping(self, b: np.ndarray) -> dict[str, dict[str, float]]:
        """Inverse of :meth:`profile_from_mapping`."""
        return {s.id: {a: float(b[self.slot_offset[k] + j]) for j, a in enumerate(s.actions)}
                for k, s in enumerate(self.infosets)}


class TreeBuilder:
    """Assemble a :class:`GameTree` node by node, then check it.

    Nodes may be added in any order; ``build`` orders them pre-order from the
    root and checks structure, probabilities, information sets and perfect
    recall.
    """

    def __init__(self, title: str, players: Sequence[str],
                 outcomes: Sequence[str] | None = ()):
        """``outcomes``: outcome ids a terminal may name besides the built-in classes
        (a scenario's outcomes); ``None`` accepts any label (checked elsewhere)."""
        self.title = title
        self.players = tuple(players)
        self.scenario_outcomes = None if outcomes is None else tuple(outcomes)
        self._nodes: dict[str, dict[str, Any]] = {}
        self._order: list[str] = []

    def _add(self, node_id: str, **fields: object) -> str:
        if node_id in self._nodes:
            raise TreeError(f"duplicate node id {node_id!r}", node_id, "id")
        self._nodes[node_id] = dict(fields)
        self._order.append(node_id)
        return node_id

    def decision(self, node_id: str, player: str, infoset: str,
                 moves: Mapping[str, str]) -> str:
        """A decision node: ``moves`` maps action label to child node id."""
        return self._add(node_id, kind=DECISION, player=player, infoset=infoset,
                         moves=dict(moves))

    def chance(self, node_id: str, moves: Mapping[str, tuple[float, str]]) -> str:
        """A chance node: ``moves`` maps action label to (probability, child id)."""
        return self._add(node_id, kind=CHANCE, moves={a: c for a, (_, c) in moves.items()},
                         probs={a: float(p) for a, (p, _) in moves.items()})

    def terminal(self, node_id: str, payoffs: Mapping[str, float],
                 outcome: str | None = None) -> str:
        """A terminal node with one payoff per player and an outcome class."""
        return self._add(node_id, kind=TERMINAL, payoffs=dict(payoffs), outcome=outcome)

    def build(self, root: str | None = None) -> GameTree:
        """The finished tree, checked: one root, every node reached, sound information sets."""
        if not self._order:
            raise TreeError("the tree has no nodes")
        players = self.players
        if len(set(players)) != len(players) or not players:
            raise TreeError(f"players must be a non-empty list of distinct ids, got {players}")
        allowed_outcomes = None if self.scenario_outcomes is None else \
            set(outcome_classes(players)) | set(self.scenario_outcomes)
        order = self._preorder(self._root(root, self._parents()))
        index = {nid: i for i, nid in enumerate(order)}
        n = len(order)
        kind = np.zeros(n, dtype=np.int8)
        parent = np.full(n, -1, dtype=np.int64)
        parent_action = np.full(n, -1, dtype=np.int64)
        edge_chance = np.full(n, np.nan)
        payoffs = np.zeros((n, len(players)))
        outcome: list[str | None] = [None] * n
        children: list[tuple[int, ...]] = []
        actions: list[tuple[str, ...]] = []
        infoset_names: dict[str, list[int]] = {}
        infoset_player: dict[str, str] = {}
        infoset_actions: dict[str, tuple[str, ...]] = {}
        for i, nid in enumerate(order):
            spec = self._nodes[nid]
            kind[i] = spec["kind"]
            if spec["kind"] == TERMINAL:
                children.append(())
                actions.append(())
                payoffs[i], outcome[i] = _terminal(nid, spec, players, allowed_outcomes)
                continue
            acts = tuple(spec["moves"])
            if len(set(acts)) != len(acts):  # pragma: no cover - dict keys are unique
                raise TreeError(f"node {nid!r} repeats an action label", nid, "moves")
            actions.append(acts)
            kids = tuple(index[c] for c in spec["moves"].values())
            children.append(kids)
            for j, c in enumerate(kids):
                parent[c] = i
                parent_action[c] = j
            if spec["kind"] == CHANCE:
                probs = _chance_probabilities(nid, spec, acts)
                for j, c in enumerate(kids):
                    edge_chance[c] = max(0.0, float(probs[j]))
            else:
                player = spec["player"]
                if player not in players:
                    raise TreeError(f"node {nid!r} belongs to unknown player {player!r}; "
                                    f"players are {list(players)}", nid, "player")
                iset = spec["infoset"]
                if iset in infoset_player:
                    if infoset_player[iset] != player:
                        raise TreeError(f"information set {iset!r} mixes players "
                                        f"{infoset_player[iset]!r} and {player!r}", nid, "infoset")
                    if infoset_actions[iset] != acts:
                        raise TreeError(f"nodes of information set {iset!r} must offer the same "
                                        f"actions in the same order: {list(infoset_actions[iset])}"
                                        f" vs {list(acts)}", nid, "moves")
                    infoset_names[iset].append(i)
                else:
                    infoset_player[iset] = player
                    infoset_actions[iset] = acts
                    infoset_names[iset] = [i]
        infosets = tuple(Infoset(name, infoset_player[name], infoset_actions[name],
                                 tuple(members)) for name, members in infoset_names.items())
        infoset_of = np.full(n, -1, dtype=np.int64)
        for k, s in enumerate(infosets):
            infoset_of[list(s.members)] = k
        tree = GameTree(self.title, players, tuple(order), kind, parent, parent_action,
                        tuple(children), tuple(actions), edge_chance, infoset_of, infosets,
                        payoffs, tuple(outcome))
        check_perfect_recall(tree)
        return tree

    def _parents(self) -> dict[str, tuple[str, int]]:
        """Each node's parent and the position of the move leading to it."""
        parent_of: dict[str, tuple[str, int]] = {}
        for nid in self._order:
            spec = self._nodes[nid]
            if spec["kind"] == TERMINAL:
                continue
            if not spec["moves"]:
                raise TreeError(f"node {nid!r} has no moves", nid, "moves")
            for j, (action, child) in enumerate(spec["moves"].items()):
                if child not in self._nodes:
                    raise TreeError(f"move {action!r} of node {nid!r} leads to unknown node "
                                    f"{child!r}", nid, "moves")
                if child in parent_of:
                    raise TreeError(f"node {child!r} has two parents ({parent_of[child][0]!r} "
                                    f"and {nid!r}); a game tree needs exactly one", nid, "moves")
                parent_of[child] = (nid, j)
        return parent_of

    def _root(self, root: str | None, parent_of: Mapping[str, tuple[str, int]]) -> str:
        """The given root, checked, or the one node without a parent."""
        roots = [n for n in self._order if n not in parent_of]
        if root is None:
            if len(roots) != 1:
                raise TreeError(f"the tree must have exactly one root, found {roots}")
            return roots[0]
        if root in parent_of or root not in self._nodes:
            raise TreeError(f"root {root!r} is not a node without parent")
        return root

    def _preorder(self, root: str) -> list[str]:
        """Node ids depth first from ``root``, moves in order; refuses unreached nodes."""
        order: list[str] = []
        stack = [root]
        while stack:
            nid = stack.pop()
            order.append(nid)
            spec = self._nodes[nid]
            if spec["kind"] != TERMINAL:
                stack.extend(reversed(list(spec["moves"].values())))
        reached = set(order)
        unreached = [n for n in self._order if n not in reached]
        if unreached:
            raise TreeError(f"nodes not reachable from the root {root!r}: {unreached}",
                            unreached[0])
        return order


def _terminal(nid: str, spec: Mapping[str, Any], players: Sequence[str],
              allowed_outcomes: set[str] | None) -> tuple[list[float], str | None]:
    """A terminal's payoffs (one per player, finite) and its outcome class, checked."""
    missing = [p for p in players if p not in spec["payoffs"]]
    extra = [p for p in spec["payoffs"] if p not in players]
    if missing or extra:
        raise TreeError(f"terminal {nid!r} needs one payoff per player {list(players)}"
                        f" (missing {missing}, unknown {extra})", nid, "payoffs")
    vals = [float(spec["payoffs"][p]) for p in players]
    if not all(np.isfinite(vals)):
        raise TreeError(f"terminal {nid!r} has a non-finite payoff", nid, "payoffs")
    oc: str | None = spec["outcome"]
    if oc is not None and allowed_outcomes is not None and oc not in allowed_outcomes:
        raise TreeError(f"terminal {nid!r} has outcome class {oc!r}; expected one of "
                        f"{sorted(allowed_outcomes)}", nid, "outcome")
    return vals, oc


def _chance_probabilities(nid: str, spec: Mapping[str, Any],
                          acts: Sequence[str]) -> np.ndarray:
    """A chance node's move probabilities, checked to lie in [0, 1] and sum to 1."""
    probs = np.array([spec["probs"][a] for a in acts])
    if np.any(probs < -PROB_TOLERANCE) or np.any(probs > 1 + PROB_TOLERANCE):
        raise TreeError(f"chance node {nid!r} has a probability outside [0, 1]: "
                        f"{probs.tolist()}", nid, "probabilities")
    if abs(probs.sum() - 1.0) > 1e-9:
        raise TreeError(f"probabilities at chance node {nid!r} sum to "
                        f"{probs.sum():.12g}, not 1", nid, "probabilities")
    return probs


def check_perfect_recall(tree: GameTree) -> None:
    """Raise TreeError unless every player remembers its own past moves and information.

    Two nodes in one information set must be preceded by the same sequence of
    the owner's own (information set, action) pairs; solvers that work with
    behaviour strategies (and Gambit's sequence form) rely on it.
    """
    n_players = len(tree.players)
    history: list[tuple[tuple[tuple[int, int], ...], ...]] = [((),) * n_players] * tree.n_nodes
    for n in range(1, tree.n_nodes):
        p = int(tree.parent[n])
        h = history[p]
        if tree.kind[p] == DECISION:
            k = int(tree.infoset_of[p])
            owner = tree.player_index(tree.infosets[k].player)
            h = tuple((*hh, (k, int(tree.parent_action[n]))) if i == owner else hh
                      for i, hh in enumerate(h))
        history[n] = h
    for s in tree.infosets:
        owner = tree.player_index(s.player)
        first = history[s.members[0]][owner]
        for m in s.members[1:]:
            if history[m][owner] != first:
                raise TreeError(
                    f"information set {s.id!r} violates perfect recall: player {s.player!r} "
                    f"reaches {tree.node_ids[s.members[0]]!r} and {tree.node_ids[m]!r} after "
                    "different own moves", tree.node_ids[m], "infoset")
