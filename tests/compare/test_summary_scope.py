"""The terminal summary computes what it shows, and what it shows is unchanged.

A crux search limited to some concepts finds exactly those concepts' cruxes: each
concept's conclusions are searched on their own (a conclusion names one concept,
and a variant's stability under one concept does not depend on the others), so
limiting the search to SEQ must give, crux for crux, the SEQ part of the full
search.  Under a lens the summary shows the headline negotiation model's forecast
only, so the other models need not run there; the models are independent, so the
forecasts kept are those of the full run.  The summary must read the same from
either analysis.
"""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from crisislab.compare.analysis import analyse
from crisislab.compare.pipeline import analyze_scenario
from crisislab.errors import InputError
from crisislab.model.io import load
from crisislab.report.terminal import crux_status, render_scenario

SCENARIO = load()


@pytest.fixture(scope="module")
def full():
    return analyze_scenario(SCENARIO, what_if=False)


@pytest.fixture(scope="module")
def seq_only():
    """What the default run asks for."""
    return analyze_scenario(SCENARIO, what_if=False, crux_concepts=("seq",),
                            lens_models=("challenge",))


def _crux_key(c):
    return (c.conclusion, c.view_a, c.view_b, c.value_a, c.value_b, c.sets, c.text,
            c.sentences, tuple(a.key for a in c.assumptions))


def test_the_limited_search_is_the_full_search_restricted(full, seq_only):
    expected = [_crux_key(c) for c in full.conflict.cruxes if c.conclusion.concept == "seq"]
    assert expected, "the korea case has SEQ cruxes"
    assert [_crux_key(c) for c in seq_only.conflict.cruxes] == expected
    # the other concepts were searched in the full run and not in the limited one
    assert {c.conclusion.concept for c in full.conflict.cruxes} > {"seq"}
    assert seq_only.conflict.searched() == ("seq",)
    assert full.conflict.searched() == ("nash", "gmr", "smr", "seq")
    assert seq_only.provenance.parameters["crux_concepts"] == ["seq"]
    assert seq_only.conflict.provenance.parameters["crux_concepts"] == ["seq"]


def test_the_terminal_summary_reads_the_same(full, seq_only):
    def text(sa):
        out = io.StringIO()
        render_scenario(sa, Console(file=out, width=100, color_system=None))
        return out.getvalue()

    assert text(seq_only) == text(full)
    # everything but the crux search is untouched
    assert seq_only.cells == full.cells and seq_only.summary == full.summary
    assert seq_only.engine_cruxes == full.engine_cruxes


def test_under_a_lens_only_the_models_asked_for_run(full, seq_only):
    def kept(f):
        return f.view == "base" or f.model == "challenge"

    assert {f.model for f in full.forecasts if f.view != "base"} > {"challenge"}
    assert seq_only.forecasts == tuple(f for f in full.forecasts if kept(f))
    assert seq_only.provenance.parameters["lens_models"] == ["challenge"]
    assert full.provenance.parameters["lens_models"] == ["compromise", "median",
                                                          "challenge", "smp"]


def test_an_unknown_model_is_refused_before_any_work(monkeypatch):
    monkeypatch.setattr("crisislab.compare.pipeline._conflict",
                        lambda *a, **k: pytest.fail("work started"))
    with pytest.raises(InputError) as err:
        analyze_scenario(SCENARIO, lens_models=("chalenge",))
    assert err.value.problems[0].value == "chalenge"


def test_a_concept_not_analysed_is_refused():
    with pytest.raises(InputError) as err:
        analyse(SCENARIO, concepts=("nash", "seq"), crux_concepts=("gmr",), what_if=False)
    problem = err.value.problems[0]
    assert problem.value == "gmr" and "nash, seq" in (problem.expected or "")


def test_no_crux_under_the_searched_concept_says_which_concept(seq_only):
    from dataclasses import replace

    none = replace(seq_only.conflict, cruxes=[])
    assert "every SEQ conclusion compared" in (crux_status(none) or "")
    everything = replace(none, crux_concepts=None)
    assert "every conclusion compared" in (crux_status(everything) or "")


@pytest.mark.parametrize(("args", "expected"), [
    ([], (("seq",), ("challenge",))),          # the summary: SEQ's cruxes, the headline model
    (["--concepts", "gmr,smr"], (("smr",), ("challenge",))),  # the headline of what was asked
    (["--details"], (None, None)),             # everything
    (["--json", "-"], (None, None)),
])
def test_the_command_line_searches_what_it_shows(args, expected, monkeypatch):
    from typer.testing import CliRunner

    from crisislab.cli.main import app

    asked = []

    def fake(scenario, **kwargs):
        asked.append((kwargs["crux_concepts"], kwargs["lens_models"]))
        raise SystemExit(0)

    monkeypatch.setattr("crisislab.compare.pipeline.analyze_scenario", fake)
    CliRunner().invoke(app, ["analyze", *args])
    assert asked == [expected]


def test_a_saved_analysis_keeps_which_concepts_were_searched(seq_only, tmp_path):
    import crisislab

    path = tmp_path / "seq.json"
    path.write_text(seq_only.to_json(), encoding="utf-8")
    loaded = crisislab.load_analysis(path)
    assert loaded.conflict.searched() == ("seq",)
    assert loaded.to_json() == seq_only.to_json()
