"""The one-pass load (the guard sees each event as the composer takes it) against the
two-pass reading it replaces (:func:`check_stream` over the whole file, then the load).

Both must refuse a hostile first document with the same problem at the same place,
and both must build the same data from an acceptable file.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from crisislab.errors import ScenarioError
from crisislab.limits import Limits
from crisislab.model.guard import check_stream
from crisislab.model.io import parse_text, plain_data

HOSTILE = [
    "a: &a [*a]\n",
    "a: !foo 1\n",
    "a: " + "[" * 65 + "]" * 65 + "\n",
    'a: "\\udc00"\n',
    "a: " + "7" * 41 + "\n",
    "x: 1\nb: &b [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
    "d: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n",
    "ok: 1\nlater:\n  deep: " + "{a: " * 70 + "1" + "}" * 70 + "\n",
]


def two_pass_problem(text: str, limits: Limits) -> tuple[str, int | None, int | None] | None:
    try:
        check_stream(text, "t.yaml", limits)
    except ScenarioError as exc:
        p = exc.problems[0]
        return p.message, p.line, p.column
    return None


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_documents_are_refused_as_before(text: str) -> None:
    limits = Limits(max_nodes=500)
    before = two_pass_problem(text, limits)
    assert before is not None
    with pytest.raises(ScenarioError) as info:
        parse_text(text, "t.yaml", limits)
    p = info.value.problems[0]
    assert (p.message, p.line, p.column) == before


values = st.recursive(
    st.integers(-1000, 1000) | st.booleans() | st.text("abc xyz", max_size=8),
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.text("kmn", min_size=1, max_size=4), inner, max_size=4),
    max_leaves=20)


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.text("pqr", min_size=1, max_size=5), values, min_size=1, max_size=5),
       st.integers(3, 200))
def test_acceptable_files_load_the_same_and_limits_bite_alike(data, max_nodes):
    """Random documents: under a random node limit both readings refuse at the same
    place, or both build the same data."""
    import io

    buf = io.StringIO()
    YAML(typ="rt").dump(data, buf)
    text = buf.getvalue()
    limits = Limits(max_nodes=max_nodes)
    before = two_pass_problem(text, limits)
    if before is None:
        assert plain_data(parse_text(text, "t.yaml", limits).root) == \
            plain_data(YAML(typ="rt").load(text))
    else:
        with pytest.raises(ScenarioError) as info:
            parse_text(text, "t.yaml", limits)
        p = info.value.problems[0]
        assert (p.message, p.line, p.column) == before
