"""The scenario file's uncertainty section: accepted forms and located errors."""

from __future__ import annotations

import pytest
from uncertainty_cases import TEXT, text

from crisislab.errors import ScenarioError
from crisislab.formats.scenario import load_text


def problems(inputs: str) -> list:
    with pytest.raises(ScenarioError) as err:
        load_text(text(inputs), "s.yaml")
    return err.value.problems


def test_valid_section_loads() -> None:
    sc = load_text(TEXT, "s.yaml")
    assert sc.uncertainty is not None
    assert [u.name() for u in sc.uncertainty.inputs] == ["a_first", "b_resists", "prior"]


def test_probability_outside_unit_interval_is_located() -> None:
    [p] = problems("    - {actor: A, statement: a_first, probability: 1.5}\n")
    assert p.path == "uncertainty.inputs[0].probability"
    assert p.value == 1.5 and "[0, 1]" in (p.expected or "")
    # the line of the offending input (line numbers are 1-based)
    assert text("    - {actor: A, statement: a_first, probability: 1.5}\n") \
        .splitlines()[p.line - 1].strip().startswith("- {actor: A")


def test_distribution_leaving_a_probability_range_is_refused() -> None:
    # p is a chance probability of the game: a uniform on [0.5, 1.2] can leave [0, 1]
    [p] = problems("    - {game: g, parameter: p, distribution: uniform, low: 0.5, high: 1.2}\n")
    assert p.path == "uncertainty.inputs[0].high"
    assert "valid range" in p.message and p.expected == "values within [0, 1]"


def test_normal_is_truncated_to_the_valid_range_so_it_is_accepted() -> None:
    sc = load_text(text("    - {game: g, parameter: p, distribution: normal, mean: 0.5, "
                        "sd: 0.3}\n"), "s.yaml")
    assert sc.uncertainty is not None


@pytest.mark.parametrize(("entry", "path", "words"), [
    ("{game: g, parameter: q, distribution: uniform, low: 0, high: 1}",
     "uncertainty.inputs[0].parameter", "no parameter 'q'"),
    ("{game: nope, parameter: p, distribution: uniform, low: 0, high: 1}",
     "uncertainty.inputs[0].game", "unknown game"),
    ("{actor: A, statement: zz, probability: 0.5}", "uncertainty.inputs[0].statement",
     "no statement 'zz'"),
    ("{lens: bview, override: zz, probability: 0.5}", "uncertainty.inputs[0].override",
     "no override 'zz'"),
    ("{lens: nolens, override: zz, probability: 0.5}", "uncertainty.inputs[0].lens",
     "unknown lens"),
    ("{game: g, parameter: p, distribution: triangular, low: 0.5, mode: 0.6, high: 0.1}",
     "uncertainty.inputs[0].high", "high must be above low"),
    ("{game: g, parameter: p, distribution: beta, a: -1, b: 2}", "uncertainty.inputs[0].a",
     "must be positive"),
    ("{game: g, parameter: p, distribution: discrete, values: [0.1, 0.2], weights: [1]}",
     "uncertainty.inputs[0].weights", "1 weights for 2 values"),
    ("{actor: A, statement: a_first, alternatives: [{formula: a, probability: 0.7}, "
     "{formula: w, probability: 0.6}]}", "uncertainty.inputs[0].alternatives", "sum to 1.3"),
    ("{actor: A, statement: a_first, alternatives: [{formula: 'a and', probability: 0.5}]}",
     "uncertainty.inputs[0].alternatives[0].formula", "bad formula"),
    ("{game: g, parameter: p}", "uncertainty.inputs[0]", "needs a 'distribution'"),
])
def test_bad_inputs_are_located(entry: str, path: str, words: str) -> None:
    found = problems(f"    - {entry}\n")
    assert any(p.path == path and words in p.message for p in found), \
        [(p.path, p.message) for p in found]
    assert all(p.line is not None and p.column is not None for p in found)


def test_template_parameters_are_checked_against_the_template() -> None:
    """A brinkmanship template: its declared parameter q (the probability of war at the
    brink) admits [0, 1]; an unknown name, or a range leaving [0, 1], is located."""
    text = TEXT.replace("    games:\n      g: {p: 0.9}\n", "")
    head = text[:text.index("\ngames:\n")] + (
        "\ngames:\n  - id: brink\n    template: brinkmanship\n"
        "    players: {threatener: A, target: B}\n")
    ok = head + ("uncertainty:\n  inputs:\n    - {game: brink, parameter: q, "
                 "distribution: uniform, low: 0.1, high: 0.4}\n")
    assert load_text(ok, "t.yaml").uncertainty is not None
    for entry, path, words in (
            ("{game: brink, parameter: qq, distribution: uniform, low: 0.1, high: 0.4}",
             "uncertainty.inputs[0].parameter", "no parameter 'qq'"),
            ("{game: brink, parameter: q, distribution: uniform, low: 0.5, high: 1.4}",
             "uncertainty.inputs[0].high", "valid range")):
        bad = head + f"uncertainty:\n  inputs:\n    - {entry}\n"
        with pytest.raises(ScenarioError) as err:
            load_text(bad, "t.yaml")
        assert any(p.path == path and words in p.message for p in err.value.problems), \
            [(p.path, p.message) for p in err.value.problems]
