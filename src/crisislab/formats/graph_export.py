"""Export of conflict results for other tools: JSON for visualisers, CSV tables.

JSON goes through :func:`crisislab.provenance.canonical_json`, so the same
input gives byte-identical files.  The graph export is a plain node/edge list
(the shape force-directed graph libraries such as d3 or Cytoscape read): one
node per state with its ordinal id (``id``, 1-based), decimal code and each DM's
payoff, one edge per move (``source``/``target`` ordinal ids) with its mover and
whether it is a unilateral improvement.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any, Protocol

import numpy as np

from crisislab.conflict.graph import ConflictGraph
from crisislab.provenance import Provenance, canonical_json


class _Exportable(Protocol):
    def to_dict(self) -> dict[str, Any]: ...


class _Tabular(Protocol):
    def to_pandas(self) -> Any: ...


def result_json(result: _Exportable) -> str:
    """Any crisislab conflict result (anything with ``to_dict``) as canonical JSON."""
    return canonical_json(result.to_dict())


def result_csv(result: _Tabular) -> str:
    """A tabular result (anything with ``to_pandas``) as CSV text with ``\\n`` line ends."""
    buf = io.StringIO()
    result.to_pandas().to_csv(buf, index=False, lineterminator="\n")
    return buf.getvalue()


def graph_dict(graph: ConflictGraph, *, stability: Mapping[str, np.ndarray] | None = None,
               option_ids: list[str] | None = None,
               provenance: Provenance | None = None) -> dict[str, Any]:
    """Nodes and edges of the graph model; ``stability`` maps a concept to an
    (n_actors, n_states) bool array and is attached to the nodes."""
    nodes = []
    for s in range(graph.n_states):
        node: dict[str, Any] = {
            "id": s + 1, "ordinal": s + 1, "code": int(graph.codes[s]),
            "payoffs": {a: float(graph.payoffs[i, s]) for i, a in enumerate(graph.actors)},
        }
        if graph.names is not None:
            node["name"] = graph.names[s]
        if option_ids is not None:
            node["options"] = [o for k, o in enumerate(option_ids)
                               if (int(graph.codes[s]) >> k) & 1]
        if stability:
            node["stable"] = {c: {a: bool(arr[i, s]) for i, a in enumerate(graph.actors)}
                              for c, arr in sorted(stability.items())}
            node["equilibrium"] = {c: bool(np.asarray(arr)[:, s].all())
                                   for c, arr in sorted(stability.items())}
        nodes.append(node)
    edges = []
    for i, a in enumerate(graph.actors):
        m = graph.moves[i].tocoo()
        for s, t in sorted(zip(m.row.tolist(), m.col.tolist(), strict=True)):
            edges.append({"source": s + 1, "target": t + 1, "actor": a,  # ordinal ids
                          "improvement": bool(graph.payoffs[i, t] > graph.payoffs[i, s])})
    out: dict[str, Any] = {"actors": list(graph.actors), "nodes": nodes, "edges": edges}
    if provenance is not None:
        out["provenance"] = provenance.model_dump()
    return out


def graph_json(graph: ConflictGraph, **kwargs: Any) -> str:
    """:func:`graph_dict` as canonical JSON."""
    return canonical_json(graph_dict(graph, **kwargs))


def stability_csv(graph: ConflictGraph, stability: Mapping[str, np.ndarray]) -> str:
    """One row per state: ordinal, code, then ``<concept>:<actor>`` stability columns and
    ``<concept>:equilibrium``, as 0/1."""
    concepts = sorted(stability)
    header = ["state", "code"]
    for c in concepts:
        header += [f"{c}:{a}" for a in graph.actors] + [f"{c}:equilibrium"]
    columns = [np.arange(1, graph.n_states + 1), np.asarray(graph.codes, dtype=np.int64)]
    for c in concepts:
        arr = np.asarray(stability[c], dtype=bool)
        columns += [arr[i] for i in range(graph.n_actors)] + [arr.all(axis=0)]
    table = np.column_stack([np.asarray(col, dtype=np.int64) for col in columns])
    out = io.StringIO()
    out.write(",".join(_csv_cell(h) for h in header) + "\n")
    np.savetxt(out, table, fmt="%d", delimiter=",")
    return out.getvalue()


def _csv_cell(text: str) -> str:
    if any(ch in text for ch in ',"\n'):
        return '"' + text.replace('"', '""') + '"'
    return text
