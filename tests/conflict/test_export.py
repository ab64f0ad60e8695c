"""Exports: canonical JSON (byte-identical on reruns), node/edge graphs, CSV tables."""

from __future__ import annotations

import csv
import io
import json

import numpy as np

from crisislab.conflict.coalitions import coalition_analysis, individual_stability
from crisislab.conflict.foresight import limited_move_stability
from crisislab.conflict.inverse import inverse_stability
from crisislab.formats.gmcr_import import option_form_graph
from crisislab.formats.graph_export import (
    graph_dict,
    graph_json,
    result_csv,
    result_json,
    stability_csv,
)

PD = option_form_graph(["A", "B"], [0, 1], np.array([[3, 4, 1, 2], [3, 1, 4, 2]]))


def test_graph_json_nodes_and_edges():
    nash = individual_stability(PD, "nash")
    data = graph_dict(PD, stability={"nash": nash}, option_ids=["a_defects", "b_defects"])
    assert [n["code"] for n in data["nodes"]] == [0, 1, 2, 3]
    assert data["nodes"][3]["options"] == ["a_defects", "b_defects"]
    assert data["nodes"][3]["equilibrium"] == {"nash": True}  # DD
    assert data["nodes"][0]["equilibrium"] == {"nash": False}
    # A's moves: 0<->1, 2<->3; improvements 0->1 (3->4) and 2->3 (1->2).
    a_edges = {(e["source"], e["target"]): e["improvement"] for e in data["edges"]
               if e["actor"] == "A"}
    # (edges use ordinal ids: code k is state k + 1)
    assert a_edges == {(1, 2): True, (2, 1): False, (3, 4): True, (4, 3): False}
    assert [n["id"] for n in data["nodes"]] == [1, 2, 3, 4]
    assert graph_json(PD) == graph_json(PD)
    json.loads(graph_json(PD))


def test_results_serialise_deterministically():
    for make in (lambda: limited_move_stability(PD, 3, nonmyopic=True),
                 lambda: coalition_analysis(PD, [0, 3]),
                 lambda: inverse_stability(PD, 0, "A", "gmr", samples=3, seed=5)):
        first, second = result_json(make()), result_json(make())
        assert first == second and first.endswith("\n")
        assert "provenance" in json.loads(first)


def test_csv_tables():
    table = stability_csv(PD, {"nash": individual_stability(PD, "nash"),
                               "gmr": individual_stability(PD, "gmr")})
    rows = list(csv.DictReader(io.StringIO(table)))
    assert rows[0]["gmr:equilibrium"] == "1" and rows[0]["nash:equilibrium"] == "0"
    assert rows[3]["nash:A"] == "1"
    text = result_csv(limited_move_stability(PD, 2))
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 2 * 2 * 4 and {"horizon", "actor", "state", "stable"} <= set(rows[0])
