"""Formula parsing and vectorised evaluation, checked against Python's own logic."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crisislab.model.logic import FormulaError, parse_formula

OPTS = ["a", "b", "c"]
INDEX = {o: k for k, o in enumerate(OPTS)}
CODES = np.arange(8, dtype=np.int64)


def truth(text: str) -> list[bool]:
    return parse_formula(text, OPTS).evaluate(CODES, INDEX).tolist()


def by_hand(fn) -> list[bool]:
    return [bool(fn(bool(c & 1), bool(c & 2), bool(c & 4))) for c in range(8)]


@pytest.mark.parametrize(("text", "fn"), [
    ("a", lambda a, b, c: a),
    ("not a", lambda a, b, c: not a),
    ("a and b or c", lambda a, b, c: (a and b) or c),
    ("a and (b or c)", lambda a, b, c: a and (b or c)),
    ("a implies b", lambda a, b, c: (not a) or b),
    ("if a then b", lambda a, b, c: (not a) or b),
    ("a -> b -> c", lambda a, b, c: (not a) or ((not b) or c)),  # right-associative
    ("a iff b", lambda a, b, c: a == b),
    ("~a & !b | c", lambda a, b, c: ((not a) and (not b)) or c),
    ("mutually_exclusive(a, b, c)", lambda a, b, c: a + b + c <= 1),
    ("at_least_one(a, b)", lambda a, b, c: a or b),
    ("exactly_one(a, b, c)", lambda a, b, c: a + b + c == 1),
    ("true and not false", lambda a, b, c: True),
])
def test_formulas_match_hand_truth_tables(text, fn):
    assert truth(text) == by_hand(fn)


@pytest.mark.parametrize(("text", "pos", "fragment"), [
    ("a and (b or  )", 13, "unexpected ')'"),
    ("a and zz", 6, "unknown option 'zz'"),
    ("a and", 5, "ends too early"),
    ("(a or b", 7, "missing ')'"),
    ("a $ b", 2, "unexpected character"),
    ("if a b", 5, "'if' without 'then'"),
    ("", 0, "empty formula"),
])
def test_errors_point_at_the_character(text, pos, fragment):
    with pytest.raises(FormulaError) as info:
        parse_formula(text, OPTS)
    assert info.value.position == pos
    assert fragment in info.value.message


def test_unknown_option_suggests_the_closest():
    with pytest.raises(FormulaError) as info:
        parse_formula("embargoo", ["embargo", "strike"])
    assert "did you mean 'embargo'" in (info.value.expected or "")


ATOMS = st.sampled_from(OPTS)


def formulas(depth: int = 3):
    return st.recursive(
        ATOMS,
        lambda inner: st.one_of(
            st.builds(lambda x: f"not ({x})", inner),
            st.builds(lambda x, y, op: f"({x}) {op} ({y})", inner, inner,
                      st.sampled_from(["and", "or", "implies", "iff"])),
        ),
        max_leaves=8,
    )


def python_eval(text: str, a: bool, b: bool, c: bool) -> bool:
    # a deliberately simple reference: rewrite to Python syntax and eval
    expr = text
    for _ in range(20):
        if " implies " not in expr and " iff " not in expr:
            break
        expr = expr.replace(" implies ", " <= ", 1).replace(" iff ", " == ", 1)
    return bool(eval(expr, {}, {"a": a, "b": b, "c": c}))


@settings(max_examples=60, deadline=None)
@given(formulas())
def test_random_formulas_agree_with_python(text):
    ours = truth(text)
    ref = [python_eval(text, *vals) for vals in
           ((bool(c & 1), bool(c & 2), bool(c & 4)) for c in range(8))]
    assert ours == ref


def test_evaluation_is_vectorised_over_many_codes():
    codes = np.arange(1 << 16, dtype=np.int64)
    names = [f"o{k}" for k in range(16)]
    f = parse_formula("o0 and not o15", names)
    got = f.evaluate(codes, {n: k for k, n in enumerate(names)})
    assert got.sum() == (1 << 14)
    assert list(itertools.islice(np.flatnonzero(got), 3)) == [1, 3, 5]
