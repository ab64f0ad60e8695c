"""The conflict engine's results in depth, in the terminal: coalitional improvements and
coalition stability, the orderings that make a state stable, limited-move stability.

Render only: the numbers come from :mod:`crisislab.compare.conflict_runs`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table

from crisislab.results import big_decimal

if TYPE_CHECKING:
    import numpy as np

    from crisislab.conflict.coalitions import CoalitionAnalysis
    from crisislab.conflict.foresight import ForesightResult
    from crisislab.conflict.graph import ConflictGraph
    from crisislab.conflict.inverse import EditsResult, InverseResult, PrioritizationEdit
    from crisislab.model.states import StateSpace

#: States or improvements listed in the terminal before "and N more".
LISTED = 20


def count_text(res: InverseResult) -> str:
    """The counts of an inverse result in words, exact or as bounds (counts beyond 10^24
    in scientific notation, as no reader takes in more digits)."""
    def big(x: int) -> str:
        if x < 10 ** 24:
            return f"{x:,}"
        text = big_decimal(x)
        return f"{text[0]}.{text[1:4]}e{len(text) - 1}"

    total = big(res.count_total)
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


def inverse_lines(res: InverseResult, names: Sequence[str] | None = None) -> list[str]:
    """The constraints of an inverse result in words, e.g. "CN must rank 'freeze' at
    least as high as ..." (``names``: the states' names; else their ordinal ids)."""
    def nm(t: int) -> str:
        return f"'{names[t]}'" if names is not None else f"state {t + 1}"

    a, s = res.actor, nm(res.state)
    lines = []
    if res.blocked_by:
        lines.append(f"{s} cannot be an equilibrium whatever {a} prefers: it is unstable "
                     f"for {', '.join(res.blocked_by)}.")
    if res.equilibrium_method == "enumeration":
        lines.append(f"Under SEQ the other actors' stability at {s} depends on {a}'s "
                     f"whole ordering; all orderings of {a} were enumerated.")
    if res.equilibrium_method == "clauses":
        lines.append(f"Under SEQ the other actors' stability at {s} can depend on {a}'s "
                     f"pairwise order; their SEQ conditions were added as clauses over "
                     f"it and the strict orderings counted from the solutions.")
    if res.must_not_prefer:
        banned = ", ".join(nm(t) for t in res.must_not_prefer)
        lines.append(f"{a} must not prefer any of {banned} to {s}.")
    for c in res.constraints:
        if not c.sanctions or c.move in res.must_not_prefer:
            if c.move not in res.must_not_prefer:
                lines.append(f"{a} must rank {s} at least as high as {nm(c.move)}.")
            continue
        if c.escapes is None:
            alts = ", ".join(nm(u) for u in c.sanctions[:12])
            more = f" (and {len(c.sanctions) - 12} more)" if len(c.sanctions) > 12 else ""
            lines.append(f"If {a} prefers {nm(c.move)} to {s}, it must rank {s} at least "
                         f"as high as one of the sanctions {alts}{more}.")
        else:
            alts = "; ".join(
                nm(u) + (f" (and every state it can then reach: "
                         f"{', '.join(nm(v) for v in e)})" if e else "")
                for u, e in zip(c.sanctions[:12], c.escapes[:12], strict=True))
            more = f" (and {len(c.sanctions) - 12} more)" if len(c.sanctions) > 12 else ""
            lines.append(f"If {a} prefers {nm(c.move)} to {s}, it must rank {s} at least "
                         f"as high as one of: {alts}{more}.")
    if not res.constraints and not res.blocked_by:
        lines.append(f"{s} is stable for {a} under every ordering ({a} has no move from it "
                     "that could pay).")
    if not res.exact and res.equilibrium_method == "clauses":
        lines.append("The count is a lower bound: the clause method stopped at its limit "
                     "of solutions (raise --limit).")
    elif not res.exact:
        upper = ("" if res.count_strict_upper is None else
                 "; the GMR count is an upper bound")
        lines.append("The counts are lower bounds (the Nash count, or the solutions "
                     "enumerated before the limit)" + upper + ": exact SMR counting at "
                     "this size is a hitting-set count crisislab does not attempt.")
    return lines


def edit_text(edit: PrioritizationEdit, actor: str) -> str:
    """A single-statement edit of ``actor``'s prioritization in words."""
    if edit.kind == "remove":
        return f"{actor} drops the statement '{edit.statement}'"
    if edit.kind == "move":
        return f"{actor} moves '{edit.statement}' to position {edit.position}"
    return f"{actor} adds '{edit.statement}' at position {edit.position}"


def state_label(space: StateSpace, s: int) -> str:
    """A state as its ordinal id with its name (graph form) or the options taken."""
    if space.names is not None:
        sid = space.state_id(s)
        return sid if sid == space.names[s] else f"{sid} {space.names[s]}"
    taken = space.taken(s)
    return f"{space.state_id(s)} ({', '.join(taken) if taken else 'no option taken'})"


def print_coalitions(res: CoalitionAnalysis, space: StateSpace, starts: Sequence[int],
                     rule: str, concept: str, console: Console) -> None:
    """The start states, the first coalitional improvements with their moves (all of
    them are in the JSON), and each coalition's stability at every start."""
    shown = ", ".join(state_label(space, s) for s in starts[:LISTED]) or "no state"
    more = f" and {len(starts) - LISTED} more" if len(starts) > LISTED else ""
    console.print(f"From {shown}{more} (sanction rule: {rule}):", highlight=False)
    if not res.improvements:
        console.print("No coalition can reach an outcome all its members prefer.")
    for imp in res.improvements[:LISTED]:
        steps = " → ".join(f"{a}: {state_label(space, s)}" for a, s in imp.path)
        console.print(f"• {' + '.join(imp.coalition)}: {state_label(space, imp.source)} ⇒ "
                      f"{state_label(space, imp.target)}  ({steps})", highlight=False)
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


def print_inverse(res: InverseResult, edits: EditsResult | None, space: StateSpace, s: int,
                  actor: str, concept: str, equilibrium: bool, console: Console) -> None:
    """The count of orderings that make state ``s`` stable (or an equilibrium), the
    conditions they share, a few examples, and the single statement changes that would do
    it (``edits``, when the actor ranks by statements)."""
    names = [state_label(space, k) for k in range(space.n)]
    console.print(f"{actor}: orderings under which {names[s]} is "
                  f"{'an equilibrium' if equilibrium else 'stable'} by {concept.upper()} "
                  f"(method: {res.method}"
                  + (f"; equilibrium: {res.equilibrium_method}" if res.equilibrium_method
                     else "") + "):", highlight=False)
    console.print("  " + count_text(res), highlight=False)
    for line in inverse_lines(res, names):
        console.print(f"  • {line}", highlight=False)
    for k, order in enumerate(res.samples, 1):
        cut = order[:LISTED]
        tail = f" > … ({len(order) - LISTED} more)" if len(order) > LISTED else ""
        console.print(f"  example {k}: " + " > ".join(space.state_id(t) for t in cut) + tail,
                      highlight=False)
    if res.samples and res.sampling != "uniform":
        console.print("  (examples from the solutions enumerated, not drawn uniformly)",
                      highlight=False)
    if edits is not None:
        if edits.already_stable:
            console.print(f"  {names[s]} is already stable for {actor} with its statements.")
        else:
            fixes = edits.working
            console.print(f"  single statement changes that make it stable: {len(fixes)}")
            for e in fixes[:10]:
                console.print(f"    - {edit_text(e, actor)}", highlight=False)


def print_foresight(res: ForesightResult, space: StateSpace, graph: ConflictGraph,
                    index: np.ndarray | None, nonmyopic: bool, console: Console) -> None:
    """The equilibria at each horizon (and the non-myopic limit), states named in the
    full model when ``index`` maps a pair's graph back to it."""

    def name(s: int) -> str:
        return state_label(space, int(index[s]) if index is not None else s)

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
