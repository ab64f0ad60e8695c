"""Scenario files (crisislab's own format), loaded with every engine's checks.

:mod:`crisislab.model.io` parses a scenario and checks what the model can
check by itself; a game, though, is valid only when the games engine compiles
it.  This loader hands the model the engines' checks of their own sections,
so every problem in a file is reported at once, at its line and column.  The
Python API (:func:`crisislab.load`) and the command line load through here.
"""

from __future__ import annotations

from pathlib import Path

from crisislab.games.checks import game_problems
from crisislab.model import io
from crisislab.model.problems import SectionCheck
from crisislab.model.scenario import Scenario
from crisislab.uncertainty.checks import uncertainty_game_problems

ENGINE_CHECKS: tuple[SectionCheck, ...] = (game_problems, uncertainty_game_problems)
"""The engines' checks of their own sections of a scenario."""


def load(path: str | Path | None = None, *, max_states: int | None = None) -> Scenario:
    """Load and validate a scenario file (or a built-in by name; ``None`` = default).

    A gmcr-py / GMCR+ model (a ``.gmcr`` file) is read directly, as ``crisislab
    import-gmcr`` would convert it, so ``crisislab analyze model.gmcr`` works on the
    same file gmcr-py opens; its problems are located in the ``.gmcr`` file.
    """
    if path is not None and str(path).lower().endswith(".gmcr"):
        return load_gmcr(path, max_states=max_states)
    return io.load(path, max_states=max_states, checks=ENGINE_CHECKS)


def load_gmcr(path: str | Path, *, max_states: int | None = None) -> Scenario:
    """A gmcr-py ``.gmcr`` model as a validated scenario (titled by the file's name)."""
    from crisislab.formats.gmcr_import import read_gmcr
    from crisislab.provenance import canonical_json

    model = read_gmcr(path)
    data = model.to_scenario_dict(Path(path).stem)
    return io.load_text(canonical_json(data), str(path), max_states=max_states,
                        checks=ENGINE_CHECKS)


def load_text(text: str, name: str = "<scenario>", *, max_states: int | None = None) -> Scenario:
    """Parse and validate a scenario given as text."""
    return io.load_text(text, name, max_states=max_states, checks=ENGINE_CHECKS)
