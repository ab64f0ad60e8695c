"""Utility formulas (``x1 + x2``, ``0``, ``1``, ``x - 1``) and the design matrices they make.

A utility is linear in covariates, as in R's ``games`` package (Kenkel &
Signorino 2014): ``s_wt_re1 + revis1`` is an intercept plus two slopes;
``0`` fixes the utility at zero (the normalisation that identifies the
model); ``1`` is an intercept alone; ``- 1`` drops the intercept; ``a:b`` is
the product of two numeric columns.  A text column is a factor: one dummy per
level except the first in sorted order (R's treatment contrasts), named
``column`` + ``level`` as R names them (``regime1dem``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

INTERCEPT = "(Intercept)"
_NAME = re.compile(r"[A-Za-z_.][A-Za-z0-9_.]*")


class FormulaError(ValueError):
    """A formula that cannot be read; ``offset`` points into the formula text."""

    def __init__(self, message: str, offset: int, value: str, expected: str) -> None:
        super().__init__(message)
        self.offset = offset
        self.value = value
        self.expected = expected


@dataclass(frozen=True)
class Term:
    """One covariate term: a column, or ``a:b`` (a product of numeric columns)."""

    columns: tuple[str, ...]
    offset: int  # where it starts in the formula text

    @property
    def name(self) -> str:
        return ":".join(self.columns)


@dataclass(frozen=True)
class Formula:
    """A parsed utility formula; ``fixed_zero`` for ``0``."""

    text: str
    intercept: bool
    terms: tuple[Term, ...]
    fixed_zero: bool = False

    @property
    def columns(self) -> list[str]:
        return sorted({c for t in self.terms for c in t.columns})


def parse_formula(text: str) -> Formula:
    """Parse the right-hand side of a utility formula."""
    s = str(text)
    if s.strip() == "0":
        return Formula(s, intercept=False, terms=(), fixed_zero=True)
    intercept = True
    terms: list[Term] = []
    pos = 0
    sign = "+"
    expect_term = True
    while pos < len(s):
        ch = s[pos]
        if ch.isspace():
            pos += 1
            continue
        if not expect_term:
            if ch not in "+-":
                raise FormulaError(f"unexpected {ch!r} in the formula", pos, s,
                                   "terms joined by '+' (or '- 1' to drop the intercept)")
            sign = ch
            expect_term = True
            pos += 1
            continue
        if ch in "01" and (pos + 1 == len(s) or not s[pos + 1].isalnum()):
            if ch == "0" or sign == "-":
                intercept = False
            pos += 1
            expect_term = False
            continue
        m = _NAME.match(s, pos)
        if m is None:
            raise FormulaError(f"unexpected {ch!r} in the formula", pos, s,
                               "column names, '1', '0', joined by '+'")
        if sign == "-":
            raise FormulaError("only the intercept can be removed ('- 1')", pos, s,
                               "'- 1' or terms joined by '+'")
        cols = [m.group()]
        start = pos
        pos = m.end()
        while pos < len(s) and s[pos] == ":":
            m2 = _NAME.match(s, pos + 1)
            if m2 is None:
                raise FormulaError("':' must join two column names", pos, s, "a:b")
            cols.append(m2.group())
            pos = m2.end()
        term = Term(tuple(cols), start)
        if term.name not in {t.name for t in terms}:
            terms.append(term)
        expect_term = False
    if expect_term:
        raise FormulaError("the formula ends where a term is expected", len(s), s,
                           "a column name, '1' or '0'")
    return Formula(s, intercept=intercept, terms=tuple(terms))


@dataclass(frozen=True)
class Design:
    """The columns of one utility's design matrix (names as R prints them)."""

    names: tuple[str, ...]
    matrix: np.ndarray  # (n, len(names))


def factor_levels(series: pd.Series) -> list[str] | None:
    """Sorted levels of a text column, or None for a numeric one."""
    if pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series):
        return None
    return sorted({str(v) for v in series.dropna()})


def build_design(formula: Formula, data: pd.DataFrame,
                 levels: dict[str, list[str]] | None = None) -> Design:
    """Design matrix of ``formula`` on ``data`` (rows with missing values already dropped).

    ``levels`` fixes the factor levels (those seen when the model was fitted), so
    a single case is coded like the estimation data.
    """
    n = len(data)
    names: list[str] = []
    cols: list[np.ndarray] = []
    if formula.fixed_zero:
        return Design((), np.zeros((n, 0)))
    if formula.intercept:
        names.append(INTERCEPT)
        cols.append(np.ones(n))
    for term in formula.terms:
        if len(term.columns) == 1:
            col = term.columns[0]
            lv = (levels or {}).get(col) or factor_levels(data[col])
            if lv is not None:
                values = data[col].astype(str).to_numpy()
                for level in lv[1:]:
                    names.append(f"{col}{level}")
                    cols.append((values == level).astype(float))
                continue
            names.append(col)
            cols.append(data[col].to_numpy(dtype=float))
        else:
            names.append(term.name)
            prod = np.ones(n)
            for c in term.columns:
                prod = prod * data[c].to_numpy(dtype=float)
            cols.append(prod)
    matrix = np.column_stack(cols) if cols else np.zeros((n, 0))
    return Design(tuple(names), matrix)
