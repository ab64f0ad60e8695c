"""The pipeline cache: a rerun after an edit equals a fresh run, byte for byte.

The reference is the simple implementation — :func:`analyze_scenario` with no cache,
recomputing every engine — and the cached run must give the same JSON while
recomputing less (counted by the cache's hits).
"""

from __future__ import annotations

from crisislab.app.beliefs import apply_beliefs
from crisislab.compare.pipeline import analyze_scenario
from crisislab.compare.reuse import PipelineCache
from crisislab.formats.scenario import load


def test_cached_reruns_equal_fresh_runs() -> None:
    scenario = load()
    cache = PipelineCache()
    first = analyze_scenario(scenario, cruxes=False, what_if=False, cache=cache)
    assert cache.hits == {}
    edits = [
        {"prior:embargo_or_talks:p_nk_resolute": 0.9},          # games only
        {"statement:CN:cn_no_collision": False},                 # conflict only
        {"lens_issue:washington:sequencing:KP:capability": 60.0},  # forecasts only
    ]
    fresh_json = []
    for beliefs in edits:
        edited = apply_beliefs(scenario, beliefs)
        cached = analyze_scenario(edited, cruxes=False, what_if=False, cache=cache)
        fresh = analyze_scenario(edited, cruxes=False, what_if=False)
        assert cached.to_json() == fresh.to_json()
        fresh_json.append(fresh.to_json())
    # the game prior left the conflict and the forecasts alone; the statement the games
    # and forecasts; the issue value the conflict and the games
    assert cache.hits["conflict"] >= 2 and cache.hits["forecasts"] >= 2
    assert len(set(fresh_json)) == 3 and first.to_json() not in fresh_json
