"""States in words, from the scenario's own labels.

Engines return state indices; reports and witnesses show them to people.  This
module is the one place that turns an index into words ("US pushes a total
embargo; North Korea escalates provocations"), so every output speaks alike.
"""

from __future__ import annotations

from crisislab.model.scenario import Scenario
from crisislab.model.states import StateSpace


def state_label(scenario: Scenario, space: StateSpace, index: int) -> str:
    """Short id of a state: ordinal, and the Y/N pattern or graph-form id."""
    sid = space.state_id(index)
    pattern = space.pattern(index)
    return sid if sid == pattern else f"{sid} ({pattern})"


def state_words(scenario: Scenario, space: StateSpace, index: int) -> str:
    """What is happening in a state, in the option labels."""
    if space.is_graph_form:
        assert scenario.graph is not None
        st = scenario.graph.states[index]
        return st.label or st.id
    taken = set(space.taken(index))
    if not taken:
        return "no option taken"
    return "; ".join(o.label for o in scenario.options if o.id in taken)


def state_by_actor(scenario: Scenario, space: StateSpace, index: int) -> dict[str, list[str]]:
    """Labels of the options each actor has taken in a state."""
    taken = set(space.taken(index))
    return {a.id: [o.label for o in scenario.options if o.owner == a.id and o.id in taken]
            for a in scenario.actors}


def actor_name(scenario: Scenario, actor_id: str) -> str:
    for a in scenario.actors:
        if a.id == actor_id:
            return a.name
    return actor_id
