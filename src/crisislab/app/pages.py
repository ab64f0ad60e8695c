"""The app's HTML: the page and the fragments it swaps in, rendered from the analysis.

Jinja2 templates in ``templates/`` with autoescaping on, so every user string
(scenario text, names, labels, error values) reaches the page escaped.  The
figures are the report's own: the policy x view table and the games' and
forecasts' sections come from :mod:`crisislab.report.sections`, the sentences
from the analysis's executive summary and cruxes.  Nothing here computes.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import jinja2

from crisislab._version import __version__
from crisislab.app.beliefs import Control, Value

if TYPE_CHECKING:
    from crisislab.app.workspace import Workspace
    from crisislab.compare.scenario_analysis import ScenarioAnalysis

CRUXES_SHOWN = 12
CRUX_LIMIT_CONFLICT = 8


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.PackageLoader("crisislab.app", "templates"),
                              autoescape=True, trim_blocks=True, lstrip_blocks=True)


def page(workspace: str, text: str, name: str, builtins: Sequence[str]) -> str:
    """The whole page, opening with ``text`` in the editor."""
    return _environment().get_template("page.html.j2").render(
        workspace=workspace, text=text, name=name, builtins=builtins, version=__version__)


def _cruxes(full: ScenarioAnalysis) -> list[dict[str, Any]]:
    """The full run's cruxes in words: where a policy leads first, then the games'."""
    conflict = sorted(full.conflict.cruxes,
                      key=lambda c: (c.conclusion.kind == "equilibrium", len(c.sets[0])
                                     if c.sets else 99))
    out = [{"views": f"{full.view_name(c.view_a)} vs {full.view_name(c.view_b)}",
            "text": c.text, "sentences": list(c.sentences[:2])}
           for c in conflict[:CRUX_LIMIT_CONFLICT]]
    out += [{"views": f"{full.view_name(c.view_a)} vs {full.view_name(c.view_b)}",
             "text": f"{c.text}: {c.value_a} vs {c.value_b}",
             "sentences": ["Decided by " + "; ".join(
                 " and ".join(c.assumptions[i].key for i in s) for s in c.sets) + "."]}
            for c in full.engine_cruxes[:CRUXES_SHOWN - len(out)]]
    return out


SEARCHING = ("The crux search under these beliefs is running: the cruxes below are the "
             "last full run's until it finishes.")


def results(ws: Workspace, *, cruxes_pending: bool = False) -> str:
    """The results pane: what changed, the table, the summary, cruxes, games, forecasts.

    After a belief change the analysis shown has no cruxes until the background search
    finishes (``cruxes_pending``); until then the pane shows the last full run's
    cruxes, says so, and the page polls for the search."""
    from crisislab.report.sections import forecast_sections, game_sections, policy_table

    sa, full = ws.current, ws.full
    assert sa is not None and full is not None
    flipped = {(f.policy, f.view) for f in ws.last_flips}
    own = sa.cruxes_searched  # this analysis searched its own cruxes
    source = sa if own else full
    summary = list(sa.summary)
    if cruxes_pending:  # not "skipped": it is on its way
        summary = [SEARCHING if s.startswith("The crux search was skipped") else s
                   for s in summary]
    return _environment().get_template("results.html.j2").render(
        ws=ws.id, table=policy_table(sa), flipped=flipped, flips=ws.last_flips,
        summary=summary, warnings=sa.warnings, cruxes=_cruxes(source),
        n_cruxes=len(source.conflict.cruxes) + len(source.engine_cruxes),
        cruxes_searched=full.cruxes_searched, changed=bool(ws.beliefs),
        cruxes_current=own, cruxes_pending=cruxes_pending, crux_job=ws.crux_job,
        games=game_sections(sa), forecasts=forecast_sections(sa),
        title=sa.scenario.metadata.title)


def controls(items: Sequence[Control], beliefs: Mapping[str, Value]) -> str:
    """The belief controls, grouped, at their current values."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for c in items:
        value = beliefs.get(c.id, c.value)
        groups.setdefault(c.group, []).append({
            "id": c.id, "kind": c.kind, "label": c.label, "value": value,
            "original": c.value, "low": c.low, "high": c.high, "step": c.step,
            "note": c.note, "toggle": c.kind in ("statement", "override")})
    return _environment().get_template("controls.html.j2").render(
        groups=groups, original=json.dumps({c.id: c.value for c in items}))
