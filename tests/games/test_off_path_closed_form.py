"""The closed form for two-member off-path beliefs against the linear programme it replaces."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from crisislab.games.profile import TIES, _best_off_path_regret


def lp_regret(q: np.ndarray, probs: np.ndarray) -> float:
    """The reference: min over beliefs mu of max_a mu·(q[:, a] - q @ probs), by HiGHS."""
    m, n_act = q.shape
    played = q @ probs
    rows = np.concatenate([(q - played[:, None]).T, -np.ones((n_act, 1))], axis=1)
    res = linprog(c=np.concatenate([np.zeros(m), [1.0]]), A_ub=rows, b_ub=np.zeros(n_act),
                  A_eq=np.concatenate([np.ones(m), [0.0]])[None, :], b_eq=[1.0],
                  bounds=[(0, None)] * m + [(None, None)], method="highs")
    assert res.success
    return max(0.0, float(res.x[-1]))


def regret_under(q: np.ndarray, probs: np.ndarray, mu: np.ndarray) -> float:
    qa = mu @ q
    return max(0.0, float(qa.max() - probs @ qa))


def test_hand_derived_interval_of_best_beliefs() -> None:
    # q rows are the two members, columns the actions; the prescribed action is 0.
    # d = q - q[:, 0]: member 1 gains 1 from action 1, member 2 loses 2, so with
    # belief (p, 1 - p) the gain is p·1 + (1 - p)·(-2) = 3p - 2 <= 0 for p <= 2/3:
    # regret 0 on [0, 2/3], and the three tie rules report 0, 2/3 and 1/3.
    q = np.array([[0.0, 1.0], [2.0, 0.0]])
    probs = np.array([1.0, 0.0])
    got = {tie: _best_off_path_regret(q, probs, tie) for tie in TIES}
    assert all(r == 0.0 for r, _ in got.values())
    assert np.allclose(got["low"][1], [0.0, 1.0])
    assert np.allclose(got["high"][1], [2 / 3, 1 / 3])
    assert np.allclose(got["middle"][1], [1 / 3, 2 / 3])


def test_hand_derived_positive_regret() -> None:
    # Prescribed action 0; action 1 gains 1 at member 1 and 0.5 at member 2: every
    # belief gives a gain of at least 0.5, least at p = 0.
    q = np.array([[0.0, 1.0], [0.0, 0.5]])
    r, mu = _best_off_path_regret(q, np.array([1.0, 0.0]))
    assert r == 0.5 and np.allclose(mu, [0.0, 1.0])


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 4), st.integers(0, 2**32 - 1), st.booleans(), st.sampled_from(TIES))
def test_closed_form_equals_the_lp(n_act: int, seed: int, mixed: bool, tie: str) -> None:
    rng = np.random.default_rng(seed)
    q = (rng.integers(-3, 4, size=(2, n_act)).astype(float) if seed % 2
         else rng.normal(size=(2, n_act)))
    probs = rng.dirichlet(np.ones(n_act)) if mixed else np.eye(n_act)[rng.integers(n_act)]
    r, mu = _best_off_path_regret(q, probs, tie)
    assert abs(r - lp_regret(q, probs)) < 1e-7
    assert mu.shape == (2,) and np.all(mu >= 0) and abs(mu.sum() - 1) < 1e-12
    # the reported belief attains the minimum
    assert abs(regret_under(q, probs, mu) - r) < 1e-7
