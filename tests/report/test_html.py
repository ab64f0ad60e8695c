"""The HTML report of korea-2017: content, self-containment, determinism, drawing.

The report is checked as a reader would: the scenario, every view, the cruxes
with their quotes, the state graph with one node per feasible state, the
sources; no external resource; and, where Debian's ``chromium`` is installed,
a headless screenshot that is a real, non-blank picture and the rendered DOM
(``--dump-dom``) with every named section filled.
"""

from __future__ import annotations

import copy
import itertools
import math
import re
import shutil
import struct
import subprocess
import tempfile
import zlib
from pathlib import Path
from typing import Any

import pytest
from dom_tree import Node, parse
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import escape

from crisislab.compare.analysis import ConflictAnalysis, analyse
from crisislab.formats.scenario import load
from crisislab.report import svg
from crisislab.report.data import analysis_dict
from crisislab.report.html import crux_groups, render_data, render_html
from crisislab.report.terminal import grouped_cruxes


@pytest.fixture(scope="module")
def analysis() -> ConflictAnalysis:
    return analyse(load())


@pytest.fixture(scope="module")
def data(analysis: ConflictAnalysis) -> dict[str, Any]:
    d = analysis_dict(analysis)
    return d


@pytest.fixture(scope="module")
def page(analysis: ConflictAnalysis) -> str:
    return render_html(analysis)


@pytest.fixture(scope="module")
def full_page(data: dict[str, Any]) -> str:
    """Every state drawn (korea-2017's 186 states exceed the default limit)."""
    return render_data(data, max_graph_states=1000)


def _e(text: str) -> str:
    """Text as the autoescaping templates write it."""
    return str(escape(text))


def _section(page: str, sid: str) -> str:
    start = page.index(f'<section class="card" id="{sid}">')
    return page[start:page.index("</section>", start)]


def _svg(page: str, uid: str) -> str:
    start = page.index(f'id="{uid}"')
    return page[start:page.index("</svg>", start)]


def test_key_content(page: str, analysis: ConflictAnalysis) -> None:
    sc = analysis.scenario
    assert _e(sc.metadata.title) in page
    assert "<title>" in page and sc.metadata.date and sc.metadata.date in page
    for vr in analysis.views:
        assert _e(vr.view.name) in page, vr.view.name
    for source in sc.metadata.sources:
        assert _e(source.citation) in _section(page, "evidence")
    for actor in sc.actors:
        assert _e(actor.name) in page
    # The table of contents links every section that is there.
    for sid in ("summary", "graph", "stability", "cruxes", "evidence"):
        assert f'href="#{sid}"' in page and f'id="{sid}"' in page


def test_cruxes_show_both_sides_with_their_quotes(page: str, data: dict[str, Any]) -> None:
    groups = crux_groups(data, data["headline_concept"])
    assert groups, "korea-2017's lenses disagree, so there must be cruxes"
    cruxes = _section(page, "cruxes")
    summary = _section(page, "summary")
    # The article's own words behind Beijing's reading of a cornered Pyongyang.
    quote = "Pyongyang is much more likely to ramp up its provocative activities"
    assert quote in cruxes
    first = groups[0]
    for i in first["sets"][0]:
        assumption = first["first"]["assumptions"][i]
        assert _e(assumption["question"]) in cruxes
        for side in assumption["sides"].values():
            evidence = side["quote"] or side["assumption"]
            if evidence:
                assert _e(evidence) in cruxes
                assert _e(evidence) in summary  # the top crux leads the summary
    # The plain-words sentence leads the summary.
    assert _e(first["first"]["sentences"][0]) in summary


def test_crux_grouping_matches_the_terminal(analysis: ConflictAnalysis,
                                            data: dict[str, Any]) -> None:
    for concept in analysis.concepts:
        ours = crux_groups(data, concept)
        theirs = grouped_cruxes(analysis, concept)
        assert [g["views"] for g in ours] == [pair for pair, *_ in theirs]
        assert [[tuple(s) for s in g["sets"]] for g in ours] == \
            [[tuple(s) for s in sets] for _p, sets, _f, _c in theirs]
        assert [[c["conclusion"]["text"] for c in g["cruxes"]] for g in ours] == \
            [[c.text for c in crs] for *_x, crs in theirs]


def test_state_graph_has_one_node_per_feasible_state(full_page: str,
                                                    analysis: ConflictAnalysis) -> None:
    # Feasible configurations by hand: US {none, embargo, embargo+press, freeze talks,
    # strike, embargo+strike, embargo+press+strike} = 7; China {none, cut ties, broker,
    # joint, cut+joint, broker+joint} = 6; North Korea {none, freeze, provoke,
    # freeze+denuclearize} = 4 without a strike, and retaliate too with one = 5.
    # 4 * 6 * 4 + 3 * 6 * 5 = 186 states.
    n = 186
    assert analysis.model.space.n == n
    for k, vr in enumerate(analysis.views):
        graph = _svg(full_page, f"graph-{k}")
        assert graph.count('class="node"') == n, vr.view.name
        nodes = re.findall(r'data-state="(s\d+)"', graph)
        assert sorted(nodes) == sorted(f"s{i}" for i in range(1, n + 1))
        assert graph.count("<title>") >= n  # hover words for every state


def test_graph_draws_improvements_and_start_paths(full_page: str,
                                                  data: dict[str, Any]) -> None:
    concept = data["headline_concept"]
    for k, view in enumerate(data["views"]):
        steps = {(s["actor"], s["from"], s["to"]) for per in view["paths"].values()
                 for item in per[concept] for s in item["path"]}
        # moves are ordinal ids; payoffs are listed by position (ordinal id - 1)
        improvements = {(a, f, t) for a in data["actors"] for f, t in data["moves"][a]
                        if view["payoffs"][a][t - 1] > view["payoffs"][a][f - 1]}
        graph = _svg(full_page, f"graph-{k}")
        assert graph.count('class="move path"') == len(steps)
        assert graph.count('class="move"') == len(improvements - steps)
        assert steps <= improvements  # paths follow unilateral improvements
        eq = len(view["equilibria"][concept])
        assert graph.count('fill="#1f2937" stroke="#1f2937"') == eq


def test_grid_layout_puts_each_actors_moves_on_one_axis(data: dict[str, Any],
                                                        analysis: ConflictAnalysis) -> None:
    """US and China choose the column, North Korea the row: 7 * 6 = 42 columns by 5 rows
    (North Korea: none, freeze, provoke, freeze+denuclearize, retaliate)."""
    from crisislab.report.html import _Report

    configs, names = _Report(data)._configs()
    assert [len(n) for n in names] == [7, 6, 5]
    nodes = [svg.GraphNode(f"s{i}", configs[i], "") for i in sorted(configs)]
    lay = svg.grid_layout(nodes, 3)
    assert (len(lay.col_keys), len(lay.row_keys)) == (42, 5)
    assert lay.col_actors == (0, 1) and lay.row_actors == (2,)
    for actor, pairs in data["moves"].items():
        for f, t in pairs:
            (cf, rf), (ct, rt) = lay.cells[f"s{f}"], lay.cells[f"s{t}"]
            if actor == "KP":
                assert cf == ct and rf != rt
            else:
                assert rf == rt and cf != ct


def test_large_conflicts_show_only_equilibria_and_paths(data: dict[str, Any]) -> None:
    page = render_data(data, max_graph_states=30)
    concept = data["headline_concept"]
    base = data["views"][0]
    keep = set(base["equilibria"][concept]) | {s["state"] for s in data["starts"]}
    for per in base["paths"].values():
        for item in per[concept]:
            keep |= {x for s in item["path"] for x in (s["from"], s["to"])}
    graph = _svg(page, "graph-0")
    assert graph.count('class="node"') == len(keep) < 186
    assert 'class="move"' not in graph  # no background arcs, only the paths


def test_self_contained(page: str) -> None:
    assert not re.search(r"""\bsrc\s*=\s*["']?\s*(https?:)?//""", page, re.I)
    assert not re.search(r"""<link\b""", page, re.I)
    assert not re.search(r"""<script\b[^>]*\bsrc\s*=""", page, re.I)
    assert not re.search(r"""@import|url\(\s*["']?(https?:)?//""", page, re.I)
    assert not re.search(r"""<(img|iframe|object|embed)\b""", page, re.I)
    # Any remaining http(s) is a link to a cited source, never a loaded resource.
    for m in re.finditer(r"https?://", page):
        before = page[max(0, m.start() - 7):m.start()]
        assert before.endswith('href="') or ">" in page[m.start() - 200:m.start()], before


def test_deterministic(analysis: ConflictAnalysis, page: str) -> None:
    assert render_html(analysis) == page


def test_text_is_escaped(data: dict[str, Any]) -> None:
    d = copy.deepcopy(data)
    d["scenario"]["title"] = "<script>alert('x')</script> & co"
    d["scenario"]["description"] = '<img src="http://example.org/x.png">'
    d["views"][1]["name"] = "<b>bold</b>"
    page = render_data(d)
    assert "<script>alert" not in page and "<img" not in page and "<b>bold</b>" not in page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; co" in page
    assert "&lt;b&gt;bold&lt;/b&gt;" in page


def test_optional_games_and_forecasts(data: dict[str, Any]) -> None:
    games = [{"title": "Crisis bargaining", "summary_rows": [{"label": "P(war)", "value": "0.25"}],
              "curves": [{"parameter": "belief", "x": [0, 0.5, 1],
                          "series": {"war": [0.1, 0.4, 0.2], "deal": [0.9, 0.6, 0.8]},
                          "markers": [{"label": "Beijing's view", "x": 0.7}]}]}]
    forecasts = [{"issue": "Sanctions", "scale": {"min": 0, "max": 100, "min_label": "none",
                                                  "max_label": "embargo"},
                  "models": [{"name": "median", "forecast": 55.0}],
                  "trajectories": {"median": {"US": [90, 70, 60], "CN": [10, 40, 55]}},
                  "real_outcome": 70}]
    page = render_data(data, games=games, forecasts=forecasts)
    g, f = _section(page, "games"), _section(page, "forecasts")
    assert "Crisis bargaining" in g and "0.25" in g
    # the charts are Vega-Altair figures rendered to inline SVG (one per curve set and
    # per model's trajectory), each line a Vega line mark with its legend entry
    assert "Beijing&#39;s view</text>" in g and ">war</text>" in g and ">deal</text>" in g
    assert 'class="mark-line role-mark' in g and g.count("<svg") == 1
    assert 'class="mark-line role-mark' in f
    assert ">US</text>" in f and ">CN</text>" in f
    ids = re.findall(r' id="([^"]+)"', page)
    assert len(ids) == len(set(ids))  # charts inlined in one page share no element id
    assert "real outcome" in f and "embargo" in f
    assert 'href="#games"' in page and 'href="#forecasts"' in page
    assert 'id="games"' not in render_data(data)


# --- drawing helpers -------------------------------------------------------------


def test_line_chart_maps_corners_to_the_plot_area() -> None:
    out = svg.line_chart([0.0, 1.0], {"a": [0.0, 1.0]}, y_range=(0.0, 1.0), title="t")
    x, y, w, h = (float(v) for v in re.search(  # type: ignore[union-attr]
        r'<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"', out).groups())
    pts = re.search(r'points="([^"]+)"', out).group(1).split()  # type: ignore[union-attr]
    (x0, y0), (x1, y1) = (tuple(float(c) for c in p.split(",")) for p in pts)
    assert (x0, y0) == pytest.approx((x, y + h)) and (x1, y1) == pytest.approx((x + w, y))


def test_line_chart_gaps_split_the_line() -> None:
    out = svg.line_chart([0, 1, 2, 3, 4], {"a": [1, 2, None, 3, 4]})
    assert out.count("<polyline") == 2
    with pytest.raises(ValueError):
        svg.line_chart([0, 1], {"a": [1.0]})


@settings(max_examples=60, deadline=None)
@given(st.floats(-1e6, 1e6), st.floats(0, 1e6), st.integers(3, 10))
def test_nice_ticks_cover_the_range_with_round_steps(lo: float, span: float, n: int) -> None:
    hi = lo + span
    ticks = svg.nice_ticks(lo, hi, n)
    tol = 1e-8 * (span + abs(lo) + abs(hi))  # floating-point slack, relative to the scale
    assert ticks[0] <= lo + tol and ticks[-1] >= hi - tol
    assert 2 <= len(ticks) <= n + 2
    steps = [b - a for a, b in itertools.pairwise(ticks)]
    step = steps[0]
    assert all(s == pytest.approx(step, rel=1e-6, abs=1e-9) for s in steps)
    mantissa = step / 10 ** math.floor(math.log10(step))
    assert min(abs(mantissa - m) for m in (1, 2, 2.5, 5, 10)) < 1e-6


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(1, 5), min_size=1, max_size=4).flatmap(
    lambda sizes: st.tuples(st.just(len(sizes)), st.sets(
        st.tuples(*[st.integers(0, k - 1) for k in sizes]), min_size=1, max_size=60))))
def test_grid_layout_is_injective_and_axis_aligned(case: tuple[int, set[tuple[int, ...]]]) -> None:
    n_actors, configs = case
    nodes = [svg.GraphNode(f"n{k}", c, "") for k, c in enumerate(sorted(configs))]
    lay = svg.grid_layout(nodes, n_actors)
    assert len(set(lay.cells.values())) == len(nodes)
    assert not lay.by_ordinal
    by_key = {nd.key: nd.configs for nd in nodes}
    for a in range(n_actors):  # changing one actor's configuration moves along one axis
        for p in nodes:
            for q in nodes:
                diff = [i for i in range(n_actors) if by_key[p.key][i] != by_key[q.key][i]]
                if diff == [a]:
                    same = 1 if a in lay.col_actors else 0
                    assert lay.cells[p.key][same] == lay.cells[q.key][same]


def test_grid_layout_falls_back_to_ordinal_when_configurations_coincide() -> None:
    nodes = [svg.GraphNode(f"s{k}", (), "") for k in range(7)]
    lay = svg.grid_layout(nodes, 0)
    assert lay.by_ordinal and len(set(lay.cells.values())) == 7


# --- the picture -----------------------------------------------------------------


def _png_summary(path: Path) -> tuple[int, int, int]:
    """(width, height, distinct byte values of the decompressed image data)."""
    raw = path.read_bytes()
    assert raw[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, size = 8, b"", (0, 0)
    while pos < len(raw):
        (length,) = struct.unpack(">I", raw[pos:pos + 4])
        kind = raw[pos + 4:pos + 8]
        body = raw[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            size = struct.unpack(">II", body[:8])
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    return size[0], size[1], len(set(zlib.decompress(idat)))


def test_headless_chromium_renders_a_real_page(page: str, tmp_path: Path) -> None:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        pytest.skip("chromium is not installed (Debian package 'chromium')")
    report = tmp_path / "report.html"
    report.write_text(page, encoding="utf-8")
    shot = tmp_path / "shot.png"
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
             "--no-first-run", "--disable-background-networking", "--disable-component-update",
             "--disable-sync", f"--user-data-dir={profile}", f"--screenshot={shot}",
             "--window-size=1400,3000", report.as_uri()],
            capture_output=True, timeout=180, check=False)
    assert shot.exists(), "chromium wrote no screenshot"
    width, height, distinct = _png_summary(shot)
    assert (width, height) == (1400, 3000)
    assert distinct > 32, "the screenshot is blank"


def test_large_conflicts_list_only_equilibria_in_stability_tables(
        data: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    from crisislab.report import html as report_html

    monkeypatch.setattr(report_html, "MAX_TABLE_STATES", 30)
    page = render_data(data)
    base = data["views"][0]
    keep = {s["state"] for s in data["starts"]}
    for states in base["equilibria"].values():
        keep |= set(states)
    table = page[page.index('<table class="stability">'):]
    table = table[:table.index("</table>")]
    assert table.count("<tr><td><span class=\"st\">") == len(keep) < 186


# --- the page as a browser renders it (headless chromium's --dump-dom) -------------
# The DOM after the page's script has run, section by named section, as a reader
# sees it: headings, the scenario's title, the article's quotes under the cruxes,
# every source under the evidence, the graph drawn, the stability table filled, and
# one tab bar per set of views with the first view shown.

SECTIONS = {
    "summary": "Executive summary",
    "graph": "The state graph",
    "stability": "Equilibria and stability",
    "cruxes": "Cruxes and what-if",
    "evidence": "Sources and evidence",
}


@pytest.fixture(scope="module")
def dom(page: str, tmp_path_factory: pytest.TempPathFactory) -> Node:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        pytest.skip("chromium is not installed (Debian package 'chromium')")
    report = tmp_path_factory.mktemp("dom") / "report.html"
    report.write_text(page, encoding="utf-8")
    with tempfile.TemporaryDirectory() as profile:
        done = subprocess.run(
            [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
             "--no-first-run", "--disable-background-networking", "--disable-component-update",
             "--disable-sync", f"--user-data-dir={profile}", "--dump-dom", report.as_uri()],
            capture_output=True, text=True, timeout=180, check=False)
    assert "<section" in done.stdout, done.stderr[-2000:]
    return parse(done.stdout)


def _dom_section(dom: Node, sid: str) -> Node:
    (sec,) = dom.find_all("section", id=sid)
    return sec


def test_the_script_ran(dom: Node) -> None:
    (html,) = dom.find_all("html")
    assert "js" in html.attrs.get("class", "").split()


@pytest.mark.parametrize(("sid", "heading"), SECTIONS.items())
def test_named_sections_are_rendered_with_their_heading(dom: Node, sid: str,
                                                        heading: str) -> None:
    sec = _dom_section(dom, sid)
    (h2, *_) = sec.find_all("h2")
    assert " ".join(h2.text().split()).startswith(heading)
    assert len(" ".join(sec.text().split())) > 200, f"section {sid} is nearly empty"


def test_summary_and_evidence_carry_the_scenario(dom: Node, analysis: ConflictAnalysis) -> None:
    sc = analysis.scenario
    summary = " ".join(_dom_section(dom, "summary").text().split())
    evidence = " ".join(_dom_section(dom, "evidence").text().split())
    whole = " ".join(dom.text().split())
    assert " ".join(sc.metadata.title.split()) in whole
    for source in sc.metadata.sources:
        assert " ".join(source.citation.split()) in evidence
    for actor in sc.actors:
        assert actor.name in whole
    assert summary


def test_cruxes_show_the_articles_words(dom: Node) -> None:
    cruxes = " ".join(_dom_section(dom, "cruxes").text().split())
    # korea-2017's Beijing reading of a cornered Pyongyang, quoted from the article.
    assert "Pyongyang is much more likely to ramp up its provocative activities" in cruxes


def test_graph_is_drawn_and_stability_table_filled(dom: Node) -> None:
    graph = _dom_section(dom, "graph")
    assert graph.find_all("svg"), "no state graph drawn"
    assert len([n for n in graph.find_all() if n.tag in {"circle", "rect", "ellipse"}]) > 3
    tables = _dom_section(dom, "stability").find_all("table")
    assert tables and sum(len(t.find_all("tr")) for t in tables) > 3


def test_each_set_of_views_became_tabs_with_the_first_shown(
        dom: Node, analysis: ConflictAnalysis) -> None:
    boxes = [n for n in dom.walk() if "data-tabs" in n.attrs]
    assert boxes, "the report has no tabbed views"
    labels_seen: set[str] = set()
    for box in boxes:
        panels = [c for c in box.children if isinstance(c, Node)
                  and "tab-panel" in c.attrs.get("class", "").split()]
        if len(panels) < 2:
            continue
        (bar,) = [c for c in box.children if isinstance(c, Node)
                  and c.attrs.get("role") == "tablist"]
        buttons = bar.find_all("button")
        assert [b.text() for b in buttons] == [p.attrs["data-label"] for p in panels]
        assert [b.attrs["aria-selected"] for b in buttons] == (
            ["true"] + ["false"] * (len(buttons) - 1))
        assert ["hidden" in p.attrs for p in panels] == [False] + [True] * (len(panels) - 1)
        labels_seen |= {b.text() for b in buttons}
    assert {vr.view.name for vr in analysis.views} <= labels_seen
