"""Commands for the conflict engine in depth: coalitions, inverse analysis, foresight,
and import of gmcr-py files.  ``register(app)`` adds them to the main CLI."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from crisislab.cli.common import (
    MaxStates,
    canonical_json,
    console,
    ensure_outputs,
    err_console,
    load_scenario_or_exit,
    user_errors,
    write_atomic,
)
from crisislab.errors import input_error

CONCEPTS = ["nash", "gmr", "smr", "seq"]
#: Coalitional improvements given a shortest sequence of moves (the rest: endpoints only).
PATH_LIMIT = 200


def _graph(file: str | None, max_states: int | None = None) -> tuple[Any, Any, Any]:
    """The scenario, its states and its base-case graph (see
    :func:`crisislab.compare.conflict_runs.base_graph`)."""
    from crisislab.compare.conflict_runs import base_graph

    scenario = load_scenario_or_exit(file, max_states=max_states)
    space, graph = base_graph(scenario)
    return scenario, space, graph


def resolve_state(space: Any, text: str) -> int:
    """A state typed on the command line (see :meth:`StateSpace.resolve_text`)."""
    from crisislab.model.states import StateRefError

    try:
        return int(space.resolve_text(text))
    except StateRefError as exc:
        raise input_error(exc.message, value=text, expected=exc.expected) from None


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
    max_pairs: Annotated[int, typer.Option(
        help="Refuse up front when the coalitions' joint moves would exceed this many "
        "(state, state) pairs.")] = 60_000_000,
    json_out: Annotated[str | None, typer.Option("--json", help="Write the result as JSON.")]
        = None,
    force: Annotated[bool, typer.Option(help="Replace an existing output file.")] = False,
    max_states: MaxStates = None,
) -> None:
    """Can groups of actors, moving together, reach outcomes all of them prefer?"""
    from crisislab.cli.progress import progress_bar
    from crisislab.compare import conflict_runs
    from crisislab.report.conflict_text import print_coalitions

    _check_concept(concept)
    ensure_outputs(json_out, force=force)
    if rule not in ("any_member", "all_members"):
        raise input_error(f"unknown sanction rule {rule!r}", value=rule,
                          expected="any_member or all_members")
    _, space, graph = _graph(file, max_states)
    starts, coals = conflict_runs.coalition_plan(
        graph, [resolve_state(space, s) for s in state or []], concept, pairs, max_pairs)
    with progress_bar("coalitions") as progress:
        res = conflict_runs.coalitions(graph, starts, coals, concept=concept, rule=rule,
                                       max_pairs=max_pairs, path_limit=PATH_LIMIT,
                                       progress=progress)
    print_coalitions(res, space, starts, rule, concept, console)
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
    method: Annotated[str, typer.Option(
        help="auto, brute_force, inclusion_exclusion or sat (see the docs).")] = "auto",
    limit: Annotated[int, typer.Option(
        help="Most solutions the SAT and clause methods enumerate before reporting bounds.")]
        = 2_000,
    seq_method: Annotated[str, typer.Option(
        help="With --equilibrium under SEQ: auto, enumeration or clauses (see the docs).")]
        = "auto",
    samples: Annotated[int, typer.Option(help="Orderings to sample and show.")] = 3,
    seed: Annotated[int, typer.Option(help="Random seed for sampling.")] = 0,
    json_out: Annotated[str | None, typer.Option("--json", help="Write the result as JSON.")]
        = None,
    force: Annotated[bool, typer.Option(help="Replace an existing output file.")] = False,
    max_states: MaxStates = None,
) -> None:
    """Which preference orderings of an actor would make a state stable, and which single
    change of its prioritization statements would do it."""
    from crisislab.cli.progress import progress_bar
    from crisislab.compare import conflict_runs
    from crisislab.report.conflict_text import print_inverse

    ensure_outputs(json_out, force=force)

    if not state or not actor:
        raise input_error("--state and --actor are required", expected="--state s5 --actor CN")
    _check_concept(concept)
    scenario, space, graph = _graph(file, max_states)
    if actor not in graph.actors:
        raise input_error(f"unknown actor {actor!r}", value=actor,
                          expected=", ".join(graph.actors))
    s = resolve_state(space, state)
    warning = conflict_runs.inverse_plan(graph, s, actor, concept, method)
    if warning is not None and method == "auto":
        err_console.print(f"note: {warning}", highlight=False)
    with progress_bar("inverse analysis") as progress:
        res = conflict_runs.inverse(graph, s, actor, concept, equilibrium=equilibrium,
                                    method=method, samples=samples, seed=seed, limit=limit,
                                    progress=progress, seq_method=seq_method)
    edits = conflict_runs.statement_edits(scenario, space, graph, s, actor, concept)
    print_inverse(res, edits, space, s, actor, concept, equilibrium, console)
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
    pair: Annotated[str | None, typer.Option(
        help="Two actors to analyse in a model with more, e.g. US,KP (needs --fix).")] = None,
    fix: Annotated[list[str] | None, typer.Option(
        help="ACTOR=STATE holds an actor outside the pair at its options in that state "
        "(s5, a code, a Y/N pattern, 'a+b', or 'none' for no option taken); ACTOR=stay keeps "
        "every state and only stops the actor moving.  Repeat per actor.")] = None,
    json_out: Annotated[str | None, typer.Option("--json", help="Write the result as JSON.")]
        = None,
    force: Annotated[bool, typer.Option(help="Replace an existing output file.")] = False,
    max_states: MaxStates = None,
) -> None:
    """Limited-move (L_h) and non-myopic stability (two actors, or a pair with the others
    fixed)."""
    from crisislab.compare import conflict_runs
    from crisislab.report.conflict_text import print_foresight

    if ties not in ("cautious", "hopeful"):
        raise input_error(f"unknown tie rule {ties!r}", value=ties, expected="cautious or hopeful")
    ensure_outputs(json_out, force=force)
    _, space, graph = _graph(file, max_states)
    index = None
    if pair is not None:
        members = [p.strip() for p in pair.split(",") if p.strip()]
        fixed: dict[str, int | None] = {}
        for item in fix or []:
            if "=" not in item:
                raise input_error("--fix takes ACTOR=STATE", value=item, expected="e.g. CN=s1")
            who, what = (x.strip() for x in item.split("=", 1))
            if what == "stay":
                fixed[who] = None
            elif what == "none":
                fixed[who] = 0
            else:
                fixed[who] = int(space.codes[resolve_state(space, what)])
        graph, index = conflict_runs.pair_view(graph, members, fixed)
    elif fix:
        raise input_error("--fix needs --pair", value=fix, expected="--pair A,B --fix C=s1")
    from crisislab.cli.progress import progress_bar

    with progress_bar("limited-move stability") as progress:
        res = conflict_runs.foresight(graph, horizon, nonmyopic=nonmyopic, ties=ties,
                                      progress=progress)

    print_foresight(res, space, graph, index, nonmyopic, console)
    if json_out:
        data = res.to_dict()
        if index is not None:
            data["states"] = [int(k) + 1 for k in index]
        write_atomic(json_out, canonical_json(data), force=force)


@user_errors
def import_gmcr(
    source: Annotated[str, typer.Argument(help="gmcr-py .gmcr file.")],
    target: Annotated[str, typer.Argument(help="Scenario file to write (.yaml or .json).")],
    title: Annotated[str | None, typer.Option(help="Scenario title.")] = None,
) -> None:
    """Convert a gmcr-py / GMCR+ model into a crisislab scenario (never overwrites)."""
    import io

    from ruamel.yaml import YAML

    from crisislab.formats.gmcr_import import read_gmcr
    from crisislab.formats.scenario import load_text

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
    for lens in data.get("lenses", []):
        console.print(f"misperceived states of {lens['holder']} -> perception lens "
                      f"{lens['id']!r} (unperceived: "
                      + "; ".join(u["formula"] for u in lens["unperceived"]) + ")",
                      highlight=False)
    extras = {k: v for k, v in model.extras().items() if k != "coalitions"}
    if "coalition_structures" in data:
        console.print("the file's coalition structure is kept as coalition_structures 'file' "
                      "(analyze --coalitions file)", highlight=False)
    if extras:
        console.print("not representable in a scenario file (kept in the description): "
                      + ", ".join(sorted(extras)), highlight=False)


def register(app: typer.Typer) -> None:
    """Add the GMCR extension commands to the application."""
    app.command("coalitions")(coalitions)
    app.command("inverse")(inverse)
    app.command("foresight")(foresight)
    app.command("import-gmcr")(import_gmcr)
