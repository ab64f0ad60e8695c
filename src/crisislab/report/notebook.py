"""Rich display in notebooks: compact HTML for every result (render only).

Each function turns one result into a small HTML fragment a notebook shows
below a cell: the policy x view table with named outcomes, the executive
summary and the cruxes for a :class:`ScenarioAnalysis`; equilibria and
per-actor stability for a stability result; a witness in words with actor
names and ordinal state ids (s1..sN); a game's equilibria; a forecast's
settlement.  Registered with :mod:`crisislab.display` by class name, so the
results call them without importing the report.  Every user string is escaped.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape
from typing import TYPE_CHECKING, Any

from crisislab.compare.analysis import CONCEPT_NAMES, headline
from crisislab.display import count, register

if TYPE_CHECKING:
    from crisislab.compare.analysis import ConflictAnalysis
    from crisislab.compare.scenario_analysis import ScenarioAnalysis

STYLE = ("<style>.crisislab table{border-collapse:collapse;margin:.3em 0}"
         ".crisislab th,.crisislab td{border:1px solid #ccc;padding:.2em .5em;"
         "text-align:left;vertical-align:top}.crisislab .dim{color:#666}"
         ".crisislab .same{color:#888;font-style:italic}</style>")
MAX_ROWS = 30
"""Longer tables show their first rows and say how many more there are."""
CRUXES_SHOWN = 5
SUMMARY_SHOWN = 6


def _e(value: Any) -> str:
    return escape(str(value))


def box(title: str, *parts: str) -> str:
    """A titled block in the notebook's own style."""
    return (f'{STYLE}<div class="crisislab"><p><b>{_e(title)}</b></p>'
            + "".join(parts) + "</div>")


def table(head: Sequence[str], rows: Iterable[Sequence[str]], *, escaped: bool = False,
          limit: int = MAX_ROWS) -> str:
    """An HTML table; cells are escaped unless ``escaped`` (already HTML)."""
    cell = (lambda x: x) if escaped else _e
    rows = list(rows)
    out = "<table><tr>" + "".join(f"<th>{_e(h)}</th>" for h in head) + "</tr>"
    for r in rows[:limit]:
        out += "<tr>" + "".join(f"<td>{cell(c)}</td>" for c in r) + "</tr>"
    out += "</table>"
    if len(rows) > limit:
        out += f'<p class="dim">… {len(rows) - limit} more rows (to_pandas() has all)</p>'
    return out


def _refs(states: Iterable[int]) -> str:
    return ", ".join(f"s{int(s) + 1}" for s in states) or "—"


# -- the analysis ---------------------------------------------------------------------


def policy_view_table(sa: ScenarioAnalysis) -> str:
    """Policies as rows, views as columns: named end outcomes with their state ids, the
    games' headline probabilities, '(as the status quo)' where the policy changes nothing."""
    from crisislab.report.sections import policy_table

    data = policy_table(sa)
    rows = []
    for row in data["rows"]:
        cells = [f"<b>{_e(row['label'])}</b><br><span class='dim'>from {_e(row['start'])}"
                 + (f"; holds {_e(row['commit'])}" if row["commit"] else "") + "</span>"]
        for c in row["cells"]:
            ends = " or ".join(f"{_e(e['label'])} ({_e(e['ref'])})" if e["outcome"]
                               else f"{_e(e['ref'])}" for e in c["ends"]) or "no stable end"
            games = "".join(f"<br><span class='dim'>{_e(g)}</span>"
                            for g in c["games_short"] if g)
            same = "<br><span class='same'>(as the status quo)</span>" if c["same"] else ""
            cells.append(ends + games + same)
        rows.append(cells)
    concept = CONCEPT_NAMES.get(str(data["concept"]), str(data["concept"]))
    return (f"<p class='dim'>Where each policy leads ({_e(concept)}, {_e(data['rule'])} "
            "paths)</p>" + table(["policy", *[v["name"] for v in data["views"]]], rows,
                                 escaped=True))


def crux_list(conflict: ConflictAnalysis, limit: int = CRUXES_SHOWN) -> str:
    """The first crux groups of the headline concept: which conclusions they decide and
    the sentences that explain them."""
    concept = headline(conflict.concepts)
    groups = conflict.crux_groups(concept)
    name = CONCEPT_NAMES.get(concept, concept)
    if not groups:
        if not conflict.cruxes:
            return ""
        return (f"<p><b>Cruxes ({_e(name)})</b>: the views agree on every {_e(name)} "
                f"conclusion; {count(len(conflict.cruxes), 'crux', 'cruxes')} under other "
                "concepts (<code>conflict.cruxes</code>).</p>")
    items = []
    for g in groups[:limit]:
        first = conflict.cruxes[g.members[0]]
        decided = "; ".join(conflict.cruxes[k].text for k in g.members[:3])
        more = len(g.members) - 3
        if more > 0:
            decided += f" (and {more} more)"
        sentences = " ".join(first.sentences)
        items.append(f"<li><b>{_e(decided)}</b>: {_e(sentences)}</li>")
    if not items:
        return ""
    rest = f"<p class='dim'>… {len(groups) - limit} more groups</p>" \
        if len(groups) > limit else ""
    return f"<p><b>Cruxes ({_e(name)})</b></p><ol>{''.join(items)}</ol>{rest}"


@register("crisislab.compare.scenario_analysis.ScenarioAnalysis")
def scenario_analysis_html(sa: ScenarioAnalysis) -> str:
    """The policy x view table first, then the executive summary (its first sentences,
    the rest folded), the cruxes, and the games' and forecasts' cruxes (folded)."""
    from crisislab.compare.engine_cruxes import engine_crux_sentence

    warnings = "".join(f"<p style='color:#a60'>warning: {_e(w)}</p>" for w in sa.warnings)
    names = {v.id: v.name for v in sa.views}
    engine = "".join(f"<li>{_e(engine_crux_sentence(c, names))}</li>"
                     for c in sa.engine_cruxes)
    return box(sa.scenario.metadata.title,
               f"<p class='dim'>{_e(describe_analysis(sa))}</p>", warnings,
               policy_view_table(sa),
               "<p><b>Executive summary</b></p>" + folded(sa.summary, SUMMARY_SHOWN),
               crux_list(sa.conflict),
               f"<details><summary><b>Cruxes of the games and forecasts</b> "
               f"({len(sa.engine_cruxes)})</summary><ul>{engine}</ul></details>"
               if engine else "")


def folded(sentences: Sequence[str], shown: int) -> str:
    """A list whose first ``shown`` items are visible and the rest folded."""
    head = "".join(f"<li>{_e(x)}</li>" for x in sentences[:shown])
    rest = "".join(f"<li>{_e(x)}</li>" for x in sentences[shown:])
    more = (f"<details><summary>{len(sentences) - shown} more</summary><ul>{rest}</ul>"
            "</details>") if rest else ""
    return f"<ul>{head}</ul>{more}"


def describe_analysis(sa: ScenarioAnalysis) -> str:
    """One line: what the analysis holds (also its compact ``repr``)."""
    ends = sum(len(c.ends) for c in sa.cells)
    return (f"{count(len(sa.policies), 'policy', 'policies')} x "
            f"{count(len(sa.views), 'view')}, {count(ends, 'end state')}, "
            f"{count(len(sa.games), 'game solution')}, {count(len(sa.forecasts), 'forecast')}, "
            f"{count(len(sa.conflict.cruxes), 'crux', 'cruxes')}")


@register("crisislab.compare.analysis.ConflictAnalysis")
def conflict_analysis_html(ca: ConflictAnalysis) -> str:
    """A conflict analysis in a notebook: equilibria per view and concept, states in words."""
    rows = [[vr.view.name, *[", ".join(ca.state_id(s) for s in vr.equilibria(c)) or "—"
                             for c in ca.concepts]] for vr in ca.views]
    legend = sorted({s for vr in ca.views for c in ca.concepts for s in vr.equilibria(c)})
    return box(ca.scenario.metadata.title,
               table(["view", *[CONCEPT_NAMES.get(c, c) for c in ca.concepts]], rows),
               table(["state", "what happens"], [[ca.state_id(s), ca.describe(s)]
                                                 for s in legend]),
               crux_list(ca))


# -- engine results ------------------------------------------------------------------


@register("crisislab.conflict.stability.StabilityResult")
def stability_html(res: Any) -> str:
    """A stability result in a notebook: equilibria per concept and each state's verdicts."""
    g = res.graph
    eq_rows = [[CONCEPT_NAMES.get(c, c), _refs(res.equilibria(c))] for c in res.concepts]
    marks = []
    for s in range(g.n_states):
        row = [f"s{s + 1}", g.names[s] if g.names is not None else str(int(g.codes[s]))]
        for c in res.concepts:
            col = res.stable[c][:, s]
            row.append("E" if col.all() else
                       " ".join(a for a, ok in zip(g.actors, col, strict=True) if ok) or "·")
        marks.append(row)
    head = ["state", "name" if g.names is not None else "code",
            *[CONCEPT_NAMES.get(c, c) for c in res.concepts]]
    return box(f"Stability: {count(g.n_states, 'state')}, actors {', '.join(g.actors)}, "
               f"sanctions {res.mode}",
               table(["concept", "equilibria"], eq_rows),
               "<p class='dim'>Stable for (E: every actor)</p>", table(head, marks))


@register("crisislab.conflict.witness.Witness")
def witness_html(w: Any) -> str:
    """A witness in a notebook: its verdict, then the reasons as a list."""
    lines = w.describe().splitlines()
    items = "".join(f"<li>{_e(x.removeprefix('- '))}</li>" for x in lines[1:])
    return box(lines[0], f"<ul>{items}</ul>" if items else "")


@register("crisislab.conflict.status_quo.StatusQuoResult")
def status_quo_html(res: Any) -> str:
    """Where the conflict goes from the status quo, one path per equilibrium (or unreachable)."""
    actors = res.graph.actors
    rows = []
    for e in res.equilibria:
        steps = res.paths.get(e)
        path = "unreachable" if steps is None else " → ".join(
            [f"s{res.status_quo + 1}"] + [f"{actors[st.actor]}: s{st.target + 1}"
                                           for st in steps])
        rows.append([f"s{e + 1}", path])
    return box(f"From the status quo s{res.status_quo + 1} "
               f"({CONCEPT_NAMES.get(res.concept, res.concept)} equilibria)",
               table(["equilibrium", "path"], rows))


@register("crisislab.games.results.GameSolution")
def game_solution_html(sol: Any) -> str:
    """A game's equilibria in a notebook, with outcome probabilities and payoffs."""
    outcomes = sorted({o for eq in sol.equilibria for o in eq.outcome_probabilities})
    rows = [[str(k + 1), eq.found_by,
             *[f"{100 * eq.outcome_probabilities.get(o, 0.0):.1f}%" for o in outcomes],
             ", ".join(f"{p}: {v:.3g}" for p, v in sorted(eq.expected_payoffs.items()))]
            for k, eq in enumerate(sol.equilibria)]
    search = "search complete" if sol.complete else "search not complete"
    notes = "".join(f"<li>{_e(n)}</li>" for n in sol.notes)
    return box(f"{sol.title}: {count(len(sol.equilibria), 'equilibrium', 'equilibria')}",
               f"<p class='dim'>{_e(sol.method)}, {search}; actors "
               f"{_e(', '.join(sol.players))}</p>",
               table(["#", "found by", *[f"P({o})" for o in outcomes], "expected payoffs"],
                     rows), f"<ul>{notes}</ul>" if notes else "")


def _forecast_row(f: Any) -> list[str]:
    rounds = max(len(f.rounds) - 1, 0)
    return [f.issue, f.model, f.lens or "base case",
            ", ".join(f"{d} {v:.1f}" for d, v in zip(f.dimensions, f.forecast, strict=True)),
            f"{rounds} rounds, {'converged' if f.converged else f.stop_reason}"
            if f.rounds else f.stop_reason]


@register("crisislab.bargaining.results.Forecast")
def forecast_html(f: Any) -> str:
    """One forecast in a notebook."""
    return box(f"Forecast of {f.issue} ({f.model})",
               table(["issue", "model", "view", "settles at", "how"], [_forecast_row(f)]))


@register("crisislab.bargaining.results.ForecastSet")
def forecast_set_html(fs: Any) -> str:
    """Every forecast of a set in one table."""
    return box(f"{count(len(fs.forecasts), 'forecast')}",
               table(["issue", "model", "view", "settles at", "how"],
                     [_forecast_row(f) for f in fs.forecasts]))


@register("crisislab.compare.scenario_diff.ScenarioDiff")
def scenario_diff_html(d: Any) -> str:
    """A scenario diff in a notebook: the changes by section and, when analysed, the conclusions
    that differ."""
    changes = [[section if k == 0 else "", c.text()]
               for section, items in d.by_section().items() for k, c in enumerate(items)]
    parts = [table(["section", "difference"], changes) if changes
             else "<p>The scenarios are identical.</p>",
             f"<p class='dim'>{_e(d.note)}</p>"]
    if d.analysed:
        rows = [[f"{c.kind}: {c.subject}", c.a, c.b, " ".join(c.decided_by[:3]) or "—"]
                for c in d.conclusions]
        parts.append(table(["conclusion", "in A", "in B", "decided by"], rows) if rows
                     else f"<p>No conclusion differs ({d.same_conclusions} compared).</p>")
    return box(f"A: {d.a_name} · B: {d.b_name}", *parts)


@register("crisislab.uncertainty.results.SweepResult")
def sweep_html(result: Any) -> str:
    """A sweep: where each policy ends with what probability, the inputs that matter,
    the uncertain conclusions with their boxes and tornado charts (the HTML report's
    section, in the notebook's scoped style)."""
    from crisislab.report.sweep_html import render_sweep_section

    return box(f"Sweep: {result.title}", render_sweep_section(result))
