"""Checks that need the whole scenario: ids, formulas, states, rankings.

Each check yields :class:`~crisislab.model.problems.RawProblem` located by its
path in the document, so the loader can point at file, line and column.  All
problems are collected before reporting, so a user fixes a file in one pass.

Sections that only an engine can check (a game is valid when the games engine
compiles it) are checked by the :data:`~crisislab.model.problems.SectionCheck`
functions the caller hands in; the model imports no engine.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import numpy as np
from pydantic import ValidationError

from crisislab.errors import CrisislabError, Problem
from crisislab.limits import DEFAULT_MAX_STATES as _DEFAULT_MAX_STATES
from crisislab.model.coalition_checks import coalition_structure_problems
from crisislab.model.issue_spec import apply_issue_overrides
from crisislab.model.lenses import policy_state
from crisislab.model.logic import HELPERS, KEYWORDS, FormulaError, parse_formula
from crisislab.model.problems import DocPath, PathKey, RawProblem, SectionCheck
from crisislab.model.scenario import Lens, Preference, PreferenceOverride, Scenario
from crisislab.model.states import StateRefError, StateSpace, state_space
from crisislab.model.uncertainty_spec import uncertainty_problems

DEFAULT_MAX_STATES = _DEFAULT_MAX_STATES
"""Largest raw option space (2**options) enumerated by default; set CRISISLAB_MAX_STATES
or pass ``max_states`` to change it (read when a file is loaded, see
:func:`crisislab.limits.max_states_default`)."""

Path = DocPath

RESERVED_WORDS = frozenset(KEYWORDS | HELPERS)
"""Words a formula reads as operators or constants: an option with such an id would be
silently read as ``true``/``false`` or refused in every formula."""


def _dupes(items: list[str], path: Path, what: str, key: str = "id") -> Iterator[RawProblem]:
    counts = Counter(items)
    seen: set[str] = set()
    for i, item in enumerate(items):
        if counts[item] > 1 and item in seen:
            yield RawProblem((*path, i, key), f"duplicate {what} id {item!r}", item,
                             f"each {what} id to appear once")
        seen.add(item)


def _formula(text: str, known: list[str], path: Path) -> Iterator[RawProblem]:
    try:
        parse_formula(text, known)
    except FormulaError as exc:
        yield RawProblem(path, f"bad formula: {exc.message}\n    {exc.caret()}", text,
                         exc.expected, offset=exc.position)


def _evidence(scenario: Scenario, node: Any, path: Path, sources: set[str]) \
        -> Iterator[RawProblem]:
    src = getattr(node, "source", None)
    if src is not None and src not in sources:
        yield RawProblem((*path, "source"), f"unknown source {src!r}", src,
                         f"one of metadata.sources ids {sorted(sources)}")


def semantic_problems(scenario: Scenario, *, max_states: int = DEFAULT_MAX_STATES,
                      checks: Sequence[SectionCheck] = ()) -> list[RawProblem]:
    """Every problem in a structurally valid scenario (empty when it is usable).

    ``checks`` are the engines' checks of their own sections (games); without
    them those sections are only checked for structure.
    """
    actors = scenario.actor_ids()
    options = scenario.option_ids()
    sources = {s.id for s in scenario.metadata.sources}
    out = _declaration_problems(scenario, sources)
    if scenario.graph is not None and scenario.options:
        out.append(RawProblem(("graph",), "a scenario takes either options or graph, not both",
                              None, "option form (options) or graph form (graph)"))
        return out
    out += _engine_section_problems(scenario, checks)
    out += uncertainty_problems(scenario)
    if scenario.graph is None and not scenario.options:
        if not scenario.games and not scenario.issues:
            out.append(RawProblem(("options",), "nothing to analyse: no options, graph, games "
                                  "or issues", [], "a list of options (option form), a graph "
                                  "section, games or issues"))
        return out
    if scenario.graph is not None:
        out += _graph_problems(scenario)
    elif not out:
        out += _size_problems(options, max_states)
    if out:
        return out
    space = state_space(scenario)
    if space.n == 0:
        out.append(RawProblem(("feasibility",), "no feasible state: the constraints exclude "
                              "every combination of options", None,
                              "constraints that some state satisfies"))
        return out
    return _state_problems(scenario, space, actors, sources)


def _declaration_problems(scenario: Scenario, sources: set[str]) -> list[RawProblem]:
    """Problems visible without the state space: duplicate ids, unknown sources, owners and
    options, reserved words, outcome formulas."""
    actors = scenario.actor_ids()
    options = scenario.option_ids()
    out: list[RawProblem] = []
    out += _dupes([s.id for s in scenario.metadata.sources], ("metadata", "sources"), "source")
    out += _dupes(actors, ("actors",), "actor")
    out += _dupes(options, ("options",), "option")
    out += _dupes([lens.id for lens in scenario.lenses], ("lenses",), "lens")
    out += _dupes([p.id for p in scenario.policies], ("policies",), "policy")
    out += _dupes(scenario.outcome_ids(), ("outcomes",), "outcome")
    for i, oc in enumerate(scenario.outcomes):
        out += _evidence(scenario, oc, ("outcomes", i), sources)
        if scenario.graph is not None:
            out.append(RawProblem(("outcomes", i, "when"), "outcome formulas need option form",
                                  oc.when, "no outcomes section in a graph-form scenario"))
        else:
            out += _formula(oc.when, options, ("outcomes", i, "when"))
    for i, pol in enumerate(scenario.policies):
        out += _evidence(scenario, pol, ("policies", i), sources)
    out += coalition_structure_problems(scenario)
    if not actors:
        out.append(RawProblem(("actors",), "no actors", [], "at least one actor"))
    for i, a in enumerate(scenario.actors):
        out += _evidence(scenario, a, ("actors", i), sources)
    out += _option_problems(scenario, actors, sources)
    out += _feasibility_problems(scenario, options, sources)
    return out


def _option_problems(scenario: Scenario, actors: list[str], sources: set[str]
                     ) -> list[RawProblem]:
    """Each option's evidence, an id that is a word of the formula language, an unknown
    owner."""
    out: list[RawProblem] = []
    for i, o in enumerate(scenario.options):
        out += _evidence(scenario, o, ("options", i), sources)
        if o.id in RESERVED_WORDS:
            out.append(RawProblem(("options", i, "id"), f"{o.id!r} is a word of the formula "
                                  "language and cannot be an option id", o.id,
                                  "another id (reserved: " + ", ".join(sorted(RESERVED_WORDS))
                                  + ")"))
        if o.owner not in actors:
            out.append(RawProblem(("options", i, "owner"), f"unknown actor {o.owner!r}",
                                  o.owner, f"one of the actor ids {actors}"))
    return out


def _feasibility_problems(scenario: Scenario, options: list[str], sources: set[str]
                          ) -> list[RawProblem]:
    """Each constraint's formula and the options its helpers name."""
    out: list[RawProblem] = []
    for i, c in enumerate(scenario.feasibility):
        if isinstance(c, str):
            out += _formula(c, options, ("feasibility", i))
            continue
        out += _evidence(scenario, c, ("feasibility", i), sources)
        if c.formula is not None:
            out += _formula(c.formula, options, ("feasibility", i, "formula"))
        for helper in ("mutually_exclusive", "at_least_one", "exactly_one"):
            for j, o in enumerate(getattr(c, helper) or []):
                if o not in options:
                    out.append(RawProblem(("feasibility", i, helper, j),
                                          f"unknown option {o!r}", o,
                                          f"one of the option ids {options}"))
    return out


def _size_problems(options: list[str], max_states: int) -> list[RawProblem]:
    """A raw option space above ``max_states``, refused before it is enumerated."""
    raw = 1 << len(options)
    if raw <= max_states:
        return []
    return [RawProblem(
        ("options",),
        f"{len(options)} options give a raw space of 2^{len(options)} = {raw:,} states, "
        f"above the limit of {max_states:,}",
        len(options),
        "fewer options, or a higher limit (--max-states / CRISISLAB_MAX_STATES) "
        "if the machine has the memory (about 40 bytes per raw state)")]


def _state_problems(scenario: Scenario, space: StateSpace, actors: list[str],
                    sources: set[str]) -> list[RawProblem]:
    """Problems that need the states: preferences, the status quo, policies, lenses."""
    out: list[RawProblem] = []
    for actor in actors:
        if actor not in scenario.preferences:
            out.append(RawProblem(("preferences",), f"no preferences for actor {actor!r}",
                                  None, "preferences for every actor"))
    for actor, pref in scenario.preferences.items():
        path: Path = ("preferences", actor)
        if actor not in actors:
            out.append(RawProblem(path, f"preferences for unknown actor {actor!r}", actor,
                                  f"one of the actor ids {actors}"))
            continue
        out += _preference_problems(pref, space, path, sources, scenario)
    if scenario.status_quo is not None:
        out += _state_ref(space, scenario.status_quo, ("status_quo",))
    for i in range(len(scenario.policies)):
        out += _policy_problems(scenario, space, i)
    for i, lens in enumerate(scenario.lenses):
        out += _lens_problems(scenario, space, lens, ("lenses", i), sources)
    return out


def _graph_problems(scenario: Scenario) -> list[RawProblem]:
    assert scenario.graph is not None
    out: list[RawProblem] = []
    ids = [st.id for st in scenario.graph.states]
    out += _dupes(ids, ("graph", "states"), "state")
    if not ids:
        out.append(RawProblem(("graph", "states"), "no states", [], "at least one state"))
    known = set(ids)
    actors = scenario.actor_ids()
    for actor, moves in scenario.graph.moves.items():
        if actor not in actors:
            out.append(RawProblem(("graph", "moves", actor), f"moves for unknown actor {actor!r}",
                                  actor, f"one of the actor ids {actors}"))
            continue
        for j, (a, b) in enumerate(moves):
            for k, ref in enumerate((a, b)):
                if ref not in known:
                    out.append(RawProblem(("graph", "moves", actor, j, k),
                                          f"unknown state {ref!r}", ref,
                                          f"one of the graph state ids {ids}"))
            if a == b:
                out.append(RawProblem(("graph", "moves", actor, j), f"a move from {a!r} to itself",
                                      [a, b], "a move between two different states"))
    return out


def _state_ref(space: StateSpace, ref: Any, path: Path) -> Iterator[RawProblem]:
    try:
        space.resolve(ref)
    except StateRefError as exc:
        yield RawProblem(path, exc.message, ref, exc.expected)


def _preference_problems(pref: Preference, space: StateSpace, path: Path, sources: set[str],
                         scenario: Scenario) -> Iterator[RawProblem]:
    yield from _evidence(scenario, pref, path, sources)
    if pref.prioritization is not None:
        if space.is_graph_form:
            yield RawProblem((*path, "prioritization"),
                             "option prioritization needs option form", None,
                             "a ranking or scores for graph-form scenarios")
            return
        ids = [st.id for st in pref.statements()]
        yield from _dupes([str(i) for i in ids], (*path, "prioritization"), "statement")
        for k, item in enumerate(pref.prioritization):
            if isinstance(item, str):
                yield from _formula(item, list(space.option_ids), (*path, "prioritization", k))
            else:
                yield from _evidence(scenario, item, (*path, "prioritization", k), sources)
                yield from _formula(item.formula, list(space.option_ids),
                                    (*path, "prioritization", k, "formula"))
        return
    if pref.ranking is not None:
        seen: dict[int, Path] = {}
        bad = False
        for pos, entry in enumerate(pref.ranking):
            group: list[int | str] = entry if isinstance(entry, list) else [entry]
            for j, ref in enumerate(group):
                here: Path = (*path, "ranking", pos, j) if isinstance(entry, list) \
                    else (*path, "ranking", pos)
                try:
                    idx = space.resolve(ref)
                except StateRefError as exc:
                    bad = True
                    yield RawProblem(here, exc.message, ref, exc.expected)
                    continue
                if idx in seen:
                    bad = True
                    yield RawProblem(here, f"state {ref!r} appears twice in the ranking", ref,
                                     "each feasible state exactly once")
                seen[idx] = here
        missing = np.setdiff1d(np.arange(space.n), np.fromiter(seen, dtype=np.int64))
        if missing.size and not bad:
            shown = ", ".join(space.pattern(int(i)) for i in missing[:8]) + \
                (" ..." if missing.size > 8 else "")
            yield RawProblem((*path, "ranking"),
                             f"the ranking omits {missing.size} feasible state(s): {shown}",
                             None, "every feasible state exactly once (ties as nested lists)")
        return
    assert pref.scores is not None
    covered: set[int] = set()
    for key in pref.scores:
        score_ref: int | str = int(key) if key.strip().lstrip("-").isdigit() else key
        try:
            covered.add(space.resolve(score_ref))
        except StateRefError as exc:
            yield RawProblem((*path, "scores", key), exc.message, key, exc.expected)
    missing_n = space.n - len(covered)
    if missing_n > 0 and len(covered) == len(pref.scores):
        missing = np.setdiff1d(np.arange(space.n), np.fromiter(covered, dtype=np.int64))
        yield RawProblem((*path, "scores"), f"no score for {missing_n} feasible state(s): "
                         + ", ".join(space.pattern(int(i)) for i in missing[:8]), None,
                         "a score for every feasible state")
    vals = [v for v in pref.scores.values()]
    if not all(np.isfinite(vals)):
        yield RawProblem((*path, "scores"), "scores must be finite numbers", None,
                         "finite numbers")


def _policy_problems(scenario: Scenario, space: StateSpace, i: int) -> Iterator[RawProblem]:
    from crisislab.model.lenses import commitment_bits

    pol = scenario.policies[i]
    path: Path = ("policies", i)
    if pol.commit and space.is_graph_form:
        yield RawProblem((*path, "commit"), "a commitment needs option form", dict(pol.commit),
                         "kind: start with a 'state' in a graph-form scenario")
        return
    if pol.kind == "start" and pol.commit:
        yield RawProblem((*path, "commit"), "a policy of kind 'start' commits to nothing",
                         dict(pol.commit), "kind: commitment, or the changes under 'set'")
        return
    for field in ("commit", "set"):
        for opt in getattr(pol, field):
            if opt not in space.option_ids:
                yield RawProblem((*path, field, opt), f"unknown option {opt!r}", opt,
                                 f"one of the option ids {list(space.option_ids)}"
                                 + suggest(opt, space.option_ids))
                return
    for opt, taken in pol.set.items():
        if opt in pol.commit and pol.commit[opt] != taken:
            yield RawProblem((*path, "set", opt), f"'set' makes {opt!r} {taken} but the policy "
                             f"commits it to {pol.commit[opt]}", taken,
                             f"{pol.commit[opt]} (or leave {opt!r} out of 'set')")
            return
    mask, value = commitment_bits(space, pol)
    if mask and not bool(np.any((space.codes & mask) == value)):
        yield RawProblem((*path, "commit"), "no feasible state keeps this commitment: the "
                         "feasibility constraints exclude every state with these option values",
                         dict(pol.commit), "option values that some feasible state has")
        return
    if pol.state is not None:
        try:
            start = space.resolve(pol.state)
        except StateRefError as exc:
            yield RawProblem((*path, "state"), exc.message, pol.state, exc.expected)
            return
        if mask and (int(space.codes[start]) & mask) != value:
            yield RawProblem((*path, "state"), "the starting state breaks the policy's own "
                             "commitment", pol.state,
                             f"a state with {dict(pol.commit)} (or leave 'state' out: the "
                             "status quo with the commitment applied)")
        return
    if scenario.status_quo is None:
        yield RawProblem(path, "a policy given as changes needs a status_quo", pol.id,
                         "a status_quo in the scenario, or 'state' in the policy")
        return
    try:
        policy_state(scenario, space, pol)
    except StateRefError as exc:
        yield RawProblem((*path, "commit" if pol.commit and not pol.set else "set"),
                         exc.message, {**pol.set, **pol.commit}, exc.expected)


def suggest(word: str, known: Any) -> str:
    """A did-you-mean hint for ``word`` among ``known``, or an empty string."""
    import difflib

    found = difflib.get_close_matches(word, [str(k) for k in known], n=1, cutoff=0.6)
    return f" (did you mean {found[0]!r}?)" if found else ""


def scenario_warnings(scenario: Scenario, space: StateSpace | None = None) -> list[str]:
    """Things that are allowed but probably unintended: feasible states no outcome names,
    outcomes that name no feasible state."""
    from crisislab.model.outcomes import outcome_of_states

    if not scenario.outcomes or scenario.graph is not None:
        return []
    space = space or state_space(scenario)
    which = outcome_of_states(scenario, space)
    out: list[str] = []
    none = np.flatnonzero(which < 0)
    if none.size:
        shown = ", ".join(f"s{int(i) + 1}" for i in none[:8]) + (" ..." if none.size > 8 else "")
        out.append(f"{none.size} feasible state(s) belong to no outcome: {shown}")
    counts = np.bincount(which[which >= 0], minlength=len(scenario.outcomes))
    for k, oc in enumerate(scenario.outcomes):
        if counts[k] == 0:
            out.append(f"outcome {oc.id!r} matches no feasible state (or only states an "
                       "earlier outcome already names)")
    return out


def _override_problems(scenario: Scenario, space: StateSpace, ov: PreferenceOverride,
                       path: Path, sources: set[str]) -> Iterator[RawProblem]:
    actors = scenario.actor_ids()
    yield from _evidence(scenario, ov, path, sources)
    if ov.actor not in actors:
        yield RawProblem((*path, "actor"), f"unknown actor {ov.actor!r}", ov.actor,
                         f"one of the actor ids {actors}")
        return
    if ov.preferences is not None:
        yield from _preference_problems(ov.preferences, space, (*path, "preferences"), sources,
                                        scenario)
        return
    base = scenario.preferences.get(ov.actor)
    if base is None or base.prioritization is None:
        yield RawProblem((*path, "statement"), "a statement override needs the actor's base "
                         "preferences in prioritization form", ov.statement,
                         "'preferences' (a whole replacement) for this actor")
        return
    ids = [st.id for st in base.statements()]
    if ov.remove and ov.statement not in ids:
        yield RawProblem((*path, "statement"), f"no statement {ov.statement!r} to remove",
                         ov.statement, f"one of {ids}" + suggest(str(ov.statement), ids))
    elif ov.add and ov.statement in ids:
        yield RawProblem((*path, "add"), f"statement {ov.statement!r} already exists in "
                         f"{ov.actor}'s base preferences", ov.statement,
                         "a new statement id with 'add: true', or no 'add' to replace it")
    elif not ov.remove and not ov.add and ov.statement not in ids:
        yield RawProblem((*path, "statement"), f"{ov.actor}'s base preferences have no "
                         f"statement {ov.statement!r}" + suggest(str(ov.statement), ids),
                         ov.statement, f"one of {ids}, or 'add: true' to add a new statement")
    if ov.formula is not None:
        yield from _formula(ov.formula, list(space.option_ids), (*path, "formula"))
    if ov.position is not None and ov.position > len(ids) + 1:
        yield RawProblem((*path, "position"), f"position {ov.position} is past the end",
                         ov.position, f"1 .. {len(ids) + 1}")


def _unperceived_problems(space: StateSpace, lens: Lens, path: Path) -> Iterator[RawProblem]:
    """Each ``unperceived`` entry must name at least one feasible state."""
    from crisislab.model.perception import unperceived_ref_mask
    from crisislab.model.scenario import StateFormula

    for k, ref in enumerate(lens.unperceived):
        here: Path = (*path, "unperceived", k)
        if isinstance(ref, StateFormula):
            if space.is_graph_form:
                yield RawProblem(here, "a formula needs option form", ref.formula,
                                 "graph-form state ids")
                continue
            bad = list(_formula(ref.formula, list(space.option_ids), (*here, "formula")))
            if bad:
                yield from bad
                continue
        try:
            mask = unperceived_ref_mask(space, ref)
        except StateRefError as exc:
            yield RawProblem(here, exc.message, ref, exc.expected)
            continue
        if not mask.any():
            yield RawProblem((*here, "formula"), "the formula holds in no feasible state",
                             getattr(ref, "formula", ref), "a formula true in some state")


def _lens_problems(scenario: Scenario, space: StateSpace, lens: Lens, path: Path,
                   sources: set[str]) -> Iterator[RawProblem]:
    actors = scenario.actor_ids()
    yield from _evidence(scenario, lens, path, sources)
    if lens.holder is not None and lens.holder not in actors:
        yield RawProblem((*path, "holder"), f"unknown actor {lens.holder!r}", lens.holder,
                         f"one of the actor ids {actors}")
    ids = [ov.id for ov in lens.overrides if ov.id is not None]
    yield from _dupes([str(i) for i in ids], (*path, "overrides"), "override")
    for j, ov in enumerate(lens.overrides):
        yield from _override_problems(scenario, space, ov, (*path, "overrides", j), sources)
    yield from _unperceived_problems(space, lens, path)
    for actor, view in lens.views.items():
        if actor not in actors:
            yield RawProblem((*path, "views", actor), f"unknown actor {actor!r}", actor,
                             f"one of the actor ids {actors}")
            continue
        for j, ov in enumerate(view.overrides):
            yield from _override_problems(scenario, space, ov,
                                          (*path, "views", actor, "overrides", j), sources)


def path_tuple(text: str, scenario: Scenario) -> Path:
    """'games[0].tree.nodes[3].payoffs.US' or 'issues.<id>.positions.X' -> path tuple."""
    out: list[PathKey] = []
    for part in text.replace("]", "").replace("[", ".").split("."):
        if not part:
            continue
        out.append(int(part) if part.isdigit() else part)
    for section, ids in (("issues", [i.id for i in scenario.issues]),
                         ("games", [g.id for g in scenario.games])):
        if len(out) > 1 and out[0] == section and isinstance(out[1], str) and out[1] in ids:
            out[1] = ids.index(out[1])
    return tuple(out)


def path_inside(path: str | None, key: str) -> list[str]:
    """The part of an engine's problem path ('issues.<id>.KP.salience') below the game
    or issue, which a lens's override mirrors; nothing when it points elsewhere."""
    parts = (path or "").replace("[", ".").replace("]", "").split(".")
    return parts[2:] if len(parts) > 2 and parts[1] == key else []


def lens_section_problems(where: Path, what: str, known: dict[str, Any], key: str,
                  apply: Callable[[Any, Any], object], overrides: Any
                  ) -> list[tuple[Path, Problem]]:
    """Problems of a lens's overrides of one game or issue, located inside the lens."""
    if key not in known:
        return [(where, Problem(f"unknown {what} {key!r}", value=key,
                                expected=f"one of {sorted(known)}"))]
    try:
        apply(known[key], overrides)
    except CrisislabError as exc:
        return [((*where, *path_inside(p.path, key)), p) for p in exc.problems]
    except ValidationError as exc:
        return [(where, Problem(f"invalid {what} override: {err['msg']} "
                                f"(at {'.'.join(str(k) for k in err['loc'])})",
                                value=err.get("input"))) for err in exc.errors()]
    except ValueError as exc:
        return [(where, Problem(str(exc), value=key))]
    return []


def _engine_section_problems(scenario: Scenario, checks: Sequence[SectionCheck]
                             ) -> list[RawProblem]:
    """Games and issues are validated by their engines; their paths are mapped here."""
    problems: list[tuple[Path, Problem]] = []
    for check in checks:
        problems += check(scenario)
    actor_ids = set(scenario.actor_ids())
    for i, issue in enumerate(scenario.issues):
        problems += [((("issues", i, "positions", p.value) if p.value in issue.positions
                       else ("issues", i, "positions") if isinstance(p.value, int)
                       else ("issues", i, "stakeholders")), p)
                     for p in issue.check_actors(actor_ids)]
    issues = {i.id: i for i in scenario.issues}
    for li, lens in enumerate(scenario.lenses):
        for iid, actors in lens.issues.items():
            problems += lens_section_problems(("lenses", li, "issues", iid), "issue", issues,
                                              iid, apply_issue_overrides, actors)
    return [RawProblem(path, p.message, p.value, p.expected) for path, p in problems]

