"""Sweeps: hand-derived probabilities, exact enumeration against sampling, determinism."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from uncertainty_cases import GAME, TEXT, TWO

from crisislab.compare.sweep import sweep
from crisislab.errors import InputError
from crisislab.formats.scenario import load_text


@pytest.fixture(scope="module")
def two():
    return load_text(TWO, "two.yaml")


def test_hand_derived_probabilities_exactly(two) -> None:
    only_statements = two.model_copy(update={"uncertainty": two.uncertainty.model_copy(
        update={"inputs": two.uncertainty.inputs[:1]})})
    r = sweep(only_statements, method="exhaustive", games=False, tornado_chart=False)
    assert r.samples == 2
    assert r.conclusion("ends:status_quo:base:both").probability == pytest.approx(0.6)
    assert r.conclusion("ends:status_quo:base:b_only").probability == pytest.approx(0.4)
    assert r.conclusion("ends:status_quo:base:both").se == 0.0
    # s4 = a and b (code 3), s3 = b only (code 2)
    assert r.conclusion("equilibrium:base:s4").probability == pytest.approx(0.6)
    assert r.conclusion("equilibrium:base:s3").probability == pytest.approx(0.4)


def test_game_probability_above_level_hand_derived(two) -> None:
    r = sweep(two, samples=200, seed=3, method="lhs", level=0.5, tornado_chart=True)
    c = r.conclusion("game:g:status_quo:base:war")
    assert c.probability == pytest.approx(0.5, abs=0.02)  # LHS: strata of width 1/200
    assert c.mean_score == pytest.approx(0.5, abs=0.01)  # E[p] = 0.5
    # the only input that moves it is the prior; PRIM finds the box p > 0.5
    assert c.drivers[0][0] == "prior"
    assert c.box is not None and c.box.density == 1.0
    [(name, lo, hi)] = c.box.limits
    assert name == "prior" and 0.45 < lo <= 0.52 and hi == np.inf
    assert c.tornado[0].input == "prior" and c.tornado[0].low_value == "0.26"


@settings(max_examples=5, deadline=None)
@given(seed=st.integers(0, 2**31 - 1))
def test_sampling_converges_to_exact_enumeration(seed: int) -> None:
    sc = load_text(TEXT, "small.yaml")
    discrete = sc.model_copy(update={"uncertainty": sc.uncertainty.model_copy(  # type: ignore[union-attr]
        update={"inputs": sc.uncertainty.inputs[:2]})})  # type: ignore[union-attr]
    exact = sweep(discrete, method="exhaustive", games=False, tornado_chart=False)
    sampled = sweep(discrete, samples=300, seed=seed, method="mc", games=False,
                    tornado_chart=False)
    assert exact.samples == 4
    for c in sampled.conclusions:
        if c.id in {e.id for e in exact.conclusions}:
            p = exact.conclusion(c.id).probability
            se = np.sqrt(p * (1 - p) / sampled.samples)
            assert abs(c.probability - p) <= 5 * se + 1e-12, c.id


def test_same_seed_same_bytes_other_seed_other_samples() -> None:
    sc = load_text(TEXT, "small.yaml")
    a = sweep(sc, samples=40, seed=7, method="mc").to_json()
    b = sweep(sc, samples=40, seed=7, method="mc").to_json()
    c = sweep(sc, samples=40, seed=8, method="mc")
    assert a == b
    assert '"seed": 7' in a
    assert not np.array_equal(c.values, sweep(sc, samples=40, seed=7, method="mc").values)


def test_chunking_does_not_change_the_result() -> None:
    sc = load_text(TEXT, "small.yaml")
    a = sweep(sc, samples=50, seed=2, method="lhs", chunk=7, tornado_chart=False)
    b = sweep(sc, samples=50, seed=2, method="lhs", chunk=64, tornado_chart=False)
    assert a.to_json().replace('"chunk": 7', "") == b.to_json().replace('"chunk": 64', "")


def test_sobol_sweep_reports_indices() -> None:
    sc = load_text(TWO, "two.yaml")
    r = sweep(sc, samples=64, seed=1, method="sobol", tornado_chart=False)
    c = r.conclusion("game:g:status_quo:base:war")
    by = {s.input: s for s in c.sobol}
    # P(war) = p: all its variance comes from the prior
    assert by["prior"].st > 0.8 and by["likes_a"].st < 0.1


def test_empty_sample_space_and_oversized_sweeps_are_refused() -> None:
    sc = load_text(TEXT, "small.yaml")
    none = sc.model_copy(update={"uncertainty": None})
    with pytest.raises(InputError, match="sample space is empty"):
        sweep(none, samples=10)
    with pytest.raises(InputError, match="above the limit"):
        sweep(sc, samples=10**9)
    with pytest.raises(InputError, match="every input discrete"):
        sweep(sc, method="exhaustive")


def test_stopping_rule_stops_once_errors_are_on_target() -> None:
    sc = load_text(TEXT, "small.yaml")
    r = sweep(sc, samples=2000, seed=1, method="mc", games=False, target_se=0.05, chunk=64,
              tornado_chart=False)
    assert r.stopped_early and r.samples < 2000
    assert max(c.se for c in r.conclusions) <= 0.05


ISSUE = """
issues:
  - id: tariff
    label: Tariff
    scale: {min: 0, max: 100}
    positions:
      A: {position: 0, salience: 50, capability: 1}
      B: {position: 100, salience: 50, capability: 1}
uncertainty:
  inputs:
    - {id: a_cares, issue: tariff, actor: A, field: salience, distribution: discrete,
       values: [25, 75]}
"""


def test_forecast_probability_hand_derived() -> None:
    """Compromise = capability x salience weighted mean: 100 * 50 / (s_A + 50).
    s_A = 25: 66.7 (above the middle, 50); s_A = 75: 40.  Each with probability 1/2:
    P(above) = 0.5 exactly, mean forecast (66.67 + 40) / 2 = 53.33."""
    text = TWO.split("uncertainty:")[0] + ISSUE
    r = sweep(load_text(text, "issue.yaml"), method="exhaustive", games=False,
              tornado_chart=False)
    c = r.conclusion("forecast:tariff:compromise:base")
    assert c.probability == pytest.approx(0.5)
    assert c.mean_score == pytest.approx((100 * 50 / 75 + 40) / 2)


def test_policy_comparison_in_the_game() -> None:
    """Policy 'hold' sets the game's prior to 0.1: A goes to war only at x (2 > 1), so
    P(war | hold) = 0.1 while P(war | status quo) = p >= 0.2 in every sample: 'hold'
    gives the lower P(war) with probability 1, never the other way round."""
    text = TEXT.replace("  - id: g\n", "  - id: g\n    policies:\n      hold: "
                        "{parameters: {p: 0.1}}\n")
    r = sweep(load_text(text, "small.yaml"), samples=16, seed=1, tornado_chart=False)
    assert r.conclusion("beats:g:hold:status_quo:base").probability == 1.0
    assert r.conclusion("beats:g:status_quo:hold:base").probability == 0.0


def test_local_processes_give_the_same_bytes() -> None:
    sc = load_text(TEXT, "small.yaml")
    serial = sweep(sc, samples=30, seed=4, chunk=10, tornado_chart=False)
    pooled = sweep(sc, samples=30, seed=4, chunk=10, tornado_chart=False,
                   scheduler="processes:2")
    assert pooled.to_json() == serial.to_json()


def test_interrupt_keeps_the_finished_chunks_marked_partial() -> None:
    sc = load_text(TEXT, "small.yaml")

    def stop(done: int, total: int) -> None:
        if done >= 20:
            raise KeyboardInterrupt

    r = sweep(sc, samples=60, seed=4, chunk=10, tornado_chart=False, progress=stop)
    assert r.partial and r.samples == 20
    assert '"partial": true' in r.to_json()
    assert "samples=20/60" in repr(r) and "partial=True" in repr(r)


def test_interrupt_on_processes_keeps_a_prefix_and_resumes_to_the_full_result() -> None:
    """An interrupt while local processes work (raised here by the progress callback
    after the second of 40 chunks, as Ctrl-C would be) cancels the chunks not started,
    keeps the finished ones up to the first missing and marks the result partial; the
    samples table resumes to the bytes of an uninterrupted run."""
    sc = load_text(TEXT, "small.yaml")
    kw: dict[str, Any] = {"samples": 200, "seed": 4, "chunk": 5, "games": False,
                          "tornado_chart": False}
    full = sweep(sc, **kw)

    def stop(done: int, total: int) -> None:
        if done >= 10:
            raise KeyboardInterrupt

    part = sweep(sc, scheduler="processes:2", progress=stop, **kw)
    assert part.partial and 10 <= part.samples < 200 and part.samples % 5 == 0
    assert np.array_equal(part.values, full.values[:part.samples])
    resumed = sweep(sc, scheduler="processes:2", resume=part.to_pandas(), **kw)
    assert not resumed.partial and resumed.to_json() == full.to_json()


def test_sweep_larger_than_memory_is_refused_with_the_numbers(monkeypatch) -> None:
    import crisislab.compare.sweep as mod

    monkeypatch.setattr(mod, "MAX_SWEEP_BYTES", 10_000)
    with pytest.raises(InputError, match=r"needs about .* GB, above the limit"):
        sweep(load_text(TEXT, "small.yaml"), samples=1000)


def test_resume_from_the_samples_table_gives_the_full_result() -> None:
    sc = load_text(TEXT, "small.yaml")
    full = sweep(sc, samples=60, seed=4, chunk=10)

    def stop(done: int, total: int) -> None:
        if done >= 20:
            raise KeyboardInterrupt

    part = sweep(sc, samples=60, seed=4, chunk=10, progress=stop)
    assert part.partial and part.samples == 20
    resumed = sweep(sc, samples=60, seed=4, chunk=10, resume=part.to_pandas())
    assert resumed.to_json() == full.to_json()
    with pytest.raises(InputError, match="comes from another sweep"):
        sweep(sc, samples=60, seed=5, chunk=10, resume=part.to_pandas())


GAME_ONLY = """
metadata: {title: game only}
actors: [{id: A, name: Aland}, {id: B, name: Bland}]
""" + GAME + """uncertainty:
  inputs:
    - {id: prior, game: g, parameter: p, distribution: discrete, values: [0.3, 0.6, 0.9],
       weights: [1, 1, 2]}
"""


def test_a_scenario_of_games_alone() -> None:
    """No conflict, one game: P(war) = p (see TWO).  p = 0.3, 0.6, 0.9 with weights
    1:1:2, so P(P(war) > 0.5) = 3/4 exactly and the mean P(war) = (0.3 + 0.6 + 1.8) / 4."""
    r = sweep(load_text(GAME_ONLY, "g.yaml"), method="exhaustive", level=0.5)
    c = r.conclusion("game:g:status_quo:base:war")
    assert c.probability == pytest.approx(0.75) and c.se == 0.0
    assert c.mean_score == pytest.approx(2.7 / 4)
    assert not [k for k in r.conclusions if k.kind in ("ends", "equilibrium")]


def test_exhaustive_sweep_equals_the_pipeline_on_every_configuration() -> None:
    """Cross-check with the one-point pipeline: enumerate the four configurations of the
    two probabilistic statements, analyse each with crisislab.compare.analysis (one
    stability call per view and commitment, the credible paths, best_policies), and
    weigh the answers by the configurations' probabilities."""
    import itertools

    from crisislab.compare.analysis import analyse, best_policies
    from crisislab.compare.sweep import sweep_inputs
    from crisislab.uncertainty.apply import apply_preferences

    sc = load_text(TEXT, "small.yaml")
    discrete = sc.model_copy(update={"uncertainty": sc.uncertainty.model_copy(  # type: ignore[union-attr]
        update={"inputs": sc.uncertainty.inputs[:2]})})  # type: ignore[union-attr]
    got = sweep(discrete, method="exhaustive", games=False, tornado_chart=False)
    inputs = sweep_inputs(discrete)
    expected: dict[str, float] = {}
    for combo in itertools.product(*(s.outcomes() for s in inputs)):
        weight = float(np.prod([p for _v, p in combo]))
        one = analyse(apply_preferences(discrete, inputs, [v for v, _p in combo]),
                      cruxes=False, what_if=False)
        held: set[str] = set()
        for vr in one.views:
            for start, by in vr.paths.items():
                for e in by["seq"]:
                    k = int(one.model.outcome_of[e])
                    oc = discrete.outcomes[k].id if k >= 0 else "unnamed"
                    held.add(f"ends:{start}:{vr.view.id}:{oc}")
            for actor in discrete.actor_ids():
                held |= {f"best:{actor}:{start}:{vr.view.id}"
                         for start in best_policies(vr, actor, "seq")}
        for cid in held:
            expected[cid] = expected.get(cid, 0.0) + weight
    for c in got.conclusions:
        if c.kind in ("ends", "best"):
            assert c.probability == pytest.approx(expected.get(c.id, 0.0)), c.id


def test_inputs_are_ranked_by_their_largest_effect_on_any_conclusion():
    """Effects by hand (conclusions x inputs): a's largest is 0.5, b's 0.5, c's 0.25, d
    moves nothing (0 and a NaN from an empty half).  a and b tie at 0.5 and go by name."""
    import numpy as np

    from crisislab.compare.sweep import ranked_inputs

    drivers = np.array([[0.5, 0.25, 0.25, 0.0],
                        [0.1, 0.5, 0.0, np.nan]])
    assert ranked_inputs(drivers, ["b", "a", "c", "d"]) == (
        ("a", 0.5), ("b", 0.5), ("c", 0.25))
    assert ranked_inputs(np.zeros((0, 2)), ["x", "y"]) == ()
