"""Stability under probabilistic preferences (Rêgo & dos Santos 2015)."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from test_batch_stability import graphs

from crisislab.conflict.graph import ConflictGraph
from crisislab.conflict.stability import analyze_stability
from crisislab.errors import InputError
from crisislab.uncertainty.rego2015 import (
    CONCEPTS,
    preference_probabilities,
    probabilistic_stability,
)


def _mat(pairs: list[tuple[int, int]], n: int) -> sp.csr_array:
    rows, cols = zip(*pairs, strict=True)
    return sp.csr_array((np.ones(len(pairs), dtype=bool), (rows, cols)), shape=(n, n))


def _two_by_two() -> tuple[ConflictGraph, np.ndarray]:
    """States s1..s4 (indices 0..3): A toggles s1<->s2 and s3<->s4, B toggles s1<->s3
    and s2<->s4.  A is one of two representatives: with probability 0.7 its payoffs are
    (2, 3, 0, 1), with 0.3 they are (3, 2, 1, 0); B's are (1, 0, 0, 1) for certain."""
    n = 4
    moves = (_mat([(0, 1), (1, 0), (2, 3), (3, 2)], n), _mat([(0, 2), (2, 0), (1, 3), (3, 1)], n))
    pay = np.asarray([[[2.0, 3.0, 0.0, 1.0], [1.0, 0.0, 0.0, 1.0]],
                      [[3.0, 2.0, 1.0, 0.0], [1.0, 0.0, 0.0, 1.0]]])
    graph = ConflictGraph(("A", "B"), np.arange(n), moves, pay[0])
    return graph, preference_probabilities(pay, np.asarray([0.7, 0.3]))


def test_preference_probabilities_hand_derived() -> None:
    """P_A(s2, s1) = 0.7 (first representative only), P_A(s1, s2) = 0.3, P_A(s4, s3) =
    0.7, P_A(s3, s4) = 0.3; s1 above s4 and s2 above s3, s4 in both: 1.  B: s1 above s3
    and s4 above s2 for certain; s1 and s4 tie (neither way: 0)."""
    _graph, p = _two_by_two()
    a, b = p
    assert a[1, 0] == pytest.approx(0.7) and a[0, 1] == pytest.approx(0.3)
    assert a[3, 2] == pytest.approx(0.7) and a[2, 3] == pytest.approx(0.3)
    assert a[0, 3] == a[1, 2] == a[1, 3] == 1.0 and a[3, 0] == a[2, 1] == 0.0
    assert b[0, 2] == b[3, 1] == 1.0 and b[0, 3] == b[3, 0] == 0.0


def test_hand_derived_two_actor_case() -> None:
    """The two-by-two case at alpha = beta = gamma = 0.5 (A's moves: s1->s2 and s3->s4
    improve with probability 0.7, s2->s1 and s4->s3 with 0.3; B's: s3->s1 and s2->s4
    for certain, s1->s3 and s4->s2 never).

    A:  s1: s1->s2 is an alpha-improvement (0.7 > 0.5): not alpha-Nash.  B's only reply
            s2->s4 gives P_A(s4, s1) = 0 <= beta: GMR; A's move on from s4, to s3, has
            P_A(s3, s1) = 0: SMR; B's reply is its own improvement (1 > gamma): SEQ.
        s2: s2->s1 has 0.3 <= 0.5: no alpha-improvement, stable under all four.
        s3: s3->s4 improves (0.7); B's reply s4->s2 has P_A(s2, s3) = 1 > beta: unstable.
        s4: s4->s3 has 0.3: stable under all four.
    B:  s1, s4: no improvement (its moves lead to states it never prefers): stable.
        s2: s2->s4 improves; A's reply s4->s3 has P_B(s3, s2) = 0: GMR; B's own move on
            from s3, to s1, has P_B(s1, s2) = 1 > beta: not SMR; A's reply improves for A
            with probability 0.3 <= gamma only: not SEQ.
        s3: s3->s1 improves; A's reply s1->s2 has P_B(s2, s3) = 0: GMR; B's move on from
            s2, to s4, has P_B(s4, s3) = 1: not SMR; A's reply improves for A with
            probability 0.7 > gamma: SEQ.
    Equilibria: alpha-Nash s4; GMR s1, s2, s4; SMR s1, s4; SEQ s1, s4.
    """
    graph, p = _two_by_two()
    res = probabilistic_stability(graph, p, 0.5, 0.5, 0.5)
    assert res.stable["nash"].tolist() == [[False, True, False, True],
                                           [True, False, False, True]]
    assert res.stable["gmr"].tolist() == [[True, True, False, True], [True] * 4]
    assert res.stable["smr"].tolist() == [[True, True, False, True],
                                          [True, False, False, True]]
    assert res.stable["seq"].tolist() == [[True, True, False, True],
                                          [True, False, True, True]]
    assert {c: res.equilibria(c).tolist() for c in CONCEPTS} == {
        "nash": [3], "gmr": [0, 1, 3], "smr": [0, 3], "seq": [0, 3]}


def test_thresholds_move_the_hand_derived_case() -> None:
    """alpha = 0.8: A's moves (0.7 at most) are no longer improvements, so A is stable
    everywhere.  beta = 1: every state sanctions, so A's s3 is GMR.  gamma = 0.2: A's
    reply s4->s3 (0.3) becomes credible, so B's s2 is SEQ.  alpha = 0.2: A's s2->s1 (0.3)
    improves; B's reply s1->s3 hurts A for certain but is no improvement for B, so A's s2
    is GMR and not SEQ."""
    graph, p = _two_by_two()
    assert probabilistic_stability(graph, p, 0.8, 0.5, 0.5).stable["nash"][0].all()
    assert probabilistic_stability(graph, p, 0.5, 1.0, 0.5).stable["gmr"][0, 2]
    assert probabilistic_stability(graph, p, 0.5, 0.5, 0.2).stable["seq"][1, 1]
    low = probabilistic_stability(graph, p, 0.2, 0.5, 0.5)
    assert low.stable["gmr"][0, 1] and not low.stable["seq"][0, 1]


def test_bad_thresholds_and_probabilities_are_refused() -> None:
    graph, p = _two_by_two()
    with pytest.raises(InputError, match="probability threshold"):
        probabilistic_stability(graph, p, 1.5, 0.5, 0.5)
    bad = p.copy()
    bad[0, 0, 1] = 0.9  # with P(s2, s1) = 0.7: more than 1 in all
    with pytest.raises(InputError, match="not probabilities"):
        probabilistic_stability(graph, bad, 0.5, 0.5, 0.5)
    with pytest.raises(InputError, match="unknown concept"):
        probabilistic_stability(graph, p, 0.5, 0.5, 0.5, ["limited"])


levels = st.floats(0.0, 0.999, allow_nan=False)


@settings(max_examples=40, deadline=None)
@given(case=graphs(), alpha=levels, beta=levels, gamma=levels)
def test_certain_preferences_give_the_ordinary_definitions(
        case: tuple[ConflictGraph, np.ndarray], alpha: float, beta: float,
        gamma: float) -> None:
    graph, pay = case
    plain = analyze_stability(graph.with_payoffs(pay[0]), CONCEPTS)  # type: ignore[arg-type]
    p = preference_probabilities(pay[:1], np.ones(1))
    res = probabilistic_stability(graph, p, alpha, beta, gamma)
    for c in CONCEPTS:
        assert np.array_equal(res.stable[c], plain.stable[c]), c


@settings(max_examples=40, deadline=None)
@given(case=graphs(), data=st.data())
def test_stability_is_monotone_in_the_thresholds(
        case: tuple[ConflictGraph, np.ndarray], data: st.DataObject) -> None:
    graph, pay = case
    raw = data.draw(st.lists(st.integers(1, 5), min_size=pay.shape[0],
                             max_size=pay.shape[0]))
    p = preference_probabilities(pay, np.asarray(raw, dtype=float) / sum(raw))
    a1, a2 = sorted(data.draw(st.lists(levels, min_size=2, max_size=2)))
    b1, b2 = sorted(data.draw(st.lists(levels, min_size=2, max_size=2)))
    g1, g2 = sorted(data.draw(st.lists(levels, min_size=2, max_size=2)))
    low = probabilistic_stability(graph, p, a1, b1, g1)
    high = probabilistic_stability(graph, p, a2, b2, g1)
    later = probabilistic_stability(graph, p, a1, b1, g2)
    for c in CONCEPTS:  # higher alpha and beta: never fewer stable states
        assert not (low.stable[c] & ~high.stable[c]).any(), c
    # higher gamma: fewer credible sanctions, never more SEQ-stable states
    assert not (later.stable["seq"] & ~low.stable["seq"]).any()
    s = low.stable  # Nash, SMR and SEQ stability each imply GMR stability
    for c in ("nash", "smr", "seq"):
        assert not (s[c] & ~s["gmr"]).any(), c
    # alpha = 0: a move counts when any representative prefers it, so alpha-Nash
    # stability is Nash stability in every representative
    every = np.logical_and.reduce([analyze_stability(graph.with_payoffs(pay[k]),
                                                     ["nash"]).stable["nash"]
                                   for k in range(pay.shape[0])])
    assert np.array_equal(probabilistic_stability(graph, p, 0.0, b1, g1).stable["nash"],
                          every)


def test_scenario_statements_give_the_probabilities_exactly() -> None:
    """The two-actor scenario: A prefers taking a with probability 0.6 (statement
    'likes_a'), else leaving it; B always takes b.  States s1 (nothing), s2 (a), s3 (b),
    s4 (a and b).  A's moves to a improve with probability 0.6, back with 0.4.
    alpha = 0.5: A is alpha-Nash stable at s2 and s4 only, B at s3 and s4: s4.
    alpha = 0.7: A is stable everywhere: s3 and s4 (the states that are equilibria in
    some choice of the statement, with probabilities 0.4 and 0.6).
    alpha = 0.3: A moves both ways, no alpha-Nash equilibrium.  GMR at beta = 0.5: from
    s2 A's move to s1 meets B's reply to s3, which A prefers to s2 with probability 0.4
    <= beta: A stable at s2 and s4, equilibrium s4."""
    from uncertainty_cases import TWO

    from crisislab.compare.sweep import probabilistic_preferences, sweep
    from crisislab.formats.scenario import load_text

    sc = load_text(TWO, "two.yaml")

    def eq(alpha: float, concept: str) -> tuple[int, ...]:
        res = probabilistic_preferences(sc, alpha, 0.5, 0.5, [concept])
        assert res.exact and res.configurations == 2
        [row] = res.rows
        return row.equilibria

    assert eq(0.5, "nash") == (3,)
    assert eq(0.7, "nash") == (2, 3)
    assert eq(0.3, "nash") == ()
    assert eq(0.3, "gmr") == (3,)
    r = sweep(sc, samples=16, games=False, tornado_chart=False, alpha=0.5, beta=0.5)
    assert r.probabilistic is not None and r.probabilistic.gamma == 0.5
    data = r.to_dict()["probabilistic_preferences"]
    assert data["rows"][0] == {"view": "base", "concept": "nash", "equilibria": ["s4"],
                               "stable": {"A": ["s2", "s4"], "B": ["s3", "s4"]}}
    assert sweep(sc, samples=16, games=False, tornado_chart=False).probabilistic is None
    with pytest.raises(InputError, match="go with alpha"):
        sweep(sc, samples=16, games=False, beta=0.5)


def test_too_many_combinations_fall_back_to_the_samples(monkeypatch) -> None:
    """Above the enumeration limit the probabilities come from the sweep's rows: from an
    exhaustive sweep, the same answer, marked not exact (and the sweep leaves out the
    Li et al. equilibria, which need every combination, instead of failing)."""
    from uncertainty_cases import TEXT

    import crisislab.compare.sweep as mod
    from crisislab.formats.scenario import load_text

    sc = load_text(TEXT, "small.yaml")
    discrete = sc.model_copy(update={"uncertainty": sc.uncertainty.model_copy(  # type: ignore[union-attr]
        update={"inputs": sc.uncertainty.inputs[:2]})})  # type: ignore[union-attr]
    exact = mod.sweep(discrete, method="exhaustive", games=False, tornado_chart=False,
                      alpha=0.6)
    monkeypatch.setattr(mod, "MAX_CONFIGURATIONS", 1)
    sampled = mod.sweep(discrete, method="exhaustive", games=False, tornado_chart=False,
                        alpha=0.6)
    assert exact.probabilistic is not None and sampled.probabilistic is not None
    assert exact.probabilistic.exact and not sampled.probabilistic.exact
    assert exact.unknown_preferences and not sampled.unknown_preferences  # left out
    assert exact.probabilistic.rows == sampled.probabilistic.rows
    assert exact.probabilistic.beta == pytest.approx(0.4)  # 1 - alpha by default
    with pytest.raises(InputError, match="above the limit"):
        mod.probabilistic_preferences(discrete, 0.6)
