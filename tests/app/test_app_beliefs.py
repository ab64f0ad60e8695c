"""Belief controls: which beliefs the page offers, and that applying them in memory and
writing them into the file give the same scenario."""

from __future__ import annotations

from functools import lru_cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crisislab.app.beliefs import apply_beliefs, controls
from crisislab.app.yaml_edit import write_beliefs
from crisislab.errors import CrisislabError
from crisislab.formats.scenario import load_text
from crisislab.model.io import read_source
from crisislab.model.scenario import Scenario


@lru_cache(maxsize=1)
def korea() -> tuple[str, Scenario]:
    text, name = read_source("builtin:korea-2017")
    return text, load_text(text, name)


def test_korea_offers_priors_lens_values_statements_and_overrides() -> None:
    _text, scenario = korea()
    by_id = {c.id: c for c in controls(scenario)}
    # korea-2017.yaml: games[embargo_or_talks].tree.parameters.p_nk_resolute = 0.5 (base
    # case, even odds); Washington's lens sets it to 0.2, Beijing's to 0.7.
    assert by_id["prior:embargo_or_talks:p_nk_resolute"].value == 0.5
    assert by_id["lens_prior:washington:embargo_or_talks:p_nk_resolute"].value == 0.2
    assert by_id["lens_prior:beijing:embargo_or_talks:p_nk_resolute"].value == 0.7
    # payoffs (us_deal = 0, nk_unanswered = 3) are not priors: no slider
    assert "prior:embargo_or_talks:nk_unanswered" not in by_id
    # Washington's lens: KP's sequencing capability 25 (a 0-100 scale)
    issue = by_id["lens_issue:washington:sequencing:KP:capability"]
    assert (issue.value, issue.low, issue.high) == (25.0, 1.0, 100.0)  # capability > 0
    assert by_id["statement:CN:cn_no_collision"].value is True
    assert by_id["override:washington:wa_kp_cheats"].value is True


def test_apply_sets_values_and_removes_statements() -> None:
    _text, scenario = korea()
    changed = apply_beliefs(scenario, {"prior:embargo_or_talks:p_nk_resolute": 0.9,
                                       "statement:CN:cn_no_collision": False,
                                       "override:washington:wa_kp_cheats": False})
    tree = changed.games[0].tree  # type: ignore[union-attr]
    raw = tree.parameters["p_nk_resolute"]
    assert getattr(raw, "value", raw) == 0.9
    assert "cn_no_collision" not in [s.id for s in changed.preferences["CN"].statements()]
    assert "wa_kp_cheats" not in [o.id for o in changed.lens("washington").overrides]
    # the original is untouched
    assert "cn_no_collision" in [s.id for s in scenario.preferences["CN"].statements()]


@pytest.mark.parametrize(("cid", "value"), [
    ("prior:embargo_or_talks:p_nk_resolute", 1.5),    # a probability above 1
    ("prior:embargo_or_talks:p_nk_resolute", True),   # a toggle value on a slider
    ("statement:CN:cn_no_collision", 0.3),            # a number on a toggle
    ("prior:nope:p", 0.5),                            # no such control
])
def test_bad_values_are_refused_with_what_was_expected(cid: str, value: object) -> None:
    _text, scenario = korea()
    with pytest.raises(CrisislabError) as err:
        apply_beliefs(scenario, {cid: value})  # type: ignore[dict-item]
    assert err.value.problems[0].expected


_CONTROLS = [c for c in controls(korea()[1])]


@settings(max_examples=6, deadline=None)
@given(st.lists(st.sampled_from(_CONTROLS), min_size=1, max_size=4, unique_by=lambda c: c.id),
       st.floats(0, 1))
def test_written_file_reads_back_as_the_scenario_applied_in_memory(picked, fraction) -> None:
    """Property: writing beliefs into the text and reloading it gives the scenario that
    apply_beliefs builds in memory (so the downloaded file is what was analysed)."""
    text, scenario = korea()
    beliefs = {c.id: (False if c.kind in ("statement", "override")
                      else round(c.low + fraction * (c.high - c.low), 2)) for c in picked}
    in_memory = apply_beliefs(scenario, beliefs)
    try:
        reread = load_text(write_beliefs(text, beliefs), "edited.yaml")
    except CrisislabError:
        # removing a statement a lens override replaces can make the file invalid; the
        # in-memory scenario is then what the pipeline rejects too
        return
    assert reread.model_dump(mode="json") == in_memory.model_dump(mode="json")
