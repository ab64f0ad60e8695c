"""A game's answer does not depend on the order its file lists nodes or moves in.

The order of a tree's moves once changed how many equilibria "rest on threats"
(issue: hostile and broken input, part 3).  Here the 15-node deterrence game of
the reproductions is solved with its nodes and each node's moves in every
combination of declared and reversed order; the credible equilibria, their
outcome probabilities and refinements, and the count of non-credible ones agree.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from crisislab.formats.scenario import load_text
from crisislab.games.solve import solve_game

DETERRENCE = Path(__file__).resolve().parents[2] / ".." / "shared" / "repro" / "games" / \
    "deterrence.yaml"


def _answer(data: dict) -> tuple:
    sol = solve_game(load_text(json.dumps(data), "d.json").games[0], "auto")
    eqs = sorted((tuple(sorted((k, round(v, 9)) for k, v in e.outcome_probabilities.items())),
                  tuple(sorted(e.refinements))) for e in sol.equilibria)
    return tuple(eqs), len(sol.not_credible or [])


@pytest.mark.parametrize("reverse_nodes", [False, True])
@pytest.mark.parametrize("reverse_moves", [False, True])
def test_node_and_move_order_do_not_change_the_equilibria(reverse_nodes: bool,
                                                          reverse_moves: bool) -> None:
    if not DETERRENCE.exists():
        pytest.skip("../shared/repro/games/deterrence.yaml is not present")
    data = YAML(typ="safe").load(DETERRENCE.read_text())
    base = _answer(data)
    other = copy.deepcopy(data)
    tree = other["games"][0]["tree"]
    if reverse_moves:
        for node in tree["nodes"]:
            if node.get("moves"):
                node["moves"] = dict(reversed(list(node["moves"].items())))
    if reverse_nodes:
        tree["nodes"] = list(reversed(tree["nodes"]))
    assert _answer(other) == base
    # the hand-derived answer (repro README): one credible equilibrium, P(war) = 1/16
    assert len(base[0]) == 1 and dict(base[0][0][0])["war"] == pytest.approx(0.0625)
