"""``crisislab solve`` and ``crisislab threshold``: games of incomplete information."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from crisislab.cli.common import (
    canonical_json,
    console,
    ensure_outputs,
    ensure_writable,
    err_console,
    load_scenario_or_exit,
    user_errors,
    write_atomic,
)
from crisislab.compare.game_runs import CREDIBLE, LINKS, METHODS, REFINEMENTS
from crisislab.errors import input_error

if TYPE_CHECKING:
    from crisislab.model.scenario import Scenario


def solve(
    file: Annotated[str | None, typer.Argument(help="Scenario file or built-in name "
                                                    "(default: korea-2017).")] = None,
    game: Annotated[str | None, typer.Option(help="Game id (default: every game).")] = None,
    lens: Annotated[str | None, typer.Option(
        help="Comma-separated lens ids, 'base' for none (default: base and every lens that "
             "overrides the game).")] = None,
    method: Annotated[str, typer.Option(help=f"One of {', '.join(METHODS)}.")] = "auto",
    json_out: Annotated[str | None, typer.Option("--json", help="Write all solutions as JSON "
                                                              "to this file ('-' for stdout).")
                        ] = None,
    force: Annotated[bool, typer.Option(help="Replace an existing output file.")] = False,
    exceed_limits: Annotated[bool, typer.Option(
        "--exceed-limits", help="Run a method even beyond its size limit (estimated time "
                                "above 600 s).")] = False,
    refinement: Annotated[str, typer.Option(
        help=f"Standard an equilibrium must meet: {', '.join(REFINEMENTS)} (default pbe: "
             "credible).")] = CREDIBLE,
    lam: Annotated[float | None, typer.Option(
        "--lambda", help="Precision of the quantal response equilibrium (method qre).")] = None,
    qre_link: Annotated[str, typer.Option(help="QRE error distribution: logit or probit.")
                        ] = "logit",
    efg_out: Annotated[str | None, typer.Option(
        "--efg", help="Export the game tree (one game: --game) to Gambit's .efg format.")] = None,
    nfg_out: Annotated[str | None, typer.Option(
        "--nfg", help="Export the game's strategic form to Gambit's .nfg format.")] = None,
) -> None:
    """Solve the scenario's games (or a Gambit .efg file): equilibria, beliefs, outcome
    probabilities, regret."""
    from crisislab.compare.game_runs import solve_games
    from crisislab.report.games_text import print_solution

    if method not in METHODS:
        raise input_error(f"unknown method {method!r}", value=method, expected=", ".join(METHODS))
    ensure_outputs(json_out, efg_out, nfg_out, force=force)
    if refinement not in REFINEMENTS:
        raise input_error(f"unknown refinement {refinement!r}", value=refinement,
                          expected=", ".join(REFINEMENTS))
    if qre_link not in LINKS:
        raise input_error(f"unknown QRE link {qre_link!r}", value=qre_link,
                          expected=", ".join(LINKS))
    if method == "qre" and lam is None:
        raise input_error("method qre needs --lambda", value=None, expected="--lambda 2.5")
    if lam is not None and method != "qre":
        raise input_error("--lambda applies to method qre only", value=method,
                          expected="--method qre")
    opts: dict[str, Any] = {"exceed_limits": exceed_limits, "refinement": refinement,
                            "lam": lam, "link": qre_link}
    if file is not None and (file.endswith(".efg") or file.endswith(".nfg")):
        _solve_efg_file(file, method, json_out, force, efg_out, nfg_out, opts)
        return
    scenario = load_scenario_or_exit(file)
    if efg_out is not None or nfg_out is not None:
        _export_game(scenario, game, lens, efg_out, nfg_out, force)
        return
    results = []
    for lens_id, sol in solve_games(scenario, game, lens, method, **opts):
        results.append(sol)
        if json_out != "-":
            print_solution(sol, lens_id, console)
    if json_out is not None:
        text = canonical_json({"solutions": [s.model_dump(mode="json") for s in results]})
        write_atomic(json_out, text, force=force)


def _solve_efg_file(path: str, method: str, json_out: str | None, force: bool,
                    efg_out: str | None, nfg_out: str | None, opts: dict[str, Any]) -> None:
    """Solve a game read from a Gambit .efg or .nfg file (errors located by line and column)."""
    from pathlib import Path

    from crisislab.compare.game_runs import nfg_tree, solve_tree
    from crisislab.formats.efg import parse_efg, to_efg, to_nfg
    from crisislab.report.games_text import print_solution

    p = Path(path)
    if not p.is_file():
        raise input_error("file not found", value=path, expected="a Gambit .efg or .nfg file")
    text = p.read_text(encoding="utf-8")
    tree = nfg_tree(text, path) if path.endswith(".nfg") else parse_efg(text, file=path)
    if efg_out is not None:
        write_atomic(efg_out, to_efg(tree), force=force)
    if nfg_out is not None:
        write_atomic(nfg_out, to_nfg(tree), force=force)
    sol = solve_tree(tree, method, p.stem, **opts)
    if json_out != "-":
        print_solution(sol, None, console)
    if json_out is not None:
        write_atomic(json_out, canonical_json({"solutions": [sol.model_dump(mode="json")]}),
                     force=force)


def _export_game(scenario: Scenario, game: str | None, lens: str | None, efg_out: str | None,
                 nfg_out: str | None, force: bool) -> None:
    """Write one game (under one lens) as Gambit .efg and/or .nfg."""
    from crisislab.compare.game_runs import game_tree
    from crisislab.formats.efg import to_efg, to_nfg

    tree, lens_id, game_id = game_tree(scenario, game, lens)
    comment = f"{scenario.metadata.title} - {game_id}" + (f" ({lens_id})" if lens_id else "")
    if efg_out is not None:
        write_atomic(efg_out, to_efg(tree, comment), force=force)
        console.print(f"wrote {efg_out}")
    if nfg_out is not None:
        write_atomic(nfg_out, to_nfg(tree), force=force)
        console.print(f"wrote {nfg_out}")


def threshold(
    file: Annotated[str | None, typer.Argument(help="Scenario file or built-in name.")] = None,
    game: Annotated[str, typer.Option(help="Game id.")] = ...,  # type: ignore[assignment]
    param: Annotated[str, typer.Option(help="Parameter or prior to vary.")] = ...,  # type: ignore[assignment]
    lo: Annotated[float | None, typer.Option(help="Lower end of the search.")] = None,
    hi: Annotated[float | None, typer.Option(help="Upper end of the search.")] = None,
    lens: Annotated[str | None, typer.Option(help="Lens whose other overrides apply.")] = None,
    player: Annotated[str | None, typer.Option(help="Only this actor's policy counts as a "
                                                    "switch.")] = None,
    method: Annotated[str, typer.Option(help=f"One of {', '.join(METHODS)}.")] = "auto",
    refinement: Annotated[str, typer.Option(
        help=f"Standard an equilibrium must meet: {', '.join(REFINEMENTS)}.")] = CREDIBLE,
    grid: Annotated[int, typer.Option(help="Grid points before bisection.", min=3)] = 41,
    param2: Annotated[str | None, typer.Option(
        help="A second parameter: print a two-parameter regime map instead.")] = None,
    lo2: Annotated[float | None, typer.Option(help="Lower end of --param2.")] = None,
    hi2: Annotated[float | None, typer.Option(help="Upper end of --param2.")] = None,
    svg_out: Annotated[str | None, typer.Option(
        "--svg", help="Write the curve (outcome probabilities of the selected equilibrium, or "
                      "the regime map with --param2) as SVG.")] = None,
    figure_out: Annotated[str | None, typer.Option(
        "--figure", help="With --param2: write the regime map as a figure, format by the "
                         "suffix (.svg, .png, .pdf, .json Vega-Lite, .html).")] = None,
    json_out: Annotated[str | None, typer.Option("--json", help="Write the result as JSON.")
                        ] = None,
    force: Annotated[bool, typer.Option(help="Replace an existing output file.")] = False,
) -> None:
    """Find the values of a belief or parameter at which the equilibrium switches."""
    from crisislab.compare import game_runs
    from crisislab.report.games_text import print_switches

    if refinement not in REFINEMENTS:
        raise input_error(f"unknown refinement {refinement!r}", value=refinement,
                          expected=", ".join(REFINEMENTS))
    if method not in METHODS or method == "qre":
        raise input_error(f"unknown or unsuitable method {method!r}", value=method,
                          expected=", ".join(m for m in METHODS if m != "qre"))
    if figure_out is not None:
        if param2 is None:
            raise input_error("--figure draws the regime map, which needs --param2",
                              value=figure_out, expected="--param2 NAME (or --svg FILE for "
                              "the outcome curve of one parameter)")
        from crisislab.cli.saved import figure_suffix

        figure_suffix(Path(figure_out).suffix or figure_out)
    ensure_outputs(json_out, figure_out, force=force)
    scenario = load_scenario_or_exit(file)
    g, overrides = game_runs.threshold_game(scenario, game, lens, param,
                                            *([param2] if param2 is not None else []))
    for path in (svg_out, json_out):
        if path not in (None, "-"):
            ensure_writable(path, force=force)
    if param2 is not None:
        rmap = game_runs.regime_map_run(g, param, param2, lo, hi, lo2, hi2, method=method,
                                        player=player, overrides=overrides,
                                        grid=min(grid, 21), lens=lens, refinement=refinement)
        if json_out != "-":
            console.print(rmap.text(), highlight=False, markup=False, soft_wrap=True)
        if svg_out is not None:
            write_atomic(svg_out, game_runs.regime_map_svg(rmap), force=force)
        if figure_out is not None:
            from crisislab.report.figures import regime_map_figure

            regime_map_figure(rmap).save(figure_out, force=force)
            err_console.print(f"wrote {figure_out}")
        if json_out is not None:
            write_atomic(json_out, canonical_json(rmap.model_dump(mode="json")), force=force)
        return
    res = game_runs.switches(g, param, lo, hi, method=method, player=player,
                             overrides=overrides, grid=grid, lens=lens, refinement=refinement)
    if json_out != "-":
        print_switches(res, g.id, param, console)
    if svg_out is not None:
        svg = game_runs.switch_curve_svg(g, param, res, method=method, overrides=overrides,
                                         lens=lens)
        write_atomic(svg_out, svg, force=force)
    if json_out is not None:
        write_atomic(json_out, canonical_json(res.model_dump(mode="json")), force=force)


def register(app: typer.Typer) -> None:
    """Add ``solve`` and ``threshold`` to the crisislab command."""
    app.command("solve")(user_errors(solve))
    app.command("threshold")(user_errors(threshold))
