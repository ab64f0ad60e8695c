"""Published numbers kept beside the tests (``tests/cases/``), each file with its citation.

Small published facts live in the repository so that the literature checks run
everywhere; large third-party data stay in ``../shared`` and are read from there.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

CASES = Path(__file__).resolve().parent / "cases"


def load_facts(relative: str) -> dict[str, Any]:
    """Load ``tests/cases/<relative>``; refuse a facts file without its citation."""
    data = YAML(typ="safe").load((CASES / relative).read_text())
    if not isinstance(data, dict) or not data.get("source"):
        raise ValueError(f"{relative}: a facts file needs a 'source' (its citation)")
    return data


def truncate(value: float, decimals: int) -> float:
    """``value`` cut (not rounded) to ``decimals`` places, as a table that truncates prints it.

    A small tolerance absorbs binary representation (9.9 is stored as 9.9000000000000004).
    """
    scale = 10**decimals
    return math.floor(value * scale + 1e-9) / scale
