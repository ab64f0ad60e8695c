"""The terminal report: the executive summary first, details on request.

The summary answers, in this order: where each starting point leads under
each view; which conclusions the views disagree on and the assumptions that
decide them (cruxes, with the evidence behind each side); which outcomes hold
in every actor's own view (hypergame).  ``details=True`` adds equilibria per
view and concept, the state table and the "what if" changes of perception.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from crisislab.compare.analysis import CONCEPT_NAMES, ConflictAnalysis, Crux
from crisislab.compare.explain import assumption_text
from crisislab.compare.scenario_analysis import ScenarioAnalysis
from crisislab.model.describe import actor_name
from crisislab.report.data import headline_concept


def _sid(analysis: ConflictAnalysis, s: int) -> str:
    return analysis.state_id(s)


def _grouped(analysis: ConflictAnalysis, states: Sequence[int], shown: int | None = 6,
             sep: str = "; ") -> str:
    """States by named outcome first, their ids after (graph form: the ids)."""
    from crisislab.report.sections import outcome_groups_text

    if analysis.model.space.is_graph_form:
        return ", ".join(_sid(analysis, s) for s in states) or "—"
    return outcome_groups_text(states, analysis.by_outcome(states), shown, "—", sep)


def _states_short(analysis: ConflictAnalysis, states: Sequence[int], limit: int = 4) -> str:
    if not states:
        return "—"
    shown = [f"{_sid(analysis, s)}: {analysis.describe(s)}" for s in list(states)[:limit]]
    more = f"\n… and {len(states) - limit} more" if len(states) > limit else ""
    return "\n".join(shown) + more


def view_names(analysis: ConflictAnalysis) -> dict[str, str]:
    """View id -> display name, for table headers."""
    return {vr.view.id: vr.view.name for vr in analysis.views}


def paths_table(analysis: ConflictAnalysis, concept: str) -> Group:
    """Where each start leads under each view: state ids in the cells, words once below."""
    name = CONCEPT_NAMES.get(concept, concept)
    how = "credible moves" if analysis.paths == "credible" else "unilateral improvements"
    table = Table(title=f"Where each starting point leads ({name} equilibria reachable by "
                  f"{how})", show_lines=True, expand=True)
    table.add_column("start", style="bold", overflow="fold")
    for vr in analysis.views:
        table.add_column(vr.view.name, overflow="fold")
    ends: set[int] = set()
    for sid, label, start in analysis.model.start_states():
        row = [f"{label} ({_sid(analysis, start)})"]
        for vr in analysis.views:
            reached = sorted(vr.paths[sid][concept])
            ends.update(reached)
            row.append(", ".join(_sid(analysis, s) for s in reached) or "—")
        table.add_row(*row)
    starts = sorted({st for _i, _l, st in analysis.model.start_states()})
    legend = Text()
    for s in sorted(ends | set(starts)):
        legend.append(f"{_sid(analysis, s)}", style="bold")
        legend.append(f"  {analysis.describe(s)}\n")
    return Group(table, legend)


def grouped_cruxes(analysis: ConflictAnalysis, concept: str | None = None) \
        -> list[tuple[tuple[str, str], tuple[tuple[int, ...], ...], Crux, list[Crux]]]:
    """Cruxes sharing view pair and minimal sets, with every conclusion they decide."""
    out = []
    for g in analysis.crux_groups(concept):
        crs = [analysis.cruxes[k] for k in g.members]
        out.append(((g.view_a, g.view_b), g.sets, crs[0], crs))
    return out


def crux_panels(analysis: ConflictAnalysis, concept: str, limit: int = 6) -> list[Panel]:
    """One panel per pair of views that disagree: where each ends and the assumptions that decide
    it (at most ``limit``)."""
    names = view_names(analysis)
    panels = []
    for (va, vb), sets, first, crs in grouped_cruxes(analysis, concept)[:limit]:
        lines: list[RenderableType] = []
        decided = "; ".join(c.text for c in crs[:4])
        extra = len(crs) - 4
        more = f" (and {extra} more conclusion{'s' if extra > 1 else ''})" if extra > 0 else ""
        lines.append(Text(f"Decides {decided}{more}.", style="bold"))
        if not sets and not first.assumptions:
            lines.append(Text("The views hold the same preferences: the states their holders "
                              "do not perceive decide it."))
        elif not sets:
            lines.append(Text("No set of these assumptions alone flips it."))
        singles = [s for s in sets if len(s) == 1]
        if len(singles) > 1:
            lines.append(Text(f"Any one of {len(singles)} assumptions flips it:"))
        for s in sets:
            prefix = "• " if len(s) == 1 else f"• together ({len(s)}): "
            body = " ".join(assumption_text(analysis.scenario, first.assumptions[i],
                                            names[va], names[vb]) for i in s)
            lines.append(Text(prefix + body))
        if not first.exhaustive:
            lines.append(Text("(search partial: deletion filter over many assumptions)",
                              style="dim"))
        panels.append(Panel(Group(*lines), title=f"{names[vb]} vs {names[va]}",
                            title_align="left"))
    return panels


def hypergame_text(analysis: ConflictAnalysis, concept: str) -> RenderableType | None:
    """The hypergame's equilibria when actors see the conflict differently (None without lenses
    of perception)."""
    hg = analysis.hypergame_reading(concept)
    if hg is None:
        return None
    name = CONCEPT_NAMES.get(concept, concept)
    lines = [Text(f"Stable for every actor in the game as that actor sees it ({name}):",
                  style="bold"), Text(_states_short(analysis, hg.equilibria, 6))]
    if hg.misperception:
        lines.append(Text(f"Held only by misperception (not {name} equilibria of the base "
                          f"case): {_grouped(analysis, hg.misperception)}"))
    for a, exp in hg.expected:
        lines.append(Text(f"{actor_name(analysis.scenario, a)} expects to persist: "
                          f"{_grouped(analysis, exp)}"))
    return Panel(Group(*lines), title="Hypergame", title_align="left")


def coalition_text(analysis: ConflictAnalysis, limit: int = 6) -> RenderableType | None:
    """Can any pair of actors, acting together, reach an outcome both prefer?"""
    if len(analysis.model.space.actors) < 3:
        return None
    imps = analysis.coalitions
    concept = CONCEPT_NAMES.get(headline_concept(analysis), "")
    if not imps:
        return Panel(Text(f"No pair of actors, acting together, can move the crisis from the "
                          f"status quo or a {concept} equilibrium to an outcome both prefer."),
                     title="Joint moves of two actors", title_align="left")
    sc = analysis.scenario
    by_pair: dict[tuple[str, ...], list[Any]] = defaultdict(list)
    sq = [st for sid, _l, st in analysis.model.start_states() if sid == "status_quo"]
    for imp in sorted(imps, key=lambda m: (m.source not in sq, m.source, m.target)):
        by_pair[imp.coalition].append(imp)
    lines: list[RenderableType] = [Text(
        f"From the status quo and the base case's {concept} equilibria, these pairs can move "
        "the crisis together to an outcome both prefer:", style="bold")]
    for pair, items in sorted(by_pair.items()):
        who = " and ".join(actor_name(sc, a) for a in pair)
        shown = items[:2]
        for imp in shown:
            lines.append(Text(f"• {who}: {_sid(analysis, imp.source)} → "
                              f"{_sid(analysis, imp.target)} ({analysis.describe(imp.target)})"))
        if len(items) > len(shown):
            lines.append(Text(f"  … {len(items) - len(shown)} more joint moves for {who}",
                              style="dim"))
    lines.append(Text("Coalition stability: crisislab coalitions FILE.", style="dim"))
    return Panel(Group(*lines[: limit * 3]), title="Joint moves of two actors",
                 title_align="left")


def equilibria_table(analysis: ConflictAnalysis, details: bool = False,
                     concept: str | None = None) -> Table:
    """The equilibria of every view: the overview a reader compares across views.

    Where the scenario names outcomes, the summary shows how many equilibria of the
    headline ``concept`` each outcome has in each view (rows outcomes, columns views);
    ``details`` (or a scenario without named outcomes) shows every concept with the
    state ids, grouped by outcome."""
    grouped = bool(analysis.scenario.outcomes) and not analysis.model.space.is_graph_form
    if grouped and not details:
        c = concept or analysis.concepts[-1]
        name = CONCEPT_NAMES.get(c, c)
        table = Table(title=f"Equilibria by outcome ({name}; every concept and the states: "
                            "--details)", expand=True)
        table.add_column("outcome", style="bold", overflow="fold")
        for vr in analysis.views:
            table.add_column(vr.view.name, justify="right", overflow="fold")
        rows = analysis.outcome_counts(c)
        for label, counts in rows:
            table.add_row(label, *[str(n) for n in counts])
        if not rows:
            table.add_row("no equilibrium", *["0" for _ in analysis.views])
        return table
    table = Table(title="Equilibria per view and concept", show_lines=True, expand=True)
    table.add_column("view", style="bold")
    for c in analysis.concepts:
        table.add_column(CONCEPT_NAMES.get(c, c), overflow="fold")
    for vr in analysis.views:
        table.add_row(vr.view.name, *[_grouped(analysis, vr.equilibria(c), None, "\n")
                                      for c in analysis.concepts])
    return table


def states_table(analysis: ConflictAnalysis, view: str = "base") -> Table:
    """Every state of one view with its code and stability per concept (``--details``)."""
    space = analysis.model.space
    vr = analysis.view(view)
    table = Table(title=f"States and stability ({vr.view.name})", expand=True)
    table.add_column("state")
    table.add_column("code", justify="right")
    table.add_column("what happens", overflow="fold")
    for c in analysis.concepts:
        table.add_column(CONCEPT_NAMES.get(c, c), justify="center")
    for s in range(space.n):
        marks: list[str | Text] = []
        for c in analysis.concepts:
            col = vr.stable[c][:, s]
            marks.append(Text("E", style="green") if col.all() else
                         "".join(a[0] if ok else "·" for a, ok in zip(space.actors, col,
                                                                        strict=True)))
        table.add_row(_sid(analysis, s), str(int(space.codes[s])), analysis.describe(s), *marks)
    return table


def what_if_table(analysis: ConflictAnalysis, concept: str, limit: int = 12) -> Table | None:
    """The perception changes that would create new equilibria (None when none does), at most
    ``limit``."""
    rows = [w for w in analysis.what_if if w.concept == concept and w.new_equilibria]
    if not rows:
        return None
    name = CONCEPT_NAMES.get(concept, concept)
    table = Table(title=f"What if one perception changed: new {name} equilibria of the "
                  "perceiver's game", expand=True)
    table.add_column("change of perception", overflow="fold")
    table.add_column("becomes stable", overflow="fold")
    for w in rows[:limit]:
        table.add_row(w.change, ", ".join(_sid(analysis, s) for s in w.new_equilibria))
    if len(rows) > limit:
        table.caption = f"{len(rows) - limit} more in --json"
    return table


def forecast_table(sections: Sequence[dict[str, Any]]) -> Group:
    """Negotiation forecasts beside the conflict analysis: one row per model (and view),
    one column per issue; each issue's scale is spelt out below."""
    table = Table(title="Where the negotiations settle (crisislab forecast for details)",
                  expand=True)
    table.add_column("model · view", style="bold", overflow="fold")
    for sec in sections:
        table.add_column(sec["issue"], justify="right", overflow="fold")
    names = list(dict.fromkeys(m["name"] for sec in sections for m in sec["models"]))
    values = [{m["name"]: m["forecast"] for m in sec["models"]} for sec in sections]
    for name in names:
        table.add_row(name, *[f"{v[name]:.1f}" if name in v else "—" for v in values])
    scales = Text()
    for sec in sections:
        sc = sec["scale"]
        scales.append(f"{sec['issue']}: ", style="bold")
        scales.append(f"{sc['min']:g} = {sc['min_label']} … {sc['max']:g} = {sc['max_label']}\n")
    return Group(table, scales)


def games_table(sections: Sequence[dict[str, Any]]) -> Table:
    """Outcome probabilities of each game under each view (crisislab solve for details)."""
    table = Table(title="Uncertain resolve: outcome probabilities in equilibrium "
                  "(crisislab solve for details)", expand=True)
    table.add_column("game", style="bold", overflow="fold")
    table.add_column("view")
    table.add_column("outcomes", overflow="fold")
    for sec in sections:
        for k, row in enumerate(sec["summary_rows"]):
            table.add_row(sec["title"] if k == 0 else "", row["label"], row["value"])
    return table


def _header(analysis: ConflictAnalysis, console: Console) -> None:
    sc = analysis.scenario
    space = analysis.model.space
    head = Text(sc.metadata.title, style="bold")
    sub = (f"{len(sc.actors)} actors · {len(sc.options)} options · {space.n} feasible states · "
           f"{len(analysis.views)} views · concepts: "
           + ", ".join(CONCEPT_NAMES.get(c, c) for c in analysis.concepts)
           + f" · sanctions: {analysis.mode} · paths: {analysis.paths}")
    console.print(Panel(Group(head, Text(sub, style="dim")), title="crisislab"))


def crux_status(analysis: ConflictAnalysis) -> str | None:
    """What to say when no crux panel is shown: skipped, or the views truly agree."""
    if not analysis.cruxes_searched:
        return ("The crux search was skipped (--no-cruxes): where the views differ is shown "
                "in the tables, but which assumptions decide it was not computed.")
    if len(analysis.views) > 1 and not analysis.cruxes:
        pairs = ", ".join(f"{a} vs {b}" for a, b in analysis.compared_pairs())
        searched = analysis.searched()
        which = "" if searched == analysis.concepts \
            else " or ".join(CONCEPT_NAMES.get(c, c) for c in searched) + " "
        return f"The views agree on every {which}conclusion compared ({pairs}): no crux."
    return None


def render(analysis: ConflictAnalysis, console: Console, *, details: bool = False,
           forecasts: Sequence[dict[str, Any]] | None = None,
           games: Sequence[dict[str, Any]] | None = None, header: bool = True,
           paths: bool = True, skipped_note: bool = True) -> None:
    """Print the report."""
    concept = headline_concept(analysis)
    if header:
        _header(analysis, console)
        console.rule("Executive summary")
    if paths and analysis.model.start_states():
        console.print(paths_table(analysis, concept))
    panels = crux_panels(analysis, concept)
    if panels:
        console.print(Text(f"What decides it — the cruxes ({CONCEPT_NAMES.get(concept)})",
                           style="bold underline"))
        for p in panels:
            console.print(p)
    status = crux_status(analysis)
    if status is not None and (skipped_note or analysis.cruxes_searched):
        console.print(status)
    hyper = hypergame_text(analysis, concept)
    if hyper is not None:
        console.print(hyper)
    joint = coalition_text(analysis)
    if joint is not None:
        console.print(joint)
    console.print(equilibria_table(analysis, details, concept))
    if games:
        console.print(games_table(games))
    if forecasts:
        console.print(forecast_table(forecasts))
    if not details:
        console.print(Text("More: --details (states, stability per actor, what-if), "
                           "--explain STATE (why a state is or is not stable), --html, --json.",
                           style="dim"))
        return
    console.rule("Details")
    console.print(states_table(analysis))
    wt = what_if_table(analysis, concept)
    if wt is not None:
        console.print(wt)


def print_mixed(analysis: ConflictAnalysis, mixed: Any, console: Console) -> None:
    """Equilibria when each actor uses its own solution concept (GMCR II's per-DM choice)."""
    who = ", ".join(f"{actor_name(analysis.scenario, a)}: {c}"
                    for a, c in sorted(mixed.concepts.items()))
    eq = mixed.equilibria
    console.print(Panel(Text(_states_short(analysis, eq, 8)),
                        title=f"Equilibria with one concept per actor ({who})",
                        title_align="left"))


def policy_table(sa: ScenarioAnalysis) -> Group:
    """Policies as rows, views as columns: end outcomes, the games' P(war) and P(deal),
    and the forecast; states in words once below."""
    from crisislab.report.sections import policy_table as table_data

    data = table_data(sa)
    name = CONCEPT_NAMES.get(str(data["concept"]), str(data["concept"]))
    table = Table(title=f"Where each policy leads ({name}, {data['rule']} paths)",
                  show_lines=True, expand=True)
    table.add_column("policy", style="bold", overflow="fold")
    for v in data["views"]:
        table.add_column(v["name"], overflow="fold")
    refs: set[int] = set()
    for row in data["rows"]:
        cells = [f"{row['label']} (from {row['start']})"
                 + (f"\n{row['coalitions']}" if row["coalitions"] else "")]
        for cell in row["cells"]:
            ends = [f"{e['label']} ({e['ref']})" if e["outcome"] else e["ref"]
                    for e in cell["ends"]] or ["no stable end"]
            parts = [" or ".join(ends), *cell["games_short"]]
            if cell["same"]:
                parts.append("(as the status quo)")
            cells.append("\n".join(p for p in parts if p))
        table.add_row(*cells)
    issues = list(dict.fromkeys(f.label for f in sa.forecasts if f.model == "challenge"))
    if issues and data["views"]:
        values = []
        for v in data["views"]:
            mine = {f.label: f.value for f in sa.forecasts
                    if f.model == "challenge" and f.view == v["id"]}
            base = {f.label: f.value for f in sa.forecasts
                    if f.model == "challenge" and f.view == "base"}
            values.append(" / ".join(f"{mine.get(i, base.get(i, float('nan'))):.0f}"
                                     for i in issues))
        table.add_row("Forecast: " + " / ".join(issues), *values)
    for c in sa.cells:
        refs.update(e.state for e in c.ends)
    refs.update(p.start for p in sa.policies)
    legend = Text()
    for s in sorted(refs):
        legend.append(f"s{s + 1}", style="bold")
        legend.append(f"  {sa.conflict.describe(s)}\n")
    return Group(table, legend)


def summary_text(sa: ScenarioAnalysis, console: Console) -> None:
    """The executive summary's sentences, wrapped at word boundaries."""
    for sentence in sa.summary:
        console.print(Text(sentence), highlight=False)


def render_scenario(sa: ScenarioAnalysis, console: Console, *, details: bool = False) -> None:
    """The report of a :class:`ScenarioAnalysis`: the summary and the policy x view table
    first, then the conflict's cruxes, hypergame, equilibria, games and forecasts."""
    from crisislab.report.sections import (
        forecast_sections,
        game_sections,
        held_policy_hypergames,
    )

    _header(sa.conflict, console)
    console.rule("Executive summary")
    summary_text(sa, console)
    for warning in sa.warnings:
        console.print(Text(f"warning: {warning}", style="yellow"))
    if sa.policies:
        console.print(policy_table(sa))
    for label, text in held_policy_hypergames(sa):
        console.print(Text(f"Hypergame under {label} (commitment held): "
                           f"stable for every actor in its own view: {text}"))
    if sa.comparisons:
        console.print(Text("Views compared: " + "; ".join(
            f"{sa.view_name(c.view_b)} vs {sa.view_name(c.view_a)} ({c.differing} differing "
            "conclusion" + ("s" if c.differing != 1 else "") + ")" for c in sa.comparisons),
            style="dim"))
    render(sa.conflict, console, details=details, header=False, paths=False,
           skipped_note=False,  # the summary already says the search was skipped
           games=game_sections(sa) or None, forecasts=forecast_sections(sa) or None)
