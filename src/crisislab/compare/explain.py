"""Cruxes in plain words, with the evidence behind each side.

"Whether a total embargo with Chinese participation holds depends on one
assumption: does North Korea, under a total embargo, prefer escalation to a
freeze?  Beijing's view: yes ('…much more likely to ramp up its provocative
activities'); Washington's view: no ('…')."
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from crisislab.compare.cruxes import Assumption, statement_of
from crisislab.model.describe import actor_name
from crisislab.model.scenario import PreferenceOverride, Scenario, Statement


@dataclass(frozen=True)
class Side:
    """One view's answer to an assumption, with its evidence."""

    view: str
    answer: str
    formula: str | None
    evidence: str | None
    source: str | None


def _evidence(item: PreferenceOverride | Statement | None) -> str | None:
    if item is None:
        return None
    return item.evidence_text()


def _answer(item: PreferenceOverride | Statement | None, removed: bool) -> str:
    if item is not None and item.answer:
        return item.answer
    if removed:
        return "the statement does not hold"
    if isinstance(item, PreferenceOverride) and item.preferences is not None:
        return "different preferences"
    formula = getattr(item, "formula", None)
    return f"'{formula}'" if formula else "as in the base case"


def side(base: Scenario, assumption: Assumption, which: str, view_name: str) -> Side:
    """View ``which`` ('a' or 'b') of an assumption; absent overrides mean the base case."""
    ovs = assumption.a if which == "a" else assumption.b
    if ovs:
        ov = ovs[-1]
        return Side(view_name, _answer(ov, ov.remove), ov.formula, _evidence(ov), ov.source)
    st = statement_of(base, assumption.actor, assumption.statement)
    if st is None:  # the statement does not exist in the base case
        return Side(view_name, "no such preference", None, None, None)
    return Side(view_name, _answer(st, False), st.formula, _evidence(st), st.source)


def question(base: Scenario, assumption: Assumption) -> str:
    """The assumption as a question a reader can answer."""
    for ov in (*assumption.a, *assumption.b):
        if ov.question:
            return ov.question
    st = statement_of(base, assumption.actor, assumption.statement)
    if st is not None and st.question:
        return st.question
    who = actor_name(base, assumption.actor)
    if assumption.statement is None:
        return f"What does {who} prefer?"
    return f"Does {who} hold preference statement '{assumption.statement}'?"


def join_and(names: Sequence[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def tied(names: Sequence[str], empty: str = "none") -> str:
    """One name as itself; several as a tie ('A and B (tied)')."""
    if not names:
        return empty
    return names[0] if len(names) == 1 else f"{join_and(names)} (tied)"


def _side_text(s: Side) -> str:
    ev = f" ({s.evidence.rstrip('.')})" if s.evidence else ""
    return f"{s.view}: {s.answer}{ev}"


def assumption_text(base: Scenario, assumption: Assumption, view_a: str, view_b: str) -> str:
    """'Does X ...? B's view: yes ('quote'); A's view: no ('quote').'"""
    sa = side(base, assumption, "a", view_a)
    sb = side(base, assumption, "b", view_b)
    return f"{question(base, assumption)} {_side_text(sb)}; {_side_text(sa)}."


def crux_sentence(contrast: str, base: Scenario, assumptions: list[Assumption],
                  view_a: str, view_b: str) -> str:
    """One crux (a minimal set of assumptions) as a sentence: what the two views conclude
    (``contrast``), then the assumptions that, switched, turn one into the other."""
    count = len(assumptions)
    words = {1: "one assumption", 2: "two assumptions", 3: "three assumptions"}
    how_many = words.get(count, f"{count} assumptions")
    head = f"{contrast[0].upper()}{contrast[1:]}; the difference turns on {how_many}"
    parts = [assumption_text(base, a, view_a, view_b) for a in assumptions]
    if count == 1:
        return f"{head}: {parts[0][0].lower()}{parts[0][1:]}"
    return f"{head} together: " + " ".join(f"({k}) {p}" for k, p in enumerate(parts, 1))
