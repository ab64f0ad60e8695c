"""libyaml and ruamel's own parser build the same documents, and the guard sees both.

A scenario's events come from libyaml (``ruamel.yaml.clib``) when it is installed
and from ruamel's pure-Python YAML 1.2 parser when libyaml stops.  The reference
here is ruamel's ordinary round-trip load (``YAML(typ="rt").load``), the reader
crisislab used before events were collected: every document built from events
must equal it in data and in the line and column of every key and item.
"""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from crisislab.errors import ScenarioError
from crisislab.limits import Limits
from crisislab.model import yaml_events
from crisislab.model.guard import StreamGuard, read_events
from crisislab.model.io import parse_text, plain_data

FUZZ = Path(__file__).resolve().parents[1] / "fuzz"
sys.path.insert(0, str(FUZZ))
from fuzz_mutate import mutate, seed_texts  # noqa: E402

needs_libyaml = pytest.mark.skipif(not yaml_events.HAVE_LIBYAML,
                                   reason="ruamel.yaml.clib is not installed")


def reference(text: str) -> Any:
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    return yaml.load(text)


def positions(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """(path, key position, value position) of every mapping entry and list item: the
    positions :meth:`SourceDoc.locate` reads (a value's position only for a scalar
    written out; for a block collection or an empty value libyaml marks the end of
    its key line, ruamel the next token, and problems there point at the key)."""
    if isinstance(node, CommentedMap):
        for k in node:
            scalar = node[k] is not None and not isinstance(node[k], (CommentedMap,
                                                                      CommentedSeq))
            yield (*path, str(k)), tuple(node.lc.key(k)), \
                tuple(node.lc.value(k)) if scalar else ()
            yield from positions(node[k], (*path, str(k)))
    elif isinstance(node, CommentedSeq):
        for i, v in enumerate(node):
            yield (*path, i), tuple(node.lc.item(i)), ()
            yield from positions(v, (*path, i))


def guarded(events: Iterator[Any]) -> list[Any]:
    guard = StreamGuard("t.yaml", Limits())
    out = []
    for event in events:
        guard.see(event)
        out.append(event)
    return out


def assert_same_document(text: str) -> None:
    """Raises ScenarioError when the guard refuses ``text`` (before the reference reads
    it: the reference reader has no guard)."""
    guarded(yaml_events.pure_events(text))
    expected = reference(text)
    for source in (yaml_events.libyaml_events, yaml_events.pure_events):
        if source is yaml_events.libyaml_events and not yaml_events.HAVE_LIBYAML:
            continue
        try:
            events = guarded(source(text))
        except ScenarioError:
            raise
        except Exception:  # noqa: BLE001 - libyaml stops where YAML 1.2 goes on
            assert source is yaml_events.libyaml_events
            continue
        built = yaml_events.build(events)
        assert plain_data(built) == plain_data(expected)
        assert list(positions(built)) == list(positions(expected))


def shipped_texts() -> list[tuple[str, str]]:
    files = resources.files("crisislab.scenarios")
    texts = [(p.name, p.read_text(encoding="utf-8")) for p in files.iterdir()
             if p.name.endswith(".yaml")]
    return sorted(texts) + seed_texts()


@pytest.mark.parametrize(("name", "text"), shipped_texts(), ids=lambda v: str(v)[:40])
def test_shipped_scenarios_and_seeds_build_as_the_reference_reads_them(name: str,
                                                                      text: str) -> None:
    with contextlib.suppress(ScenarioError):  # a hostile seed: refused, as it must be
        assert_same_document(text)


@needs_libyaml
def test_mutated_inputs_build_as_the_reference_reads_them() -> None:
    """Mutated scenarios of every kind the fuzz generator makes: where libyaml reads a
    file, the document equals the reference's in data and positions; where the guard
    refuses libyaml's events, it refuses the pure parser's at the same place."""
    seeds = seed_texts()
    compared = refused = 0
    for number in range(0, 5000, 41):
        _, _, raw = mutate(seeds, number)
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            continue
        if len(text) > 8_000:  # the reference reader is slow; large files: test_fuzz
            continue
        try:
            guarded(yaml_events.libyaml_events(text))
        except ScenarioError as stop:
            if len(text) > 5_000:  # the pure parser takes a second on nested brackets
                continue
            with pytest.raises(ScenarioError) as also:
                guarded(yaml_events.pure_events(text))
            assert (also.value.problems[0].line, also.value.problems[0].column) == \
                (stop.problems[0].line, stop.problems[0].column)
            refused += 1
            continue
        except Exception:  # noqa: BLE001 - libyaml stops: the pure parser decides alone
            continue
        try:
            reference(text)
        except Exception:  # noqa: BLE001 - a duplicate key or a second document
            continue
        assert_same_document(text)
        compared += 1
    assert compared > 25
    assert refused > 3


@needs_libyaml
def test_yaml_12_plain_scalars_libyaml_refuses_are_read_by_the_pure_parser() -> None:
    # ':' inside a plain scalar in a flow mapping is YAML 1.2, not 1.1: libyaml stops
    text = "metadata: {title: t, source: http://example.org/a}\nactors: []\n"
    with pytest.raises(Exception):  # noqa: B017
        list(yaml_events.libyaml_events(text))
    doc = parse_text(text, "t.yaml")
    assert plain_data(doc.root) == {"metadata": {"title": "t",
                                                 "source": "http://example.org/a"},
                                    "actors": []}
    assert doc.locate(("metadata", "source")) == (1, 30)


@needs_libyaml
def test_the_yaml_version_directive_decides_booleans_as_in_the_reference() -> None:
    for text in ("%YAML 1.1\n---\na: yes\nb: 010\n", "a: yes\nb: 010\nc: 0o10\n"):
        events = read_events(text, "t.yaml", Limits())
        assert plain_data(yaml_events.build(events)) == plain_data(reference(text))
    assert plain_data(yaml_events.build(read_events("%YAML 1.1\n---\na: yes\n", "t",
                                                    Limits()))) == {"a": True}
    assert plain_data(yaml_events.build(read_events("a: yes\n", "t", Limits()))) == \
        {"a": "yes"}


@needs_libyaml
def test_an_alias_bomb_is_refused_by_either_parser_at_the_same_event() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]"
              for i in range(1, 9)]
    text = "\n".join(lines) + "\n"
    found = []
    for source in (yaml_events.libyaml_events, yaml_events.pure_events):
        with pytest.raises(ScenarioError) as err:
            guarded(source(text))
        found.append((err.value.problems[0].line, err.value.problems[0].column))
    assert found[0] == found[1]


scalars = st.one_of(st.integers(-10**9, 10**9), st.booleans(), st.none(),
                    st.floats(-1e9, 1e9, allow_nan=False).map(lambda x: round(x, 6)),
                    st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"),
                                          max_codepoint=0xFFFF),  # pairs: see below
                            max_size=12))
documents = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4),
    st.dictionaries(st.from_regex(r"[a-z][a-z0-9_]{0,6}", fullmatch=True), inner,
                    max_size=4)), max_leaves=25)


@settings(max_examples=60, deadline=None)
@given(data=st.dictionaries(st.from_regex(r"[a-z][a-z0-9_]{0,6}", fullmatch=True),
                            documents, min_size=1, max_size=4),
       as_json=st.booleans(), flow=st.sampled_from([None, True, False]))
def test_random_documents_read_the_same_by_both_parsers(data: dict[str, Any], as_json: bool,
                                                        flow: bool | None) -> None:
    if as_json:
        text = json.dumps(data, indent=1 if flow is False else None)
    else:
        import io
        yaml = YAML(typ="safe", pure=True)
        yaml.default_flow_style = flow
        buf = io.StringIO()
        yaml.dump(data, buf)
        text = buf.getvalue()
    assert_same_document(text)
    assert plain_data(parse_text(text, "t.yaml").root) == plain_data(reference(text))


def test_a_surrogate_pair_written_as_two_escapes_is_one_character() -> None:
    """JSON writers escape a character beyond U+FFFF as a surrogate pair
    (``json.dumps("\U0001f600")`` gives ``"\\ud83d\\ude00"``); the pair is the
    character, a lone half is refused with its place."""
    text = json.dumps({"metadata": {"title": "t \U0001f600"}})
    assert "\\ud83d\\ude00" in text
    assert plain_data(parse_text(text, "t.json").root) == {"metadata": {"title": "t \U0001f600"}}
    with pytest.raises(ScenarioError) as err:
        parse_text('{"metadata": {"title": "t \\ud83d"}}', "t.json")
    problem = err.value.problems[0]
    assert "lone surrogate" in problem.message
    assert (problem.line, problem.column) == (1, 24)  # the opening quote
