"""The model file of ``crisislab estimate``: which tree, which utilities, which errors.

A built-in tree of the R ``games`` package with one formula per utility::

    model: egame12
    link: probit            # or logit
    errors: agent           # or private
    outcome: esc + war      # R's indicators, or one column of outcome names
    utilities:
      u11: s_wt_re1 + revis1
      u13: "0"
      u14: regime1
      u24: balanc + regime2

or R's one-line form, ``formula: esc + war ~ s_wt_re1 + revis1 | 0 | regime1 |
balanc + regime2``; or any tree, with the utilities per actor and outcome::

    tree:
      - {id: challenge, actor: A, moves: {stay: status_quo, demand: reply}}
      - {id: reply, actor: B, moves: {yield: concession, resist: war}}
    outcome: result          # a column naming the outcome of each case
    utilities:
      A: {status_quo: "x1", war: "z1"}
      B: {war: "w1"}

An actor's utility for an outcome not listed is fixed at 0.  Problems are
reported with the file, line and column, as in scenario files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from crisislab.errors import Problem, ScenarioError
from crisislab.games.estimate.formula import Formula, FormulaError, parse_formula
from crisislab.games.estimate.model import (
    BUILTINS,
    DecisionNode,
    EstimationTree,
    StrategicModel,
    Utility,
    structural_problems,
)
from crisislab.model.io import (
    PathKey,
    RawProblem,
    SourceDoc,
    located,
    parse_text,
    plain_data,
    pydantic_problems,
)


class NodeDecl(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(min_length=1)
    actor: str = Field(min_length=1)
    moves: dict[str, str] = Field(min_length=2)


class ModelFile(BaseModel):
    """Schema of an estimation model file."""

    model_config = ConfigDict(extra="forbid")
    model: Literal["egame12", "egame122", "egame123"] | None = None
    tree: list[NodeDecl] | None = None
    link: Literal["probit", "logit"] = "probit"
    errors: Literal["agent", "private"] = "agent"
    formula: str | None = None
    outcome: str | dict[str, str] | None = None
    utilities: dict[str, str | float | dict[str, str | float]] | None = None
    description: str | None = None


@dataclass(frozen=True)
class OutcomeSpec:
    """How each case's outcome is read from the data."""

    kind: Literal["column", "indicators", "map"]
    columns: tuple[str, ...]  # column / indicator columns / one indicator per outcome
    outcomes: tuple[str, ...] = ()  # for "map": the outcome of each column
    path: tuple[PathKey, ...] = ()
    offsets: tuple[int, ...] = ()


@dataclass(frozen=True)
class LoadedModel:
    """A model file read and checked, with where each formula stands for error messages."""

    model: StrategicModel
    outcome: OutcomeSpec
    doc: SourceDoc
    utility_paths: dict[str, tuple[tuple[PathKey, ...], int]] = field(default_factory=dict)
    builtin: str | None = None


def _fail(doc: SourceDoc, raw: list[RawProblem]) -> ScenarioError:
    return ScenarioError(located(doc, raw))


def _formula(doc: SourceDoc, text: str | float, path: tuple[PathKey, ...], base: int,
             raw: list[RawProblem]) -> Formula | None:
    if not isinstance(text, str):
        if text in (0, 1):
            text = str(int(text))  # YAML reads `u13: 0` as a number
        else:
            raw.append(RawProblem(path, "a utility is a formula, not a number", value=text,
                                  expected="0 (fixed), 1 (intercept) or covariates x1 + x2"))
            return None
    try:
        return parse_formula(text)
    except FormulaError as exc:
        raw.append(RawProblem(path, str(exc), value=exc.value, expected=exc.expected,
                              offset=base + exc.offset))
        return None


def load_model_text(text: str, name: str, *, link: str | None = None) -> LoadedModel:
    """Parse and check a model file given as text (``link`` overrides the file's)."""
    doc = parse_text(text, name)
    try:
        spec = ModelFile.model_validate(plain_data(doc.root))
    except ValidationError as err:
        raise ScenarioError(pydantic_problems(doc, err)) from None
    if link is not None:
        spec = spec.model_copy(update={"link": link})
    raw: list[RawProblem] = []
    if (spec.model is None) == (spec.tree is None):
        raw.append(RawProblem((), "give either `model:` (a built-in tree) or `tree:`",
                              expected="model: egame12 | egame122 | egame123, or tree: [...]"))
        raise _fail(doc, raw)
    loaded = _builtin(doc, spec, raw) if spec.model is not None else _declared(doc, spec, raw)
    if raw or loaded is None:
        raise _fail(doc, raw)
    return loaded


def _builtin(doc: SourceDoc, spec: ModelFile, raw: list[RawProblem]) -> LoadedModel | None:
    assert spec.model is not None
    b = BUILTINS[spec.model]
    formulas: dict[str, Formula] = {}
    paths: dict[str, tuple[tuple[PathKey, ...], int]] = {}
    outcome_text: str | None = None
    outcome_path: tuple[PathKey, ...] = ("outcome",)
    outcome_base = 0
    if spec.formula is not None:
        if spec.utilities is not None:
            raw.append(RawProblem(("utilities",), "give the utilities either in `formula:` or "
                                  "in `utilities:`, not both"))
            return None
        if "~" not in spec.formula:
            raw.append(RawProblem(("formula",), "the formula needs `outcome ~ utilities`",
                                  value=spec.formula,
                                  expected=f"e.g. y ~ {' | '.join(lab for lab, _, _ in b.labels)}"))
            return None
        lhs, rhs = spec.formula.split("~", 1)
        outcome_text, outcome_path = lhs.strip(), ("formula",)
        outcome_base = len(lhs) - len(lhs.lstrip())
        parts = rhs.split("|")
        if len(parts) != len(b.labels):
            raw.append(RawProblem(("formula",), f"{b.name} needs {len(b.labels)} utility "
                                  f"formulas separated by '|', got {len(parts)}",
                                  value=spec.formula,
                                  expected=" | ".join(lab for lab, _, _ in b.labels)))
            return None
        pos = len(lhs) + 1
        for (label, _, _), part in zip(b.labels, parts, strict=True):
            lead = len(part) - len(part.lstrip())
            f = _formula(doc, part.strip(), ("formula",), pos + lead, raw)
            if f is not None:
                formulas[label] = f
                paths[label] = (("formula",), pos + lead)
            pos += len(part) + 1
    else:
        given = spec.utilities or {}
        for key, value in given.items():
            if key not in {lab for lab, _, _ in b.labels}:
                raw.append(RawProblem(("utilities", key), f"{b.name} has no utility {key!r}",
                                      value=key,
                                      expected=", ".join(lab for lab, _, _ in b.labels)))
            elif isinstance(value, dict):
                raw.append(RawProblem(("utilities", key), "a utility is one formula",
                                      expected="e.g. x1 + x2, or 0"))
            else:
                f = _formula(doc, value, ("utilities", key), 0, raw)
                if f is not None:
                    formulas[key] = f
                    paths[key] = (("utilities", key), 0)
        for label, _, _ in b.labels:
            if label not in given and spec.utilities is not None:
                formulas[label] = parse_formula("0")
        if spec.utilities is None:
            raw.append(RawProblem((), f"give the utilities of {b.name}",
                                  expected="utilities: {" + ", ".join(
                                      f"{lab}: ..." for lab, _, _ in b.labels) + "} or formula:"))
            return None
        if not isinstance(spec.outcome, str) and spec.outcome is not None:
            raw.append(RawProblem(("outcome",), "for a built-in tree `outcome` is a column or "
                                  "R's indicators", expected=b.indicator_help))
            return None
        outcome_text = spec.outcome
    if outcome_text is None or not outcome_text.strip():
        raw.append(RawProblem(outcome_path, "say where the outcome is",
                              expected=f"a column of outcome names {b.tree.outcomes} or codes "
                              f"1..{len(b.tree.outcomes)}, or {b.indicator_help}"))
        return None
    outcome = _outcome_from_text(outcome_text, outcome_path, outcome_base, b, raw)
    utilities = tuple(Utility(label, actor, out, formulas[label])
                      for label, actor, out in b.labels if label in formulas)
    _structure(spec, b.tree, raw)
    _identification(doc, utilities, paths, b.tree, raw)
    model = StrategicModel(b.tree, utilities, spec.link, spec.errors, b.name)
    return LoadedModel(model, outcome, doc, paths, b.name) if outcome else None


def _outcome_from_text(text: str, path: tuple[PathKey, ...], base: int, b: object,
                       raw: list[RawProblem]) -> OutcomeSpec | None:
    from crisislab.games.estimate.model import BuiltinModel

    assert isinstance(b, BuiltinModel)
    names: list[str] = []
    offsets: list[int] = []
    pos = 0
    for part in text.split("+"):
        lead = len(part) - len(part.lstrip())
        names.append(part.strip())
        offsets.append(base + pos + lead)
        pos += len(part) + 1
    if any(not n for n in names):
        raw.append(RawProblem(path, "empty name in the outcome", value=text,
                              expected=b.indicator_help))
        return None
    if len(names) == 1:
        return OutcomeSpec("column", (names[0],), path=path, offsets=(offsets[0],))
    need = len(b.tree.nodes) if b.name != "egame122" else 2
    if len(names) != need:
        raw.append(RawProblem(path, f"{b.name} reads {need} indicator columns, got {len(names)}",
                              value=text, expected=b.indicator_help))
        return None
    return OutcomeSpec("indicators", tuple(names), path=path, offsets=tuple(offsets))


def _declared(doc: SourceDoc, spec: ModelFile, raw: list[RawProblem]) -> LoadedModel | None:
    assert spec.tree is not None
    nodes = tuple(DecisionNode(n.id, n.actor, tuple(n.moves.items())) for n in spec.tree)
    ids = {n.id for n in nodes}
    outcomes = tuple(c for n in nodes for _, c in n.moves if c not in ids)
    tree = EstimationTree(nodes, outcomes)
    if spec.formula is not None:
        raw.append(RawProblem(("formula",), "the one-line formula is for the built-in trees; "
                              "give `utilities:` per actor and outcome"))
    if not _structure(spec, tree, raw):
        return None
    utilities: list[Utility] = []
    paths: dict[str, tuple[tuple[PathKey, ...], int]] = {}
    for actor, per in (spec.utilities or {}).items():
        if actor not in tree.actors:
            raw.append(RawProblem(("utilities", actor), f"no actor {actor!r} moves in the tree",
                                  value=actor, expected=", ".join(tree.actors)))
            continue
        if not isinstance(per, dict):
            raw.append(RawProblem(("utilities", actor), "give the actor's utility per outcome",
                                  expected="{outcome: formula, ...}"))
            continue
        for outcome, text in per.items():
            if outcome not in outcomes:
                raw.append(RawProblem(("utilities", actor, outcome),
                                      f"no outcome {outcome!r} in the tree", value=outcome,
                                      expected=", ".join(outcomes)))
                continue
            f = _formula(doc, text, ("utilities", actor, outcome), 0, raw)
            if f is not None and not f.fixed_zero:
                label = f"{actor}({outcome})"
                utilities.append(Utility(label, actor, outcome, f))
                paths[label] = (("utilities", actor, outcome), 0)
    if not utilities and not raw:
        raw.append(RawProblem(("utilities",), "no utility to estimate",
                              expected="utilities: {actor: {outcome: formula}}"))
    out_spec: OutcomeSpec
    if isinstance(spec.outcome, str):
        out_spec = OutcomeSpec("column", (spec.outcome,), path=("outcome",), offsets=(0,))
    elif isinstance(spec.outcome, dict):
        bad = [k for k in spec.outcome if k not in outcomes]
        for k in bad:
            raw.append(RawProblem(("outcome", k), f"no outcome {k!r} in the tree", value=k,
                                  expected=", ".join(outcomes)))
        missing = [o for o in outcomes if o not in spec.outcome]
        if missing and not bad:
            raw.append(RawProblem(("outcome",), f"no indicator column for {missing}",
                                  expected="one 0/1 column per outcome"))
        given = [o for o in outcomes if o in spec.outcome]
        out_spec = OutcomeSpec("map", tuple(spec.outcome[o] for o in given), tuple(given),
                              path=("outcome",))
    else:
        raw.append(RawProblem((), "say where the outcome is",
                              expected="outcome: COLUMN (outcome names) or {outcome: 0/1 column}"))
        return None
    _identification(doc, tuple(utilities), paths, tree, raw)
    model = StrategicModel(tree, tuple(utilities), spec.link, spec.errors, "tree")
    return LoadedModel(model, out_spec, doc, paths, None)


def _structure(spec: ModelFile, tree: EstimationTree, raw: list[RawProblem]) -> bool:
    problems = structural_problems(tree, spec.errors, spec.link)
    where: tuple[PathKey, ...] = ("tree",) if spec.tree is not None else ("link",)
    for p in problems:
        raw.append(RawProblem(where, p))
    return not problems


def _identification(doc: SourceDoc, utilities: tuple[Utility, ...],
                    paths: dict[str, tuple[tuple[PathKey, ...], int]], tree: EstimationTree,
                    raw: list[RawProblem]) -> None:
    """A term in every one of an actor's utilities (none fixed) only shifts them all: the
    choices do not identify it (R's check for egame12, applied per actor and node)."""
    for actor in tree.actors:
        below: set[str] = set()
        for n in tree.nodes:
            if n.actor == actor:
                below.update(tree.outcomes_below(n.id))
        mine = [u for u in utilities if u.actor == actor and u.outcome in below]
        if len(mine) < len(below) or not mine:
            continue
        common = None
        for u in mine:
            terms = {t.name for t in u.formula.terms} | ({"1"} if u.formula.intercept else set())
            common = terms if common is None else common & terms
        if common:
            label = mine[0].label
            path, _ = paths.get(label, ((), 0))
            raw.append(RawProblem(path, f"not identified: {sorted(common)} appear in all of "
                                  f"actor {actor}'s utilities",
                                  expected="fix one of the actor's utilities at 0, or drop the "
                                  "term from one of them"))


def model_problem(loaded: LoadedModel, label: str | None, message: str, *,
                  value: object = None, expected: str | None = None,
                  column: str | None = None) -> Problem:
    """A data problem pointed at the formula (or outcome) in the model file that asks for it."""
    path: tuple[PathKey, ...] = ()
    offset: int | None = None
    if label is not None and label in loaded.utility_paths:
        path, base = loaded.utility_paths[label]
        formula = next(u.formula for u in loaded.model.utilities if u.label == label)
        offset = base
        if column is not None:
            for t in formula.terms:
                if column in t.columns:
                    offset = base + t.offset + (t.name.find(column) if len(t.columns) > 1 else 0)
                    break
    elif label is None and column is not None and column in loaded.outcome.columns:
        path = loaded.outcome.path
        i = loaded.outcome.columns.index(column)
        offset = loaded.outcome.offsets[i] if i < len(loaded.outcome.offsets) else None
        if loaded.outcome.kind == "map":
            path = (*path, loaded.outcome.outcomes[i])
            offset = None
    return located(loaded.doc, [RawProblem(path, message, value=value, expected=expected,
                                           offset=offset)])[0]
