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
from crisislab.errors import input_error
from crisislab.games.methods import CREDIBLE, LINKS, METHODS, REFINEMENTS

if TYPE_CHECKING:
    from crisislab.games.results import GameSolution
    from crisislab.model.scenario import Scenario


def _select_games(scenario: Scenario, game: str | None) -> list[tuple[int, Any]]:
    games = list(enumerate(scenario.games))
    if not games:
        raise input_error("the scenario declares no games", value=scenario.metadata.title,
                          expected="a `games:` section")
    if game is None:
        return games
    chosen = [(i, g) for i, g in games if g.id == game]
    if not chosen:
        raise input_error(f"no game {game!r} in the scenario", value=game,
                          expected=", ".join(g.id for _, g in games))
    return chosen


def _lens_overrides(scenario: Scenario, game_id: str, lenses: str | None
                    ) -> list[tuple[str | None, dict[str, Any]]]:
    """(lens id or None for the base case, overrides) pairs to run."""
    from crisislab.model.lenses import game_views

    wanted = None if lenses is None else [x.strip() for x in lenses.split(",") if x.strip()]
    return game_views(scenario, game_id, wanted)


def _print_qre(sol: GameSolution, lens: str | None) -> None:
    from crisislab.model.lenses import BASE_VIEW as BASE

    q = sol.qre
    assert q is not None
    console.print(f"{sol.title}  [{sol.game_id}]  lens: {lens or BASE}  {q.link} agent QRE "
                  f"at lambda = {q.lam:g} (principal branch)", highlight=False, markup=False)
    probs = ", ".join(f"P({k}) = {v:.4f}" for k, v in q.point.outcome_probabilities.items())
    pay = ", ".join(f"{k} {v:.4f}" for k, v in q.point.expected_payoffs.items())
    console.print(f"  {probs}; expected payoffs: {pay}", highlight=False, markup=False)
    moves = "; ".join(f"{k}: " + ", ".join(f"{a} {p:.4g}" for a, p in acts.items())
                      for k, acts in q.point.behaviour.items())
    console.print(f"  behaviour — {moves}", highlight=False, soft_wrap=True, markup=False)
    for note in sol.notes:
        console.print(f"  note: {note}", highlight=False, soft_wrap=True, markup=False)


def _print_solution(sol: GameSolution, lens: str | None) -> None:
    from rich.table import Table

    from crisislab.model.lenses import BASE_VIEW

    if sol.qre is not None:
        _print_qre(sol, lens)
        return
    title = (f"{sol.title}  [{sol.game_id}]  lens: {lens or BASE_VIEW}  method: {sol.method}  "
             f"standard: {sol.refinement}")
    table = Table(title=title, title_justify="left")
    outcomes = sorted({k for e in sol.equilibria for k in e.outcome_probabilities})
    table.add_column("eq")
    for oc in outcomes:
        table.add_column(f"P({oc})", justify="right")
    for p in sol.players:
        table.add_column(f"payoff {p}", justify="right")
    table.add_column("refinement")
    table.add_column("regret", justify="right")
    for i, e in enumerate(sol.equilibria):
        table.add_row(str(i) + (" *" if i == sol.selected else ""),
                      *[f"{e.outcome_probabilities.get(oc, 0.0):.3f}" for oc in outcomes],
                      *[f"{e.expected_payoffs[p]:.3f}" for p in sol.players],
                      e.refinement, f"{e.sequential_regret:.1e}")
    console.print(table)
    for i, e in enumerate(sol.equilibria):
        moves = "; ".join(
            f"{k}: " + ", ".join(f"{a} {p:.3g}" for a, p in acts.items() if p > 1e-9)
            for k, acts in e.behaviour.items())
        console.print(f"  eq {i} behaviour — {moves}", highlight=False, soft_wrap=True,
                      markup=False)
        if e.summary:
            summary = ", ".join(f"{k} = {v:.6g}" + (" (!)" if k in e.summary_flags else "")
                                for k, v in e.summary.items())
            source = "closed form" if e.found_by.startswith("closed_form") else e.found_by
            console.print(f"  {source} — {summary}", highlight=False, markup=False)
            for k, why in e.summary_flags.items():
                console.print(f"    (!) {k}: {why}", highlight=False, markup=False,
                              soft_wrap=True)
    if sol.selected is not None:
        console.print(f"  * selected by rule {sol.selection_rule}", highlight=False,
                      markup=False)
    elif sol.equilibria:
        console.print(f"  no selection: {sol.selection_rule}", highlight=False, markup=False)
    if len(sol.equilibria) > 1:
        ranges = ", ".join(f"P({k}) {lo:.3f}–{hi:.3f}" for k, (lo, hi) in
                           sol.outcome_ranges.items())
        console.print(f"  range over the equilibria: {ranges}", highlight=False, markup=False)
    for e in sol.not_credible:
        probs = ", ".join(f"P({k}) {v:.3f}" for k, v in e.outcome_probabilities.items() if v)
        console.print(f"  not credible ({e.refinement} only): {probs}", highlight=False,
                      markup=False)
    console.print(f"  search {'complete' if sol.complete else 'partial'}"
                  + (f"; {len(sol.rejected)} profile(s) rejected by our check"
                     if sol.rejected else ""), highlight=False, markup=False)
    for note in sol.notes:
        console.print(f"  note: {note}", highlight=False, soft_wrap=True, markup=False)


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
    from crisislab.games.solve import solve_game

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
    for i, g in _select_games(scenario, game):
        for lens_id, overrides in _lens_overrides(scenario, g.id, lens):
            sol = solve_game(g, method, overrides=overrides, lens=lens_id,
                             scenario=scenario.metadata.title, path=f"games[{i}]", **opts)
            results.append(sol)
            if json_out != "-":
                _print_solution(sol, lens_id)
    if json_out is not None:
        text = canonical_json({"solutions": [s.model_dump(mode="json") for s in results]})
        write_atomic(json_out, text, force=force)


def _solve_efg_file(path: str, method: str, json_out: str | None, force: bool,
                    efg_out: str | None, nfg_out: str | None, opts: dict[str, Any]) -> None:
    """Solve a game read from a Gambit .efg or .nfg file (errors located by line and column)."""
    from pathlib import Path

    from crisislab.formats.efg import parse_efg, to_efg, to_nfg
    from crisislab.games.normal_form import parse_nfg, to_tree
    from crisislab.games.solve import solve_tree

    p = Path(path)
    if not p.is_file():
        raise input_error("file not found", value=path, expected="a Gambit .efg or .nfg file")
    text = p.read_text(encoding="utf-8")
    tree = to_tree(parse_nfg(text, file=path)) if path.endswith(".nfg") else \
        parse_efg(text, file=path)
    if efg_out is not None:
        write_atomic(efg_out, to_efg(tree), force=force)
    if nfg_out is not None:
        write_atomic(nfg_out, to_nfg(tree), force=force)
    sol = solve_tree(tree, method, game_id=p.stem, **opts)
    if json_out != "-":
        _print_solution(sol, None)
    if json_out is not None:
        write_atomic(json_out, canonical_json({"solutions": [sol.model_dump(mode="json")]}),
                     force=force)


def _export_game(scenario: Scenario, game: str | None, lens: str | None, efg_out: str | None,
                 nfg_out: str | None, force: bool) -> None:
    """Write one game (under one lens) as Gambit .efg and/or .nfg."""
    from crisislab.formats.efg import to_efg, to_nfg
    from crisislab.games.spec import apply_game_overrides, compile_game

    chosen = _select_games(scenario, game)
    if len(chosen) != 1:
        raise input_error("exporting needs one game", value=[g.id for _i, g in chosen],
                          expected="--game ID")
    i, spec = chosen[0]
    views = _lens_overrides(scenario, spec.id, lens if lens is not None else "base")
    if len(views) != 1:
        raise input_error("exporting needs one view", value=lens, expected="--lens ID or base")
    lens_id, overrides = views[0]
    if overrides:
        spec = apply_game_overrides(spec, overrides)
    tree = compile_game(spec, f"games[{i}]").tree
    comment = f"{scenario.metadata.title} - {spec.id}" + (f" ({lens_id})" if lens_id else "")
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
    from rich.table import Table

    from crisislab.games.regime_map import regime_map, regime_map_svg
    from crisislab.games.thresholds import curve_svg, find_switches, outcome_curve

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
    [(_, g)] = _select_games(scenario, game)
    overrides: dict[str, Any] = {}
    if lens is not None:
        [(_, overrides)] = _lens_overrides(scenario, g.id, lens)
    overrides.pop(param, None)
    for path in (svg_out, json_out):
        if path not in (None, "-"):
            ensure_writable(path, force=force)
    if param2 is not None:
        overrides.pop(param2, None)
        rmap = regime_map(g, param, param2, lo, hi, lo2, hi2, method=method, player=player,
                          overrides=overrides, grid=min(grid, 21), lens=lens,
                          refinement=refinement)
        if json_out != "-":
            console.print(rmap.text(), highlight=False, markup=False, soft_wrap=True)
        if svg_out is not None:
            write_atomic(svg_out, regime_map_svg(rmap), force=force)
        if figure_out is not None:
            from crisislab.report.figures import regime_map_figure

            regime_map_figure(rmap).save(figure_out, force=force)
            err_console.print(f"wrote {figure_out}")
        if json_out is not None:
            write_atomic(json_out, canonical_json(rmap.model_dump(mode="json")), force=force)
        return
    res = find_switches(g, param, lo, hi, method=method, player=player, overrides=overrides,
                        grid=grid, lens=lens, refinement=refinement)
    if json_out != "-":
        console.print(f"{g.id}: switches of {param} in [{res.low:g}, {res.high:g}] "
                      f"({res.refinement} equilibria; grid spacing {res.grid_spacing:g}, "
                      "switches closer than that can be missed)",
                      highlight=False, markup=False)
        if not res.switches:
            console.print("  no switch: the same equilibrium regime throughout",
                          highlight=False, markup=False)
        for s in res.switches:
            console.print(f"  {s.description}", highlight=False, markup=False, soft_wrap=True)
        table = Table(title="regimes", title_justify="left")
        table.add_column(f"{param} from", justify="right")
        table.add_column("to", justify="right")
        table.add_column("what the equilibria prescribe")
        for (a, b, _r), desc in zip(res.regimes, res.regime_descriptions, strict=True):
            table.add_row(f"{a:.6g}", f"{b:.6g}", desc)
        console.print(table)
    if svg_out is not None:
        import numpy as np

        xs = np.linspace(res.low, res.high, 41)
        eps = (res.high - res.low) * 1e-9
        xs[0], xs[-1] = xs[0] + eps, xs[-1] - eps
        curve = outcome_curve(g, param, xs, method=method, overrides=overrides, lens=lens)
        marks = {f"{s.display}": s.value for s in res.switches}
        write_atomic(svg_out, curve_svg(curve, marks), force=force)
    if json_out is not None:
        write_atomic(json_out, canonical_json(res.model_dump(mode="json")), force=force)


def register(app: typer.Typer) -> None:
    """Add ``solve`` and ``threshold`` to the crisislab command."""
    app.command("solve")(user_errors(solve))
    app.command("threshold")(user_errors(threshold))
