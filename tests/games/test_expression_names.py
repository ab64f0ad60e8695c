"""Parameter names of a payoff expression, remembered per text, against a fresh walk.

``expression_names`` is asked of every payoff each time a game is compiled, so it is
remembered per text; the answer must be the names a fresh parse of the text holds,
a set the caller may change without changing the next answer, and a refused
expression must be refused every time.
"""

from __future__ import annotations

import ast

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crisislab.games.expressions import ExpressionError, expression_names

names = st.sampled_from(["a", "b", "cost", "p_war", "x1"])
leaves = names | st.integers(0, 9).map(str) | st.floats(0, 5).map(lambda v: f"{v:.2f}")
expressions = st.recursive(leaves, lambda inner: st.tuples(
    inner, st.sampled_from(["+", "-", "*"]), inner).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
    max_leaves=8)


@settings(max_examples=80, deadline=None)
@given(expressions)
def test_names_are_those_of_a_fresh_parse(text):
    fresh = {n.id for n in ast.walk(ast.parse(text, mode="eval")) if isinstance(n, ast.Name)}
    first = expression_names(text)
    assert first == fresh
    first.add("changed by the caller")
    assert expression_names(text) == fresh


def test_refused_expressions_are_refused_every_time():
    for _ in range(2):
        with pytest.raises(ExpressionError):
            expression_names("__import__('os')")
