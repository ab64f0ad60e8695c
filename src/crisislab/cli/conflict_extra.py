"""Commands for the conflict engine in depth: coalitions, inverse analysis, foresight,
and import of gmcr-py files.  ``register(app)`` adds them to the main CLI."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table

from crisislab.cli.common import (
    MaxStates,
    console,
    ensure_outputs,
    load_scenario_or_exit,
    user_errors,
    working,
    write_atomic,
)
from crisislab.errors import input_error
from crisislab.provenance import canonical_json

CONCEPTS = ["nash", "gmr", "smr", "seq"]


def _graph(file: str | None, max_states: int | None = None) -> tuple[Any, Any, Any]:
    from crisislab.model.states import build_graph, state_space

    scenario = load_scenario_or_exit(file, max_states=max_states)
    space = state_space(scenario)
    return scenario, space, build_graph(scenario, space)


def resolve_state(space: Any, text: str) -> int:
    """``s5`` (ordinal), ``12`` (decimal code), ``YNNY`` (pattern), ``a+b`` (options taken)."""
    from crisislab.model.states import StateRefError

    t = text.strip()
    try:
        if t[:1] in "sS" and t[1:].isdigit():
            k = int(t[1:])
            if not 1 <= k <= space.n:
                raise input_error(f"no state {t}", value=t, expected=f"s1..s{space.n}")
            return k - 1
        if t.isdigit():
            return int(space.resolve(int(t)))
        if "+" in t:
            return int(space.resolve([p.strip() for p in t.split("+") if p.strip()]))
        return int(space.resolve(t))
    except StateRefError as exc:
        raise input_error(str(exc), value=text, expected=exc.expected) from None


def _label(space: Any, s: int) -> str:
    if space.names is not None:
        return f"s{s + 1} {space.names[s]}"
    taken = space.taken(s)
    return f"s{s + 1} ({', '.join(taken) if taken else 'no option taken'})"


def _check_concept(concept: str) -> str:
    if concept not in CONCEPTS:
        raise input_error(f"unknown concept {concept!r}", value=concept,
                          expected=", ".join(CONCEPTS))
    return concept


@user_errors
def coalitions(
    file: Annotated[str | None, typer.Argument(help="Scenario file or built-in name.")] = None,
    state: Annotated[list[str] | None, typer.Option(
        "--state", "-s", help="Start state(s); default: the equilibria under --concept.")] = None,
    concept: Annotated[str, typer.Option(help="nash, gmr, smr or seq.")] = "nash",
    rule: Annotated[str, typer.Option(
        help="Sanction rule: any_member (a sanction must hurt at least one member) or "
        "all_members (it must hurt every member).")] = "any_member",
    pairs: Annotated[bool, typer.Option(help="Only coalitions of two actors.")] = False,
    json_out: Annotated[str | None, typer.Option("--json", help="Write the result as JSON.")]
        = None,
    force: Annotated[bool, typer.Option(help="Replace an existing output file.")] = False,
    max_states: MaxStates = None,
) -> None:
    """Can groups of actors, moving together, reach outcomes all of them prefer?"""
    import numpy as np

    from crisislab.conflict.coalitions import (
        all_coalitions,
        coalition_analysis,
        individual_stability,
    )

    _check_concept(concept)
    ensure_outputs(json_out, force=force)
    if rule not in ("any_member", "all_members"):
        raise input_error(f"unknown sanction rule {rule!r}", value=rule,
                          expected="any_member or all_members")
    _, space, graph = _graph(file, max_states)
    if state:
        starts = [resolve_state(space, s) for s in state]
    else:
        stable = individual_stability(graph, concept)  # type: ignore[arg-type]
        starts = [int(s) for s in np.flatnonzero(stable.all(axis=0))]
    coals = all_coalitions(graph.actors, 2, 2 if pairs else None)
    with working(f"coalitions: {len(coals)} coalitions, {graph.n_states:,} states"):
        res = coalition_analysis(graph, starts, coalitions=coals,
                                 rule=rule)  # type: ignore[arg-type]
    console.print(f"From {', '.join(_label(space, s) for s in starts) or 'no state'} "
                  f"(sanction rule: {rule}):")
    if not res.improvements:
        console.print("No coalition can reach an outcome all its members prefer.")
    for imp in res.improvements:
        steps = " → ".join(f"{a}: {_label(space, s)}" for a, s in imp.path)
        console.print(f"• {' + '.join(imp.coalition)}: {_label(space, imp.source)} ⇒ "
                      f"{_label(space, imp.target)}  ({steps})", highlight=False)
    table = Table("coalition", *[f"{_label(space, s)}" for s in starts],
                  title=f"coalition {concept.upper()} stability")
    for coal, flags in res.stability[concept].items():
        table.add_row("+".join(coal), *["stable" if f else "unstable" for f in flags])
    console.print(table)
    if json_out:
        write_atomic(json_out, canonical_json(res.to_dict()), force=force)


@user_errors
def inverse(
    file: Annotated[str | None, typer.Argument(help="Scenario file or built-in name.")] = None,
    state: Annotated[str, typer.Option("--state", "-s", help="Desired state.")] = "",
    actor: Annotated[str, typer.Option("--actor", "-a", help="Actor whose preferences vary.")]
        = "",
    concept: Annotated[str, typer.Option(help="nash, gmr, smr or seq.")] = "gmr",
    equilibrium: Annotated[bool, typer.Option(
        help="Also require stability for every other actor.")] = False,
    method: Annotated[str, typer.Option(help="auto, brute_force or sat.")] = "auto",
    samples: Annotated[int, typer.Option(help="Orderings to sample and show.")] = 3,
    seed: Annotated[int, typer.Option(help="Random seed for sampling.")] = 0,
    json_out: Annotated[str | None, typer.Option("--json", help="Write the result as JSON.")]
        = None,
    force: Annotated[bool, typer.Option(help="Replace an existing output file.")] = False,
    max_states: MaxStates = None,
) -> None:
    """Which preference orderings of an actor would make a state stable, and which single
    change of its prioritization statements would do it."""
    from crisislab.conflict.inverse import (
        inverse_stability,
        option_literals,
        prioritization_edits,
    )
    from crisislab.model.logic import parse_formula

    ensure_outputs(json_out, force=force)

    if not state or not actor:
        raise input_error("--state and --actor are required", expected="--state s5 --actor CN")
    _check_concept(concept)
    scenario, space, graph = _graph(file, max_states)
    if actor not in graph.actors:
        raise input_error(f"unknown actor {actor!r}", value=actor,
                          expected=", ".join(graph.actors))
    s = resolve_state(space, state)
    with working(f"inverse: {graph.n_states:,} states"):
        res = inverse_stability(graph, s, actor, concept,  # type: ignore[arg-type]
                                equilibrium=equilibrium, method=method,  # type: ignore[arg-type]
                                samples=samples, seed=seed)
    names = [_label(space, k) for k in range(space.n)]
    console.print(f"{actor}: orderings under which {names[s]} is "
                  f"{'an equilibrium' if equilibrium else 'stable'} by {concept.upper()}:")
    exact = "" if res.exact else "at least "
    console.print(f"  {exact}{res.count_strict} of {__import__('math').factorial(space.n)} "
                  f"strict orderings ({res.share_strict:.1%}); {exact}{res.count_weak} "
                  f"orderings with ties", highlight=False)
    for line in res.describe(names):
        console.print(f"  • {line}", highlight=False)
    for k, order in enumerate(res.samples, 1):
        console.print(f"  example {k}: " + " > ".join(f"s{t + 1}" for t in order),
                      highlight=False)
    pref = scenario.preferences.get(actor)
    if pref is not None and pref.prioritization and space.names is None:
        texts = [p if isinstance(p, str) else p.formula for p in pref.prioritization]
        stmts = [(t, parse_formula(t, space.option_ids).evaluate(space.codes, space.option_index))
                 for t in texts]
        edits = prioritization_edits(graph, s, actor, stmts, concept=concept,  # type: ignore[arg-type]
                                     candidates=option_literals(graph, list(space.option_ids)))
        if edits.already_stable:
            console.print(f"  {names[s]} is already stable for {actor} with its statements.")
        else:
            fixes = edits.working
            console.print(f"  single statement changes that make it stable: {len(fixes)}")
            for e in fixes[:10]:
                console.print(f"    - {e.describe(actor)}", highlight=False)
    if json_out:
        write_atomic(json_out, canonical_json(res.to_dict()), force=force)


@user_errors
def foresight(
    file: Annotated[str | None, typer.Argument(help="Scenario file or built-in name.")] = None,
    horizon: Annotated[int, typer.Option("--horizon", "-h",
                                         help="Moves looked ahead (L_h).")] = 2,
    nonmyopic: Annotated[bool, typer.Option(help="Also the long-horizon limit.")] = True,
    ties: Annotated[str, typer.Option(help="cautious or hopeful (see the docs).")]
        = "cautious",
    json_out: Annotated[str | None, typer.Option("--json", help="Write the result as JSON.")]
        = None,
    force: Annotated[bool, typer.Option(help="Replace an existing output file.")] = False,
    max_states: MaxStates = None,
) -> None:
    """Limited-move (L_h) and non-myopic stability (two-actor conflicts)."""
    from crisislab.conflict.foresight import limited_move_stability

    ensure_outputs(json_out, force=force)
    _, space, graph = _graph(file, max_states)
    with working(f"foresight: horizon {horizon}, {graph.n_states:,} states"):
        res = limited_move_stability(graph, horizon, nonmyopic=nonmyopic,
                                     ties=ties)  # type: ignore[arg-type]
    table = Table("horizon", "equilibria", title="limited-move stability")
    for h in res.horizons:
        table.add_row(str(h), ", ".join(_label(space, s) for s in res.equilibria(h)) or "none")
    if nonmyopic:
        table.add_row("non-myopic",
                      ", ".join(_label(space, s) for s in res.nonmyopic_equilibria()) or "none")
    console.print(table)
    if json_out:
        write_atomic(json_out, canonical_json(res.to_dict()), force=force)


@user_errors
def import_gmcr(
    source: Annotated[str, typer.Argument(help="gmcr-py .gmcr file.")],
    target: Annotated[str, typer.Argument(help="Scenario file to write (.yaml or .json).")],
    title: Annotated[str | None, typer.Option(help="Scenario title.")] = None,
) -> None:
    """Convert a gmcr-py / GMCR+ model into a crisislab scenario (never overwrites)."""
    import io

    from ruamel.yaml import YAML

    from crisislab.conflict.gmcr_import import read_gmcr
    from crisislab.model.io import load_text

    ensure_outputs(target)
    model = read_gmcr(source)
    data = model.to_scenario_dict(title)
    if target.endswith(".json"):
        text = canonical_json(data)
    else:
        yaml = YAML()
        yaml.default_flow_style = False
        buf = io.StringIO()
        yaml.dump(data, buf)
        text = buf.getvalue()
    load_text(text, target)  # validate before writing
    write_atomic(target, text, force=False)
    console.print(f"wrote {target}: {len(model.actors)} actors, {len(model.options)} options, "
                  f"{int(model.feasible_codes().shape[0])} feasible states", highlight=False)
    extras = model.extras()
    if extras:
        console.print("not representable in a scenario file (kept in the description): "
                      + ", ".join(sorted(extras)), highlight=False)


def register(app: typer.Typer) -> None:
    app.command("coalitions")(coalitions)
    app.command("inverse")(inverse)
    app.command("foresight")(foresight)
    app.command("import-gmcr")(import_gmcr)
