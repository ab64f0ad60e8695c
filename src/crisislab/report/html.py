"""The HTML report: one self-contained file that works offline.

:func:`render_html` turns a :class:`~crisislab.compare.analysis.ConflictAnalysis`
into the data of :func:`crisislab.report.data.analysis_dict` (so the report shows
exactly what ``--json`` holds), adds each crux's two sides in words, and renders
it with the jinja2 templates in ``templates/`` (autoescaped; CSS and the small
tab script inline; drawings as inline SVG: the state graph and scale strips from
:mod:`crisislab.report.svg`, the charts Vega-Altair figures rendered offline by
:mod:`crisislab.report.figures`).
The same input gives the same bytes: no clock, no random ids.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

import jinja2
from markupsafe import Markup

from crisislab.compare.analysis import ConflictAnalysis
from crisislab.compare.scenario_analysis import ScenarioAnalysis
from crisislab.report import safety, svg
from crisislab.report.data import analysis_dict

MAX_GRAPH_STATES = 150
"""Above this many states the graph shows only equilibria and the starting points'
paths: a few hundred circles and thousands of arcs are unreadable."""

MAX_TABLE_STATES = 300
"""Above this many states the stability tables list only equilibria and starting points
(the full table is in ``--json``)."""

SUMMARY_CRUXES = 4
CRUX_CARDS = 10


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("crisislab.report", "templates"),
        autoescape=True, trim_blocks=True,
        lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["capitalize_first"] = lambda s: s[:1].upper() + s[1:]
    env.filters["safe_url"] = safety.safe_url
    env.filters["json_island"] = safety.json_island
    return env


def render_html(analysis: ConflictAnalysis, *, games: list[dict[str, Any]] | None = None,
                forecasts: list[dict[str, Any]] | None = None) -> str:
    """The full report of ``analysis``; ``games``/``forecasts`` add optional sections.

    games: ``{title, summary_rows: [{label, value}], curves?: [{parameter, x,
    series: {outcome: [...]}, markers: [{label, x}]}], description?}``.
    forecasts: ``{issue, scale: {min, max, min_label, max_label}, models: [{name,
    forecast}], trajectories: {model: {actor: [position per round]}},
    real_outcome?}``.
    """
    from crisislab.report.stability_table import analysis_tables, table_html

    data = analysis_dict(analysis)
    tables = [(name, Markup(table_html(t))) for name, t in analysis_tables(analysis)]
    return render_data(data, games=games, forecasts=forecasts, gmcr_tables=tables)


def render_scenario_html(sa: ScenarioAnalysis) -> str:
    """The full report of a :class:`ScenarioAnalysis`: the executive summary's sentences
    and the policy x view table lead; the conflict, games and forecasts follow."""
    from crisislab.report.sections import (
        forecast_sections,
        game_sections,
        held_policy_hypergames,
        policy_table,
    )
    from crisislab.report.stability_table import analysis_tables, table_html

    data = analysis_dict(sa.conflict)
    tables = [(name, Markup(table_html(t))) for name, t in analysis_tables(sa.conflict)]
    return render_data(data, games=game_sections(sa) or None, gmcr_tables=tables,
                       forecasts=forecast_sections(sa) or None,
                       lead={"summary": list(sa.summary), "warnings": list(sa.warnings),
                             "table": policy_table(sa),
                             "comparisons": [
                                 {"a": sa.view_name(c.view_a), "b": sa.view_name(c.view_b),
                                  "differing": c.differing, "cruxes": c.cruxes}
                                 for c in sa.comparisons],
                             "cruxes_searched": sa.cruxes_searched,
                             "hypergames": [{"policy": label, "text": text} for label, text
                                            in held_policy_hypergames(sa)]})


def crux_groups(data: Mapping[str, Any], concept: str | None = None) -> list[dict[str, Any]]:
    """The analysis's crux groups (shared with the terminal report), with their cruxes."""
    cruxes = data["cruxes"]
    out = []
    for g in data["crux_groups"]:
        if concept is not None and g["concept"] != concept:
            continue
        crs = [cruxes[k] for k in g["members"]]
        out.append({"views": tuple(g["views"]), "sets": g["sets"], "first": crs[0],
                    "cruxes": crs})
    return out


class _Report:
    """Builds the template's context from the analysis data."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.d = data
        self.concept = data["headline_concept"]
        self.actor_ids: list[str] = list(data["actors"])
        self.actor_names = {a["id"]: a["name"] for a in data["scenario"]["actors"]}
        self.states = {s["ordinal"]: s for s in data["states"]}
        self.view_names = {v["id"]: v["name"] for v in data["views"]}
        policies = [st["id"] for st in data["starts"] if st["id"] != "status_quo"]
        self.start_tags = {"status_quo": "SQ", **{p: f"P{k}" for k, p in enumerate(policies, 1)}}

    # -- small helpers -----------------------------------------------------------

    def sid(self, index: int) -> str:
        return str(self.states[index]["id"])

    def state_ref(self, index: int) -> dict[str, Any]:
        s = self.states[index]
        return {"id": s["id"], "words": s["words"], "index": index}

    def actor(self, actor_id: str) -> dict[str, Any]:
        if actor_id not in self.actor_ids and "+" in actor_id:
            # a bloc of a policy's coalition structure: its members' names, the first
            # member's colour
            members = actor_id.split("+")
            k = self.actor_ids.index(members[0])
            return {"id": actor_id,
                    "name": " + ".join(self.actor_names.get(m, m) for m in members),
                    "colour": svg.colour(k), "k": k}
        k = self.actor_ids.index(actor_id)
        return {"id": actor_id, "name": self.actor_names.get(actor_id, actor_id),
                "colour": svg.colour(k), "k": k}

    def cname(self, concept: str) -> str:
        return str(self.d["concept_names"].get(concept, concept))

    # -- sections -----------------------------------------------------------------

    def summary_paths(self, concept: str) -> list[dict[str, Any]]:
        rows = []
        for st in self.d["starts"]:
            cells = []
            for v in self.d["views"]:
                ends = []
                by_start = v["paths"].get(st["id"]) or v.get("bloc_paths", {}).get(st["id"], {})
                for item in by_start.get(concept, []):
                    steps = [{"actor": self.actor(step["actor"]), "to": self.sid(step["to"])}
                             for step in item["path"]]
                    ends.append({**self.state_ref(item["equilibrium"]), "steps": steps})
                cells.append({"view": v["name"], "ends": ends})
            rows.append({"label": st["label"], "tag": self.start_tags[st["id"]],
                         "state": self.state_ref(st["state"]), "cells": cells})
        return rows

    def crux_card(self, group: Mapping[str, Any]) -> dict[str, Any]:
        va, vb = group["views"]
        first = group["first"]
        decided = []
        for cr in group["cruxes"]:
            vals = []
            for view in (vb, va):
                val = cr["values"][view]
                if isinstance(val, bool):
                    text = "yes" if val else "no"
                elif cr["conclusion"]["kind"] in ("outcome", "best_policy"):
                    text = ", ".join(str(s) for s in val) or "none"
                else:
                    text = ", ".join(self.sid(s) for s in val) or "nowhere stable"
                vals.append({"view": self.view_names[view], "text": text})
            decided.append({"text": cr["conclusion"]["text"], "kind": cr["conclusion"]["kind"],
                            "vals": vals})
        sets = []
        for s in group["sets"]:
            items = []
            for i in s:
                a = first["assumptions"][i]
                items.append({
                    "question": a["question"], "actor": self.actor(a["actor"]),
                    "sides": [{"view": self.view_names[view], **a["sides"][view]}
                              for view in (vb, va)]})
            sets.append(items)
        return {"title": f"{self.view_names[vb]} vs {self.view_names[va]}",
                "decided": decided, "sets": sets,
                "singles": sum(len(s) == 1 for s in group["sets"]),
                "exhaustive": first["exhaustive"], "sentences": first["sentences"],
                "perception_only": not first["assumptions"]}

    def hypergame(self, concept: str) -> dict[str, Any] | None:
        hg = self.d["hypergame"]
        if hg is None or concept not in hg["first_level"]:
            return None
        first = hg["first_level"][concept]
        second = None
        if hg["second_level"] is not None and concept in hg["second_level"]:
            sl = hg["second_level"][concept]
            second = {"equilibria": [self.state_ref(s) for s in sl["equilibria"]],
                      "expected": [{"actor": self.actor(a),
                                    "states": [self.state_ref(s) for s in states]}
                                   for a, states in sl["expected_by"].items()]}
        return {"equilibria": [self.state_ref(s) for s in first["equilibria"]],
                "misperception": [self.state_ref(s) for s in first["misperception"]],
                "second": second}

    def joint_moves(self, limit: int = 3) -> list[dict[str, Any]] | None:
        """Pairs of actors that can jointly reach an outcome both prefer (None: not asked)."""
        if len(self.actor_ids) < 3:
            return None
        by_pair: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        for imp in self.d["coalitions"]:
            by_pair.setdefault(tuple(imp["coalition"]), []).append(imp)
        return [{"actors": [self.actor(a) for a in pair],
                 "moves": [{"source": self.state_ref(m["source"]),
                            "target": self.state_ref(m["target"])} for m in items[:limit]],
                 "more": max(0, len(items) - limit)}
                for pair, items in sorted(by_pair.items())]

    def equilibria_table(self) -> list[dict[str, Any]]:
        return [{"view": v["name"], "kind": v["kind"],
                 "cells": [[self.state_ref(s) for s in v["equilibria"][c]]
                           for c in self.d["concepts"]]} for v in self.d["views"]]

    def lens_comparison(self) -> dict[str, list[dict[str, Any]]]:
        """States that are an equilibrium in at least one view, with the concepts per view.

        ``main``: equilibria of the headline concept somewhere, disputed ones first;
        ``weaker``: equilibria only under other concepts.
        """
        concepts = self.d["concepts"]
        per_view = [{c: set(v["equilibria"][c]) for c in concepts} for v in self.d["views"]]
        main: list[dict[str, Any]] = []
        weaker: list[dict[str, Any]] = []
        for index in sorted(self.states):
            cells = [[{"abbr": _abbr(self.cname(c)), "name": self.cname(c), "on": index in pv[c]}
                      for c in concepts] for pv in per_view]
            if not any(m["on"] for cell in cells for m in cell):
                continue
            head = [index in pv[self.concept] for pv in per_view]
            row = {**self.state_ref(index), "cells": cells, "headline": head,
                   "disputed": len(set(head)) > 1}
            (main if any(head) else weaker).append(row)
        main.sort(key=lambda r: (not r["disputed"], -sum(r["headline"]), r["index"]))
        return {"main": main, "weaker": weaker}

    def stability_tables(self) -> list[dict[str, Any]]:
        concepts = self.d["concepts"]
        out = []
        for v in self.d["views"]:
            stable = {c: {a: set(v["stable"][c][a]) for a in self.actor_ids} for c in concepts}
            shown = sorted(self.states)
            limited = len(shown) > MAX_TABLE_STATES
            if limited:
                keep = {st["state"] for st in self.d["starts"]}
                for c in concepts:
                    keep |= set(v["equilibria"][c])
                shown = sorted(keep)
            rows = []
            for index in shown:
                s = self.states[index]
                cols = []
                for c in concepts:
                    marks = [index in stable[c][a] for a in self.actor_ids]
                    cols.append({"marks": marks, "eq": all(marks)})
                rows.append({"id": s["id"], "words": s["words"], "code": s["code"],
                             "pattern": s["pattern"], "cols": cols})
            out.append({"id": v["id"], "name": v["name"], "rows": rows, "limited": limited,
                        "count": {c: len(v["equilibria"][c]) for c in concepts}})
        return out

    def what_if(self, concept: str) -> list[dict[str, Any]]:
        by_holder: dict[str, list[dict[str, Any]]] = {}
        for w in self.d["what_if"]:
            if w["concept"] != concept or not (w["new_equilibria"] or w["lost_equilibria"]):
                continue
            by_holder.setdefault(w["holder"], []).append({
                "change": w["change"], "about": self.actor(w["actor"]),
                "new": [self.state_ref(s) for s in w["new_equilibria"]],
                "lost": [self.state_ref(s) for s in w["lost_equilibria"]]})
        return [{"holder": self.actor(h), "rows": sorted(rows, key=lambda r: (not r["new"],
                                                                              r["change"]))}
                for h, rows in by_holder.items()]

    # -- the state graph ----------------------------------------------------------

    def _configs(self) -> tuple[dict[int, tuple[int, ...]], list[list[str]]]:
        """Each state's option configuration per actor (index) and the configurations' names."""
        options = self.d["scenario"]["options"]
        order = {o["label"]: k for k, o in enumerate(options)}
        short = {o["label"]: _short_option(o) for o in options}
        seen: list[set[tuple[int, ...]]] = [set() for _ in self.actor_ids]
        for s in self.states.values():
            for i, a in enumerate(self.actor_ids):
                seen[i].add(tuple(sorted(order.get(lbl, -1) for lbl in s["by_actor"].get(a, []))))
        ranked = [sorted(cfgs, key=lambda t: (len(t), t)) for cfgs in seen]
        label = {o: short[lbl] for lbl, o in order.items()}
        names = [[" + ".join(label.get(o, "?") for o in cfg) or "none" for cfg in r]
                 for r in ranked]
        index = [{cfg: k for k, cfg in enumerate(r)} for r in ranked]
        configs = {}
        for s in self.states.values():
            configs[s["ordinal"]] = tuple(
                index[i][tuple(sorted(order.get(lbl, -1) for lbl in s["by_actor"].get(a, [])))]
                for i, a in enumerate(self.actor_ids))
        return configs, names

    def graphs(self, max_states: int = MAX_GRAPH_STATES) -> list[dict[str, Any]]:
        configs, names = self._configs()
        starts = {st["state"]: st for st in self.d["starts"]}
        out = []
        for k, v in enumerate(self.d["views"]):
            eq = set(v["equilibria"][self.concept])
            path_edges: set[tuple[int, int, int]] = set()
            for per_start in v["paths"].values():
                for item in per_start.get(self.concept, []):
                    for step in item["path"]:
                        path_edges.add((self.actor_ids.index(step["actor"]), step["from"],
                                        step["to"]))
            full = len(self.states) <= max_states
            if full:
                shown = sorted(self.states)
            else:
                shown = sorted(eq | set(starts) | {f for _a, f, _t in path_edges}
                               | {t for _a, _f, t in path_edges})
            nodes = []
            for s in shown:
                st = starts.get(s)
                tag = self.start_tags[st["id"]] if st else None
                title = f"{self.sid(s)}: {self.states[s]['words']}"
                if s in eq:
                    title += f" — {self.cname(self.concept)} equilibrium in {v['name']}"
                if st:
                    title += f" — starting point: {st['label']}"
                nodes.append(svg.GraphNode(self.sid(s), configs[s], title, s in eq, tag))
            edges = []
            if full:
                for i, a in enumerate(self.actor_ids):
                    pay = v["payoffs"][a]
                    for f, t in self.d["moves"][a]:
                        if pay[t - 1] > pay[f - 1] and (i, f, t) not in path_edges:
                            edges.append(svg.GraphEdge(self.sid(f), self.sid(t), i))
            edges += [svg.GraphEdge(self.sid(f), self.sid(t), i, on_path=True)
                      for i, f, t in sorted(path_edges)]
            n_improve = sum(not e.on_path for e in edges)
            caption = (f"{v['name']}: {len(shown)} of {len(self.states)} states, "
                       f"{len(eq)} {self.cname(self.concept)} equilibria")
            out.append({
                "id": v["id"], "name": v["name"], "full": full, "shown": len(shown),
                "equilibria": len(eq), "improvements": n_improve, "paths": len(path_edges),
                "svg": Markup(svg.state_graph(
                    nodes, edges, [self.actor_names.get(a, a) for a in self.actor_ids], names,
                    uid=f"graph-{k}", caption=caption))})
        return out

    # -- evidence -----------------------------------------------------------------

    def evidence(self) -> dict[str, Any]:
        sc = self.d["scenario"]
        prefs = []
        for a in self.actor_ids:
            p = sc["preferences"].get(a)
            if isinstance(p, list):
                prefs.append({"actor": self.actor(a), "statements": p, "form": "prioritization"})
            elif p is not None:
                prefs.append({"actor": self.actor(a), "statements": [], "form": p["form"]})
        return {"options": [{**o, "actor": self.actor(o["owner"]) if o["owner"] in
                             self.actor_ids else None} for o in sc["options"]],
                "constraints": sc["constraints"], "preferences": prefs,
                "lenses": [{**lz, "holder_name": self.actor_names.get(lz["holder"] or "", None),
                            "overrides": [{**ov, "who": self.actor(ov["actor"])
                                                 if ov["actor"] in self.actor_ids else None}
                                                for ov in lz["overrides"]]}
                           for lz in sc["lenses"]]}

    # -- optional engines -----------------------------------------------------------

    @staticmethod
    def games(games: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
        from crisislab.report.figures import Marker, line_figure

        out = []
        for k, g in enumerate(games):
            charts = []
            for j, cv in enumerate(g.get("curves", []) or []):
                values = [v for vals in cv["series"].values() for v in vals if v is not None]
                unit = bool(values) and min(values) >= 0 and max(values) <= 1
                charts.append(Markup(line_figure(
                    [float(x) for x in cv["x"]],
                    {str(k): [None if v is None else float(v) for v in vals]
                     for k, vals in cv["series"].items()},
                    title=str(cv.get("title", f"Outcome probabilities against {cv['parameter']}")),
                    x_label=str(cv["parameter"]),
                    y_label="probability" if unit else str(cv.get("y_label", "value")),
                    y_range=(0.0, 1.0) if unit else None,
                    markers=[Marker(str(m["label"]), float(m["x"]))
                             for m in cv.get("markers", [])]).to_svg(uid=f"game{k}-{j}")))
            out.append({"title": g["title"], "description": g.get("description"),
                        "rows": g.get("summary_rows", []), "charts": charts})
        return out

    @staticmethod
    def forecasts(forecasts: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
        from crisislab.report.figures import HLine, line_figure

        out = []
        for k, fc in enumerate(forecasts):
            sc = fc["scale"]
            lo, hi = float(sc["min"]), float(sc["max"])
            ends = (str(sc.get("min_label", "")), str(sc.get("max_label", "")))
            real = fc.get("real_outcome")
            strip = Markup(svg.scale_strip(
                lo, hi, [(str(m["name"]), float(m["forecast"])) for m in fc["models"]],
                lo_label=ends[0], hi_label=ends[1],
                reference=None if real is None else ("real outcome", float(real))))
            charts = []
            for j, (model, by_actor) in enumerate((fc.get("trajectories") or {}).items()):
                rounds = max((len(v) for v in by_actor.values()), default=0)
                series = {str(a): [float(p) for p in v] + [None] * (rounds - len(v))
                          for a, v in by_actor.items()}
                fval = next((float(m["forecast"]) for m in fc["models"] if m["name"] == model),
                            None)
                hl = [] if fval is None else [HLine("forecast", fval)]
                if real is not None:
                    hl.append(HLine("real outcome", float(real), dashed=False))
                charts.append(Markup(line_figure(
                    [float(r) for r in range(rounds)], series, title=f"{model}: positions by round",
                    x_label="round", y_label=str(fc["issue"]), y_range=(lo, hi),
                    y_end_labels=ends, hlines=hl, integer_x=True).to_svg(uid=f"fc{k}-{j}")))
            out.append({"issue": fc["issue"], "scale": sc, "models": fc["models"],
                        "real_outcome": real, "strip": strip, "charts": charts})
        return out


def _abbr(concept_name: str) -> str:
    """One letter per concept for compact tables ('SEQ' -> 'Q', since SMR takes 'S')."""
    return {"Nash": "N", "GMR": "G", "SMR": "S", "SEQ": "Q", "SIM": "I", "SEQ+SIM": "B"}.get(
        concept_name, concept_name[:1])


def _short_option(option: Mapping[str, Any]) -> str:
    """'us_freeze_talks' -> 'freeze talks': the id without its owner's prefix."""
    oid = str(option["id"])
    owner = str(option.get("owner") or "").lower()
    if owner and oid.lower().startswith(owner + "_"):
        oid = oid[len(owner) + 1:]
    return oid.replace("_", " ")


def render_data(data: Mapping[str, Any], *, games: Sequence[Mapping[str, Any]] | None = None,
                forecasts: Sequence[Mapping[str, Any]] | None = None,
                max_graph_states: int = MAX_GRAPH_STATES,
                lead: Mapping[str, Any] | None = None,
                gmcr_tables: Sequence[tuple[str, Any]] = ()) -> str:
    """The report from :func:`analysis_dict` data (``gmcr_tables``: (view name, HTML)
    of the stability tables in the GMCR layout)."""
    rep = _Report(data)
    concept = rep.concept
    groups = crux_groups(data, concept)
    other = [{"concept": c, "name": rep.cname(c),
              "cards": [rep.crux_card(g) for g in crux_groups(data, c)]}
             for c in data["concepts"] if c != concept]
    sections = [("summary", "Executive summary"), ("graph", "The state graph"),
                ("stability", "Equilibria and stability"), ("cruxes", "Cruxes and what-if")]
    if games:
        sections.append(("games", "Games of incomplete information"))
    if forecasts:
        sections.append(("forecasts", "Negotiation forecasts"))
    sections += [("evidence", "Sources and evidence"), ("provenance", "Provenance")]
    paths = rep.summary_paths(concept)
    ctx = {
        "d": data, "sc": data["scenario"], "concept": concept, "cname": rep.cname(concept),
        "concept_names": [rep.cname(c) for c in data["concepts"]],
        "concept_abbr": [{"abbr": _abbr(rep.cname(c)), "name": rep.cname(c)}
                         for c in data["concepts"]],
        "actors": [rep.actor(a) for a in rep.actor_ids],
        "views": data["views"], "n_states": len(data["states"]),
        "n_moves": sum(len(m) for m in data["moves"].values()),
        "starts": [{"tag": rep.start_tags[st["id"]], "label": st["label"],
                    "state": rep.state_ref(st["state"])} for st in data["starts"]],
        "paths": paths,
        "path_ends": [rep.state_ref(i) for i in sorted({e["index"] for row in paths
                                                        for cell in row["cells"]
                                                        for e in cell["ends"]})],
        "summary_cruxes": [rep.crux_card(g) for g in groups[:SUMMARY_CRUXES]],
        "n_groups": len(groups),
        "crux_cards": [rep.crux_card(g) for g in groups[:CRUX_CARDS]],
        "more_cards": [rep.crux_card(g) for g in groups[CRUX_CARDS:]],
        "other_cruxes": other,
        "hypergame": rep.hypergame(concept),
        "joint_moves": rep.joint_moves(),
        "equilibria": rep.equilibria_table(),
        "comparison": rep.lens_comparison(),
        "stability": rep.stability_tables(),
        "what_if": rep.what_if(concept),
        "graphs": rep.graphs(max_graph_states),
        "ev": rep.evidence(),
        "games": rep.games(games or []),
        "forecasts": rep.forecasts(forecasts or []),
        "sections": sections,
        "provenance": data["provenance"],
        "lead": lead,
        "gmcr_tables": list(gmcr_tables),
    }
    page = _environment().get_template("report.html.j2").render(**ctx)
    return safety.with_content_security_policy(page)
