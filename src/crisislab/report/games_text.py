"""The games' results in the terminal: equilibria with their outcome probabilities,
behaviour and refinement, a quantal response equilibrium, and the switches of a
threshold search.

Render only: the numbers come from :mod:`crisislab.compare.game_runs`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table

from crisislab.model.lenses import BASE_VIEW

if TYPE_CHECKING:
    from crisislab.games.results import GameSolution
    from crisislab.games.thresholds import ThresholdResult


def print_qre(sol: GameSolution, lens: str | None, console: Console) -> None:
    """One quantal response equilibrium: outcome probabilities, payoffs, behaviour."""
    q = sol.qre
    assert q is not None
    console.print(f"{sol.title}  [{sol.game_id}]  lens: {lens or BASE_VIEW}  {q.link} agent QRE "
                  f"at lambda = {q.lam:g} (principal branch)", highlight=False, markup=False)
    probs = ", ".join(f"P({k}) = {v:.4f}" for k, v in q.point.outcome_probabilities.items())
    pay = ", ".join(f"{k} {v:.4f}" for k, v in q.point.expected_payoffs.items())
    console.print(f"  {probs}; expected payoffs: {pay}", highlight=False, markup=False)
    moves = "; ".join(f"{k}: " + ", ".join(f"{a} {p:.4g}" for a, p in acts.items())
                      for k, acts in q.point.behaviour.items())
    console.print(f"  behaviour — {moves}", highlight=False, soft_wrap=True, markup=False)
    for note in sol.notes:
        console.print(f"  note: {note}", highlight=False, soft_wrap=True, markup=False)


def print_solution(sol: GameSolution, lens: str | None, console: Console) -> None:
    """A game's equilibria as a table, then each one's behaviour, the selection, the range
    over the equilibria and what the search left out."""
    if sol.qre is not None:
        print_qre(sol, lens, console)
        return
    title = (f"{sol.title}  [{sol.game_id}]  lens: {lens or BASE_VIEW}  method: {sol.method}  "
             f"standard: {sol.refinement}")
    table = Table(title=title, title_justify="left")
    outcomes = sorted({k for e in sol.equilibria for k in e.outcome_probabilities})
    table.add_column("eq")
    for oc in outcomes:
        table.add_column(f"P({oc})", justify="right")
    for p in sol.players:
        table.add_column(f"payoff {p}", justify="right")
    table.add_column("refinement")
    table.add_column("regret", justify="right")
    for i, e in enumerate(sol.equilibria):
        table.add_row(str(i) + (" *" if i == sol.selected else ""),
                      *[f"{e.outcome_probabilities.get(oc, 0.0):.3f}" for oc in outcomes],
                      *[f"{e.expected_payoffs[p]:.3f}" for p in sol.players],
                      e.refinement, f"{e.sequential_regret:.1e}")
    console.print(table)
    for i, e in enumerate(sol.equilibria):
        moves = "; ".join(
            f"{k}: " + ", ".join(f"{a} {p:.3g}" for a, p in acts.items() if p > 1e-9)
            for k, acts in e.behaviour.items())
        console.print(f"  eq {i} behaviour — {moves}", highlight=False, soft_wrap=True,
                      markup=False)
        if e.summary:
            summary = ", ".join(f"{k} = {v:.6g}" + (" (!)" if k in e.summary_flags else "")
                                for k, v in e.summary.items())
            source = "closed form" if e.found_by.startswith("closed_form") else e.found_by
            console.print(f"  {source} — {summary}", highlight=False, markup=False)
            for k, why in e.summary_flags.items():
                console.print(f"    (!) {k}: {why}", highlight=False, markup=False,
                              soft_wrap=True)
    if sol.selected is not None:
        console.print(f"  * selected by rule {sol.selection_rule}", highlight=False,
                      markup=False)
    elif sol.equilibria:
        console.print(f"  no selection: {sol.selection_rule}", highlight=False, markup=False)
    if len(sol.equilibria) > 1:
        ranges = ", ".join(f"P({k}) {lo:.3f}–{hi:.3f}" for k, (lo, hi) in
                           sol.outcome_ranges.items())
        console.print(f"  range over the equilibria: {ranges}", highlight=False, markup=False)
    for e in sol.not_credible:
        probs = ", ".join(f"P({k}) {v:.3f}" for k, v in e.outcome_probabilities.items() if v)
        console.print(f"  not credible ({e.refinement} only): {probs}", highlight=False,
                      markup=False)
    console.print(f"  search {'complete' if sol.complete else 'partial'}"
                  + (f"; {len(sol.rejected)} profile(s) rejected by our check"
                     if sol.rejected else ""), highlight=False, markup=False)
    for note in sol.notes:
        console.print(f"  note: {note}", highlight=False, soft_wrap=True, markup=False)


def print_switches(res: ThresholdResult, game_id: str, param: str, console: Console) -> None:
    """The switches of a threshold search in words, then the regimes between them, with the
    grid spacing (a switch closer than that to another can be missed)."""
    console.print(f"{game_id}: switches of {param} in [{res.low:g}, {res.high:g}] "
                  f"({res.refinement} equilibria; grid spacing {res.grid_spacing:g}, "
                  "switches closer than that can be missed)",
                  highlight=False, markup=False)
    if not res.switches:
        console.print("  no switch: the same equilibrium regime throughout",
                      highlight=False, markup=False)
    for s in res.switches:
        console.print(f"  {s.description}", highlight=False, markup=False, soft_wrap=True)
    table = Table(title="regimes", title_justify="left")
    table.add_column(f"{param} from", justify="right")
    table.add_column("to", justify="right")
    table.add_column("what the equilibria prescribe")
    for (a, b, _r), desc in zip(res.regimes, res.regime_descriptions, strict=True):
        table.add_row(f"{a:.6g}", f"{b:.6g}", desc)
    console.print(table)
