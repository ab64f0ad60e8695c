"""Why a state is or is not stable, in words, from the stored stability result.

The witnesses are read from the stability result the analysis stored for the
view (computed once, with the chosen concepts, sanction mode and SIM variant,
and under a policy's commitment when one is named), so an explanation always
agrees with the tables beside it.
"""

from __future__ import annotations

from crisislab.compare.analysis import ConflictAnalysis
from crisislab.errors import input_error
from crisislab.model.describe import actor_name, state_words
from crisislab.model.states import StateRefError


def resolve_state(analysis: ConflictAnalysis, ref: str) -> int:
    """A state named on the command line (see :meth:`StateSpace.resolve_text`)."""
    try:
        return analysis.model.space.resolve_text(ref)
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
        return f"{space.state_id(s)} ({state_words(analysis.scenario, space, s)})"

    out = []
    for c in analysis.concepts:
        for i in range(len(space.actors)):
            out.append(render_witness(result.witness(i, state, c), names, describe))
    return out


