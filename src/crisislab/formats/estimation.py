"""Files of the estimation engine: a strategic model (YAML) and the cases (CSV).

The engine (:mod:`crisislab.games.estimate`) works on text and DataFrames; this
module reads the files, turning unreadable input into located errors.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from crisislab.errors import InputError, Problem, ScenarioError
from crisislab.games.estimate.results import EstimationResult
from crisislab.games.estimate.run import estimate
from crisislab.games.estimate.spec import LoadedModel, load_model_text

__all__ = ["estimate_files", "load_model", "read_csv"]


def load_model(path: str | Path, *, link: str | None = None) -> LoadedModel:
    """Read and check a model file (``link`` overrides the file's)."""
    p = Path(path)
    if not p.exists() or p.is_dir():
        raise ScenarioError([Problem("model file not found" if not p.exists() else
                                     "is a directory", file=str(path), value=str(path),
                                     expected="a YAML model file (see docs/reference/"
                                     "estimate.md)")])
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError([Problem(f"cannot read the file: {exc}", file=str(path))]) from None
    return load_model_text(text, str(path), link=link)


def read_csv(path: str | Path) -> pd.DataFrame:
    """Read a CSV file; unreadable input is an :class:`InputError`, never a traceback."""
    p = Path(path)
    if not p.exists():
        raise InputError([Problem("file not found", file=str(path), value=str(path),
                                  expected="a CSV file with one case per row")])
    if p.is_dir():
        raise InputError([Problem("is a directory", file=str(path), expected="a CSV file")])
    try:
        df = pd.read_csv(p)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise InputError([Problem(f"cannot read the CSV file: {exc}".strip(), file=str(path),
                                  expected="comma-separated values with a header row")]) \
            from None
    if df.empty:
        raise InputError([Problem("the CSV file has no data rows", file=str(path),
                                  expected="a header row and one row per case")])
    return df


def estimate_files(model: str | Path | LoadedModel, data: str | Path | pd.DataFrame, *,
                   link: str | None = None, baseline: bool = True) -> EstimationResult:
    """Fit a model file (or a loaded model) to a CSV file (or a DataFrame)."""
    loaded = model if isinstance(model, LoadedModel) else load_model(model, link=link)
    if isinstance(data, pd.DataFrame):
        return estimate(loaded, data, baseline=baseline)
    return estimate(loaded, read_csv(data), source=str(data), baseline=baseline)
