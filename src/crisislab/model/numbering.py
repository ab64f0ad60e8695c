"""The one state-numbering convention of every output (docs/reference/state-numbering.md).

Engines work with state *indices* (numpy positions, 0-based); everything a user
reads — JSON, CSV, tables, ``--explain`` — gives the **ordinal id**, index + 1.
Serialisers call these functions so the conversion lives in one place.
"""

from __future__ import annotations

from collections.abc import Iterable

from crisislab.model.states import StateSpace


def ordinal_id(index: int) -> int:
    """The public ordinal id of the state at ``index``."""
    return int(index) + 1


def ordinal_ids(indices: Iterable[int]) -> list[int]:
    """State indices as ordinal ids, in the same order."""
    return [int(s) + 1 for s in indices]


def numbering_note(space: StateSpace) -> str:
    """How the states of ``space`` are numbered, for readers of a JSON output."""
    if space.names is not None:
        return ("every state is given by its ordinal id = 1-based position in the declared "
                "order of graph.states (code = ordinal id - 1); 'name' is the id in the file")
    return ("every state is given by its ordinal id = 1-based position by ascending decimal "
            "code; code = sum of option_k * 2^k in declared option order")
