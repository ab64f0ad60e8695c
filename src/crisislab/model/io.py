"""Reading scenario files, with every problem pointed at its line and column.

The file is parsed once into checked events (:mod:`crisislab.model.guard`) and
built by ruamel.yaml's round-trip composer, which remembers where each key and
item stands (:mod:`crisislab.model.yaml_events`); JSON goes through the same
parser (JSON is YAML 1.2).
Structural validation is pydantic's, semantic validation is
:mod:`crisislab.model.validate` (plus the engines' checks of their own
sections, handed in by the caller); all report paths such as
``("preferences", "US", "prioritization", 2)`` that are mapped back to
positions here.  Nothing in crisislab reads a scenario any other way.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError
from ruamel.yaml.reader import ReaderError

from crisislab.errors import Problem, ScenarioError, input_error
from crisislab.limits import Limits, current_limits, finite_in_range, max_states_default
from crisislab.model import yaml_events
from crisislab.model.guard import read_events
from crisislab.model.problems import PathKey, RawProblem, SectionCheck
from crisislab.model.scenario import Scenario
from crisislab.model.validate import semantic_problems

__all__ = [
    "BUILTIN_PREFIX", "DEFAULT_SCENARIO", "PathKey", "RawProblem", "SourceDoc",
    "builtin_names", "load", "load_text", "located", "parse_text", "read_source",
]

BUILTIN_PREFIX = "builtin:"
DEFAULT_SCENARIO = "korea-2017"


@dataclass(frozen=True)
class SourceDoc:
    """The parsed document with its positions, for locating problems."""

    name: str
    text: str
    root: Any

    def locate(self, path: Sequence[PathKey], offset: int | None = None) -> tuple[int, int]:
        """1-based (line, column) of the deepest element of ``path`` present."""
        node = self.root
        line, col = 0, 0
        for key in path:
            if isinstance(node, CommentedMap) and key in node:
                line, col = node.lc.key(key)
                child = node[key]
                if not isinstance(child, (CommentedMap, CommentedSeq)):
                    line, col = node.lc.value(key)
                node = child
            elif isinstance(node, CommentedSeq) and isinstance(key, int) and 0 <= key < len(node):
                line, col = node.lc.item(key)
                node = node[key]
            else:
                break
        if offset is not None and isinstance(node, str):
            lines = self.text.splitlines()
            if 0 <= line < len(lines) and col < len(lines[line]) and lines[line][col] in "\"'":
                col += 1
            col += offset
        return line + 1, col + 1


def plain_data(node: Any) -> Any:
    if isinstance(node, dict):
        return {str(k) if not isinstance(k, (int, float)) else k: plain_data(v)
                for k, v in node.items()}
    if isinstance(node, list):
        return [plain_data(v) for v in node]
    return node


def parse_text(text: str, name: str, limits: Limits | None = None) -> SourceDoc:
    """Parse YAML or JSON text; syntax errors and text beyond ``limits`` (default:
    :func:`~crisislab.limits.current_limits`) become a :class:`ScenarioError`."""
    limits = limits or current_limits()
    try:
        events = read_events(text, name, limits)  # every event checked before any is built
        root = yaml_events.build(events)
    except ReaderError as exc:  # a character YAML does not allow (NUL, most controls)
        at_line, at_col = _line_col(text, exc.position)
        raise ScenarioError([Problem(f"cannot parse the file: character {exc.character!r} "
                                     "is not allowed", file=name, line=at_line, column=at_col,
                                     expected="printable text (tabs and newlines allowed)")]) \
            from None
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        column = mark.column + 1 if mark is not None else None
        msg = str(exc.problem or exc.context or "invalid YAML/JSON").strip()
        raise ScenarioError([Problem(f"cannot parse the file: {msg}", file=name, line=line,
                                     column=column, expected="valid YAML or JSON")]) from None
    except ScenarioError:
        raise
    except (RecursionError, MemoryError):  # pragma: no cover - the stream check stops these
        raise ScenarioError([Problem("the file is too deeply nested or too large to read",
                                     file=name, expected="a smaller file")]) from None
    except Exception as exc:  # noqa: BLE001 - ruamel raises assorted errors on bad input
        if name.endswith(".json"):
            try:
                json.loads(text)
            except json.JSONDecodeError as jexc:
                raise ScenarioError([Problem(f"cannot parse the file: {jexc.msg}", file=name,
                                             line=jexc.lineno, column=jexc.colno,
                                             expected="valid JSON")]) from None
            except (ValueError, RecursionError):
                pass
        raise ScenarioError([Problem(f"cannot parse the file: {exc}", file=name,
                                     expected="valid YAML or JSON")]) from None
    if not isinstance(root, dict):
        raise ScenarioError([Problem("a scenario must be a mapping with metadata, actors, ...",
                                     file=name, line=1, column=1, value=plain_data(root),
                                     expected="a YAML/JSON mapping at the top level")])
    doc = SourceDoc(name, text, root)
    bad = list(_number_problems(root, limits.max_number))
    if bad:
        raise ScenarioError(located(doc, bad))
    return doc


def _line_col(text: str, position: int) -> tuple[int, int]:
    before = text[:position]
    return before.count("\n") + 1, position - (before.rfind("\n") + 1) + 1


def _number_problems(root: Any, limit: float) -> Iterator[RawProblem]:
    """Every number that is not finite or beyond ``limit`` in absolute value, by path
    (iterative: the stream check has bounded the depth, not the width)."""
    stack: list[tuple[tuple[PathKey, ...], Any]] = [((), root)]
    while stack:
        path, node = stack.pop()
        if isinstance(node, dict):
            stack.extend(((*path, k), v) for k, v in node.items()
                         if isinstance(k, (str, int)))
        elif isinstance(node, list):
            stack.extend(((*path, i), v) for i, v in enumerate(node))
        elif isinstance(node, (int, float)) and not isinstance(node, bool) \
                and not finite_in_range(node, limit):
            shown = node if isinstance(node, float) else f"{node:.3e}"
            yield RawProblem(path, "the number is not finite or too large", shown,
                             f"a finite number between -{limit:g} and {limit:g}")


def pydantic_problems(doc: SourceDoc, err: ValidationError) -> list[Problem]:
    """pydantic's errors located in the file, one per place (a union reports a failure
    for each of its branches at the same place; the first says enough)."""
    problems: list[Problem] = []
    seen: set[tuple[PathKey, ...]] = set()
    errors = err.errors()
    # a union such as ``str | Constraint`` given a mapping: the mapping branch's error
    # says what is wrong, the string branch's "should be a string" does not
    def branch_free(loc: Sequence[Any]) -> tuple[Any, ...]:
        return tuple(k for k in loc if not (isinstance(k, str) and (
            k in ("str", "int", "float", "bool", "list", "dict") or "[" in k
            or k[:1].isupper())))

    other = [branch_free(e["loc"]) for e in errors if not e["type"].endswith("_type")]
    errors = [e for e in errors if not (
        e["type"].endswith("_type") and isinstance(e.get("input"), (dict, list))
        and any(len(o) > len(branch_free(e["loc"]))
                and o[:len(branch_free(e["loc"]))] == branch_free(e["loc"]) for o in other))]
    for e in errors:
        loc = tuple(k for k in e["loc"] if isinstance(k, (str, int)))
        path = _real_path(doc.root, loc)  # without the type names of union branches
        if path in seen:
            continue
        seen.add(path)
        msg = e["msg"]
        if e["type"] == "extra_forbidden":
            msg = f"unknown field {path[-1]!r}" if path else "unknown field"
        elif e["type"] == "missing":
            msg = f"missing required field {loc[-1]!r}"
        line, col = doc.locate(path)
        value = e.get("input") if e["type"] != "missing" else None
        if isinstance(value, (dict, list)) and len(repr(value)) > 200:
            value = None
        problems.append(Problem(msg, file=doc.name, line=line, column=col,
                                path=_dotted(path), value=value,
                                expected=_expected_for(e)))
    return problems


def _real_path(root: Any, loc: tuple[PathKey, ...]) -> tuple[PathKey, ...]:
    """Drop the type names pydantic inserts for union branches."""
    node = root
    out: list[PathKey] = []
    for key in loc:
        in_dict = isinstance(node, dict) and key in node
        in_list = isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node)
        if in_dict or in_list:
            out.append(key)
            node = node[key]
        elif isinstance(node, dict) and isinstance(key, str) and not key[:1].isupper() \
                and "[" not in key \
                and key not in ("str", "int", "float", "bool", "list", "dict"):
            out.append(key)  # missing or extra field name
            node = None
    return tuple(out)


def _expected_for(e: Any) -> str | None:
    t = e["type"]
    ctx = e.get("ctx") or {}
    if t == "string_pattern_mismatch":
        return "an id: a letter or '_' followed by letters, digits, '_', '.', '-'"
    if t == "literal_error":
        return f"one of {ctx.get('expected')}"
    if t == "missing":
        return "the field to be present"
    if t == "extra_forbidden":
        return "only the documented fields (see `crisislab schema`)"
    if t.endswith("_type") or t.endswith("_parsing"):
        return t.replace("_type", "").replace("_parsing", "").replace("_", " ")  # type: ignore[no-any-return]
    return None


def _dotted(path: Sequence[PathKey]) -> str:
    out = ""
    for k in path:
        out += f"[{k}]" if isinstance(k, int) else (f".{k}" if out else str(k))
    return out


def located(doc: SourceDoc, raw: Sequence[RawProblem]) -> list[Problem]:
    """Turn path-located problems into file/line/column problems."""
    out = []
    for p in raw:
        line, col = doc.locate(p.path, p.offset)
        out.append(Problem(p.message, file=doc.name, line=line, column=col,
                           path=_dotted(p.path), value=p.value, expected=p.expected))
    return out


def load_text(text: str, name: str = "<scenario>", *, max_states: int | None = None,
              checks: Sequence[SectionCheck] = ()) -> Scenario:
    """Parse and validate a scenario given as text.

    The model checks everything but the engines' own sections (games need the
    games engine to be compiled); those checks are passed in as ``checks``.
    :func:`crisislab.load` and the command line pass every engine's checks
    (:func:`crisislab.formats.scenario.load`).
    """
    if max_states is None:
        max_states = max_states_default()
    elif max_states <= 0:
        raise input_error("the state budget must be a positive integer", value=max_states,
                          expected="a whole number of at least 1 (--max-states)")
    doc = parse_text(text, name)
    try:
        scenario = Scenario.model_validate(plain_data(doc.root))
    except ValidationError as err:
        raise ScenarioError(pydantic_problems(doc, err)) from None
    raw = semantic_problems(scenario, max_states=max_states, checks=checks)
    if raw:
        raise ScenarioError(located(doc, raw))
    return scenario


def builtin_names() -> list[str]:
    """Ids of the scenarios shipped inside the package."""
    files = resources.files("crisislab.scenarios")
    return sorted(p.name.removesuffix(".yaml") for p in files.iterdir()
                  if p.name.endswith(".yaml"))


def read_source(path: str | Path | None) -> tuple[str, str]:
    """Text and display name of a scenario file or built-in (``None`` = default)."""
    if path is None:
        path = BUILTIN_PREFIX + DEFAULT_SCENARIO
    spec = str(path)
    if spec.startswith(BUILTIN_PREFIX) or (not Path(spec).exists() and spec in builtin_names()):
        name = spec.removeprefix(BUILTIN_PREFIX)
        if name not in builtin_names():
            raise ScenarioError([Problem(f"no built-in scenario {name!r}", value=name,
                                         expected=f"one of {builtin_names()}")])
        res = resources.files("crisislab.scenarios").joinpath(f"{name}.yaml")
        return res.read_text(encoding="utf-8"), f"{BUILTIN_PREFIX}{name}"
    p = Path(spec)
    if not p.exists():
        raise ScenarioError([Problem("file not found", file=spec, value=spec,
                                     expected="a path to a YAML/JSON scenario file or a "
                                     f"built-in name ({', '.join(builtin_names())})")])
    if p.is_dir():
        raise ScenarioError([Problem("is a directory", file=spec,
                                     expected="a YAML or JSON scenario file")])
    limit = current_limits().max_file_bytes
    try:
        size = p.stat().st_size
        if size > limit:
            with p.open("rb") as fh:
                head = fh.read(limit)
            line = head.count(b"\n") + 1
            raise ScenarioError([Problem(
                f"the file has {size:,} bytes, above the limit of {limit:,} (reached here)",
                file=spec, line=line, column=len(head) - (head.rfind(b"\n") + 1) + 1,
                expected="a smaller file, or a higher limit (CRISISLAB_MAX_FILE_BYTES)")])
        data = p.read_bytes()
        return data.decode("utf-8-sig"), spec
    except UnicodeDecodeError as exc:
        before = data[:exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        raise ScenarioError([Problem(f"not a UTF-8 text file ({exc.reason})", file=spec,
                                     line=line, column=column,
                                     value=data[exc.start:exc.start + 4],
                                     expected="a UTF-8 YAML or JSON file")]) from None
    except OSError as exc:
        raise ScenarioError([Problem(f"cannot read the file: {exc.strerror}", file=spec)]) \
            from None


def load(path: str | Path | None = None, *, max_states: int | None = None,
         checks: Sequence[SectionCheck] = ()) -> Scenario:
    """Load and validate a scenario file (or a built-in by name; ``None`` = default).

    ``checks`` are the engines' checks of their own sections (see :func:`load_text`).
    """
    text, name = read_source(path)
    return load_text(text, name, max_states=max_states, checks=checks)
