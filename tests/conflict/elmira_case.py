"""The one Elmira fixture (``tests/cases/gmcr/elmira.yaml``) as a graph-form model."""

from __future__ import annotations

from typing import Any

from case_facts import load_facts
from crisislab.conflict.graph import ConflictGraph
from crisislab.conflict.moves import build_graph

ELMIRA: dict[str, Any] = load_facts("gmcr/elmira.yaml")


def payoff_from_ranking(order: list[int]) -> list[float]:
    """Ordinal payoffs: the best of n states gets n, the worst 1 (states are 1-based)."""
    pay = [0.0] * len(order)
    for pos, state in enumerate(order):
        pay[state - 1] = float(len(order) - pos)
    return pay


def elmira_graph(uniroyal_ranking: list[int] | None = None) -> ConflictGraph:
    """Elmira with the published rankings, or Uniroyal's replaced by ``uniroyal_ranking``."""
    actors = ELMIRA["actors"]
    n = ELMIRA["states"]
    edges = [[(a - 1, b - 1) for a, b in actor["moves"]] for actor in actors]
    rankings = [actor["ranking"] for actor in actors]
    if uniroyal_ranking is not None:
        rankings[1] = uniroyal_ranking
    return build_graph([a["id"] for a in actors], n, edges,
                       [payoff_from_ranking(r) for r in rankings],
                       names=[str(k) for k in range(1, n + 1)])
