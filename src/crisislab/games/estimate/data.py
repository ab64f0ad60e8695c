"""Outcome data for an estimator: read, checked against the model, turned into arrays.

Every problem names the CSV file, the line (header = line 1), the column and
the value, or points at the formula in the model file that asks for a column
the data lack.  Rows with a missing value in a column the model uses are
dropped (R's ``na.omit``, the ``games`` package's default) and counted.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from crisislab.errors import InputError, Problem
from crisislab.games.estimate.formula import build_design, factor_levels
from crisislab.games.estimate.likelihood import Block
from crisislab.games.estimate.likelihood import Problem as LikProblem
from crisislab.games.estimate.model import DECODERS
from crisislab.games.estimate.spec import LoadedModel, model_problem


@dataclass(frozen=True)
class Prepared:
    """Arrays ready for the likelihood, with the names and codings to report and predict."""

    problem: LikProblem
    y: np.ndarray
    names: tuple[str, ...]  # coefficient names, R style: "u14:regime1dem"
    levels: dict[str, list[str]]
    rows: np.ndarray  # 0-based row numbers of the data that were used
    dropped: int
    baseline_X: np.ndarray
    baseline_names: tuple[str, ...]
    warnings: list[str] = field(default_factory=list)


def _numeric_problem(df: pd.DataFrame, col: str, source: str) -> Problem | None:
    """A text value in a column that is otherwise numbers (a typo, not a factor)."""
    s = df[col]
    if pd.api.types.is_numeric_dtype(s):
        return None
    parsed = pd.to_numeric(s, errors="coerce")
    bad = s.notna() & parsed.isna()
    if parsed.notna().any() and bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        return Problem(f"non-numeric value in column {col!r}", file=source, line=i + 2,
                       value=str(s.iloc[i]), expected="a number (the other values in the "
                       "column are numbers)")
    return None


def _needed_columns(loaded: LoadedModel, df: pd.DataFrame, source: str) -> list[str]:
    """The columns the utilities and the outcome read, in first use; every column the
    model names but the data lack is reported at once, located in the model file."""
    problems: list[Problem] = []
    needed: list[str] = []
    columns = f"one of the columns: {', '.join(map(str, df.columns))}"
    for u in loaded.model.utilities:
        for c in u.formula.columns:
            if c not in df.columns:
                problems.append(model_problem(loaded, u.label, f"no column {c!r} in {source}",
                                              value=c, column=c, expected=columns))
            elif c not in needed:
                needed.append(c)
    for c in loaded.outcome.columns:
        if c not in df.columns:
            problems.append(model_problem(loaded, None, f"no outcome column {c!r} in {source}",
                                          value=c, column=c, expected=columns))
        elif c not in needed:
            needed.append(c)
    if problems:
        raise InputError(problems)
    return needed


def _check_types(loaded: LoadedModel, df: pd.DataFrame, needed: list[str], source: str) -> None:
    """Refuse a stray text value in a numeric column, and a text column in a product
    ``a:b`` (a factor has no product with another column here)."""
    problems = [p for c in needed if (p := _numeric_problem(df, c, source)) is not None]
    for u in loaded.model.utilities:
        for t in u.formula.terms:
            if len(t.columns) > 1:
                for c in t.columns:
                    if not pd.api.types.is_numeric_dtype(df[c]):
                        problems.append(model_problem(
                            loaded, u.label, f"column {c!r} in a product is not numeric",
                            value=c, column=c, expected="numeric columns in a:b"))
    if problems:
        raise InputError(problems)


def _design(loaded: LoadedModel, data: pd.DataFrame, levels: dict[str, list[str]]
            ) -> tuple[list[Block], list[str], int, dict[str, np.ndarray]]:
    """The likelihood's blocks (one per utility with coefficients), the coefficient names,
    their number, and each distinct regressor once for the multinomial-logit baseline."""
    blocks: list[Block] = []
    names: list[str] = []
    start = 0
    base_cols: dict[str, np.ndarray] = {}
    for u in loaded.model.utilities:
        if u.formula.fixed_zero:
            continue
        d = build_design(u.formula, data, levels)
        if d.matrix.shape[1] == 0:
            continue
        blocks.append(Block(u.actor, u.outcome, start, d.matrix))
        start += d.matrix.shape[1]
        names.extend(f"{u.label}:{n}" for n in d.names)
        for j, n in enumerate(d.names):
            base_cols.setdefault(n, d.matrix[:, j])
    if not blocks:
        raise InputError([Problem("the model has no coefficient to estimate",
                                  file=loaded.doc.name,
                                  expected="at least one utility other than 0")])
    return blocks, names, start, base_cols


def _identification_warnings(outcomes: tuple[str, ...], y: np.ndarray, blocks: list[Block],
                             names: list[str]) -> list[str]:
    """What the data cannot identify: an outcome no case ends in, a regressor constant in
    the data used (apart from the intercept)."""
    warns: list[str] = []
    counts = np.bincount(y, minlength=len(outcomes))
    for o, count in zip(outcomes, counts, strict=True):
        if count == 0:
            warns.append(f"no case ends in outcome {o!r}: the utilities that decide it are "
                         "not identified by these data")
    for b, u_names in zip(blocks, _block_names(blocks, names), strict=True):
        const = np.ptp(b.matrix, axis=0) == 0
        for jj in np.flatnonzero(const):
            if u_names[jj].split(":", 1)[1] != "(Intercept)":
                warns.append(f"{u_names[jj]} is constant in the data used; its coefficient is "
                             "not identified apart from the intercept")
    return warns


def prepare(loaded: LoadedModel, df: pd.DataFrame, source: str = "<data>") -> Prepared:
    """Check the data against the model and build the likelihood's arrays."""
    model = loaded.model
    needed = _needed_columns(loaded, df, source)
    _check_types(loaded, df, needed, source)
    keep = df[needed].notna().all(axis=1).to_numpy()
    rows = np.flatnonzero(keep)
    data = df.iloc[rows].reset_index(drop=True)
    if len(data) == 0:
        raise InputError([Problem("no case is complete in the columns the model uses",
                                  file=source, value=needed,
                                  expected="rows without missing values")])
    y = _outcomes(loaded, data, rows, source)
    levels = {c: lv for c in needed if c not in loaded.outcome.columns
              and (lv := factor_levels(data[c])) is not None}
    blocks, names, start, base_cols = _design(loaded, data, levels)
    warns = _identification_warnings(tuple(model.tree.outcomes), y, blocks, names)
    base_names = tuple(base_cols)
    if "(Intercept)" not in base_cols:
        base_cols = {"(Intercept)": np.ones(len(data)), **base_cols}
        base_names = tuple(base_cols)
    base_X = np.column_stack([base_cols[n] for n in base_names])
    prob = LikProblem(model.tree, tuple(blocks), start, model.link, model.errors)
    dropped = int(len(df) - len(data))
    return Prepared(prob, y, tuple(names), levels, rows, dropped, base_X, base_names, warns)


def _block_names(blocks: list[Block], names: list[str]) -> list[list[str]]:
    out = []
    for b in blocks:
        k = b.matrix.shape[1]
        out.append(names[b.start:b.start + k])
    return out


def _outcomes(loaded: LoadedModel, data: pd.DataFrame, rows: np.ndarray, source: str
              ) -> np.ndarray:
    """Outcome index of each case; a value the tree cannot produce is an error."""
    tree = loaded.model.tree
    spec = loaded.outcome
    k = len(tree.outcomes)
    if spec.kind == "column":
        col = spec.columns[0]
        values = data[col]
        codes = {o: i for i, o in enumerate(tree.outcomes)}
        numeric = pd.api.types.is_numeric_dtype(values)
        out = np.empty(len(values), dtype=np.intp)
        for i, v in enumerate(values.tolist()):
            key = str(v)
            if key in codes:
                out[i] = codes[key]
            elif numeric and float(v).is_integer() and 1 <= int(v) <= k and \
                    str(int(v)) not in codes:
                out[i] = int(v) - 1
            else:
                raise InputError([Problem(f"outcome {key!r} in column {col!r} is not an outcome "
                                          "of the tree", file=source, line=int(rows[i]) + 2,
                                          value=key,
                                          expected=f"one of {list(tree.outcomes)}"
                                          f" (or codes 1..{k})")])
        return out
    ind = []
    for col in spec.columns:
        v = pd.to_numeric(data[col], errors="coerce")
        bad = ~v.isin([0, 1])
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise InputError([Problem(f"indicator column {col!r} holds a value other than 0/1",
                                      file=source, line=int(rows[i]) + 2,
                                      value=str(data[col].iloc[i]), expected="0 or 1")])
        ind.append(v.to_numpy(dtype=int))
    if spec.kind == "indicators":
        assert loaded.builtin is not None
        if loaded.builtin == "egame12" or loaded.builtin == "egame123":
            # a later move is only observed after the earlier one went right
            arr = np.array(ind)
            for j in range(1, len(arr)):
                wrong = (arr[j] == 1) & (arr[j - 1] == 0)
                if wrong.any():
                    i = int(np.flatnonzero(wrong)[0])
                    raise InputError([Problem(
                        f"{spec.columns[j]} = 1 but {spec.columns[j - 1]} = 0: the tree cannot "
                        "produce this (the later move follows only the earlier one)",
                        file=source, line=int(rows[i]) + 2,
                        value={spec.columns[j - 1]: 0, spec.columns[j]: 1},
                        expected=f"{spec.columns[j]} = 0 when {spec.columns[j - 1]} = 0")])
        return np.asarray(DECODERS[loaded.builtin](ind), dtype=np.intp)
    arr = np.array(ind)  # map: one indicator per outcome
    total = arr.sum(axis=0)
    bad_rows = np.flatnonzero(total != 1)
    if len(bad_rows):
        i = int(bad_rows[0])
        raise InputError([Problem("a case must have exactly one outcome indicator equal to 1",
                                  file=source, line=int(rows[i]) + 2,
                                  value={c: int(arr[j, i]) for j, c in enumerate(spec.columns)},
                                  expected="one 1 among the outcome columns")])
    order = [tree.outcomes.index(o) for o in spec.outcomes]
    return np.asarray(np.array(order)[arr.argmax(axis=0)], dtype=np.intp)
