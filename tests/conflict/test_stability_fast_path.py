"""The option-form fast path (group reductions) against the sparse path and the reference.

The stability engine answers "least value over a DM's moves" by reductions
inside groups of states sharing the other DMs' options when a move matrix is
exactly an option relation (``option_groups``), and by sparse row minima
otherwise.  Both must give byte-identical results, and agree with the
loop-based reference of the definitions, on random option-form models with
irreversible (``once``, ``drop_only``) options and infeasible states.
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from gmcr_reference import graph_from, random_pieces, ref_stable
from hypothesis import given, settings
from hypothesis import strategies as st

from crisislab.conflict.concepts import CONCEPTS
from crisislab.conflict.graph import ConflictGraph
from crisislab.conflict.moves import actor_option_moves, build_option_graph
from crisislab.conflict.option_groups import ImprovementGroups, option_layout
from crisislab.conflict.reachability import (
    Reducer,
    min_over_reach,
    min_over_reach_reducers,
    row_max,
    row_min,
)
from crisislab.conflict.stability import analyze_stability
from crisislab.errors import InputError

seeds = st.integers(0, 2**32 - 1)
modes = st.sampled_from(["legal", "each_once", "single"])


def random_relation(rng: np.random.Generator) -> tuple[np.ndarray, int, int, int]:
    """Feasible codes (some states missing), one DM's options and irreversible bits."""
    bits = int(rng.integers(1, 8))
    allc = np.arange(1 << bits)
    keep = rng.random(allc.size) < rng.uniform(0.3, 1.0)
    keep[rng.integers(allc.size)] = True
    owner = int(rng.integers(1, 1 << bits))
    once = int(rng.integers(0, 1 << bits)) & int(rng.integers(0, 1 << bits))
    drop = int(rng.integers(0, 1 << bits)) & int(rng.integers(0, 1 << bits))
    return allc[keep], owner, once, drop


@settings(max_examples=60, deadline=None)
@given(seeds)
def test_group_layout_reproduces_its_move_matrix(seed):
    rng = np.random.default_rng(seed)
    codes, owner, once, drop = random_relation(rng)
    mat = actor_option_moves(codes, owner, once, drop)
    layout = option_layout(codes, owner, mat)
    assert layout is not None
    np.testing.assert_array_equal(layout.target_counts(), np.diff(mat.indptr))
    vals = rng.integers(0, 6, size=codes.size).astype(np.int64)
    np.testing.assert_array_equal(layout.min_other(vals), row_min(mat, vals))
    np.testing.assert_array_equal(layout.max_closed(vals),
                                  np.maximum(vals, row_max(mat, vals, empty=-1)))
    if layout.reversible:
        rank = rng.integers(0, 4, size=codes.size)
        rows = np.repeat(np.arange(codes.size), np.diff(mat.indptr))
        up = rank[mat.indices] > rank[rows]
        ui = sp.csr_array((np.ones(int(up.sum()), bool), (rows[up], mat.indices[up])),
                          shape=mat.shape)
        got = ImprovementGroups.build(layout, rank).min_improving(vals)
        np.testing.assert_array_equal(got, row_min(ui, vals))


@settings(max_examples=60, deadline=None)
@given(seeds)
def test_layout_is_refused_or_exact_for_other_matrices(seed):
    """Any matrix accepted as an option relation is reproduced exactly; others are refused."""
    rng = np.random.default_rng(seed)
    codes, owner, once, drop = random_relation(rng)
    dense = actor_option_moves(codes, owner, once, drop).toarray()
    n = codes.size
    # drop a few moves and add a few arbitrary ones (possibly leaving the group)
    for _ in range(int(rng.integers(1, 4))):
        a, b = rng.integers(n, size=2)
        if a != b:
            dense[a, b] = not dense[a, b]
    mat = sp.csr_array(dense)
    mat.sort_indices()
    layout = option_layout(codes, owner, mat)
    leaves = any((int(codes[a]) ^ int(codes[b])) & ~owner for a, b in np.argwhere(dense))
    if leaves:
        assert layout is None
    if layout is not None:
        vals = rng.integers(0, 6, size=n).astype(np.int64)
        np.testing.assert_array_equal(layout.min_other(vals), row_min(mat, vals))


def test_move_outside_own_options_is_refused():
    codes = np.arange(4)  # bit 0 owned by the DM, bit 1 by someone else
    mat = sp.csr_array(np.array([[0, 1, 1, 0], [1, 0, 0, 0], [0, 0, 0, 1], [0, 0, 1, 0]],
                                dtype=bool))
    assert option_layout(codes, 0b01, mat) is None
    exact = actor_option_moves(codes, 0b01)
    assert option_layout(codes, 0b01, exact) is not None


@settings(max_examples=40, deadline=None)
@given(seeds, st.integers(2, 4), modes)
def test_group_reducers_match_sparse_reach(seed, n_actors, mode):
    rng = np.random.default_rng(seed)
    p = random_pieces(rng, n_actors, max_opts=3, max_bits=7)
    g = graph_from(p)
    coalition = [k for k in range(n_actors) if rng.random() < 0.7] or [0]
    vals = rng.integers(0, 10, size=g.n_states).astype(np.int64)
    layouts = [option_layout(g.codes, p["owner_masks"][k], g.moves[k]) for k in coalition]
    assert all(lay is not None for lay in layouts)
    reducers = [Reducer(lay.min_other) for lay in layouts if lay is not None]
    got = min_over_reach_reducers(reducers, vals, mode)
    np.testing.assert_array_equal(got, min_over_reach(g.moves, coalition, vals, mode))
    assert got.dtype == np.int64


@settings(max_examples=40, deadline=None)
@given(seeds, st.integers(2, 4), modes, st.sampled_from(["any", "unstable"]))
def test_fast_path_matches_sparse_path_and_reference(seed, n_actors, mode, variant):
    rng = np.random.default_rng(seed)
    g = graph_from(random_pieces(rng, n_actors, max_opts=3, max_bits=5))
    fast = analyze_stability(g, CONCEPTS, mode=mode, sim_variant=variant)
    sparse = analyze_stability(g, CONCEPTS, mode=mode, sim_variant=variant, engine="sparse")
    assert fast.to_json() == sparse.to_json()
    for c in ("nash", "gmr", "smr", "seq"):
        np.testing.assert_array_equal(fast.stable[c], ref_stable(g, c, mode), err_msg=c)


@settings(max_examples=30, deadline=None)
@given(seeds, st.integers(2, 4))
def test_fast_path_matches_sparse_on_larger_models(seed, n_actors):
    """Up to 2^9 states, beyond the reference's reach: fast and sparse paths agree."""
    rng = np.random.default_rng(seed)
    g = graph_from(random_pieces(rng, n_actors, max_opts=4, max_bits=9))
    for mode in ("legal", "each_once"):
        fast = analyze_stability(g, ("nash", "gmr", "smr", "seq"), mode=mode)
        sparse = analyze_stability(g, ("nash", "gmr", "smr", "seq"), mode=mode,
                                   engine="sparse")
        assert fast.to_json() == sparse.to_json()


@settings(max_examples=30, deadline=None)
@given(seeds, st.integers(2, 4))
def test_owner_masks_with_other_moves_fall_back_to_sparse(seed, n_actors):
    """A graph that declares owner masks but whose moves are not the option relation
    (here: some moves removed) is still analysed by the definitions."""
    rng = np.random.default_rng(seed)
    g = graph_from(random_pieces(rng, n_actors))
    moves = []
    for m in g.moves:
        dense = m.toarray()
        hits = np.argwhere(dense)
        if hits.size:
            a, b = hits[rng.integers(len(hits))]
            dense[a, b] = False
        moves.append(sp.csr_array(dense))
    g2 = ConflictGraph(g.actors, g.codes, tuple(moves), g.payoffs, None, g.owner_masks)
    res = analyze_stability(g2, ("nash", "gmr", "smr", "seq"))
    for c in ("nash", "gmr", "smr", "seq"):
        np.testing.assert_array_equal(res.stable[c], ref_stable(g2, c), err_msg=c)


def test_unknown_engine_is_refused():
    g = build_option_graph(["A", "B"], [0, 1, 2, 3], [1, 2], [[0, 1, 2, 3], [3, 2, 1, 0]])
    with pytest.raises(InputError):
        analyze_stability(g, ("gmr",), engine="dense")
