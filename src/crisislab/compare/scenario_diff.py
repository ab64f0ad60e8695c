"""Two scenario files compared: what differs, and which conclusions differ because of it.

:func:`diff_scenarios` lists every difference between scenario A and B by section
(actors, options, feasibility, preferences, status quo, outcomes, policies, lenses,
games, issues), then compares their conclusions.

When B differs from A only in beliefs — preferences, game parameters, issue positions
— B *is* A seen through a lens: the differences become one analyst's lens on A (each
changed preference statement one assumption, each game parameter and issue value one
more), and the ordinary pipeline analyses A's base case against it.  Every conclusion that
differs then comes with its cruxes: the smallest sets of B's changes that turn A's
conclusion into B's (:mod:`crisislab.compare.cruxes`,
:mod:`crisislab.compare.engine_cruxes`).  The lens is checked to reproduce B exactly
(the same payoffs in every state) before it is used.  When the structure differs
(other options, states, policies or outcomes), both are analysed and their
conclusions compared by policy and view, without cruxes: no single change can then be
isolated.  A's and B's own lenses are compared as data; the crux search covers the
base cases.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from crisislab.model.scenario import Lens, Preference, PreferenceOverride, Scenario

SECTIONS = ("metadata", "actors", "options", "feasibility", "preferences", "status_quo",
            "outcomes", "policies", "coalition_structures", "lenses", "games", "issues")
STRUCTURE = ("actors", "options", "feasibility", "status_quo", "outcomes", "policies",
             "coalition_structures")
"""Sections whose change alters the states, the starting points, the outcome classes or
the blocs a policy's paths are computed with."""
EVIDENCE = frozenset({"source", "quote", "assumption", "description", "citation", "date"})
DIFF_LENS = "scenario_b"


@dataclass(frozen=True)
class Change:
    """One difference: ``kind`` is added, removed or changed; ``where`` a dotted path."""

    section: str
    where: str
    kind: str
    a: Any = None
    b: Any = None

    @property
    def evidence_only(self) -> bool:
        """Whether only a source, quote or other evidence changed: such a change cannot alter a
        conclusion."""
        return self.where.rsplit(".", 1)[-1] in EVIDENCE

    def text(self) -> str:
        """The change in one line, values shortened, for the terminal and the HTML table."""
        if self.kind == "added":
            return f"{self.where}: added in B ({_short(self.b)})"
        if self.kind == "removed":
            return f"{self.where}: only in A ({_short(self.a)})"
        return f"{self.where}: {_short(self.a)} → {_short(self.b)}"


@dataclass(frozen=True)
class ConclusionChange:
    """A conclusion that differs between A and B, and what decides it."""

    kind: str  # "policy", "game", "forecast"
    subject: str  # e.g. "Sanctions held · Base case"
    a: str
    b: str
    decided_by: tuple[str, ...] = ()  # crux sentences (comparable scenarios only)


@dataclass(frozen=True)
class ScenarioDiff:
    """What differs between two scenarios and which conclusions differ because of it."""

    a_name: str
    b_name: str
    changes: tuple[Change, ...]
    conclusions: tuple[ConclusionChange, ...]
    comparable: bool  # B is A under a lens: conclusions come with cruxes
    analysed: bool
    note: str
    same_conclusions: int = 0  # conclusions compared that agree
    sections: tuple[str, ...] = field(default=SECTIONS)

    @property
    def identical(self) -> bool:
        """Whether nothing at all differs (not even evidence)."""
        return not self.changes

    def by_section(self) -> dict[str, list[Change]]:
        """The changes grouped by scenario section, in the order first met: how the report lists
        them."""
        out: dict[str, list[Change]] = {}
        for c in self.changes:
            out.setdefault(c.section, []).append(c)
        return out

    def to_dict(self) -> dict[str, Any]:
        """The diff as plain data (what ``--json`` writes)."""
        return {"a": self.a_name, "b": self.b_name, "comparable": self.comparable,
                "analysed": self.analysed, "note": self.note,
                "changes": [{"section": c.section, "where": c.where, "kind": c.kind,
                             "a": c.a, "b": c.b, "evidence_only": c.evidence_only}
                            for c in self.changes],
                "conclusions": [{"kind": c.kind, "subject": c.subject, "a": c.a, "b": c.b,
                                 "decided_by": list(c.decided_by)} for c in self.conclusions],
                "same_conclusions": self.same_conclusions}

    def to_json(self) -> str:
        """The diff as canonical JSON: the same scenarios give the same bytes."""
        from crisislab.provenance import canonical_json

        return canonical_json(self.to_dict())

    def __repr__(self) -> str:
        sections = ", ".join(f"{s} {len(v)}" for s, v in self.by_section().items()) or "none"
        return (f"<ScenarioDiff {self.a_name} vs {self.b_name}: changes {sections}; "
                f"{len(self.conclusions)} conclusions differ>")

    def _repr_html_(self) -> str:
        from crisislab.display import html

        return html(self)


def _short(value: Any, limit: int = 80) -> str:
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= limit else text[:limit - 1] + "…"


# -- what differs ----------------------------------------------------------------------


def _section(sc: Scenario, name: str) -> Any:
    if name == "feasibility":
        return sc.model_dump(mode="json", exclude_none=True).get("feasibility", [])
    value = getattr(sc, name)
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json", exclude_none=True)
    if isinstance(value, list):
        return [v.model_dump(mode="json", exclude_none=True) if hasattr(v, "model_dump") else v
                for v in value]
    if isinstance(value, dict):
        return {k: v.model_dump(mode="json", exclude_none=True) if hasattr(v, "model_dump")
                else v for k, v in value.items()}
    return value


def _keyed(items: list[Any]) -> dict[str, Any] | None:
    """A list of items with unique ids as a dict by id (None: not such a list)."""
    if not items or not all(isinstance(i, dict) and isinstance(i.get("id"), str)
                            for i in items):
        return None
    out = {i["id"]: i for i in items}
    return out if len(out) == len(items) else None


def _walk(section: str, path: str, a: Any, b: Any, out: list[Change]) -> None:
    if a == b:
        return
    if isinstance(a, dict) and isinstance(b, dict):
        for k in list(dict.fromkeys([*a, *b])):
            where = f"{path}.{k}" if path else str(k)
            if k not in b:
                out.append(Change(section, where, "removed", a=a[k]))
            elif k not in a:
                out.append(Change(section, where, "added", b=b[k]))
            else:
                _walk(section, where, a[k], b[k], out)
        return
    if isinstance(a, list) and isinstance(b, list):
        ka, kb = _keyed(a), _keyed(b)
        if ka is not None and kb is not None:
            _walk(section, path, ka, kb, out)
            if [i for i in ka if i in kb] != [i for i in kb if i in ka]:
                out.append(Change(section, f"{path}.order" if path else "order", "changed",
                                  a=[i for i in ka if i in kb], b=[i for i in kb if i in ka]))
            return
    out.append(Change(section, path or section, "changed", a=a, b=b))


def scenario_changes(a: Scenario, b: Scenario) -> list[Change]:
    """Every difference between A and B, section by section, items matched by id."""
    out: list[Change] = []
    for name in SECTIONS:
        _walk(name, name, _section(a, name), _section(b, name), out)
    return out


# -- B as a lens on A ------------------------------------------------------------------


def _numbers(values: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.get("value") if isinstance(v, dict) else v) for k, v in values.items()}


def as_lens(a: Scenario, b: Scenario, changes: list[Change]) -> Lens | None:
    """B's beliefs as one analyst's lens on A, or None when B differs in anything else
    (structure, lenses, the form of a game or an issue)."""
    for c in changes:
        if c.evidence_only or c.section == "metadata":
            continue
        if c.section in STRUCTURE or c.section == "lenses":
            return None
    if [g.id for g in a.games] != [g.id for g in b.games] or \
            [i.id for i in a.issues] != [i.id for i in b.issues]:
        return None
    overrides: list[PreferenceOverride] = []
    for actor in a.actor_ids():
        pa, pb = a.preferences.get(actor), b.preferences.get(actor)
        if pa == pb or pb is None:
            continue
        overrides += _statement_overrides(actor, pa, pb) or [
            PreferenceOverride(actor=actor, preferences=pb, assumption="as in scenario B")]
    games: dict[str, dict[str, Any]] = {}
    for ga, gb in zip(a.games, b.games, strict=True):
        da = ga.model_dump(mode="json", exclude_none=True)
        db = gb.model_dump(mode="json", exclude_none=True)
        pa = da.get("parameters") or da.get("tree", {}).get("parameters", {})
        pb = db.get("parameters") or db.get("tree", {}).get("parameters", {})
        strip = ("parameters", "tree")
        rest_a = {k: v for k, v in da.items() if k not in strip and k not in EVIDENCE}
        rest_b = {k: v for k, v in db.items() if k not in strip and k not in EVIDENCE}
        tree_a = {k: v for k, v in da.get("tree", {}).items() if k != "parameters"}
        tree_b = {k: v for k, v in db.get("tree", {}).items() if k != "parameters"}
        na, nb = _numbers(pa), _numbers(pb)
        if rest_a != rest_b or tree_a != tree_b or set(na) != set(nb):
            return None
        changed = {k: nb[k] for k in nb if nb[k] != na[k]}
        if changed:
            games[ga.id] = changed
    issues: dict[str, dict[str, dict[str, Any]]] = {}
    for ia, ib in zip(a.issues, b.issues, strict=True):
        da = ia.model_dump(mode="json", exclude_none=True)
        db = ib.model_dump(mode="json", exclude_none=True)
        if {k: v for k, v in da.items() if k != "positions" and k not in EVIDENCE} != \
                {k: v for k, v in db.items() if k != "positions" and k not in EVIDENCE} or \
                set(da["positions"]) != set(db["positions"]):
            return None
        for actor, pos in db["positions"].items():
            old = da["positions"][actor]
            delta = {k: v for k, v in pos.items() if k not in EVIDENCE and old.get(k) != v}
            if delta:
                issues.setdefault(ia.id, {})[actor] = delta
    return Lens(id=DIFF_LENS, name="Scenario B", kind="analyst",
                description="The differences of scenario B from scenario A.",
                overrides=overrides, games=games, issues=issues)


def _statement_overrides(actor: str, pa: Preference | None, pb: Preference) \
        -> list[PreferenceOverride] | None:
    """B's prioritization as one override per statement that B removes, changes, adds or
    moves (each an assumption of its own, so a crux names the statement); None when
    either side is not a prioritization with distinct statement ids, or when the
    statements do not rebuild B exactly."""
    if pa is None or pa.prioritization is None or pb.prioritization is None:
        return None
    sa, sb = pa.statements(), pb.statements()
    ids_a, ids_b = [st.id for st in sa], [st.id for st in sb]
    if len(set(ids_a)) != len(ids_a) or len(set(ids_b)) != len(ids_b):
        return None
    out = [PreferenceOverride(actor=actor, statement=st.id, remove=True,
                              question=st.question, assumption="as in scenario B")
           for st in sa if st.id not in ids_b]
    kept = [i for i in ids_a if i in ids_b]
    old = {st.id: st for st in sa}
    for k, st in enumerate(sb):
        same = st.id in old and old[st.id].formula == st.formula and \
            kept.index(st.id) == k if st.id in kept else False
        if not same:
            out.append(PreferenceOverride(actor=actor, statement=st.id, formula=st.formula,
                                          position=k + 1, add=st.id not in old,
                                          question=st.question or (old[st.id].question
                                                                   if st.id in old else None),
                                          assumption="as in scenario B"))
    try:
        rebuilt = apply_overrides_to(pa, out)
    except ValueError:
        return None
    if [(st.id, st.formula) for st in rebuilt.statements()] != [(st.id, st.formula)
                                                                for st in sb]:
        return None
    return out


def apply_overrides_to(pref: Preference, overrides: list[PreferenceOverride]) -> Preference:
    """``pref`` with the lens statement ``overrides`` applied in order: the test that B's
    preferences are A's seen through a lens (then the diff can name cruxes)."""
    from crisislab.model.lenses import _apply_statement

    for ov in overrides:
        pref = _apply_statement(pref, ov)
    return pref


def _reproduces(a: Scenario, lens: Lens, b: Scenario) -> bool:
    """The lens on A gives B's preferences in every state (and so B's analysis)."""
    import numpy as np

    from crisislab.model.lenses import lens_scenario
    from crisislab.model.states import payoff_matrix, state_space

    space = state_space(a)
    return bool(np.array_equal(payoff_matrix(lens_scenario(a, lens), space),
                               payoff_matrix(b, space)))


# -- which conclusions differ ------------------------------------------------------------


def _cell_texts(sa: Any, view: str) -> dict[tuple[str, str], str]:
    out = {}
    for p in sa.policies:
        try:
            c = sa.cell(p.id, view)
        except KeyError:
            continue
        labels = dict.fromkeys(e.label for e in c.ends)  # outcomes, not states: their ids
        out["policy", p.label] = " or ".join(labels) or "no stable end"  # differ with structure
        from crisislab.compare.summary import game_text

        for g in c.games:
            out["game", f"{g.title} · {p.label}"] = game_text(g)
    for f in sa.forecasts:
        if f.view == view:
            out["forecast", f"{f.label} · {f.model}"] = f"{f.value:.1f}"
    return out


def _compare(ta: dict[tuple[str, str], str], tb: dict[tuple[str, str], str],
             deciders: dict[tuple[str, str], tuple[str, ...]]) \
        -> tuple[list[ConclusionChange], int]:
    out, same = [], 0
    for key in ta:
        if key not in tb:
            continue
        if ta[key] == tb[key]:
            same += 1
            continue
        out.append(ConclusionChange(key[0], key[1], ta[key], tb[key], deciders.get(key, ())))
    return out, same


def _deciders(sa: Any) -> dict[tuple[str, str], tuple[str, ...]]:
    """Crux sentences by the conclusion they decide (base case A vs the lens B)."""
    from crisislab.compare.engine_cruxes import engine_crux_sentence

    out: dict[tuple[str, str], list[str]] = {}
    labels = {p.id: p.label for p in sa.policies}
    concept = sa.cells[0].concept if sa.cells else None  # the concept the cells show
    outcome_keys: set[tuple[str, str]] = set()
    outcome_sentences: set[str] = set()
    for cr in sa.conflict.cruxes:
        c = cr.conclusion
        if c.kind in ("outcome", "path") and c.start in labels and c.concept == concept:
            # "which outcome" says it in the cell's terms; "where it leads" only without it
            key = ("policy", labels[c.start])
            if c.kind == "outcome":
                outcome_keys.add(key)
                out[key] = [x for x in out.get(key, []) if x in outcome_sentences]
                outcome_sentences.update(cr.sentences)
            elif key in outcome_keys:
                continue
            out.setdefault(key, []).extend(cr.sentences)
    names = {v.id: ("A" if v.id == "base" else "B") for v in sa.views}
    titles = {g.id: (g.label or g.id) for g in sa.scenario.games}
    for ec in sa.engine_cruxes:
        text = engine_crux_sentence(ec, names)
        if ec.kind == "game" and ec.policy in labels:
            out.setdefault(("game", f"{titles.get(ec.subject, ec.subject)} · "
                            f"{labels[ec.policy]}"), []).append(text)
        elif ec.kind == "forecast":
            for f in sa.forecasts:
                if f.issue == ec.subject:
                    out.setdefault(("forecast", f"{f.label} · {f.model}"), []).append(text)
    return {k: tuple(dict.fromkeys(v)) for k, v in out.items()}


def diff_scenarios(a: Scenario, b: Scenario, *, a_name: str = "A", b_name: str = "B",
                   analyse: bool = True) -> ScenarioDiff:
    """What differs between A and B and, with ``analyse``, which conclusions differ and
    (where B is A under a lens) the cruxes that decide them.  See the module docstring."""
    from crisislab.compare.pipeline import analyze_scenario

    changes = scenario_changes(a, b)
    lens = as_lens(a, b, changes) if changes else None
    comparable = lens is not None and _reproduces(a, lens, b)
    if not analyse or not changes:
        note = "identical scenarios" if not changes else "conclusions not compared"
        return ScenarioDiff(a_name, b_name, tuple(changes), (), comparable, False, note)
    if comparable:
        assert lens is not None
        joint = a.model_copy(update={"lenses": [lens]})
        sa = analyze_scenario(joint, what_if=False)
        found, same = _compare(_cell_texts(sa, "base"), _cell_texts(sa, DIFF_LENS),
                               _deciders(sa))
        note = ("B differs from A in beliefs only: B is analysed as a lens on A and each "
                "differing conclusion names the changes that decide it")
    else:
        sa_a = analyze_scenario(a, what_if=False, cruxes=False)
        sa_b = analyze_scenario(b, what_if=False, cruxes=False)
        found, same = _compare(_cell_texts(sa_a, "base"), _cell_texts(sa_b, "base"), {})
        note = ("A and B differ in structure (" + ", ".join(sorted(
            {c.section for c in changes if c.section in STRUCTURE or c.section == "lenses"}
            or {"games or issues"})) + "): both are analysed and their base cases compared "
            "by policy; no single change can be isolated, so no cruxes")
    return ScenarioDiff(a_name, b_name, tuple(changes), tuple(found), comparable, True, note,
                        same)
