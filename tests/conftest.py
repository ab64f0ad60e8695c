"""Shared test helpers: where the read-only shared data lives, and the suite's
Hypothesis settings.  Published facts kept in ``tests/cases/`` load through
``case_facts.load_facts``."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import settings

REPO = Path(__file__).resolve().parents[1]
SHARED = (REPO / ".." / "shared").resolve()

# No example database: a test run must not write ``.hypothesis/`` into the working
# tree, and a failure must reproduce from the printed seed alone.
settings.register_profile("crisislab", database=None)
settings.load_profile("crisislab")


@pytest.fixture
def shared_dir() -> Path:
    if not SHARED.exists():
        pytest.skip("../shared is not present")
    return SHARED
