"""Import of models saved by gmcr-py / GMCR+ (``.gmcr`` JSON files).

gmcr-py is the open-source graph-model tool from the University of Waterloo.
Its published schema file is not valid JSON, so the accepted format is
inferred from the tool's documentation and example files; it is written down
in ``docs/reference/gmcr-import.md``.  In short:

- ``options``: list of ``{"name", "permittedDirection"}`` with direction
  ``"both"``, ``"fwd"`` (can only be taken: our ``once``) or ``"back"`` (can
  only be given up: our ``drop_only``);
- ``decisionMakers``: list of ``{"name", "options": [option indices],
  "preferences": [condition...], "preferenceRanking"?, "misperceptions"?}``;
- a *condition* is ``[[option index, "Y"|"N"], ...]`` (all must hold) or
  ``{"compound": true, "members": [condition, ...]}`` (any member holds);
- ``infeasibles``: list of conditions; a state matching any is infeasible;
- ``useManualPreferenceRanking`` (older files: ``useManualPreferenceVectors``):
  when true each DM's ``preferenceRanking`` (older: ``preferenceVector``) lists
  feasible states by ordinal number (1-based, ascending decimal code), most
  preferred first, a nested list for ties; otherwise ``preferences`` is an
  option-prioritization list, most important first, weighted 2^(n−k);
- ``coalitions`` (optional): list of DM indices or lists of DM indices.

State codes follow gmcr-py: option k (0-based, in file order) contributes 2^k,
which is also crisislab's numbering when options are declared in file order.

The importer returns a plain structure shaped like a crisislab scenario
(actors, options with owner and reversibility, feasibility formulas,
preferences as prioritization statements or rankings) for the scenario loader
to validate, and can also build the :class:`ConflictGraph` directly.  A
decision maker's misperceived states become a perception lens with
``unperceived`` formulas; :meth:`GmcrModel.to_graph` removes each decision
maker's moves to and from the states it misperceives, as gmcr-py's current
solver does.  gmcr-py's sanctions let each opponent move at most once (analyse
with ``mode="each_once"`` to reproduce its equilibria).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from crisislab.conflict.graph import ConflictGraph
from crisislab.conflict.moves import build_option_graph
from crisislab.conflict.perception import without_own_moves
from crisislab.errors import InputError, Problem

DIRECTIONS = {"both": "both", "fwd": "once", "back": "drop_only"}

Literal_ = tuple[int, bool]  # (option index, taken)
Condition = tuple[tuple[Literal_, ...], ...]  # disjunction of conjunctions


def _problem(msg: str, path: str, value: Any = None, expected: str | None = None,
             file: str | None = None) -> InputError:
    return InputError([Problem(msg, file=file, path=path, value=value, expected=expected)])


# --------------------------------------------------------------------------- option-form graph


def option_form_graph(actors: Sequence[str], owners: Sequence[int], payoffs: np.ndarray | None,
                      *, feasible: np.ndarray | None = None,
                      reversibility: Sequence[str] | None = None,
                      payoff_of_code: Mapping[str, Mapping[int, float]] | None = None,
                      names: Sequence[str] | None = None) -> ConflictGraph:
    """Build a :class:`ConflictGraph` from option form.

    ``owners[k]`` is the actor index owning option k; ``feasible`` the sorted decimal codes
    of feasible states (all 2^m when None); payoffs either as an array (n_actors, n_states)
    in ascending-code order or as ``payoff_of_code[actor][code]``.  A move of actor i
    changes only i's options; ``once`` options can never be undone, ``drop_only``
    options never taken — from every state.  The moves come from the one vectorised
    option-form builder, :func:`crisislab.conflict.moves.build_option_graph`.
    """
    m = len(owners)
    codes = (np.arange(2 ** m, dtype=np.int64) if feasible is None
             else np.unique(np.asarray(feasible, dtype=np.int64)))
    rev = list(reversibility) if reversibility is not None else ["both"] * m
    masks = [sum(1 << k for k, o in enumerate(owners) if o == a) for a in range(len(actors))]
    once = sum(1 << k for k, r in enumerate(rev) if r == "once")
    drop = sum(1 << k for k, r in enumerate(rev) if r == "drop_only")
    if payoffs is None:
        if payoff_of_code is None:
            raise ValueError("payoffs or payoff_of_code is required")
        payoffs = np.array([[payoff_of_code[a][int(c)] for c in codes] for a in actors],
                           dtype=float)
    return build_option_graph(actors, codes, masks, payoffs, once, drop, names)


# --------------------------------------------------------------------------- parsed model


@dataclass(frozen=True)
class GmcrModel:
    """A gmcr-py model as read from the file, before conversion."""

    actors: tuple[str, ...]
    options: tuple[str, ...]
    owners: tuple[int, ...]
    reversibility: tuple[str, ...]
    infeasibles: tuple[Condition, ...]
    prioritization: dict[str, tuple[Condition, ...]]
    ranking: dict[str, tuple[tuple[int, ...], ...]] | None  # ordinal numbers, best first
    misperceptions: dict[str, tuple[Condition, ...]]
    coalitions: tuple[tuple[int, ...], ...] | None
    program: str | None = None
    version: str | None = None
    source: str | None = field(default=None, compare=False)

    # ---- states

    def feasible_codes(self) -> np.ndarray:
        """Option codes of every state no infeasibility condition excludes, ascending."""
        m = len(self.options)
        codes = np.arange(2 ** m, dtype=np.int64)
        bad = np.zeros(codes.shape[0], dtype=bool)
        for cond in self.infeasibles:
            bad |= evaluate_condition(cond, codes)
        return codes[~bad]

    def payoffs(self, codes: np.ndarray) -> np.ndarray:
        """Payoffs (higher is preferred), one row per actor, from the ranking or priorities."""
        rows = []
        for a in self.actors:
            if self.ranking is not None:
                rank = self.ranking[a]
                pay = np.zeros(codes.shape[0])
                for pos, group in enumerate(rank):
                    for ordinal in group:
                        pay[ordinal - 1] = len(rank) - pos
                rows.append(pay)
            else:
                stmts = self.prioritization[a]
                pay = np.zeros(codes.shape[0])
                for k, cond in enumerate(stmts):
                    pay += evaluate_condition(cond, codes) * float(2 ** (len(stmts) - 1 - k))
                rows.append(pay)
        return np.array(rows)

    def to_graph(self) -> ConflictGraph:
        """The graph model gmcr-py's current solver analyses (ordinal state k+1 is index
        k): each decision maker's moves to and from the states it misperceives are
        removed, as gmcr-py does ("a DM may not move to or from a state they
        misperceive")."""
        codes = self.feasible_codes()
        graph = option_form_graph(self.actors, self.owners, self.payoffs(codes), feasible=codes,
                                  reversibility=self.reversibility)
        return without_own_moves(graph, {a: self.misperceived_mask(a, codes)
                                          for a in self.actors if self.misperceptions.get(a)})

    def misperceived_mask(self, actor: str, codes: np.ndarray | None = None) -> np.ndarray:
        """Bool array over ``codes`` (default: the feasible states): misperceived by ``actor``."""
        codes = self.feasible_codes() if codes is None else codes
        bad = np.zeros(codes.shape[0], dtype=bool)
        for cond in self.misperceptions.get(actor, ()):
            bad |= evaluate_condition(cond, codes)
        return bad

    def perceived_codes(self, actor: str) -> np.ndarray:
        """Feasible states ``actor`` perceives (misperceived patterns removed)."""
        codes = self.feasible_codes()
        return codes[~self.misperceived_mask(actor, codes)]  # type: ignore[no-any-return]

    # ---- scenario-shaped output

    def ids(self) -> tuple[list[str], list[str]]:
        """Scenario ids for actors and options (slugs of the names, made unique)."""
        actor_ids = _unique_ids(self.actors)
        return actor_ids, _option_ids(self.options, [actor_ids[o] for o in self.owners])

    def misperception_formulas(self) -> dict[str, list[str]]:
        """Actor id -> formulas of the states that actor does not perceive."""
        actor_ids, option_ids = self.ids()
        codes = self.feasible_codes()
        out = {aid: [condition_formula(c, option_ids) for c in self.misperceptions.get(a, ())
                     if evaluate_condition(c, codes).any()]  # patterns of feasible states
               for aid, a in zip(actor_ids, self.actors, strict=True)}
        return {aid: fs for aid, fs in out.items() if fs}

    def extras(self) -> dict[str, Any]:
        """What a scenario file has no field for: the file's coalition structure.

        (Misperceived states become perception lenses with ``unperceived`` formulas.)
        """
        actor_ids, _ = self.ids()
        out: dict[str, Any] = {}
        if self.coalitions is not None and any(len(c) > 1 for c in self.coalitions):
            out["coalitions"] = [[actor_ids[i] for i in c] for c in self.coalitions]
        return out

    def to_scenario_dict(self, title: str | None = None) -> dict[str, Any]:
        """Plain structure shaped like a crisislab scenario file, for the loader to validate.

        Feasibility is one ``not (pattern)`` formula per infeasible pattern; preferences are
        prioritization formulas, or rankings of decimal state codes (ties as lists) when
        the file uses manual rankings.
        """
        actor_ids, option_ids = self.ids()
        out: dict[str, Any] = {
            "metadata": {
                "title": title or "Imported gmcr-py model",
                "description": (f"Imported from {self.program or 'gmcr-py'} "
                                f"{self.version or ''}".strip()
                                + (f" file {self.source}" if self.source else "") + "."),
            },
            "actors": [{"id": i, "name": n} for i, n in zip(actor_ids, self.actors, strict=True)],
            "options": [
                {"id": oid, "label": label, "owner": actor_ids[owner], "reversibility": rev}
                for oid, label, owner, rev in zip(option_ids, self.options, self.owners,
                                                  self.reversibility, strict=True)],
            "feasibility": [{"formula": f"not ({condition_formula(c, option_ids)})"}
                            for c in self.infeasibles],
            "preferences": {},
        }
        if self.ranking is not None:
            codes = self.feasible_codes()
            for aid, a in zip(actor_ids, self.actors, strict=True):
                ranked: list[Any] = []
                for group in self.ranking[a]:
                    tied = [int(codes[o - 1]) for o in group]
                    ranked.append(tied if len(tied) > 1 else tied[0])
                out["preferences"][aid] = {"ranking": ranked}
        else:
            for aid, a in zip(actor_ids, self.actors, strict=True):
                out["preferences"][aid] = {"prioritization": [
                    condition_formula(c, option_ids) for c in self.prioritization[a]]}
        misp = self.misperception_formulas()
        if misp:
            names = dict(zip(actor_ids, self.actors, strict=True))
            out["lenses"] = [{
                "id": f"{aid}_perceives", "name": f"{names[aid]}'s perception",
                "kind": "perception", "holder": aid,
                "description": "Misperceived states from the gmcr-py file: "
                               f"{names[aid]} does not perceive them.",
                "unperceived": [{"formula": f} for f in formulas]}
                for aid, formulas in misp.items()]
        extras = self.extras()
        notes: list[str] = []
        if extras.get("coalitions"):
            out["coalition_structures"] = [{
                "id": "file", "label": "coalition structure declared in the gmcr-py file",
                "blocs": extras["coalitions"],
                "assumption": "as declared in the imported file"}]
        if notes:
            out["metadata"]["description"] += " " + ". ".join(notes) + "."
        return out


def evaluate_condition(cond: Condition, codes: np.ndarray) -> np.ndarray:
    """Bool array: which decimal state codes satisfy the (compound) condition."""
    hit = np.zeros(codes.shape[0], dtype=bool)
    for conj in cond:
        ok = np.ones(codes.shape[0], dtype=bool)
        for opt, taken in conj:
            bit = ((codes >> opt) & 1).astype(bool)
            ok &= bit if taken else ~bit
        hit |= ok
    return hit


def condition_formula(cond: Condition, option_ids: Sequence[str]) -> str:
    """A condition as a crisislab formula (``and`` / ``or`` / ``not`` over option ids)."""
    def conj(c: tuple[Literal_, ...]) -> str:
        if not c:
            return "true"
        parts = [option_ids[o] if t else f"not {option_ids[o]}" for o, t in c]
        return " and ".join(parts)

    if len(cond) == 1:
        return conj(cond[0])
    return " or ".join(f"({conj(c)})" if len(c) > 1 else conj(c) for c in cond)


def _slug(text: str) -> str:
    s = re.sub(r"[^0-9a-zA-Z]+", "_", text.strip().lower()).strip("_")
    if not s:
        s = "x"
    if s[0].isdigit():
        s = "x" + s
    return s


def _unique_ids(names: Sequence[str]) -> list[str]:
    out: list[str] = []
    for name in names:
        base = _slug(name)
        cand, k = base, 2
        while cand in out:
            cand, k = f"{base}_{k}", k + 1
        out.append(cand)
    return out


def _option_ids(names: Sequence[str], owner_ids: Sequence[str]) -> list[str]:
    slugs = [_slug(n) for n in names]
    out: list[str] = []
    for s, owner in zip(slugs, owner_ids, strict=True):
        cand = s if slugs.count(s) == 1 else (f"{owner}_{s}" if owner else s)
        base, k = cand, 2
        while cand in out:
            cand, k = f"{base}_{k}", k + 1
        out.append(cand)
    return out


# --------------------------------------------------------------------------- reading


def gmcr_option_order(n_options: int, dm_options: Sequence[Sequence[int]]) -> list[int]:
    """The option order gmcr-py uses after loading (its "reorder options by DM" step).

    Returns old option indices in their new order.  gmcr-py applies this before numbering
    states, so preference rankings in a file refer to states in this order; files saved
    by gmcr-py are already in it.
    """
    order = list(range(n_options))
    moved: list[int] = []
    for opts in dm_options:
        for o in opts:
            if o not in moved:
                moved.append(o)
                order.insert(len(moved), order.pop(order.index(o)))
    return order


def _parse_condition(raw: Any, n_options: int, path: str, file: str | None,
                     remap: Sequence[int] | None = None) -> Condition:
    def conj(items: Any, p: str) -> tuple[Literal_, ...]:
        if not isinstance(items, list):
            raise _problem("a condition must be a list of [option index, \"Y\"|\"N\"] pairs",
                           p, items, "[[0, \"Y\"], [2, \"N\"]]", file)
        out = []
        for k, item in enumerate(items):
            if (not isinstance(item, list) or len(item) != 2 or isinstance(item[0], bool)
                    or not isinstance(item[0], int) or item[1] not in ("Y", "N")):
                raise _problem("bad condition entry", f"{p}[{k}]", item,
                               "[option index, \"Y\" or \"N\"]", file)
            if not 0 <= item[0] < n_options:
                raise _problem(f"option index {item[0]} out of range", f"{p}[{k}]", item[0],
                               f"0..{n_options - 1}", file)
            opt = int(item[0]) if remap is None else remap[int(item[0])]
            out.append((opt, item[1] == "Y"))
        return tuple(out)

    if isinstance(raw, dict):
        members = raw.get("members")
        if not raw.get("compound") or not isinstance(members, list) or not members:
            raise _problem("a compound condition needs \"compound\": true and a non-empty "
                           "\"members\" list", path, raw, None, file)
        return tuple(conj(mm, f"{path}.members[{k}]") for k, mm in enumerate(members))
    return (conj(raw, path),)


def _ranking(raw: Any, n_feasible: int, path: str, file: str | None) -> tuple[tuple[int, ...], ...]:
    if not isinstance(raw, list):
        raise _problem("a preference ranking must be a list of state numbers", path, raw,
                       "[3, 1, [2, 4]]", file)
    groups: list[tuple[int, ...]] = []
    seen: set[int] = set()
    for k, item in enumerate(raw):
        members = item if isinstance(item, list) else [item]
        for st in members:
            if isinstance(st, bool) or not isinstance(st, int) or not 1 <= st <= n_feasible:
                raise _problem(f"state {st!r} is not a feasible state number", f"{path}[{k}]",
                               st, f"1..{n_feasible}", file)
            if st in seen:
                raise _problem(f"state {st} appears more than once", f"{path}[{k}]", st,
                               "each state once", file)
            seen.add(st)
        groups.append(tuple(int(x) for x in members))
    missing = sorted(set(range(1, n_feasible + 1)) - seen)
    if missing:
        raise _problem(f"the ranking omits state(s) {missing}", path, missing,
                       "every feasible state exactly once", file)
    return tuple(groups)


def _gmcr_options(data: dict[str, Any], f: str | None) -> tuple[list[str], list[str]]:
    """The options' names and permitted directions, in the file's order; an empty list,
    or more than 24 options (2^24 raw states), is refused."""
    options: list[str] = []
    rev: list[str] = []
    for k, o in enumerate(data["options"]):
        if not isinstance(o, dict) or not isinstance(o.get("name"), str):
            raise _problem("an option needs a \"name\"", f"options[{k}]", o, None, f)
        direction = o.get("permittedDirection", "both")
        if direction not in DIRECTIONS:
            raise _problem(f"unknown permittedDirection {direction!r}",
                           f"options[{k}].permittedDirection", direction,
                           "both, fwd or back", f)
        options.append(o["name"])
        rev.append(DIRECTIONS[direction])
    m = len(options)
    if m == 0:
        raise _problem("the model has no options", "options", [], "at least one option", f)
    if m > 24:
        raise _problem(f"{m} options give 2^{m} raw states; refusing to enumerate", "options", m,
                       "at most 24 options", f)
    return options, rev


def _gmcr_owners(raw_dms: list[Any], options: list[str], f: str | None
                 ) -> tuple[list[str], list[int]]:
    """The decision makers' names and the owner of each option: every option owned by
    exactly one of at least two decision makers."""
    m = len(options)
    owners = [-1] * m
    actors: list[str] = []
    for i, dm in enumerate(raw_dms):
        if not isinstance(dm, dict) or not isinstance(dm.get("name"), str):
            raise _problem("a decision maker needs a \"name\"", f"decisionMakers[{i}]", dm, None, f)
        actors.append(dm["name"])
        for j, o in enumerate(dm.get("options", [])):
            if isinstance(o, bool) or not isinstance(o, int) or not 0 <= o < m:
                raise _problem(f"option index {o!r} out of range",
                               f"decisionMakers[{i}].options[{j}]", o, f"0..{m - 1}", f)
            if owners[o] not in (-1, i):
                raise _problem(f"option {options[o]!r} is claimed by two decision makers",
                               f"decisionMakers[{i}].options[{j}]", o, "one owner per option", f)
            owners[o] = i
    if len(actors) < 2:
        raise _problem("a conflict needs at least two decision makers", "decisionMakers",
                       actors, "two or more", f)
    unowned = [options[k] for k, o in enumerate(owners) if o < 0]
    if unowned:
        raise _problem(f"option(s) {unowned} belong to no decision maker", "options", unowned,
                       "every option owned by one decision maker", f)
    return actors, owners


def _gmcr_coalitions(data: dict[str, Any], n_actors: int) -> tuple[tuple[Any, ...], ...] | None:
    """The file's coalition list, or None when it is absent or does not partition the
    decision makers (gmcr-py resets an invalid list too)."""
    if not isinstance(data.get("coalitions"), list):
        return None
    coalitions = tuple(tuple(c) if isinstance(c, list) else (c,) for c in data["coalitions"])
    flat = sorted(x for c in coalitions for x in c)
    return coalitions if flat == list(range(n_actors)) else None


def parse_gmcr(data: Any, *, source: str | None = None) -> GmcrModel:
    """Read the JSON content of a ``.gmcr`` file (already decoded)."""
    f = source
    if not isinstance(data, dict):
        raise _problem("a .gmcr file must hold a JSON object", "$", type(data).__name__,
                       "an object with options and decisionMakers", f)
    for key in ("options", "decisionMakers"):
        if not isinstance(data.get(key), list):
            raise _problem(f"missing or invalid \"{key}\"", key, data.get(key), "a list", f)
    options, rev = _gmcr_options(data, f)
    m = len(options)
    raw_dms = data["decisionMakers"]
    actors, owners = _gmcr_owners(raw_dms, options, f)
    order = gmcr_option_order(m, [dm.get("options", []) for dm in raw_dms])
    remap = [0] * m
    for new, old in enumerate(order):
        remap[old] = new
    options = [options[o] for o in order]
    rev = [rev[o] for o in order]
    owners = [owners[o] for o in order]
    infeas = tuple(_parse_condition(c, m, f"infeasibles[{k}]", f, remap)
                   for k, c in enumerate(data.get("infeasibles", [])))
    prio = {}
    misp = {}
    for i, dm in enumerate(raw_dms):
        prio[dm["name"]] = tuple(
            _parse_condition(c, m, f"decisionMakers[{i}].preferences[{k}]", f, remap)
            for k, c in enumerate(dm.get("preferences", [])))
        misp[dm["name"]] = tuple(
            _parse_condition(c, m, f"decisionMakers[{i}].misperceptions[{k}]", f, remap)
            for k, c in enumerate(dm.get("misperceptions", []) or []))
    manual = data.get("useManualPreferenceRanking", data.get("useManualPreferenceVectors", False))
    model = GmcrModel(tuple(actors), tuple(options), tuple(owners), tuple(rev), infeas, prio,
                      None, misp, None, data.get("program"), data.get("version"), source)
    n_feasible = int(model.feasible_codes().shape[0])
    if n_feasible == 0:
        raise _problem("the infeasible patterns remove every state", "infeasibles", None,
                       "at least one feasible state", f)
    ranking = None
    if manual:
        ranking = {}
        for i, dm in enumerate(raw_dms):
            key = "preferenceRanking" if "preferenceRanking" in dm else "preferenceVector"
            ranking[dm["name"]] = _ranking(dm.get(key), n_feasible,
                                           f"decisionMakers[{i}].{key}", f)
    return GmcrModel(tuple(actors), tuple(options), tuple(owners), tuple(rev), infeas, prio,
                     ranking, misp, _gmcr_coalitions(data, len(actors)), data.get("program"),
                     data.get("version"), source)


def read_gmcr(path: str | Path) -> GmcrModel:
    """Read a ``.gmcr`` file; invalid JSON or content raises :class:`InputError`."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError([Problem(f"cannot read file: {exc.strerror}", file=str(p))]) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError([Problem(f"invalid JSON: {exc.msg}", file=str(p), line=exc.lineno,
                                  column=exc.colno)]) from None
    return parse_gmcr(data, source=str(p))
