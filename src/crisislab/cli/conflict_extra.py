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
#: States or improvements listed in the terminal before "and N more".
LISTED = 20
#: Coalitional improvements given a shortest sequence of moves (the rest: endpoints only).
PATH_LIMIT = 200


def _graph(file: str | None, max_states: int | None = None) -> tuple[Any, Any, Any]:
    """The scenario's base case: its states and moves (less each actor's moves through
    states it does not perceive) with the base preferences."""
    from crisislab.conflict.perception import without_own_moves
    from crisislab.conflict.scenario_graph import build_graph
    from crisislab.model.perception import unperceived_by_actor
    from crisislab.model.states import state_space

    scenario = load_scenario_or_exit(file, max_states=max_states)
    space = state_space(scenario)
    graph = without_own_moves(build_graph(scenario, space),
                              unperceived_by_actor(scenario, space))
    return scenario, space, graph


def resolve_state(space: Any, text: str) -> int:
    """A state typed on the command line (see :meth:`StateSpace.resolve_text`)."""
    from crisislab.model.states import StateRefError

    try:
        return int(space.resolve_text(text))
    except StateRefError as exc:
        raise input_error(exc.message, value=text, expected=exc.expected) from None


def _label(space: Any, s: int) -> str:
    if space.names is not None:
        sid = space.state_id(s)
        return sid if sid == space.names[s] else f"{sid} {space.names[s]}"
    taken = space.taken(s)
    return f"{space.state_id(s)} ({', '.join(taken) if taken else 'no option taken'})"


def count_text(res: Any, n_states: int) -> str:
    """The counts of an inverse result in words, exact or as bounds."""
    import math

    from crisislab.conflict.inverse import big_decimal

    def big(x: int) -> str:
        if x < 10 ** 24:
            return f"{x:,}"
        text = big_decimal(x)
        return f"{text[0]}.{text[1:4]}e{len(text) - 1}"

    total = big(math.factorial(n_states))
    if res.exact:
        head = f"{big(res.count_strict)} of {total} strict orderings ({res.share_strict:.1%})"
    else:
        upper = ("" if res.count_strict_upper is None
                 else f" and at most {big(res.count_strict_upper)}")
        head = f"at least {big(res.count_strict)}{upper} of {total} strict orderings"
    if res.count_weak is None and res.equilibrium_method == "clauses":
        return head + "; orderings with ties not counted by the clause method"
    if res.count_weak is None:
        return head + "; orderings with ties not counted at this size"
    return head + f"; {'' if res.exact else 'at least '}{big(res.count_weak)} orderings with ties"


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
    import numpy as np

    from crisislab.cli.progress import progress_bar
    from crisislab.conflict.blocs import check_rule
    from crisislab.conflict.coalitions import (
        all_coalitions,
        coalition_analysis,
        estimate_coalition_pairs,
        individual_stability,
    )
    from crisislab.conflict.concepts import check_basic_concept

    _check_concept(concept)
    ensure_outputs(json_out, force=force)
    if rule not in ("any_member", "all_members"):
        raise input_error(f"unknown sanction rule {rule!r}", value=rule,
                          expected="any_member or all_members")
    _, space, graph = _graph(file, max_states)
    if state:
        starts = [resolve_state(space, s) for s in state]
    else:
        stable = individual_stability(graph, check_basic_concept(concept))
        starts = [int(s) for s in np.flatnonzero(stable.all(axis=0))]
    coals = all_coalitions(graph.actors, 2, 2 if pairs else None)
    estimate = estimate_coalition_pairs(graph, coals)
    if estimate > max_pairs:
        raise input_error(
            f"coalition analysis would hold about {estimate:,} (state, state) pairs of joint "
            f"moves over {len(coals)} coalitions", value=estimate,
            expected=f"at most {max_pairs:,} (--pairs, a smaller model, or --max-pairs)")
    with progress_bar("coalitions") as progress:
        res = coalition_analysis(graph, starts, coalitions=coals, rule=check_rule(rule),
                                 concepts=[check_basic_concept(concept)], progress=progress,
                                 max_pairs=max_pairs, path_limit=PATH_LIMIT)
    shown = ", ".join(_label(space, s) for s in starts[:LISTED]) or "no state"
    more = f" and {len(starts) - LISTED} more" if len(starts) > LISTED else ""
    console.print(f"From {shown}{more} (sanction rule: {rule}):", highlight=False)
    if not res.improvements:
        console.print("No coalition can reach an outcome all its members prefer.")
    for imp in res.improvements[:LISTED]:
        steps = " → ".join(f"{a}: {_label(space, s)}" for a, s in imp.path)
        console.print(f"• {' + '.join(imp.coalition)}: {_label(space, imp.source)} ⇒ "
                      f"{_label(space, imp.target)}  ({steps})", highlight=False)
    from rich.table import Table

    if len(res.improvements) > LISTED:
        console.print(f"… and {len(res.improvements) - LISTED} more coalitional improvements "
                      "(all in --json)", highlight=False)
    table = Table("coalition", "stable at", "unstable at",
                  title=f"coalition {concept.upper()} stability")

    def ids(flags: list[int]) -> str:
        text = ", ".join(space.state_id(s) for s in flags[:LISTED])
        return (text + (f" and {len(flags) - LISTED} more" if len(flags) > LISTED else "")) \
            or "none"

    for coal, flags in res.stability[concept].items():
        table.add_row("+".join(coal), ids([s for s, f in zip(starts, flags, strict=True) if f]),
                      ids([s for s, f in zip(starts, flags, strict=True) if not f]))
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
    from crisislab.conflict.concepts import check_basic_concept
    from crisislab.conflict.inverse import (
        METHODS,
        check_seq_method,
        estimate_inverse_work,
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
    if method not in METHODS:
        raise input_error(f"unknown method {method!r}", value=method, expected=", ".join(METHODS))
    warning = estimate_inverse_work(graph, s, actor, check_basic_concept(concept))
    if warning is not None and method == "auto":
        err_console.print(f"note: {warning}", highlight=False)
    with progress_bar("inverse analysis") as progress:
        res = inverse_stability(graph, s, actor, check_basic_concept(concept),
                                equilibrium=equilibrium, method=method,
                                samples=samples, seed=seed, limit=limit, progress=progress,
                                seq_method=check_seq_method(seq_method))
    names = [_label(space, k) for k in range(space.n)]
    console.print(f"{actor}: orderings under which {names[s]} is "
                  f"{'an equilibrium' if equilibrium else 'stable'} by {concept.upper()} "
                  f"(method: {res.method}"
                  + (f"; equilibrium: {res.equilibrium_method}" if res.equilibrium_method
                     else "") + "):", highlight=False)
    console.print("  " + count_text(res, space.n), highlight=False)
    for line in res.describe(names):
        console.print(f"  • {line}", highlight=False)
    for k, order in enumerate(res.samples, 1):
        cut = order[:LISTED]
        tail = f" > … ({len(order) - LISTED} more)" if len(order) > LISTED else ""
        console.print(f"  example {k}: " + " > ".join(space.state_id(t) for t in cut) + tail,
                      highlight=False)
    if res.samples and res.sampling != "uniform":
        console.print("  (examples from the solutions enumerated, not drawn uniformly)",
                      highlight=False)
    pref = scenario.preferences.get(actor)
    if pref is not None and pref.prioritization and space.names is None:
        texts = [p if isinstance(p, str) else p.formula for p in pref.prioritization]
        stmts = [(t, parse_formula(t, space.option_ids).evaluate(space.codes, space.option_index))
                 for t in texts]
        edits = prioritization_edits(graph, s, actor, stmts, concept=check_basic_concept(concept),
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
    from crisislab.conflict.foresight import limited_move_stability, pair_graph

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
        graph, index = pair_graph(graph, members, fixed)
    elif fix:
        raise input_error("--fix needs --pair", value=fix, expected="--pair A,B --fix C=s1")
    from rich.table import Table

    from crisislab.cli.progress import progress_bar

    with progress_bar("limited-move stability") as progress:
        res = limited_move_stability(graph, horizon, nonmyopic=nonmyopic,
                                     ties=ties, progress=progress)  # type: ignore[arg-type]

    def name(s: int) -> str:
        return _label(space, int(index[s]) if index is not None else s)

    title = "limited-move stability" + (f" of {graph.actors[0]} and {graph.actors[1]} "
                                        f"({len(index)} states with the others fixed)"
                                        if index is not None else "")
    table = Table("horizon", "equilibria", title=title)
    for h in res.horizons:
        table.add_row(str(h), ", ".join(name(s) for s in res.equilibria(h)) or "none")
    if nonmyopic:
        table.add_row("non-myopic",
                      ", ".join(name(s) for s in res.nonmyopic_equilibria()) or "none")
    console.print(table)
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
