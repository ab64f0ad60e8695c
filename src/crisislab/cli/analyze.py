"""``crisislab analyze``: the conflict analysis under every lens, with cruxes."""

from __future__ import annotations

from typing import Annotated

import typer

from crisislab.cli.common import (
    MaxStates,
    console,
    ensure_writable,
    err_console,
    load_scenario_or_exit,
    parse_csv_option,
    user_errors,
    write_atomic,
)
from crisislab.errors import input_error
from crisislab.provenance import canonical_json

CONCEPT_CHOICES = ["nash", "gmr", "smr", "seq", "sim", "seqsim"]
MODE_CHOICES = ["legal", "each_once", "single"]


@user_errors
def analyze(
    file: Annotated[str | None, typer.Argument(
        help="Scenario file (YAML/JSON) or built-in name; default: korea-2017.")] = None,
    concepts: Annotated[str, typer.Option(
        "--concepts", "-c", help="Comma-separated: nash, gmr, smr, seq, sim, seqsim.")]
        = "nash,gmr,smr,seq",
    mode: Annotated[str, typer.Option(
        help="Sanctions: legal (any legal sequence; the definition), each_once (each opponent "
        "moves at most once), single (one opponent move) — the last two reproduce other "
        "tools.")] = "legal",
    sim_variant: Annotated[str, typer.Option(
        help="Simultaneous sanctioning: 'any' (combine with any other DMs' improvements) or "
        "'unstable' (only DMs for whom the state is itself unstable).")] = "any",
    per_actor: Annotated[str | None, typer.Option(
        "--per-actor", help="A different solution concept per actor, e.g. 'CN=smr,KP=nash' "
        "(others: nash; lh:3 or nm for two-actor models), in the chosen --view.")] = None,
    lens: Annotated[str | None, typer.Option(
        help="Only these views (comma-separated lens ids; 'base' for the base case).")] = None,
    explain: Annotated[str | None, typer.Option(
        "--explain", "-e", help="Explain why a state (s5, a code, a Y/N pattern or "
        "'a+b') is or is not stable, for every actor and concept.")] = None,
    view: Annotated[str, typer.Option(
        help="The view --explain, --csv and --graph-json use: 'base' or a lens id.")] = "base",
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
    force: Annotated[bool, typer.Option(help="Replace existing output files.")] = False,
    no_cruxes: Annotated[bool, typer.Option("--no-cruxes", help="Skip the crux search.")]
        = False,
    no_engines: Annotated[bool, typer.Option(
        "--conflict-only", help="Leave out the scenario's games and negotiation issues.")]
        = False,
    max_states: MaxStates = None,
) -> None:
    """Which outcomes are stable, under whose beliefs, and which assumption decides it."""
    from crisislab.compare.analysis import analyse
    from crisislab.report import terminal

    chosen = parse_csv_option(concepts, CONCEPT_CHOICES, "concept") or []
    if mode not in MODE_CHOICES:
        raise input_error(f"unknown sanction mode {mode!r}", value=mode,
                          expected=", ".join(MODE_CHOICES))
    if sim_variant not in ("any", "unstable"):
        raise input_error(f"unknown SIM variant {sim_variant!r}", value=sim_variant,
                          expected="any or unstable")
    for out in (json_out, html_out, csv_out, graph_out):
        if out:
            ensure_writable(out, force=force)
    scenario = load_scenario_or_exit(file, max_states=max_states)
    if not scenario.has_conflict:
        raise input_error("this scenario has no options or graph to analyse", value=file,
                          expected="a scenario with options (see 'crisislab solve' for games "
                          "and 'crisislab forecast' for issues)")
    if lens is not None:
        ids = ["base", *[lz.id for lz in scenario.lenses]]
        keep = parse_csv_option(lens, ids, "lens") or []
        scenario = scenario.model_copy(
            update={"lenses": [lz for lz in scenario.lenses if lz.id in keep]})
    quiet = json_out == "-"
    with console.status("analysing…") if not quiet else _Null() as status:
        def progress(msg: str) -> None:
            if status is not None:
                status.update(f"analysing: {msg}…")

        result = analyse(scenario, concepts=chosen, mode=mode,
                         sim_variant=sim_variant if any(c in ("sim", "seqsim") for c in chosen)
                         else None, cruxes=not no_cruxes, progress=progress)
    forecasts = None
    if scenario.issues and explain is None and not no_engines:
        from crisislab.bargaining.forecast import forecast_scenario
        from crisislab.report.sections import forecast_sections

        views = [None, *[lz.id for lz in scenario.lenses if lz.issues]]
        forecasts = forecast_sections(scenario, forecast_scenario(scenario, lenses=views))
    games = None
    if scenario.games and explain is None and not no_engines:
        from crisislab.report.sections import game_results, game_sections

        games = game_sections(scenario, game_results(scenario))
    if explain is not None:
        from crisislab.report.explain import explain_state

        ids = [vr.view.id for vr in result.views]
        if view not in ids:
            raise input_error(f"unknown view {view!r}", value=view, expected=", ".join(ids))
        explain_state(result, explain, console, view)
    elif not quiet:
        terminal.render(result, console, details=details, forecasts=forecasts, games=games)
    mixed = None
    if per_actor is not None:
        from crisislab.conflict.foresight import mixed_concepts

        pairs = [p.split("=", 1) for p in per_actor.split(",") if p.strip()]
        if any(len(p) != 2 for p in pairs):
            raise input_error("--per-actor takes ACTOR=CONCEPT pairs", value=per_actor,
                              expected="e.g. CN=smr,KP=nash")
        ids = [vr.view.id for vr in result.views]
        if view not in ids:
            raise input_error(f"unknown view {view!r}", value=view, expected=", ".join(ids))
        graph = result.view(view).graph
        mixed = mixed_concepts(graph, {a.strip(): c.strip() for a, c in pairs}, lens=view)
        if not quiet:
            terminal.print_mixed(result, mixed, console)
    if json_out is not None:
        from crisislab.report.data import analysis_dict

        data = analysis_dict(result)
        if games:
            data["games"] = games
        if forecasts:
            data["forecasts"] = forecasts
        if mixed is not None:
            data["per_actor_concepts"] = {**mixed.to_dict(),
                                          "provenance": mixed.provenance.model_dump()}
        write_atomic(json_out, canonical_json(data), force=force)
        if not quiet:
            err_console.print(f"wrote {json_out}")
    if csv_out is not None or graph_out is not None:
        from crisislab.conflict.export import graph_dict, stability_csv

        ids = [vr.view.id for vr in result.views]
        if view not in ids:
            raise input_error(f"unknown view {view!r}", value=view, expected=", ".join(ids))
        vr = result.view(view)
        graph = vr.graph
        if csv_out is not None:
            write_atomic(csv_out, stability_csv(graph, vr.stable), force=force)
            err_console.print(f"wrote {csv_out}")
        if graph_out is not None:
            data = graph_dict(graph, stability=vr.stable,
                              option_ids=list(result.model.space.option_ids) or None,
                              provenance=result.provenance)
            write_atomic(graph_out, canonical_json(data), force=force)
            err_console.print(f"wrote {graph_out}")
    if html_out is not None:
        from crisislab.report.html import render_html

        page = render_html(result, games=games, forecasts=forecasts)
        write_atomic(html_out, page, force=force)
        err_console.print(f"wrote {html_out}")


class _Null:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *args: object) -> None:
        return None


def register(app: typer.Typer) -> None:
    app.command("analyze")(analyze)
