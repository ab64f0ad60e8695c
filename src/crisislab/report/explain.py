"""``--explain STATE``: why a state is or is not stable, for every actor and concept.

The witnesses come from the stability engine: for an unstable state the
improvement that nothing deters; for a stable one, for each improvement the
sanctioning sequence (who moves where) that deters it.
"""

from __future__ import annotations

import re
from typing import cast

from rich.console import Console
from rich.panel import Panel

from crisislab.compare.analysis import CONCEPT_NAMES, ConflictAnalysis
from crisislab.conflict.concepts import Concept, check_mode
from crisislab.conflict.stability import analyze_stability
from crisislab.conflict.witness import build_witness, render_witness
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


def explain_text(analysis: ConflictAnalysis, state: int, view: str = "base") -> list[str]:
    """The witnesses of ``state`` under ``view`` as paragraphs of plain words."""
    vr = analysis.view(view)
    graph = vr.graph
    result = analyze_stability(graph, concepts=cast("tuple[Concept, ...]", analysis.concepts),
                               mode=check_mode(analysis.mode))
    space = analysis.model.space
    names = [actor_name(analysis.scenario, a) for a in space.actors]

    def describe(s: int) -> str:
        return f"s{space.ordinal(s)} ({state_words(analysis.scenario, space, s)})"

    out = []
    for c in analysis.concepts:
        for i in range(len(space.actors)):
            out.append(render_witness(build_witness(result, i, state, c), names, describe))
    return out


def explain_state(analysis: ConflictAnalysis, ref: str, console: Console,
                  view: str = "base") -> None:
    state = resolve_state(analysis, ref)
    space = analysis.model.space
    vr = analysis.view(view)
    title = (f"s{space.ordinal(state)} ({space.pattern(state)}): "
             f"{state_words(analysis.scenario, space, state)} — {vr.view.name}")
    flags = ", ".join(f"{CONCEPT_NAMES.get(c, c)}: "
                      f"{'equilibrium' if vr.stable[c][:, state].all() else 'not an equilibrium'}"
                      for c in analysis.concepts)
    console.print(Panel(flags, title=title, title_align="left"))
    for para in explain_text(analysis, state, view):
        console.print(para, highlight=False, markup=False)
        console.print()
