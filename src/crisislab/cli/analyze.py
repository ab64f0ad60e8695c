"""``crisislab analyze``: the conflict analysis under every lens, with cruxes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from crisislab.cli.common import (
    MaxStates,
    canonical_json,
    console,
    ensure_writable,
    err_console,
    load_scenario_or_exit,
    parse_csv_option,
    user_errors,
    write_atomic,
)
from crisislab.errors import input_error

if TYPE_CHECKING:
    from crisislab.compare.analysis import ConflictAnalysis
    from crisislab.compare.scenario_analysis import ScenarioAnalysis
    from crisislab.conflict.coalition_structure import CoalitionStructureResult

CONCEPT_CHOICES = ["nash", "gmr", "smr", "seq", "sim", "seqsim"]
MODE_CHOICES = ["legal", "each_once", "single"]


@user_errors
def analyze(
    file: Annotated[str | None, typer.Argument(
        help="Scenario file (YAML/JSON) or built-in name; default: korea-2017.")] = None,
    concepts: Annotated[list[str] | None, typer.Option(
        "--concepts", "-c", help="Comma-separated or repeated: nash, gmr, smr, seq, sim, "
        "seqsim (default: nash,gmr,smr,seq).")] = None,
    mode: Annotated[str, typer.Option(
        help="Sanctions: legal (any legal sequence; the definition), each_once (each opponent "
        "moves at most once, in any order: gmcr-py's current solver), single (one opponent "
        "move: gmcr-py's older solver).")] = "legal",
    sim_variant: Annotated[str, typer.Option(
        help="Simultaneous sanctioning: 'any' (combine with any other actors' improvements) or "
        "'unstable' (only actors for whom the state is itself unstable).")] = "any",
    per_actor: Annotated[str | None, typer.Option(
        "--per-actor", help="A different solution concept per actor, e.g. 'CN=smr,KP=nash' "
        "(others: nash; lh:3 or nm for two-actor models), in the chosen --view.")] = None,
    lens: Annotated[list[str] | None, typer.Option(
        help="Only these views (lens ids, comma-separated or repeated; 'base' for the base "
        "case).")] = None,
    explain: Annotated[str | None, typer.Option(
        "--explain", "-e", help="Explain why a state (s5, a code, a Y/N pattern or "
        "'a+b') is or is not stable, for every actor and concept.")] = None,
    view: Annotated[str, typer.Option(
        help="The view --explain, --csv and --graph-json use: 'base' or a lens id.")] = "base",
    policy: Annotated[str | None, typer.Option(
        help="Explain under this policy's commitment (--explain).")] = None,
    paths: Annotated[str, typer.Option(
        help="How paths from the status quo and each policy move: 'credible' (an actor "
        "leaves a state only if it is unstable for it, by an improvement the concept does "
        "not deter; Li, Hipel, Kilgour & Fang 2004) or 'improvements' (any unilateral "
        "improvement).")] = "credible",
    details: Annotated[bool, typer.Option(help="Show every state and the what-if table.")]
        = False,
    json_out: Annotated[str | None, typer.Option(
        "--json", help="Write the full result with provenance to this file ('-': stdout).")]
        = None,
    html_out: Annotated[str | None, typer.Option(
        "--html", help="Write a self-contained HTML report to this file.")] = None,
    csv_out: Annotated[str | None, typer.Option(
        "--csv", help="Write the stability table of the chosen --view (state x concept x "
        "actor, 0/1) as CSV.")] = None,
    graph_out: Annotated[str | None, typer.Option(
        "--graph-json", help="Write the chosen --view's state graph (nodes with stability, "
        "edges per actor) as JSON for other visualisers.")] = None,
    graph_svg: Annotated[str | None, typer.Option(
        "--graph-svg", help="Draw the chosen --view's state graph with Graphviz as SVG.")]
        = None,
    graph_png: Annotated[str | None, typer.Option(
        "--graph-png", help="Draw the chosen --view's state graph with Graphviz as PNG.")]
        = None,
    graph_dot: Annotated[str | None, typer.Option(
        "--graph-dot", help="Write the chosen --view's state graph as Graphviz DOT text.")]
        = None,
    graph_edges: Annotated[str, typer.Option(
        help="Edges of the drawn graph: moves, improvements (unilateral improvements), or "
        "auto (every move up to 16 states).")] = "auto",
    table: Annotated[str | None, typer.Option(
        help="Print the chosen --view's stability table: 'gmcr' (states as columns with "
        "their Y/N options, per actor and concept ✓ where stable, E for equilibria).")]
        = None,
    csv_layout: Annotated[str, typer.Option(
        help="--csv layout: long (one row per state) or gmcr (states as columns).")]
        = "long",
    force: Annotated[bool, typer.Option(help="Replace existing output files.")] = False,
    no_cruxes: Annotated[bool, typer.Option("--no-cruxes", help="Skip the crux search.")]
        = False,
    no_engines: Annotated[bool, typer.Option(
        "--conflict-only", help="Leave out the scenario's games and negotiation issues.")]
        = False,
    max_states: MaxStates = None,
    coalitions: Annotated[str | None, typer.Option(
        "--coalitions", help="A coalition structure: an id from the scenario's "
        "coalition_structures, or blocs like 'US+CN,KP' (each bloc moves as one actor); "
        "stability of every bloc in the chosen --view.")] = None,
) -> None:
    """Which outcomes are stable, under whose beliefs, and which assumption decides it."""
    from crisislab.compare.analysis import headline
    from crisislab.compare.engine_cruxes import FORECAST_MODEL
    from crisislab.compare.pipeline import analyze_scenario
    from crisislab.report import terminal

    chosen = parse_csv_option(concepts or "nash,gmr,smr,seq", CONCEPT_CHOICES, "concept") or []
    _check_rules(mode, paths, sim_variant)
    from crisislab.cli.gmcr_views import check_choices

    check_choices(graph_edges, table, csv_layout, needs_dot=bool(graph_svg or graph_png))
    for out in (json_out, html_out, csv_out, graph_out, graph_svg, graph_png, graph_dot):
        if out:
            ensure_writable(out, force=force)
    scenario = load_scenario_or_exit(file, max_states=max_states)
    if not scenario.has_conflict:
        raise input_error("this scenario has no options or graph to analyse", value=file,
                          expected="a scenario with options (see 'crisislab solve' for games "
                          "and 'crisislab forecast' for issues)")
    if lens:
        ids = ["base", *[lz.id for lz in scenario.lenses]]
        keep = parse_csv_option(lens, ids, "lens") or []
        scenario = scenario.model_copy(
            update={"lenses": [lz for lz in scenario.lenses if lz.id in keep]})
    quiet = json_out == "-"
    concept_of = None if per_actor is None else _per_actor_concepts(per_actor)
    policy_ids = ["status_quo", *scenario.policy_ids()]
    if policy is not None and policy not in policy_ids:
        raise input_error(f"unknown policy {policy!r}", value=policy,
                          expected=", ".join(policy_ids))
    view_ids = ["base", *[lz.id for lz in scenario.lenses]]
    if view not in view_ids:
        raise input_error(f"unknown view {view!r}", value=view, expected=", ".join(view_ids))
    with console.status("analysing…") if not quiet else _Null() as status:
        def progress(msg: str) -> None:
            if status is not None:
                status.update(f"analysing: {msg}…")

        # the what-if table, every concept's cruxes and every negotiation model under
        # each lens are shown with --details and written to --json / --html; the summary
        # alone shows the headline concept's cruxes and the headline model under a lens
        everything = details or json_out is not None or html_out is not None
        full = analyze_scenario(
            scenario, concepts=chosen, mode=mode,
            sim_variant=sim_variant if any(c in ("sim", "seqsim") for c in chosen) else None,
            cruxes=not no_cruxes, paths=paths, progress=progress, what_if=everything,
            crux_concepts=None if everything or not chosen else (headline(chosen),),
            lens_models=None if everything else (FORECAST_MODEL,),
            games=explain is None and not no_engines,
            forecasts=explain is None and not no_engines,
            curves=html_out is not None and not no_engines,
            per_actor=concept_of, per_actor_view=view)
    result = full.conflict
    if explain is not None:
        from crisislab.report.explain import explain_state

        ids = [vr.view.id for vr in result.views]
        if view not in ids:
            raise input_error(f"unknown view {view!r}", value=view, expected=", ".join(ids))
        explain_state(result, explain, console, view, policy)
    elif not quiet:
        terminal.render_scenario(full, console, details=details)
    mixed = full.per_actor
    if mixed is not None and not quiet:
        terminal.print_mixed(result, mixed, console)
    structure = None
    if coalitions is not None:
        from crisislab.cli.coalition_option import run_coalition_option

        structure = run_coalition_option(scenario, result.view(view).graph, coalitions, chosen,
                                         mode, view, None if quiet else console)
    if json_out is not None:
        _write_json(full, structure, json_out, quiet=quiet, force=force)
    if csv_out is not None or graph_out is not None:
        _write_view_exports(result, view, csv_out, graph_out, csv_layout, force=force)
    if table is not None and not quiet:
        from crisislab.cli.gmcr_views import print_table

        print_table(result, view)
    if graph_svg or graph_png or graph_dot:
        from crisislab.cli.gmcr_views import write_state_graph

        write_state_graph(result, view, svg=graph_svg, png=graph_png, dot=graph_dot,
                          edges=graph_edges, force=force)
    if html_out is not None:
        from crisislab.report.html import render_scenario_html

        page = render_scenario_html(full)
        write_atomic(html_out, page, force=force)
        err_console.print(f"wrote {html_out}")


class _Null:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *args: object) -> None:
        return None


def _check_rules(mode: str, paths: str, sim_variant: str) -> None:
    """Refuse an unknown sanction mode, path rule or SIM variant before any work."""
    if mode not in MODE_CHOICES:
        raise input_error(f"unknown sanction mode {mode!r}", value=mode,
                          expected=", ".join(MODE_CHOICES))
    if paths not in ("credible", "improvements"):
        raise input_error(f"unknown path rule {paths!r}", value=paths,
                          expected="credible or improvements")
    if sim_variant not in ("any", "unstable"):
        raise input_error(f"unknown SIM variant {sim_variant!r}", value=sim_variant,
                          expected="any or unstable")


def _per_actor_concepts(per_actor: str) -> dict[str, str]:
    """``CN=smr,KP=nash`` as ``{"CN": "smr", "KP": "nash"}``."""
    pairs = [p.split("=", 1) for p in per_actor.split(",") if p.strip()]
    if any(len(p) != 2 for p in pairs):
        raise input_error("--per-actor takes ACTOR=CONCEPT pairs", value=per_actor,
                          expected="e.g. CN=smr,KP=nash")
    return {a.strip(): c.strip() for a, c in pairs}


def _write_json(full: ScenarioAnalysis, structure: CoalitionStructureResult | None,
                json_out: str, *, quiet: bool, force: bool) -> None:
    """The analysis as JSON (with the coalition structure's stability when asked)."""
    if structure is None:
        text = full.to_json()
    else:
        data = full.to_dict()
        data["coalition_structure"] = structure.to_dict()
        text = canonical_json(data)
    write_atomic(json_out, text, force=force)
    if not quiet:
        err_console.print(f"wrote {json_out}")


def _write_view_exports(result: ConflictAnalysis, view: str, csv_out: str | None,
                        graph_out: str | None, csv_layout: str, *, force: bool) -> None:
    """The chosen view's stability table (CSV) and graph (JSON)."""
    from crisislab.formats.graph_export import graph_dict, stability_csv

    ids = [vr.view.id for vr in result.views]
    if view not in ids:
        raise input_error(f"unknown view {view!r}", value=view, expected=", ".join(ids))
    vr = result.view(view)
    graph = vr.graph
    if csv_out is not None:
        from crisislab.cli.gmcr_views import gmcr_csv

        text = (gmcr_csv(result, view) if csv_layout == "gmcr"
                else stability_csv(graph, vr.stable))
        write_atomic(csv_out, text, force=force)
        err_console.print(f"wrote {csv_out}")
    if graph_out is not None:
        data = graph_dict(graph, stability=vr.stable,
                          option_ids=list(result.model.space.option_ids) or None,
                          provenance=result.provenance)
        write_atomic(graph_out, canonical_json(data), force=force)
        err_console.print(f"wrote {graph_out}")


def register(app: typer.Typer) -> None:
    """Add ``crisislab analyze`` to the application."""
    app.command("analyze")(analyze)
