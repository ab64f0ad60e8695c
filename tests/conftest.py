"""Shared test helpers: where the read-only shared data lives, and the suite's
Hypothesis settings.  Published facts kept in ``tests/cases/`` load through
``case_facts.load_facts``."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings
from hypothesis.configuration import set_hypothesis_home_dir

REPO = Path(__file__).resolve().parents[1]
SHARED = (REPO / ".." / "shared").resolve()

# No example database: a test run must not write ``.hypothesis/`` into the working
# tree, and a failure must reproduce from the printed seed alone.
# Hypothesis also caches constants it collects from the source; keep that cache out of
# the tree too (HYPOTHESIS_STORAGE_DIRECTORY still chooses another place).
settings.register_profile("crisislab", database=None)
settings.load_profile("crisislab")
if not os.environ.get("HYPOTHESIS_STORAGE_DIRECTORY"):
    set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "crisislab-hypothesis")


@pytest.fixture
def shared_dir() -> Path:
    if not SHARED.exists():
        pytest.skip("../shared is not present")
    return SHARED
