"""Checks of a scenario's coalition structures: known actors, each in at most one bloc."""

from __future__ import annotations

from collections.abc import Iterator

from crisislab.model.problems import RawProblem
from crisislab.model.scenario import Scenario


def coalition_structure_problems(scenario: Scenario) -> Iterator[RawProblem]:
    """Unknown actors, actors in two blocs, empty blocs, duplicate structure ids."""
    actors = scenario.actor_ids()
    seen_ids: set[str] = set()
    sources = {s.id for s in scenario.metadata.sources}
    for k, cs in enumerate(scenario.coalition_structures):
        where = ("coalition_structures", k)
        if cs.id in seen_ids:
            yield RawProblem((*where, "id"), f"duplicate coalition structure id {cs.id!r}",
                             cs.id, "each coalition structure id to appear once")
        seen_ids.add(cs.id)
        if cs.source is not None and cs.source not in sources:
            yield RawProblem((*where, "source"), "unknown source", cs.source,
                             f"one of the source ids {sorted(sources)}")
        placed: set[str] = set()
        for b, bloc in enumerate(cs.blocs):
            if not bloc:
                yield RawProblem((*where, "blocs", b), "empty bloc", bloc,
                                 "at least one actor id")
            for m, actor in enumerate(bloc):
                if actor not in actors:
                    yield RawProblem((*where, "blocs", b, m), "unknown actor", actor,
                                     f"one of the actor ids {actors}")
                elif actor in placed:
                    yield RawProblem((*where, "blocs", b, m), "actor in two blocs", actor,
                                     "each actor in at most one bloc")
                placed.add(actor)
