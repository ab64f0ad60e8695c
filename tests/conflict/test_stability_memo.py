"""What the stability engine remembers across analyses, against fresh computation.

A layout depends on the moves alone, so the stability engine keeps one per distinct
move matrix and reuses it for analyses under other preferences.  Cached and
uncached must agree on every field, for equal moves built anew (the key is the
content, not the object), and the stability results must not change.  The same
holds for the sanctions a :class:`SanctionMemo` remembers across preference variants.
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from gmcr_reference import graph_from, random_pieces
from hypothesis import given, settings
from hypothesis import strategies as st

from crisislab.bounded_store import BoundedStore
from crisislab.conflict import option_groups
from crisislab.conflict.concepts import CONCEPTS
from crisislab.conflict.graph import ConflictGraph
from crisislab.conflict.moves import actor_option_moves
from crisislab.conflict.option_groups import GroupLayout, cached_option_layout, option_layout
from crisislab.conflict.stability import SanctionMemo, analyze_stability

seeds = st.integers(0, 2**32 - 1)


def same_layout(a: GroupLayout | None, b: GroupLayout | None) -> bool:
    if a is None or b is None:
        return a is b
    return (a.n, a.n_bits, a.once_bits, a.drop_bits) == (b.n, b.n_bits, b.once_bits,
                                                          b.drop_bits) \
        and all(np.array_equal(x, y) for x, y in ((a.slot, b.slot), (a.group, b.group),
                                                  (a.pattern, b.pattern)))


@settings(max_examples=60, deadline=None)
@given(seeds)
def test_cached_layout_equals_a_fresh_one(seed):
    rng = np.random.default_rng(seed)
    bits = int(rng.integers(1, 7))
    allc = np.arange(1 << bits)
    keep = rng.random(allc.size) < rng.uniform(0.3, 1.0)
    keep[rng.integers(allc.size)] = True
    codes = allc[keep]
    owner = int(rng.integers(1, 1 << bits))
    once = int(rng.integers(0, 1 << bits)) & int(rng.integers(0, 1 << bits))
    dense = actor_option_moves(codes, owner, once, 0).toarray()
    if rng.random() < 0.3:  # sometimes not an option relation: None is cached too
        a, b = rng.integers(codes.size, size=2)
        if a != b:
            dense[a, b] = not dense[a, b]
    fresh = option_layout(codes, owner, sp.csr_array(dense))
    first = cached_option_layout(codes, owner, sp.csr_array(dense))
    again = cached_option_layout(codes.copy(), owner, sp.csr_array(dense.copy()))  # rebuilt
    assert same_layout(first, fresh)
    assert again is first
    if first is not None:
        with pytest.raises(ValueError):
            first.slot[0, 0] = 0  # shared by later analyses: read-only


def test_other_moves_or_owner_get_their_own_layout():
    codes = np.arange(8)
    full = actor_option_moves(codes, 0b011)
    once = actor_option_moves(codes, 0b011, 0b001)
    a = cached_option_layout(codes, 0b011, full)
    b = cached_option_layout(codes, 0b011, once)
    c = cached_option_layout(codes, 0b110, actor_option_moves(codes, 0b110))
    assert a is not None and b is not None and c is not None
    assert a.reversible and not b.reversible and a is not b and a is not c
    assert same_layout(b, option_layout(codes, 0b011, once))


def test_cache_is_bounded(monkeypatch):
    monkeypatch.setattr(option_groups, "_layouts", BoundedStore(3))
    for k in range(1, 6):
        codes = np.arange(1 << k)
        cached_option_layout(codes, 1, actor_option_moves(codes, 1))
    assert len(option_groups._layouts) == 3


@settings(max_examples=30, deadline=None)
@given(seeds, st.integers(2, 4))
def test_stability_with_remembered_layouts_is_unchanged(seed, n_actors):
    """Preference variants of one model (the crux search's pattern) analysed with the
    layouts remembered give the results of an empty cache."""
    rng = np.random.default_rng(seed)
    g = graph_from(random_pieces(rng, n_actors, max_opts=3, max_bits=6))
    variants = [g] + [g.with_payoffs(rng.permutation(g.payoffs, axis=1)) for _ in range(2)]
    for v in variants:
        warm = analyze_stability(v, CONCEPTS).to_json()
        option_groups._layouts.clear()
        cold = analyze_stability(v, CONCEPTS).to_json()
        sparse = analyze_stability(v, CONCEPTS, engine="sparse").to_json()
        assert warm == cold == sparse
    rebuilt = ConflictGraph(g.actors, g.codes.copy(), tuple(sp.csr_array(m.toarray())
                                                             for m in g.moves),
                            g.payoffs, None, g.owner_masks)
    assert analyze_stability(rebuilt, CONCEPTS).to_json() == \
        analyze_stability(g, CONCEPTS).to_json()


@settings(max_examples=30, deadline=None)
@given(seeds, st.integers(2, 4), st.sampled_from(["legal", "each_once", "single"]))
def test_sanction_memo_gives_the_results_without_it(seed, n_actors, mode):
    """Preference variants that keep some actors' rankings (a crux search's pattern),
    analysed with one shared memo (rankings, improvements, reducers, sanctions), give
    the results of analyses without it."""
    rng = np.random.default_rng(seed)
    g = graph_from(random_pieces(rng, n_actors, max_opts=3, max_bits=6))
    memo = SanctionMemo(size=int(rng.integers(1, 40)))
    for _ in range(4):
        pay = g.payoffs.copy()
        for i in range(n_actors):
            if rng.random() < 0.4:
                pay[i] = rng.permutation(pay[i])
        v = g.with_payoffs(pay)
        concepts = tuple(c for c in CONCEPTS if rng.random() < 0.6) or ("seq",)
        engine = str(rng.choice(["auto", "sparse"]))  # both share the memo
        got = analyze_stability(v, concepts, mode=mode, memo=memo, engine=engine)
        assert got.to_json() == analyze_stability(v, concepts, mode=mode).to_json()
        for i in range(n_actors):  # what the memo shares is read-only
            assert not got.improvements[i][0].flags.writeable
    assert 0 < len(memo) <= memo.size


def test_memo_keeps_apart_other_moves_and_modes():
    codes = np.arange(4)
    g = ConflictGraph(("A", "B"), codes, (actor_option_moves(codes, 1),
                                         actor_option_moves(codes, 2)),
                      np.array([[0, 3, 1, 2], [2, 0, 3, 1]], dtype=float), None, (1, 2))
    memo = SanctionMemo()
    fewer = ConflictGraph(g.actors, codes, (actor_option_moves(codes, 1, 1), g.moves[1]),
                          g.payoffs, None, g.owner_masks)
    for graph in (g, fewer):
        for mode in ("legal", "single"):
            assert analyze_stability(graph, CONCEPTS, mode=mode, memo=memo).to_json() == \
                analyze_stability(graph, CONCEPTS, mode=mode).to_json()
    sanctions = [k for k in memo.stored_keys() if k[1] in ("legal", "single")]
    assert len(sanctions) == 2 * 2 * 2 * 3  # moves x modes x actors x (gmr, smr, seq)


@settings(max_examples=20, deadline=None)
@given(seeds, st.integers(2, 4), st.integers(0, 20_000))
def test_memo_within_a_byte_budget_gives_the_same_results(seed, n_actors, budget):
    """A memo too small for what it is offered drops the oldest entries (or keeps
    nothing) and still gives the results of no memo."""
    rng = np.random.default_rng(seed)
    g = graph_from(random_pieces(rng, n_actors, max_opts=3, max_bits=6))
    memo = SanctionMemo(max_bytes=budget)
    for _ in range(3):
        v = g.with_payoffs(rng.permutation(g.payoffs, axis=1))
        assert analyze_stability(v, CONCEPTS, memo=memo).to_json() == \
            analyze_stability(v, CONCEPTS).to_json()
        assert memo.nbytes <= budget


def test_layout_cache_keeps_within_its_byte_budget(monkeypatch):
    codes = np.arange(64)
    one = option_groups._layout_bytes(option_layout(codes, 0b111, actor_option_moves(codes,
                                                                                      0b111)))
    monkeypatch.setattr(option_groups, "_layouts", BoundedStore(256, 2 * one))
    for owner in (0b111, 0b111000, 0b111 << 2, 0b11 << 3):
        lay = cached_option_layout(codes, owner, actor_option_moves(codes, owner))
        assert same_layout(lay, option_layout(codes, owner, actor_option_moves(codes, owner)))
    held = sum(option_groups._layout_bytes(lay) for lay in option_groups._layouts.values())
    assert 0 < held <= 2 * one and held == option_groups._layouts.nbytes
    monkeypatch.setattr(option_groups, "_layouts", BoundedStore(256, 1))  # too large to keep
    lay = cached_option_layout(codes, 0b111, actor_option_moves(codes, 0b111))
    assert lay is not None and len(option_groups._layouts) == 0
