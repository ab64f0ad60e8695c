"""Checks of a scenario's coalition structures (declared, or named by a policy): known
actors, each in at most one bloc."""

from __future__ import annotations

from collections.abc import Iterator

from crisislab.model.problems import DocPath, RawProblem
from crisislab.model.scenario import Scenario


def coalition_structure_problems(scenario: Scenario) -> Iterator[RawProblem]:
    """Unknown actors, actors in two blocs, empty blocs, duplicate structure ids; and the
    same for the coalition structure a policy names (by id or inline)."""
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
        yield from _bloc_problems(cs.blocs, (*where, "blocs"), actors)
    ids = [c.id for c in scenario.coalition_structures]
    for k, pol in enumerate(scenario.policies):
        at: DocPath = ("policies", k, "coalitions")
        if pol.coalitions is None:
            continue
        if isinstance(pol.coalitions, str):
            if pol.coalitions not in ids:
                yield RawProblem(at, "unknown coalition structure", pol.coalitions,
                                 f"one of the coalition_structures ids {ids}" if ids else
                                 "a coalition_structures entry with this id, or blocs inline "
                                 "such as [[" + ", ".join(actors[:2]) + "]]")
            continue
        if not pol.coalitions:
            yield RawProblem(at, "no blocs", [], "at least one bloc of actor ids")
        yield from _bloc_problems(pol.coalitions, at, actors)


def _bloc_problems(blocs: list[list[str]], where: DocPath,
                   actors: list[str]) -> Iterator[RawProblem]:
    placed: set[str] = set()
    for b, bloc in enumerate(blocs):
        if not bloc:
            yield RawProblem((*where, b), "empty bloc", bloc, "at least one actor id")
        for m, actor in enumerate(bloc):
            if actor not in actors:
                yield RawProblem((*where, b, m), "unknown actor", actor,
                                 f"one of the actor ids {actors}")
            elif actor in placed:
                yield RawProblem((*where, b, m), "actor in two blocs", actor,
                                 "each actor in at most one bloc")
            placed.add(actor)
