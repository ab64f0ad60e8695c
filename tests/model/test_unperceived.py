"""Unperceived states (Wang, Hipel & Fraser 1988): a perception lens's holder cannot
move to or from them, and in its view no sanction runs through them.

``tests/cases/gmcr/chicken_unperceived.yaml`` (hand-made): codes swerve_1 = 1,
swerve_2 = 2, ordinal id = code + 1.  D1 ranks codes 2 > 3 > 1 > 0, D2 ranks
3 > 1 > 2 > 0.  D1 does not perceive code 3 (both swerve).

Hand derivation.
* Base case (D1's moves 2 <-> 3 removed, since D1 cannot choose or leave a state it
  does not see).  D1: at 0, swerving (-> 1) gains and D2's reply 1 -> 3 leaves D1
  better than at 0: unstable under every concept; 1, 2, 3 offer D1 no improvement it
  can take: stable.  D2: at 0, -> 2 gains and D1 cannot reply 2 -> 3: unstable; at 1,
  -> 3 gains and D1 cannot leave 3: unstable; at 2 and 3 D2's moves are worse: stable.
  Equilibria: codes {2, 3} = ordinal ids [3, 4] (as gmcr-py computes the same file).
* D1's view: additionally no move touches code 3.  D2 at 1 can no longer reach 3:
  stable.  Equilibria of D1's view: ordinal ids [2, 3, 4].
* First-level hypergame: D1 judged in its view (stable [2, 3, 4]), D2 in the base case
  (D2 holds no lens; stable [3, 4]): equilibria [3, 4].
* Second level: D1 predicts D2 in D1's view ([2, 3, 4]); so D1 expects [2, 3, 4];
  D2 expects [3, 4]; second-level equilibria [3, 4].
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from crisislab.compare.analysis import analyse
from crisislab.conflict.graph import ConflictGraph
from crisislab.conflict.perception import as_seen_without, without_own_moves
from crisislab.errors import CrisislabError
from crisislab.model.io import load, load_text

CASE = Path(__file__).resolve().parents[1] / "cases" / "gmcr" / "chicken_unperceived.yaml"
CONCEPTS = ("nash", "gmr", "smr", "seq")


def ids(states: np.ndarray | list[int]) -> list[int]:
    return [int(s) + 1 for s in states]


def test_unperceived_states_in_views_and_hypergames() -> None:
    res = analyse(load(str(CASE)), concepts=CONCEPTS, cruxes=False, what_if=False)
    base, d1 = res.view("base"), res.view("d1_view")
    for c in CONCEPTS:
        assert ids(np.flatnonzero(base.stable[c][0])) == [2, 3, 4], c
        assert ids(np.flatnonzero(base.stable[c][1])) == [3, 4], c
        assert ids(base.equilibria(c)) == [3, 4], c
        assert ids(d1.equilibria(c)) == [2, 3, 4], c
        assert res.hypergame is not None and res.second_level is not None
        assert ids(res.hypergame.equilibria(c)) == [3, 4]
        assert ids(res.second_level.expected_equilibria(c, 0)) == [2, 3, 4]
        assert ids(res.second_level.expected_equilibria(c, 1)) == [3, 4]
        assert ids(res.second_level.equilibria(c)) == [3, 4]


def test_api_stability_under_the_lens() -> None:
    import crisislab

    sc = load(str(CASE))
    assert ids(crisislab.stability(sc, concepts=["nash"]).equilibria("nash")) == [3, 4]
    assert ids(crisislab.stability(sc, concepts=["nash"], lens="d1_view")
               .equilibria("nash")) == [2, 3, 4]


def test_without_the_lens_nothing_is_hidden() -> None:
    """Control: with the lens removed nothing is hidden.  Nash by hand: at code 1 D2
    gains by 1 -> 3, at code 3 D1 gains by 3 -> 2, at code 0 both gain; at code 2 D1's
    move to 3 and D2's move to 0 are worse.  Only code 2 (ordinal id 3)."""
    sc = load(str(CASE))
    sc = sc.model_copy(update={"lenses": []})
    res = analyse(sc, concepts=("nash",), cruxes=False, what_if=False)
    assert ids(res.view("base").equilibria("nash")) == [3]


BASE = CASE.read_text()


@pytest.mark.parametrize(("replace", "fragment", "where"), [
    ("[{formula: swerve_1 and swerve_2}]", "unknown option", "unperceived"),
    ("[{formula: swerve_1 and not swerve_1}]", "no feasible state", "unperceived"),
    ("[{formula: swerve_1 and (}]", "bad formula", "formula"),
])
def test_bad_unperceived_entries_are_located(replace: str, fragment: str, where: str) -> None:
    text = BASE.replace("[{formula: swerve_1 and swerve_2}]", replace)
    if fragment == "unknown option":
        text = text.replace(replace, "[swerve_3+swerve_1]")
    with pytest.raises(CrisislabError) as err:
        load_text(text, "x.yaml")
    p = err.value.problems[0]
    assert fragment in str(err.value) and where in (p.path or "")
    assert p.line is not None


def test_unperceived_needs_a_perception_lens() -> None:
    text = BASE.replace("kind: perception", "kind: analyst").replace("    holder: d1\n", "")
    with pytest.raises(CrisislabError) as err:
        load_text(text, "x.yaml")
    assert "perception lens" in str(err.value)


def _reference_drop(mat: np.ndarray, hidden: np.ndarray) -> np.ndarray:
    out = mat.copy()
    for s in range(mat.shape[0]):
        for t in range(mat.shape[1]):
            if hidden[s] or hidden[t]:
                out[s, t] = False
    return out


@settings(max_examples=40, deadline=None)
@given(st.integers(2, 7), st.integers(0, 2**31 - 1))
def test_move_filters_match_a_simple_reference(n: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    dense = [rng.random((n, n)) < 0.4 for _ in range(2)]
    for d in dense:
        np.fill_diagonal(d, False)
    graph = ConflictGraph(("a", "b"), np.arange(n), tuple(sp.csr_array(d) for d in dense),
                          rng.random((2, n)))
    hidden = rng.random(n) < 0.3
    own = without_own_moves(graph, {"a": hidden})
    assert np.array_equal(own.moves[0].toarray(), _reference_drop(dense[0], hidden))
    assert np.array_equal(own.moves[1].toarray(), dense[1])
    seen = as_seen_without(graph, hidden)
    for k in range(2):
        assert np.array_equal(seen.moves[k].toarray(), _reference_drop(dense[k], hidden))


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 2**31 - 1))
def test_hidden_states_only_remove_the_holders_improvements(seed: int) -> None:
    """Invariants on random 3-actor option-form models: removing the holder's moves
    through hidden states can only make it more Nash-stable (fewer improvements), it is
    Nash-stable at every hidden state (no move leaves one), and the others' stability,
    which does not use the holder's moves under Nash, is unchanged."""
    from crisislab.conflict.moves import build_option_graph
    from crisislab.conflict.stability import analyze_stability

    rng = np.random.default_rng(seed)
    codes = np.arange(16)
    graph = build_option_graph(["a", "b", "c"], codes, [0b11, 0b100, 0b1000],
                               rng.integers(0, 6, size=(3, 16)))
    hidden = rng.random(16) < 0.3
    before = analyze_stability(graph, concepts=("nash",)).stable["nash"]
    after = analyze_stability(without_own_moves(graph, {"a": hidden}),
                              concepts=("nash",)).stable["nash"]
    assert np.all(after[0] >= before[0])
    assert after[0][hidden].all()
    assert np.array_equal(after[1:], before[1:])


GRAPH = (Path(__file__).resolve().parents[1] / "cases" / "gmcr" / "chicken_graph.yaml").read_text()


def test_graph_form_unperceived_by_state_id() -> None:
    """chicken_graph.yaml (ss, sd, ds, dd).  D1 does not perceive dd (crash): its move
    sd -> dd is gone in every view; in D1's view D2's ds -> dd is gone too."""
    text = GRAPH + ("lenses:\n  - {id: d1, name: D1's view, kind: perception, holder: D1,\n"
                    "     unperceived: [dd]}\n")
    res = analyse(load_text(text, "g.yaml"), concepts=("nash",), cruxes=False, what_if=False)
    sd, ds, dd = 1, 2, 3
    base_d1, base_d2 = (m.toarray() for m in res.view("base").graph.moves)
    assert not base_d1[sd, dd] and not base_d1[dd, sd] and base_d2[ds, dd]
    seen_d2 = res.view("d1").graph.moves[1].toarray()
    assert not seen_d2[ds, dd] and not seen_d2[dd, ds]
    with pytest.raises(CrisislabError) as err:
        load_text(text.replace("[dd]", "[{formula: a and b}]"), "g.yaml")
    assert "needs option form" in str(err.value)
