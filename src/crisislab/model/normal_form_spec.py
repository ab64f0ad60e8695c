"""A scenario's ``normal_form:`` game read as the equivalent tree, before validation.

Each actor moves once without seeing the others, so a payoff table is a tree
whose information sets hide earlier moves.  This is pure data handling (the
model layer), so the game specification can accept a table without the games
engine.
"""

from __future__ import annotations

import itertools
from typing import Any


def table_to_tree_spec(nf: Any) -> Any:
    """The ``tree:`` mapping of a scenario ``normal_form:`` mapping (raw, before validation).

    Shapes are checked here and reported as pydantic errors of the game (a ValueError);
    payoff formulas are checked where every tree's are, when the game is compiled.
    """
    if not isinstance(nf, dict):
        return nf  # pydantic reports the type
    players = nf.get("players")
    strategies = nf.get("strategies")
    payoffs = nf.get("payoffs")
    if not isinstance(players, list) or not isinstance(strategies, dict) \
            or not isinstance(payoffs, dict):
        return {"players": players, "nodes": []}  # the normal_form field reports what is wrong
    missing = [p for p in players if p not in strategies or not strategies[p]]
    if missing:
        raise ValueError(f"normal_form.strategies needs a non-empty list for {missing}")
    shape = tuple(len(strategies[p]) for p in players)
    for p in players:
        if p not in payoffs:
            raise ValueError(f"normal_form.payoffs has no table for {p!r}")
        got = _shape(payoffs[p], len(shape))
        if got != shape:
            raise ValueError(f"normal_form.payoffs.{p} has shape {list(got)}; the strategies "
                             f"make {list(shape)} (one nesting level per actor, first actor "
                             "outermost)")
    outcomes = nf.get("outcomes")
    if outcomes is not None and _shape(outcomes, len(shape)) != shape:
        raise ValueError(f"normal_form.outcomes must have shape {list(shape)}")
    nodes: list[dict[str, Any]] = []
    n = len(players)
    for d in range(n):
        for prefix in itertools.product(*[range(s) for s in shape[:d]]):
            node = "root" if not prefix else "m" + "_".join(map(str, prefix))
            moves = {}
            for j, label in enumerate(strategies[players[d]]):
                full = (*prefix, j)
                moves[str(label)] = ("m" if d + 1 < n else "t") + "_".join(map(str, full))
            nodes.append({"id": node, "player": players[d], "infoset": f"{players[d]}:choice",
                          "moves": moves})
    for full in itertools.product(*[range(s) for s in shape]):
        term: dict[str, Any] = {"id": "t" + "_".join(map(str, full)),
                                "payoffs": {p: _at(payoffs[p], full) for p in players}}
        if outcomes is not None and _at(outcomes, full) is not None:
            term["outcome"] = _at(outcomes, full)
        nodes.append(term)
    return {"players": players, "parameters": nf.get("parameters", {}), "root": "root",
            "nodes": nodes}


def _shape(x: Any, depth: int) -> tuple[int, ...]:
    if depth == 0:
        return () if not isinstance(x, list) else (-1,)
    if not isinstance(x, list) or not x:
        return (-1,)
    inner = {_shape(v, depth - 1) for v in x}
    if len(inner) != 1:
        return (len(x), -1)
    return (len(x), *inner.pop())


def _at(x: Any, idx: tuple[int, ...]) -> Any:
    for i in idx:
        x = x[i]
    return x
