"""The crux search's lazy view analysis against the full one.

A crux evaluation computes the stability of each (commitment, concept) only when a
conclusion reads it, one concept at a time, on committed moves kept by the model.
Whatever is read must equal the full analysis of the same view: stability under
every concept and the paths from every start, read in any order.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from crisislab.compare.analysis import DEFAULT_CONCEPTS, Conclusion
from crisislab.compare.views import (
    ConflictModel,
    Settings,
    View,
    all_views,
    analyse_view,
    analyse_view_lazily,
)
from crisislab.model.io import load

SCENARIO = load()  # korea-2017: three commitment policies, perception lenses
MODEL = ConflictModel(SCENARIO)
SETTINGS = Settings(DEFAULT_CONCEPTS)


def assert_same(lazy, full, order: Sequence[tuple[str, str]]) -> None:
    for start, c in order:  # paths first (the stability each needs comes with them)
        assert lazy.paths[start][c] == full.paths[start][c], (start, c)
    assert list(lazy.stable) == list(full.stable)
    for c in DEFAULT_CONCEPTS:
        np.testing.assert_array_equal(lazy.stable[c], full.stable[c], err_msg=c)
    starts = list(full.paths)
    for c in DEFAULT_CONCEPTS:
        for concl in [Conclusion("best_policy", c, actor=a) for a in full.graph.actors] + \
                [Conclusion("outcome", c, start=s, outcome_ids=tuple(SCENARIO.outcome_ids()))
                 for s in starts]:
            assert concl.value(lazy) == concl.value(full)


def test_every_view_of_the_default_scenario():
    for view in all_views(SCENARIO):
        lens = view.lens if view.kind == "perception" else None
        graph = MODEL.graph_for(view.scenario, lens)
        full = analyse_view(MODEL, view, SETTINGS, graph)
        lazy = analyse_view_lazily(MODEL, view, SETTINGS, graph)
        assert_same(lazy, full, [(s, c) for s in full.paths for c in DEFAULT_CONCEPTS])


@settings(max_examples=12, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_preference_variants_read_in_any_order(seed):
    """Random preferences on the shared moves (a crux evaluation's variant), the starts
    and concepts read in a random order."""
    rng = np.random.default_rng(seed)
    payoffs = rng.integers(0, 12, size=MODEL.graph.payoffs.shape).astype(float)
    graph = MODEL.graph.with_payoffs(payoffs)
    view = View("crux", "crux", "analyst", None, None, SCENARIO)
    full = analyse_view(MODEL, view, SETTINGS, graph)
    lazy = analyse_view_lazily(MODEL, view, SETTINGS, graph)
    order = [(s, c) for s in full.paths for c in DEFAULT_CONCEPTS]
    rng.shuffle(order)
    assert_same(lazy, full, order[: int(rng.integers(0, len(order) + 1))])


def test_committed_moves_are_built_once_per_moves_and_mask():
    masks = {st.mask for st in MODEL.starts() if st.mask}
    graph = MODEL.graph.with_payoffs(MODEL.graph.payoffs[::-1].copy())
    for mask in masks:
        a = MODEL.committed(MODEL.graph, mask)
        b = MODEL.committed(graph, mask)
        assert a.moves is b.moves and a.payoffs is MODEL.graph.payoffs
        np.testing.assert_array_equal(b.payoffs, graph.payoffs)
    assert MODEL.committed(graph, 0) is graph


def test_views_sharing_a_memo_equal_views_alone():
    """All views analysed with one SanctionMemo (as the analysis does) give the same
    stability results, with sanctions, as each view analysed on its own."""
    from crisislab.compare.views import analyse_views
    from crisislab.conflict.stability import SanctionMemo

    views = all_views(SCENARIO)
    shared = analyse_views(MODEL, views, SETTINGS, SanctionMemo())
    alone = analyse_views(MODEL, views, SETTINGS)
    for a, b in zip(shared, alone, strict=True):
        assert a.results.keys() == b.results.keys()
        for mask in a.results:
            assert a.results[mask].to_json() == b.results[mask].to_json()
