"""Why a state is or is not stable, in words, from the stored stability result.

The witnesses are read from the stability result the analysis stored for the
view (computed once, with the chosen concepts, sanction mode and SIM variant,
and under a policy's commitment when one is named), so an explanation always
agrees with the tables beside it.
"""

from __future__ import annotations

import re

from crisislab.compare.analysis import ConflictAnalysis
from crisislab.errors import input_error
from crisislab.model.describe import actor_name, state_words
from crisislab.model.states import StateRefError

_ORDINAL = re.compile(r"^[sS](\d+)$")


def resolve_state(analysis: ConflictAnalysis, ref: str) -> int:
    """A state named on the command line: s5, a decimal code, a Y/N pattern or 'a+b'."""
    space = analysis.model.space
    m = _ORDINAL.match(ref.strip())
    if m:
        k = int(m.group(1))
        if 1 <= k <= space.n:
            return k - 1
        raise input_error(f"no state {ref!r}", value=ref, expected=f"s1 .. s{space.n}")
    try:
        return space.resolve(int(ref) if ref.strip().isdigit() else ref)
    except StateRefError as exc:
        raise input_error(exc.message, value=ref, expected=exc.expected) from None


def explain_text(analysis: ConflictAnalysis, state: int, view: str = "base",
                 policy: str | None = None) -> list[str]:
    """The witnesses of ``state`` under ``view`` (and a policy's commitment) as paragraphs
    of plain words, from the stored stability result."""
    from crisislab.conflict.witness import render_witness

    vr = analysis.view(view)
    result = vr.result_for(policy)
    space = analysis.model.space
    names = [actor_name(analysis.scenario, a) for a in space.actors]

    def describe(s: int) -> str:
        return f"s{space.ordinal(s)} ({state_words(analysis.scenario, space, s)})"

    out = []
    for c in analysis.concepts:
        for i in range(len(space.actors)):
            out.append(render_witness(result.witness(i, state, c), names, describe))
    return out


