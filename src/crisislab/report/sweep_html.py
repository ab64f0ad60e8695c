"""The HTML section of a sweep: the probability table, a tornado chart and the boxes.

Renders a :class:`~crisislab.uncertainty.results.SweepResult` (inline SVG, no
scripts, no network); computes nothing.
"""

from __future__ import annotations

from html import escape

from crisislab.report.sweep_terminal import (
    _outcome_name,
    outcome_cells,
    pct,
    probabilistic_cell,
    probabilistic_title,
    uncertain_conclusions,
)
from crisislab.uncertainty.results import Conclusion, SweepResult

STYLE = """
body{font-family:system-ui,sans-serif;margin:2em;max-width:75em;color:#222}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.3em .6em;
vertical-align:top;text-align:left}th{background:#f3f3f3}.muted{color:#777}
"""


def _tornado_svg(result: SweepResult, c: Conclusion, uid: str) -> str:
    """The conclusion's tornado as inline SVG: the notebook's figure
    (:func:`crisislab.report.figures.tornado_figure`), rendered offline."""
    if not c.tornado:
        return ""
    from crisislab.report.figures import tornado_figure

    return tornado_figure(result, c, titled=False).to_svg(uid=uid)


def render_sweep_section(result: SweepResult) -> str:
    """The sweep as an HTML <section> (for a report page or a notebook)."""
    out = [f"<section><h2>How robust each conclusion is: {result.samples} samples "
           f"({escape(result.method)}, seed {result.seed})</h2>"]
    if result.partial:
        out.append("<p><b>Partial:</b> the sweep was interrupted; the figures use the "
                   "samples that finished.</p>")
    out.append("<h3>Uncertain inputs</h3><table><tr><th>input</th><th>what</th>"
               "<th>distribution</th><th>evidence</th></tr>")
    for i in result.inputs:
        out.append(f"<tr><td>{escape(i.name)}</td><td>{escape(i.label)}</td>"
                   f"<td>{escape(i.distribution)}</td><td>{escape(i.evidence or '')}</td></tr>")
    out.append("</table>")
    if any(c.kind == "ends" for c in result.conclusions):
        out.append("<h3>Where each policy ends</h3><table><tr><th>policy</th>"
                   + "".join(f"<th>{escape(n)}</th>" for _v, n in result.views) + "</tr>")
        for pid, label in result.policies:
            cells = []
            for vid, _n in result.views:
                items = "<br>".join(f"{escape(_outcome_name(c))} {escape(pct(c))}"
                                    for c in outcome_cells(result, pid, vid))
                cells.append(f"<td>{items or '—'}</td>")
            out.append(f"<tr><th>{escape(label)}</th>{''.join(cells)}</tr>")
        out.append("</table>")
    if result.probabilistic is not None:
        views = dict(result.views)
        out.append(f"<h3>{escape(probabilistic_title(result))}</h3><table><tr><th>view</th>"
                   "<th>concept</th><th>equilibria</th></tr>")
        for r in result.probabilistic.rows:
            out.append(f"<tr><td>{escape(views.get(r.view, r.view))}</td>"
                       f"<td>{escape(r.concept)}</td>"
                       f"<td>{escape(probabilistic_cell(r.equilibria))}</td></tr>")
        out.append("</table>")
    drivers = result.drivers[:5]
    if drivers:
        out.append("<h3>Which input matters most</h3><ol>" + "".join(
            f"<li>{escape(n)} ({e:.2f})</li>" for n, e in drivers) + "</ol>")
    uncertain = uncertain_conclusions(result)[:12]
    if uncertain:
        out.append("<h3>Uncertain conclusions: where they hold and what moves them</h3>"
                   "<table><tr><th>conclusion</th><th>probability</th><th>box (PRIM)</th>"
                   "<th>one at a time (tornado)</th></tr>")
        for k, c in enumerate(uncertain, 1):
            box = ""
            if c.box is not None and c.box_rules:
                box = (" and ".join(escape(r) for r in c.box_rules)
                       + f'<br><span class="muted">density {100 * c.box.density:.0f}%, '
                       f"coverage {100 * c.box.coverage:.0f}%</span>")
            out.append(f"<tr><td>{escape(c.text)}</td><td>{escape(pct(c))}</td>"
                       f"<td>{box}</td><td>{_tornado_svg(result, c, f'tornado-{k}')}</td></tr>")
        out.append("</table>")
    p = result.provenance
    out.append(f'<p class="muted">crisislab {escape(p.version)}, method {escape(p.method)}, '
               f"seed {p.seed}.</p></section>")
    return "\n".join(out)


def render_sweep_html(result: SweepResult) -> str:
    """A self-contained HTML page of the sweep, with a content security policy that allows
    no network and no script."""
    from crisislab.report.safety import with_content_security_policy

    page = (f'<!doctype html><html><head><meta charset="utf-8"><title>'
            f"{escape(result.title)}: sweep</title><style>{STYLE}</style></head><body>"
            f"<h1>{escape(result.title)}</h1>{render_sweep_section(result)}</body></html>\n")
    return with_content_security_policy(page)
