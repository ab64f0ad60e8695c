"""Safe arithmetic expressions for game parameters.

Payoffs and chance probabilities in a scenario's game may be numbers or short
formulas over the game's named parameters (``"1 - p_resolute"``), so that a
lens can change one belief and every number that depends on it follows.  Only
numbers, parameter names, ``+ - * /``, unary minus and parentheses are
accepted; anything else is refused rather than evaluated.
"""

from __future__ import annotations

import ast
import functools
import math
from collections.abc import Callable, Mapping

_BINOPS: dict[type[ast.operator], Callable[[float, float], float]] = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
}


class ExpressionError(ValueError):
    """An expression is malformed, uses a forbidden construct or an unknown name."""


MAX_EXPRESSION_CHARS = 1000
"""Longest expression accepted: a parameter formula is a line, not a program."""


def _height(root: ast.AST) -> int:
    """Height of an expression tree, without recursion."""
    best = 0
    stack = [(root, 1)]
    while stack:
        node, h = stack.pop()
        best = max(best, h)
        stack.extend((child, h + 1) for child in ast.iter_child_nodes(node))
    return best


def parse_expression(text: str) -> ast.expr:
    """Parse ``text`` and check that it only uses the allowed constructs and is no
    deeper than the configured formula depth (evaluation recurses over the tree).

    Parsed once per text and depth limit: a game's payoff formulas are evaluated
    again for every parameter setting the analysis tries.  The tree returned is
    shared, so callers must not modify it.
    """
    from crisislab.limits import current_limit

    return _parse_checked(text, current_limit("max_formula_depth"))


@functools.lru_cache(maxsize=4096)
def _parse_checked(text: str, limit: int) -> ast.expr:
    """:func:`parse_expression` for one depth limit (errors are raised, not cached)."""
    if len(text) > MAX_EXPRESSION_CHARS:
        raise ExpressionError(f"expression of {len(text):,} characters is longer than "
                              f"{MAX_EXPRESSION_CHARS}")
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        raise ExpressionError(f"cannot parse expression {text[:60]!r}: {exc.msg}") from None
    except (RecursionError, MemoryError, ValueError):
        raise ExpressionError(f"expression {text[:60]!r} is too deeply nested") from None
    if _height(tree.body) > 2 * limit:  # operators count with their operand nodes
        raise ExpressionError(f"expression {text[:60]!r} is nested more than {limit} "
                              "levels deep")
    for node in ast.walk(tree.body):
        if isinstance(node, ast.BinOp) and type(node.op) in _BINOPS:
            continue
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
            continue
        if isinstance(node, ast.Constant) and isinstance(node.value, int | float) \
                and not isinstance(node.value, bool):
            continue
        if isinstance(node, ast.Name | ast.operator | ast.unaryop | ast.Load):
            continue
        raise ExpressionError(
            f"expression {text!r} uses {type(node).__name__}; only numbers, parameter names, "
            "+ - * / and parentheses are allowed")
    return tree.body


def expression_names(text: str) -> set[str]:
    """Parameter names an expression refers to.

    Collected once per text and depth limit (a game is compiled again for every
    parameter setting the analysis tries, and asks this of every payoff); the set
    returned is the caller's own.
    """
    from crisislab.limits import current_limit

    return set(_names_checked(text, current_limit("max_formula_depth")))


@functools.lru_cache(maxsize=4096)
def _names_checked(text: str, limit: int) -> frozenset[str]:
    """:func:`expression_names` for one depth limit (errors are raised, not cached)."""
    return frozenset(n.id for n in ast.walk(_parse_checked(text, limit))
                     if isinstance(n, ast.Name))


def evaluate(value: float | int | str, parameters: Mapping[str, float]) -> float:
    """Value of a number or expression, given parameter values."""
    if isinstance(value, bool):
        raise ExpressionError(f"expected a number or expression, got {value!r}")
    if isinstance(value, int | float):
        return float(value)
    node = parse_expression(value)

    def ev(n: ast.expr) -> float:
        if isinstance(n, ast.Constant) and isinstance(n.value, int | float):
            return float(n.value)
        if isinstance(n, ast.Name):
            if n.id not in parameters:
                raise ExpressionError(f"unknown parameter {n.id!r} in {value!r}")
            return float(parameters[n.id])
        if isinstance(n, ast.UnaryOp):
            inner = ev(n.operand)
            return -inner if isinstance(n.op, ast.USub) else inner
        if isinstance(n, ast.BinOp):
            left, right = ev(n.left), ev(n.right)
            if isinstance(n.op, ast.Div) and right == 0:
                raise ExpressionError(f"division by zero in {value!r}")
            return float(_BINOPS[type(n.op)](left, right))
        raise ExpressionError(f"unsupported construct in {value!r}")  # pragma: no cover

    result = ev(node)
    if not math.isfinite(result):
        raise ExpressionError(f"expression {value!r} is not finite")
    return result
