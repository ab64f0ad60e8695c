"""Cost of the Vega-Altair charts in the HTML report, beside the hand-written SVG they
replace, and of reading a saved analysis back instead of rerunning it.

Measured in one run on korea-2017 (with outcome curves, as ``analyze --html`` does):
- the report's charts (game curves, forecast trajectories) drawn by Altair and
  rendered offline by vl-convert, versus the same data through ``svg.line_chart``;
  the first vl-convert call starts its JavaScript engine, so it is reported apart;
- the whole HTML report with the Altair charts;
- ``load_analysis`` of the saved JSON versus ``analyze``.
Target: the charts add at most a few seconds to ``analyze --html`` (which takes
tens of seconds on korea-2017), and loading is at least 20x faster than analysing.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def _t(fn: Callable[[], Any], repeat: int = 1) -> tuple[float, Any]:
    start = time.perf_counter()
    for _ in range(repeat):
        out = fn()
    return (time.perf_counter() - start) / repeat, out


def main() -> None:
    import crisislab
    from crisislab.report import svg
    from crisislab.report.figures import HLine, Marker, line_figure
    from crisislab.report.html import render_scenario_html
    from crisislab.report.sections import forecast_sections, game_sections

    t_analyze, sa = _t(lambda: crisislab.analyze(crisislab.load(), curves=True))
    charts = []
    for sec in game_sections(sa):
        for cv in sec["curves"]:
            charts.append(dict(x=cv["x"], series=cv["series"], title=cv["title"],
                               x_label=cv["parameter"], y_range=(0.0, 1.0),
                               markers=[(m["label"], m["x"]) for m in cv["markers"]],
                               hlines=[]))
    for sec in forecast_sections(sa):
        for model, by_actor in sec["trajectories"].items():
            n = max(len(v) for v in by_actor.values())
            charts.append(dict(x=list(range(n)), series=by_actor, title=model, x_label="round",
                               y_range=(sec["scale"]["min"], sec["scale"]["max"]), markers=[],
                               hlines=[("forecast", sec["models"][0]["forecast"])]))

    def altair_all() -> list[str]:
        return [line_figure(c["x"], c["series"], title=c["title"], x_label=c["x_label"],
                            y_range=c["y_range"],
                            markers=[Marker(a, b) for a, b in c["markers"]],
                            hlines=[HLine(a, b) for a, b in c["hlines"]]).to_svg()
                for c in charts]

    def handwritten_all() -> list[str]:
        return [svg.line_chart(c["x"], c["series"], title=c["title"], x_label=c["x_label"],
                               y_range=c["y_range"],
                               markers=[svg.Marker(a, b) for a, b in c["markers"]],
                               hlines=[svg.HLine(a, b) for a, b in c["hlines"]])
                for c in charts]

    t_first, _ = _t(lambda: line_figure([0, 1], {"a": [0, 1]}).to_svg())
    t_alt, alt_svgs = _t(altair_all, 3)
    t_hand, hand_svgs = _t(handwritten_all, 3)
    t_report, page = _t(lambda: render_scenario_html(sa))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "korea.json"
        path.write_text(sa.to_json(), encoding="utf-8")
        t_load, _ = _t(lambda: crisislab.load_analysis(path), 3)
        size = path.stat().st_size
    print(f"korea-2017: {len(charts)} charts in the HTML report")
    print(f"  first vl-convert call (engine start-up)    {t_first:8.3f} s")
    print(f"  Altair + vl-convert, all charts             {t_alt:8.3f} s "
          f"({sum(map(len, alt_svgs)) / 1e3:.0f} kB SVG)")
    print(f"  baseline: hand-written svg.line_chart       {t_hand:8.3f} s "
          f"({sum(map(len, hand_svgs)) / 1e3:.0f} kB SVG)")
    print(f"  whole HTML report (Altair charts)           {t_report:8.3f} s "
          f"({len(page) / 1e6:.2f} MB)")
    print(f"  analyze (curves=True)                       {t_analyze:8.3f} s")
    print(f"  load_analysis of the saved JSON             {t_load:8.3f} s "
          f"({size / 1e6:.2f} MB, {t_analyze / t_load:.0f}x faster than analyze)")


if __name__ == "__main__":
    main()
