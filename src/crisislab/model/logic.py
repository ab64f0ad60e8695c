"""Propositional formulas over option ids.

Feasibility constraints and preference statements are written as formulas such
as ``not (strike and talks)`` or ``embargo implies provoke``.  A formula is
parsed once into a small tree and evaluated on a whole array of state codes at
once (bit tests on int64 codes), so a constraint costs one numpy pass over the
state space, not a Python loop over states.

Grammar (lowest precedence first)::

    formula  := iff
    iff      := implies (("iff" | "<->") implies)*
    implies  := or (("implies" | "->") implies)?        # right-associative
              | "if" formula "then" formula
    or       := and (("or" | "|") and)*
    and      := unary (("and" | "&") unary)*
    unary    := ("not" | "~" | "!") unary | atom
    atom     := OPTION_ID | "true" | "false" | "(" formula ")"
              | HELPER "(" OPTION_ID ("," OPTION_ID)* ")"
    HELPER   := mutually_exclusive | at_least_one | exactly_one

An ``if A then B`` statement is true whenever A is false (material implication),
as in option prioritization (Fang, Hipel & Kilgour 1993; Hipel et al. 1997).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

KEYWORDS = {"not", "and", "or", "implies", "iff", "if", "then", "true", "false"}
HELPERS = {"mutually_exclusive", "at_least_one", "exactly_one"}

_TOKEN = re.compile(
    r"\s*(?:(?P<op><->|->|[()&|~!,])|(?P<word>[A-Za-z_][A-Za-z0-9_.\-]*)|(?P<bad>\S))"
)


class FormulaError(ValueError):
    """A formula could not be parsed or refers to something unknown.

    ``position`` is the 0-based character offset of the offending token in the
    formula text, so the loader can point at the exact column.
    """

    def __init__(self, message: str, text: str, position: int, expected: str | None = None):
        super().__init__(message)
        self.message = message
        self.text = text
        self.position = position
        self.expected = expected

    def caret(self) -> str:
        """The formula with a caret under the offending column, for error messages."""
        return f"{self.text}\n{' ' * self.position}^"


@dataclass(frozen=True)
class Token:
    """One lexical token with its offset, so errors point at a column."""

    kind: str  # "op", "word", "end"
    value: str
    pos: int


def _tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            break
        if m.group("bad") is not None:
            start = m.start("bad")
            raise FormulaError(f"unexpected character {m.group('bad')!r}", text, start,
                               "an option id, 'not', 'and', 'or', 'implies', 'iff' or '('")
        kind = "op" if m.group("op") is not None else "word"
        value = m.group(kind)
        tokens.append(Token(kind, value, m.start(kind)))
        pos = m.end()
    tokens.append(Token("end", "", len(text.rstrip())))
    return tokens


# --- formula tree -----------------------------------------------------------

@dataclass(frozen=True)
class Formula:
    """Base class of formula nodes."""

    def evaluate(self, codes: np.ndarray, option_index: Mapping[str, int]) -> np.ndarray:
        """Truth value on every state code (array of int64) at once."""
        raise NotImplementedError

    def options(self) -> set[str]:
        """Option ids the formula mentions."""
        raise NotImplementedError


@dataclass(frozen=True)
class Var(Formula):
    """An option id: true in the states where the option is taken."""

    name: str
    pos: int = 0

    def evaluate(self, codes: np.ndarray, option_index: Mapping[str, int]) -> np.ndarray:
        """Truth value on every state code at once (see :meth:`Formula.evaluate`)."""
        bit = np.int64(1) << np.int64(option_index[self.name])
        return (codes & bit) != 0  # type: ignore[no-any-return]

    def options(self) -> set[str]:
        """Option ids the formula mentions (see :meth:`Formula.options`)."""
        return {self.name}

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class Const(Formula):
    """``true`` or ``false`` in every state."""

    value: bool

    def evaluate(self, codes: np.ndarray, option_index: Mapping[str, int]) -> np.ndarray:
        """Truth value on every state code at once (see :meth:`Formula.evaluate`)."""
        return np.full(codes.shape, self.value, dtype=bool)

    def options(self) -> set[str]:
        """Option ids the formula mentions (see :meth:`Formula.options`)."""
        return set()

    def __str__(self) -> str:
        return "true" if self.value else "false"


@dataclass(frozen=True)
class Not(Formula):
    """``not``: true where its argument is false."""

    arg: Formula

    def evaluate(self, codes: np.ndarray, option_index: Mapping[str, int]) -> np.ndarray:
        """Truth value on every state code at once (see :meth:`Formula.evaluate`)."""
        return ~self.arg.evaluate(codes, option_index)

    def options(self) -> set[str]:
        """Option ids the formula mentions (see :meth:`Formula.options`)."""
        return self.arg.options()

    def __str__(self) -> str:
        return f"not {_paren(self.arg)}"


@dataclass(frozen=True)
class BinOp(Formula):
    """``and``, ``or``, ``implies`` or ``iff`` of two formulas."""

    op: str  # "and", "or", "implies", "iff"
    left: Formula
    right: Formula

    def evaluate(self, codes: np.ndarray, option_index: Mapping[str, int]) -> np.ndarray:
        """Truth value on every state code at once (see :meth:`Formula.evaluate`)."""
        a = self.left.evaluate(codes, option_index)
        b = self.right.evaluate(codes, option_index)
        if self.op == "and":
            return a & b  # type: ignore[no-any-return]
        if self.op == "or":
            return a | b  # type: ignore[no-any-return]
        if self.op == "implies":
            return ~a | b  # type: ignore[no-any-return]
        return a == b  # type: ignore[no-any-return]

    def options(self) -> set[str]:
        """Option ids the formula mentions (see :meth:`Formula.options`)."""
        return self.left.options() | self.right.options()

    def __str__(self) -> str:
        return f"{_paren(self.left)} {self.op} {_paren(self.right)}"


@dataclass(frozen=True)
class Count(Formula):
    """Helpers over a list of options: how many of them are taken."""

    helper: str  # one of HELPERS
    args: tuple[Var, ...]

    def evaluate(self, codes: np.ndarray, option_index: Mapping[str, int]) -> np.ndarray:
        """Truth value on every state code at once (see :meth:`Formula.evaluate`)."""
        total = np.zeros(codes.shape, dtype=np.int64)
        for var in self.args:
            total += var.evaluate(codes, option_index)
        if self.helper == "mutually_exclusive":
            return total <= 1
        if self.helper == "at_least_one":
            return total >= 1
        return total == 1  # type: ignore[no-any-return]

    def options(self) -> set[str]:
        """Option ids the formula mentions (see :meth:`Formula.options`)."""
        return {v.name for v in self.args}

    def __str__(self) -> str:
        return f"{self.helper}({', '.join(v.name for v in self.args)})"


def _paren(f: Formula) -> str:
    return f"({f})" if isinstance(f, BinOp) else str(f)


# --- parser -----------------------------------------------------------------

class _Parser:
    """Recursive descent with two bounds, so a hostile formula is refused, not a crash:
    ``nesting`` counts open recursive calls (parentheses, ``not``, ``if``, ``implies``),
    ``depths`` the height of every tree built (long ``and``/``or`` chains are loops
    here but a deep tree for whoever walks it)."""

    def __init__(self, text: str, known: set[str] | None, max_depth: int):
        self.text = text
        self.tokens = _tokenize(text)
        self.i = 0
        self.known = known
        self.max_depth = max_depth
        self.nesting = 0
        self.depths: dict[int, int] = {}

    def enter(self) -> None:
        self.nesting += 1
        if self.nesting > self.max_depth:
            raise self.fail(f"formula nested more than {self.max_depth} levels deep",
                            self.peek(), "a flatter formula (or a higher limit: "
                            "CRISISLAB_MAX_FORMULA_DEPTH)")

    def leave(self) -> None:
        self.nesting -= 1

    def node(self, f: Formula, *children: Formula) -> Formula:
        """Record ``f``'s height and refuse a tree taller than the limit."""
        height = 1 + max((self.depths.get(id(c), 1) for c in children), default=0)
        if height > self.max_depth:
            raise self.fail(f"formula nested more than {self.max_depth} levels deep",
                            self.peek(), "a shorter chain of operators (or a higher limit: "
                            "CRISISLAB_MAX_FORMULA_DEPTH)")
        self.depths[id(f)] = height
        return f

    def peek(self) -> Token:
        return self.tokens[self.i]

    def take(self) -> Token:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def accept(self, *values: str) -> Token | None:
        tok = self.peek()
        if tok.kind != "end" and tok.value in values:
            return self.take()
        return None

    def fail(self, message: str, tok: Token, expected: str) -> FormulaError:
        return FormulaError(message, self.text, tok.pos, expected)

    def parse(self) -> Formula:
        if self.peek().kind == "end":
            raise self.fail("empty formula", self.peek(), "a formula such as 'a and not b'")
        node = self.formula()
        tok = self.peek()
        if tok.kind != "end":
            raise self.fail(f"unexpected {tok.value!r}", tok,
                            "'and', 'or', 'implies', 'iff', ')' or the end of the formula")
        return node

    def formula(self) -> Formula:
        self.enter()
        try:
            if self.accept("if"):
                cond = self.formula()
                tok = self.peek()
                if not self.accept("then"):
                    raise self.fail("'if' without 'then'", tok, "'then'")
                then = self.formula()
                return self.node(BinOp("implies", cond, then), cond, then)
            node = self.implies()
            while self.accept("iff", "<->"):
                right = self.implies()
                node = self.node(BinOp("iff", node, right), node, right)
            return node
        finally:
            self.leave()

    def implies(self) -> Formula:
        node = self.disjunction()
        if self.accept("implies", "->"):
            self.enter()
            try:
                right = self.implies()
            finally:
                self.leave()
            return self.node(BinOp("implies", node, right), node, right)
        return node

    def disjunction(self) -> Formula:
        node = self.conjunction()
        while self.accept("or", "|"):
            right = self.conjunction()
            node = self.node(BinOp("or", node, right), node, right)
        return node

    def conjunction(self) -> Formula:
        node = self.unary()
        while self.accept("and", "&"):
            right = self.unary()
            node = self.node(BinOp("and", node, right), node, right)
        return node

    def unary(self) -> Formula:
        if self.accept("not", "~", "!"):
            self.enter()
            try:
                arg = self.unary()
            finally:
                self.leave()
            return self.node(Not(arg), arg)
        return self.atom()

    def atom(self) -> Formula:
        tok = self.peek()
        if self.accept("("):
            node = self.formula()
            close = self.peek()
            if not self.accept(")"):
                raise self.fail("missing ')'", close, "')'")
            return node
        if tok.kind == "word" and tok.value in HELPERS:
            self.take()
            return self.helper(tok)
        if tok.kind == "word" and tok.value in ("true", "false"):
            self.take()
            return Const(tok.value == "true")
        if tok.kind == "word" and tok.value not in KEYWORDS:
            self.take()
            return self.var(tok)
        if tok.kind == "end":
            raise self.fail("formula ends too early", tok, "an option id, 'not' or '('")
        raise self.fail(f"unexpected {tok.value!r}", tok, "an option id, 'not' or '('")

    def var(self, tok: Token) -> Var:
        if self.known is not None and tok.value not in self.known:
            hint = _closest(tok.value, self.known)
            expected = "one of the declared option ids" + (f" (did you mean {hint!r}?)"
                                                          if hint else "")
            raise self.fail(f"unknown option {tok.value!r}", tok, expected)
        return Var(tok.value, tok.pos)

    def helper(self, name: Token) -> Count:
        open_tok = self.peek()
        if not self.accept("("):
            raise self.fail(f"{name.value} needs a list of options", open_tok, "'('")
        args: list[Var] = []
        while True:
            tok = self.peek()
            if tok.kind != "word" or tok.value in KEYWORDS or tok.value in HELPERS:
                raise self.fail(f"{name.value} takes option ids only", tok, "an option id")
            self.take()
            args.append(self.var(tok))
            if self.accept(")"):
                break
            sep = self.peek()
            if not self.accept(","):
                raise self.fail("missing ',' or ')'", sep, "',' or ')'")
        return Count(name.value, tuple(args))  # flat: no deeper than its arguments


def _closest(word: str, candidates: Iterable[str]) -> str | None:
    import difflib

    found = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return found[0] if found else None


def parse_formula(text: str, known_options: Iterable[str] | None = None, *,
                  max_depth: int | None = None) -> Formula:
    """Parse ``text``; with ``known_options``, unknown option ids are errors.

    Raises :class:`FormulaError` with the character position of the problem, also
    for a formula nested deeper than ``max_depth`` (default: the configured
    :attr:`~crisislab.limits.Limits.max_formula_depth`).
    """
    if not isinstance(text, str):
        raise FormulaError("a formula must be a string", str(text), 0, "a string")
    if max_depth is None:
        from crisislab.limits import current_limit

        max_depth = current_limit("max_formula_depth")
    known = frozenset(known_options) if known_options is not None else None
    return _parse_cached(text, known, max_depth)


@functools.lru_cache(maxsize=8192)
def _parse_cached(text: str, known: frozenset[str] | None, max_depth: int) -> Formula:
    """:func:`parse_formula` once per text, option set and depth limit: an analysis
    evaluates the same preference statements for every view, policy and crux it
    tries (formulas are frozen dataclasses, so sharing them is safe; errors are
    raised each time, not cached)."""
    try:
        return _Parser(text, set(known) if known is not None else None, max_depth).parse()
    except RecursionError:  # only with a limit raised beyond what the stack holds
        raise FormulaError("formula too deeply nested for this machine", text, 0,
                           "a flatter formula (or a lower CRISISLAB_MAX_FORMULA_DEPTH)") \
            from None


def helper_formula(helper: str, option_ids: Iterable[str]) -> Count:
    """Build a helper constraint (e.g. ``exactly_one``) from a list of ids."""
    if helper not in HELPERS:
        raise ValueError(f"unknown helper {helper!r}")
    return Count(helper, tuple(Var(o) for o in option_ids))


def first_match(formulas: Sequence[Formula], codes: np.ndarray,
                option_index: Mapping[str, int]) -> np.ndarray:
    """Index of the first formula true on each state code, -1 where none holds.

    All formulas are evaluated on the whole code array and stacked into one
    (formulas x states) truth table, so classifying every state is one pass per
    formula plus one ``argmax``.
    """
    if not formulas:
        return np.full(codes.shape, -1, dtype=np.int64)
    table = np.vstack([f.evaluate(codes, option_index) for f in formulas])
    first = np.argmax(table, axis=0).astype(np.int64)
    return np.where(table.any(axis=0), first, -1)
