"""Saved analyses: the JSON that ``crisislab analyze --json`` writes, read back.

Reading a file is a format's job; rebuilding the typed result from the data is
:mod:`crisislab.compare.saved`'s.  Problems are reported at their place in the
file: a syntax error at its line and column, a file that is not a saved analysis
with what was expected.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from crisislab.errors import input_error

FORMAT = "crisislab.scenario-analysis/1"
"""The ``format`` key of a saved analysis (see :mod:`crisislab.compare.serialize`)."""


def read_analysis_json(path: str | Path) -> dict[str, Any]:
    """The saved analysis in ``path`` as plain data (checked to be one)."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise input_error("no such file", value=str(p), file=str(p),
                          expected="a file written by `crisislab analyze --json`") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise input_error(f"cannot read the file: {exc}", value=str(p), file=str(p),
                          expected="a UTF-8 JSON file") from None
    return parse_analysis_json(text, str(p))


def parse_analysis_json(text: str, name: str = "<analysis>") -> dict[str, Any]:
    """Parse a saved analysis given as text; ``name`` locates the problems."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise input_error(f"not valid JSON: {exc.msg}", file=name, line=exc.lineno,
                          column=exc.colno, value=text[exc.pos:exc.pos + 20] or None,
                          expected="a file written by `crisislab analyze --json`") from None
    if not isinstance(data, dict):
        raise input_error("not a saved analysis", file=name, line=1, column=1,
                          value=type(data).__name__, expected="a JSON object")
    found = data.get("format")
    if found != FORMAT:
        raise input_error("not a saved scenario analysis" if found is None
                          else "unsupported format of a saved analysis", file=name,
                          value=found, expected=f'"format": "{FORMAT}" (written by '
                          "`crisislab analyze --json`)")
    return data
