"""Properties of the stability engine on random conflicts (up to 4 DMs, <= 32 states).

The fast engine must agree with the loop-and-enumerate reference of the
definitions in ``gmcr_reference.py``; the inclusions Nash <= SMR <= GMR and
Nash <= SEQ <= GMR must hold per DM; results must not depend on the order in
which actors or options are declared.
"""

from __future__ import annotations

import itertools

import numpy as np
from gmcr_reference import graph_from, random_pieces, ref_stable
from hypothesis import given, settings
from hypothesis import strategies as st

from crisislab.conflict.concepts import CONCEPTS
from crisislab.conflict.moves import build_option_graph
from crisislab.conflict.reachability import min_over_reach, reachable_matrix
from crisislab.conflict.stability import analyze_stability
from crisislab.conflict.status_quo import analyze_status_quo
from crisislab.conflict.witness import render_witness

seeds = st.integers(0, 2**32 - 1)
actors = st.integers(2, 4)
modes = st.sampled_from(["legal", "each_once", "single"])


@settings(max_examples=40, deadline=None)
@given(seeds, actors, modes, st.sampled_from(["any", "unstable"]))
def test_engine_matches_reference(seed, n_actors, mode, variant):
    g = graph_from(random_pieces(np.random.default_rng(seed), n_actors))
    res = analyze_stability(g, CONCEPTS, mode=mode, sim_variant=variant)
    for c in CONCEPTS:
        np.testing.assert_array_equal(res.stable[c], ref_stable(g, c, mode, variant), err_msg=c)


@settings(max_examples=40, deadline=None)
@given(seeds, actors, modes)
def test_inclusions(seed, n_actors, mode):
    g = graph_from(random_pieces(np.random.default_rng(seed), n_actors, max_bits=6))
    st_ = analyze_stability(g, ("nash", "gmr", "smr", "seq"), mode=mode).stable
    assert np.all(st_["nash"] <= st_["smr"]) and np.all(st_["smr"] <= st_["gmr"])
    assert np.all(st_["nash"] <= st_["seq"]) and np.all(st_["seq"] <= st_["gmr"])


@settings(max_examples=30, deadline=None)
@given(seeds, actors)
def test_legal_sanctions_include_restricted_ones(seed, n_actors):
    g = graph_from(random_pieces(np.random.default_rng(seed), n_actors))
    by_mode = {m: analyze_stability(g, ("gmr", "seq"), mode=m).stable
               for m in ("legal", "each_once", "single")}
    for c in ("gmr", "seq"):
        assert np.all(by_mode["single"][c] <= by_mode["each_once"][c])
        assert np.all(by_mode["each_once"][c] <= by_mode["legal"][c])


def _permute_bits(code: int, perm: list[int]) -> int:
    return sum(((code >> k) & 1) << perm[k] for k in range(len(perm)))


@settings(max_examples=30, deadline=None)
@given(seeds, actors, st.randoms(use_true_random=False))
def test_invariant_under_reordering_actors_and_options(seed, n_actors, rnd):
    p = random_pieces(np.random.default_rng(seed), n_actors)
    base = analyze_stability(graph_from(p), CONCEPTS)
    nb = p["n_bits"]
    perm = list(range(nb))
    rnd.shuffle(perm)
    order = list(range(n_actors))
    rnd.shuffle(order)
    new_codes = np.array([_permute_bits(int(c), perm) for c in p["codes"]])
    sort = np.argsort(new_codes)  # new state k is old state sort[k]
    g2 = build_option_graph(
        [p["actors"][a] for a in order], new_codes[sort],
        [_permute_bits(p["owner_masks"][a], perm) for a in order],
        p["payoffs"][order][:, sort],
        once_mask=_permute_bits(p["once_mask"], perm),
        drop_only_mask=_permute_bits(p["drop_only_mask"], perm))
    res2 = analyze_stability(g2, CONCEPTS)
    for c in CONCEPTS:
        np.testing.assert_array_equal(res2.stable[c], base.stable[c][order][:, sort], err_msg=c)


@settings(max_examples=30, deadline=None)
@given(seeds, actors, modes)
def test_witnesses_are_valid_sanctions(seed, n_actors, mode):
    g = graph_from(random_pieces(np.random.default_rng(seed), n_actors))
    res = analyze_stability(g, ("gmr", "smr", "seq", "sim"), mode=mode)
    u = g.payoffs
    for c in ("gmr", "smr", "seq", "sim"):
        for i in range(g.n_actors):
            for s in range(g.n_states):
                w = res.witness(i, s, c)
                assert w.stable == all(d.deterred for d in w.deterrences)
                for d in w.deterrences:
                    assert u[i, d.improvement] > u[i, s]
                    if not d.deterred:
                        continue
                    assert u[i, d.endpoint] <= u[i, s]
                    movers = [st.actor for st in d.steps]
                    if d.kind == "sequence":
                        assert d.steps[0].source == d.improvement
                        assert d.steps[-1].target == d.endpoint
                        assert i not in movers
                        assert all(a != b for a, b in itertools.pairwise(movers))
                        for step in d.steps:
                            assert g.moves[step.actor][step.source, step.target]
                            if c == "seq":
                                assert u[step.actor, step.target] > u[step.actor, step.source]
                        if mode == "each_once":
                            assert len(set(movers)) == len(movers)
                        if mode == "single":
                            assert len(movers) == 1
                    text = render_witness(w, g.actors)
                    assert g.actors[i] in text


@settings(max_examples=30, deadline=None)
@given(seeds, actors, modes)
def test_min_over_reach_matches_reachable_matrix(seed, n_actors, mode):
    rng = np.random.default_rng(seed)
    g = graph_from(random_pieces(rng, n_actors))
    vals = rng.integers(0, 10, size=g.n_states).astype(np.int64)
    coalition = [k for k in range(n_actors) if rng.random() < 0.7] or [0]
    reach = reachable_matrix(g.moves, coalition, mode).toarray()
    got = min_over_reach(g.moves, coalition, vals, mode)
    for s in range(g.n_states):
        expected = vals[reach[s]].min() if reach[s].any() else np.iinfo(np.int64).max
        assert got[s] == expected


@settings(max_examples=30, deadline=None)
@given(seeds, actors, st.booleans())
def test_status_quo_paths_are_shortest_legal_improvement_sequences(seed, n_actors, any_moves):
    rng = np.random.default_rng(seed)
    g = graph_from(random_pieces(rng, n_actors))
    sq = int(rng.integers(g.n_states))
    res = analyze_status_quo(g, sq, "gmr", improvements_only=not any_moves)
    # reference: breadth-first search over (state, last mover) with Python loops
    dist = {(sq, -1): 0}
    frontier = [(sq, -1)]
    while frontier:
        nxt = []
        for s, last in frontier:
            for k in range(n_actors):
                if k == last:
                    continue
                for t in np.flatnonzero(g.moves[k].toarray()[s]):
                    if not any_moves and not g.payoffs[k, t] > g.payoffs[k, s]:
                        continue
                    if (int(t), k) not in dist:
                        dist[(int(t), k)] = dist[(s, last)] + 1
                        nxt.append((int(t), k))
        frontier = nxt
    best: dict[int, int] = {}
    for (s, _), d in dist.items():
        best[s] = min(d, best.get(s, d))
    eq = analyze_stability(g, ("gmr",)).equilibria("gmr")
    assert set(res.reachable_equilibria) == {int(e) for e in eq if int(e) in best}
    for e, steps in res.paths.items():
        assert len(steps) == best[e]
        state = sq
        for a, b in itertools.pairwise(steps):
            assert a.actor != b.actor
        for step in steps:
            assert step.source == state
            assert g.moves[step.actor][step.source, step.target]
            if not any_moves:
                assert g.payoffs[step.actor, step.target] > g.payoffs[step.actor, step.source]
            state = step.target
        assert state == e


def test_json_is_deterministic_and_progress_is_reported():
    g = graph_from(random_pieces(np.random.default_rng(7), 3))
    calls: list[tuple[float, str]] = []
    a = analyze_stability(g, CONCEPTS, progress=lambda f, m: calls.append((f, m)))
    b = analyze_stability(g, CONCEPTS)
    assert a.to_json() == b.to_json()
    assert calls[-1][0] == 1.0 and all(0 <= f <= 1 for f, _ in calls)
    assert a.provenance.method == "gmcr.stability"
    assert a.provenance.parameters["concepts"] == list(CONCEPTS)
    df = a.to_pandas()
    assert len(df) == g.n_states and "gmr:A0" in df.columns
