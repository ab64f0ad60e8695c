"""The executive summary: sentences an analyst can quote, from the computed result.

Per policy: where it ends under each view (outcome names first, state ids as
references), the probability of war and of a deal in the games under that policy
and view, why a policy makes no difference where it does not, and the
assumption that decides where it leads, with its quote.  Views that agree are
named together so the text stays short.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from crisislab.compare.explain import join_and

if TYPE_CHECKING:
    from crisislab.compare.scenario_analysis import GameOutcome, PolicyView, ScenarioAnalysis

HEADLINE_OUTCOMES = ("war", "deal")


def percent(x: float) -> str:
    """A share as a whole percentage (``0.25`` -> ``25%``)."""
    return f"{100 * x:.0f}%"


def probability_text(game: GameOutcome, outcome: str, short: bool = False) -> str | None:
    """'16%', or '0–16% over 2 equilibria' (with the selected one when a rule selects);
    ``short`` leaves out the count."""
    rng = game.probability_range(outcome)
    if rng is None:
        return None
    lo, hi = rng
    if abs(hi - lo) < 5e-3:
        return percent(lo)
    if short:
        return f"{100 * lo:.0f}–{percent(hi)}"
    text = f"{percent(lo)}–{percent(hi)} over {len(game.equilibria)} equilibria"
    if game.selected is not None and game.selection_rule:
        sel = dict(game.equilibria[game.selected]).get(outcome, 0.0)
        text += f" ({percent(sel)} selected by {game.selection_rule})"
    return text


def headline_outcomes(game: GameOutcome) -> list[str]:
    """The outcomes a cell shows: war and deal where the game has them, else all."""
    found = game.outcomes()
    shown = [o for o in HEADLINE_OUTCOMES if o in found]
    return shown or found


def game_text(game: GameOutcome, short: bool = False) -> str:
    """A game's equilibria in words (``short``: the selected one only)."""
    if not game.equilibria:
        return f"{game.title}: no equilibrium found"
    parts = []
    for o in headline_outcomes(game):
        p = probability_text(game, o, short)
        if p is not None:
            parts.append(f"P({o.replace('_', ' ')}) {p}")
    return ("\n" if short else "; ").join(parts)


def ends_text(cell: PolicyView) -> str:
    """Where a policy's paths end, in words."""
    if not cell.ends:
        return "no stable outcome is reached"
    names = list(dict.fromkeys(e.label for e in cell.ends))
    refs = ", ".join(e.ref for e in cell.ends)
    return f"{' or '.join(names)} ({refs})"


def _crux_for(analysis: ScenarioAnalysis, kind: str, policy: str | None = None,
              actor: str | None = None) -> str | None:
    conflict = analysis.conflict
    lead = analysis.cells[0].concept if analysis.cells else None
    for group in conflict.crux_groups(lead):
        for k in group.members:
            c = conflict.cruxes[k]
            if c.conclusion.kind == kind and c.conclusion.start == policy \
                    and c.conclusion.actor == actor and c.sentences:
                return c.sentences[0]
    return None


def executive_summary(analysis: ScenarioAnalysis) -> list[str]:
    """The summary's sentences, in order (see the module docstring)."""
    out: list[str] = []
    for pol in analysis.policies:
        groups: dict[str, list[str]] = {}
        for view in analysis.views:
            cell = analysis.cell(pol.id, view.id)
            text = ends_text(cell)
            games = "; ".join(f"{game_text(g)}" + (f" in {g.title}"
                                                   if len(cell.games) > 1 else "")
                              for g in cell.games)
            if games:
                text += f"; {games}"
            groups.setdefault(text, []).append(view.name)
        what = "The status quo" if pol.id == "status_quo" else pol.label
        notes = (["held as a commitment"] if pol.kind == "commitment" and pol.commit else []) \
            + ([pol.coalition_text()] if pol.coalition_text() else [])
        kind = f" ({'; '.join(notes)})" if notes else ""
        for text, names in groups.items():
            out.append(f"{what}{kind}, under {join_and(names)}: ends in {text}.")
        whys: dict[str, list[str]] = {}
        for view in analysis.views:
            cell = analysis.cell(pol.id, view.id)
            if cell.why:
                whys.setdefault(cell.why, []).append(view.name)
        for why, names in whys.items():
            out.append(f"Under {join_and(names)}, {pol.label} makes no difference: {why}")
        crux = _crux_for(analysis, "outcome", pol.id) or _crux_for(analysis, "path", pol.id)
        if crux:
            out.append(f"What decides it: {crux}")
    for actor in analysis.scenario.actors:
        crux = _crux_for(analysis, "best_policy", actor=actor.id)
        if crux:
            out.append(crux)
    from crisislab.compare.engine_cruxes import engine_crux_sentence

    view_names = {v.id: v.name for v in analysis.views}
    seen: set[tuple[str, str, str | None]] = set()
    for ec in analysis.engine_cruxes:
        key = (ec.kind, ec.subject, ec.policy)
        if key in seen:
            continue
        seen.add(key)
        out.append(engine_crux_sentence(ec, view_names))
    if not analysis.cruxes_searched:
        out.append("The crux search was skipped (--no-cruxes): which assumptions decide "
                   "the differences between views was not computed.")
    return out
