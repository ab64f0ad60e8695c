"""``crisislab diff`` in the terminal: what differs, then which conclusions differ and
what decides each (render only; :mod:`crisislab.compare.scenario_diff` computes)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:
    from crisislab.compare.scenario_diff import ScenarioDiff

MAX_DECIDERS = 3


def render_diff(d: ScenarioDiff, console: Console) -> None:
    """What differs between two scenarios, section by section, then the conclusions that changed
    and the cruxes that decide them."""
    console.print(Text(f"A: {d.a_name}\nB: {d.b_name}", style="bold"))
    if d.identical:
        console.print("The scenarios are identical.")
        return
    table = Table(title="What differs", show_lines=False, expand=True)
    table.add_column("section", style="bold")
    table.add_column("difference", overflow="fold")
    for section, changes in d.by_section().items():
        for k, c in enumerate(changes):
            table.add_row(section if k == 0 else "",
                          c.text() + (" (evidence only)" if c.evidence_only else ""))
    console.print(table)
    if not d.analysed:
        console.print(Text(d.note, style="dim"))
        return
    console.print(Text(d.note, style="dim"))
    if not d.conclusions:
        console.print(f"No conclusion differs ({d.same_conclusions} compared).")
        return
    table = Table(title=f"Conclusions that differ ({len(d.conclusions)}; "
                  f"{d.same_conclusions} agree)", show_lines=True, expand=True)
    table.add_column("conclusion", style="bold", overflow="fold")
    table.add_column("in A", overflow="fold")
    table.add_column("in B", overflow="fold")
    if d.comparable:
        table.add_column("decided by", overflow="fold")
    for cc in d.conclusions:
        row = [f"{cc.kind}: {cc.subject}", cc.a, cc.b]
        if d.comparable:
            shown = list(cc.decided_by[:MAX_DECIDERS])
            if len(cc.decided_by) > MAX_DECIDERS:
                shown.append(f"… {len(cc.decided_by) - MAX_DECIDERS} more (--json)")
            row.append("\n".join(shown) or "—")
        table.add_row(*row)
    console.print(table)
