"""``--explain STATE``: why a state is or is not stable, for every actor and concept.

The witnesses are read from the stability result the analysis stored for the
view (computed once, with the chosen concepts, sanction mode and SIM variant), so
the explanation always agrees with the tables: for an unstable state the
improvement that nothing deters; for a stable one, for each improvement the
sanctioning sequence (who moves where) that deters it.
"""

from __future__ import annotations

from rich.console import Console
from rich.panel import Panel

from crisislab.compare.analysis import CONCEPT_NAMES, ConflictAnalysis
from crisislab.compare.witnesses import explain_text, resolve_state
from crisislab.model.describe import state_label, state_words

__all__ = ["explain_state", "explain_text", "resolve_state"]

def explain_state(analysis: ConflictAnalysis, ref: str, console: Console,
                  view: str = "base", policy: str | None = None) -> None:
    """Why a state is or is not stable for every actor and concept in one view (and under a
    policy): the improvements and what deters each."""
    state = resolve_state(analysis, ref)
    space = analysis.model.space
    vr = analysis.view(view)
    stable = vr.result_for(policy).stable
    title = (f"{state_label(analysis.scenario, space, state)}: "
             f"{state_words(analysis.scenario, space, state)} — {vr.view.name}"
             + (f", under {policy}" if policy else ""))
    flags = ", ".join(f"{CONCEPT_NAMES.get(c, c)}: "
                      f"{'equilibrium' if stable[c][:, state].all() else 'not an equilibrium'}"
                      for c in analysis.concepts)
    console.print(Panel(flags, title=title, title_align="left"))
    for para in explain_text(analysis, state, view, policy):
        console.print(para, highlight=False, markup=False)
        console.print()
