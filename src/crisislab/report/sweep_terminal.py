"""The terminal report of a sweep: where each policy ends, with what probability, and
which uncertain input decides it.  Renders a :class:`~crisislab.uncertainty.results.SweepResult`;
computes nothing."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:
    from crisislab.uncertainty.results import Conclusion, SweepResult

SHOW_AT_LEAST = 0.005


def pct(c: Conclusion) -> str:
    """A conclusion's probability as a percentage, with its standard error when it shows."""
    text = f"{100 * c.probability:.0f}%"
    return text + (f" ±{100 * c.se:.0f}" if c.se >= 0.005 else "")


def outcome_cells(result: SweepResult, policy: str, view: str) -> list[Conclusion]:
    """The end conclusions of one policy under one view that hold in some sample, likeliest
    first."""
    cells = [c for c in result.conclusions if c.policy == policy and c.view == view
             and c.kind in ("ends", "no_end") and c.probability >= SHOW_AT_LEAST]
    return sorted(cells, key=lambda c: (-c.probability, c.id))


def uncertain_conclusions(result: SweepResult) -> list[Conclusion]:
    """The conclusions the sweep leaves open (neither certain nor impossible; equilibria
    aside), closest to even odds first: what the reports explain with boxes and charts."""
    return sorted((c for c in result.conclusions
                   if 0 < c.probability < 1 and c.kind != "equilibrium"),
                  key=lambda c: (abs(c.probability - 0.5), c.id))


def _outcome_name(c: Conclusion) -> str:
    if c.kind == "no_end":
        return "no stable end"
    return c.text.split(" ends in ", 1)[1].rsplit(" (", 1)[0]


def render_sweep(result: SweepResult, console: Console, *, details: bool = False) -> None:
    """Print a sweep on ``console``: conclusions with their probabilities, drivers and
    PRIM boxes; ``details`` prints every row where the summary stops at the first
    ones, and the equilibria with unknown preferences (Li et al. 2004)."""
    _render_head(result, console)
    _render_ends(result, console)
    _render_best(result, console)
    _render_games(result, console, details)
    _render_forecasts(result, console)
    drivers = result.drivers[:5]
    if drivers:
        console.print(Text.assemble(("Which input matters most", "bold"),
                                    " (largest change in any conclusion's probability "
                                    "between its low and high half):"), highlight=False)
        for name, eff in drivers:
            console.print(f"  {name}: {eff:.2f}", highlight=False)
    render_probabilistic(result, console)
    if details:
        render_unknown(result, console)
    _render_uncertain(result, console, details)


def _render_head(result: SweepResult, console: Console) -> None:
    head = Text.assemble((result.title, "bold"),
                         f" — {result.samples} samples ({result.method}, seed {result.seed})")
    if result.partial:
        head.append(" partial: interrupted", style="yellow")
    if result.stopped_early:
        head.append(" (stopped: standard errors on target)")
    console.print(head, highlight=False, soft_wrap=True)
    inputs = Table(title="Uncertain inputs", show_lines=False)
    for col in ("input", "what", "distribution"):
        inputs.add_column(col)
    for i in result.inputs:
        inputs.add_row(i.name, i.label, i.distribution)
    console.print(inputs)


def _render_ends(result: SweepResult, console: Console) -> None:
    if not any(c.kind == "ends" for c in result.conclusions):
        return
    ends = Table(title="Where each policy ends (probability over the uncertain inputs, "
                 "± standard error)", show_lines=True)
    ends.add_column("policy")
    for _vid, name in result.views:
        ends.add_column(name)
    for pid, label in result.policies:
        row = [label]
        for vid, _name in result.views:
            row.append("\n".join(f"{_outcome_name(c)} {pct(c)}"
                                 for c in outcome_cells(result, pid, vid)) or "—")
        ends.add_row(*row)
    console.print(ends)


def _render_best(result: SweepResult, console: Console) -> None:
    best = [c for c in result.conclusions if c.kind == "best" and c.probability > 0]
    if not best:
        return
    bt = Table(title="Which policy is best for each actor by its own preferences "
               "(probability)")
    bt.add_column("actor")
    for _vid, name in result.views:
        bt.add_column(name)
    policies = dict(result.policies)
    for actor in dict.fromkeys(c.subject for c in best):
        row = [actor]
        for vid, _name in result.views:
            cells = sorted((c for c in best if c.subject == actor and c.view == vid),
                           key=lambda c: (-c.probability, c.id))
            row.append("\n".join(f"{policies.get(c.policy or '', c.policy)} {pct(c)}"
                                 for c in cells[:3]) or "—")
        bt.add_row(*row)
    console.print(bt)


def _render_games(result: SweepResult, console: Console, details: bool) -> None:
    games = [c for c in result.conclusions if c.kind == "game" and c.mean_score > 0]
    if not games:
        return
    level = result.provenance.parameters.get("level")
    gt = Table(title=f"Games: P(outcome probability above {level}) and the mean outcome "
               "probability, per policy and view")
    for col in ("game", "policy", "view", "outcome", "P(above)", "mean"):
        gt.add_column(col)
    views = dict(result.views)
    for c in games if details else games[:24]:
        game, outcome = c.subject.split(":", 1)
        gt.add_row(game, c.policy or "", views.get(c.view, c.view), outcome, pct(c),
                   f"{c.mean_score:.2f}")
    console.print(gt)
    if not details and len(games) > 24:
        console.print(f"  ({len(games) - 24} more rows with --details)", highlight=False)


def _render_forecasts(result: SweepResult, console: Console) -> None:
    fc = [c for c in result.conclusions if c.kind == "forecast"]
    if not fc:
        return
    ft = Table(title="Negotiation forecasts: mean over the samples, and P(above the "
               "middle of the scale)")
    for col in ("issue", "model", "view", "mean", "P(above middle)"):
        ft.add_column(col)
    views = dict(result.views)
    for c in fc:
        issue, model = c.subject.split(":", 1)
        ft.add_row(issue, model, views.get(c.view, c.view), f"{c.mean_score:.1f}", pct(c))
    console.print(ft)


def _render_uncertain(result: SweepResult, console: Console, details: bool) -> None:
    uncertain = uncertain_conclusions(result)
    if not uncertain:
        return
    console.print(Text.assemble(("Uncertain conclusions and where they hold", "bold"),
                                " (PRIM boxes):"),
                  highlight=False)
    for c in uncertain if details else uncertain[:8]:
        line = f"  {c.text}: {pct(c)}"
        if c.box_rules and c.box is not None:
            line += (f" — holds {100 * c.box.density:.0f}% of the time when "
                     + " and ".join(c.box_rules)
                     + f" (covers {100 * c.box.coverage:.0f}% of the cases)")
        if c.sobol:
            top = max(c.sobol, key=lambda s: s.st)
            line += f"; Sobol: {top.input} ST={top.st:.2f}"
        console.print(line, highlight=False, soft_wrap=True)


def render_unknown(result: SweepResult, console: Console) -> None:
    """Equilibria when the pairs the probabilistic statements can order differently are
    taken as unknown (Li, Hipel, Kilgour & Fang 2004; extensions a-d)."""
    if not result.unknown_preferences:
        return
    table = Table(title="Equilibria under preference uncertainty (Li, Hipel, Kilgour & Fang "
                  "2004): a: moves to uncertain states, certain sanctions; b: ... any "
                  "sanction; c: certain improvements only, certain sanctions; d: ... any")
    for col in ("view", "concept", "a", "b", "c", "d"):
        table.add_column(col)
    rows: dict[tuple[str, str], dict[str, tuple[int, ...]]] = {}
    for v, c, e, eq in result.unknown_preferences:
        rows.setdefault((v, c), {})[e] = eq
    views = dict(result.views)

    def cell(eq: tuple[int, ...]) -> str:
        shown = ", ".join(f"s{k + 1}" for k in eq[:6]) + (" ..." if len(eq) > 6 else "")
        return f"{len(eq)}: {shown}" if eq else "none"

    for (v, c), per in rows.items():
        table.add_row(views.get(v, v), c, *(cell(per.get(e, ())) for e in "abcd"))
    console.print(table)


def probabilistic_title(result: SweepResult) -> str:
    """The heading of the probabilistic-preference table, thresholds included."""
    pp = result.probabilistic
    if pp is None:
        return ""
    basis = (f"exact over {pp.configurations} combinations of the statements" if pp.exact
             else f"estimated from {pp.configurations} sampled combinations")
    return (f"Equilibria under probabilistic preferences (Rêgo & dos Santos 2015), "
            f"alpha={pp.alpha:g}, beta={pp.beta:g}, gamma={pp.gamma:g}; {basis}")


def probabilistic_cell(states: tuple[int, ...]) -> str:
    """A set of states as a count and the first eight ordinal ids."""
    shown = ", ".join(f"s{k + 1}" for k in states[:8]) + (" ..." if len(states) > 8 else "")
    return f"{len(states)}: {shown}" if states else "none"


def render_probabilistic(result: SweepResult, console: Console) -> None:
    """alpha-Nash, (alpha, beta)-GMR/SMR and (alpha, beta, gamma)-SEQ equilibria per view:
    a move counts when the actor prefers it with probability above alpha; a state
    sanctions when the actor prefers it with probability at most beta."""
    pp = result.probabilistic
    if pp is None:
        return
    console.print(Text(probabilistic_title(result) + ":", style="bold"), highlight=False,
                  soft_wrap=True)
    table = Table()
    for col in ("view", "concept", "equilibria"):
        table.add_column(col)
    views = dict(result.views)
    for r in pp.rows:
        table.add_row(views.get(r.view, r.view), r.concept, probabilistic_cell(r.equilibria))
    console.print(table)
