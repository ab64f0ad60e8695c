"""A streaming pass over a scenario file that refuses hostile input cheaply.

YAML can describe far more than it spells out: ten nested aliases of ten
items each expand to 10^10 values ("billion laughs"), a recursive alias has no
end, a custom tag asks for a type crisislab does not have, and a few kilobytes
of brackets nest deep enough to exhaust the recursion of any tree builder.
This pass reads the parser's event stream once, before anything is built, and
stops at the first event that breaks a :class:`~crisislab.limits.Limits` bound,
with the line and column.  It keeps one counter per open collection and one
size per anchor, so a hostile file costs as much as reading it.

JSON goes through the same pass (JSON is YAML 1.2): nesting depth, string
length and integer digits are checked before any integer is converted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.events import (
    AliasEvent,
    CollectionEndEvent,
    CollectionStartEvent,
    NodeEvent,
    ScalarEvent,
)

from crisislab.errors import Problem, ScenarioError
from crisislab.limits import Limits

STANDARD_TAGS = {f"tag:yaml.org,2002:{t}" for t in
                 ("str", "int", "float", "bool", "null", "seq", "map")}
"""The only explicit tags accepted: YAML's own core types."""

_SURROGATE = re.compile("[\ud800-\udfff]")
_DIGITS = re.compile(r"[-+]?[0-9][0-9_]*(\.[0-9_]*)?([eE][-+]?[0-9]+)?")
MAX_NUMBER_CHARS = 40
"""A number written with more characters than this is refused before it is converted
(Python refuses to convert integers of more than 4,300 digits, and no field needs 40)."""


@dataclass
class _Frame:
    anchor: str | None
    size: int = 1  # values inside, aliases expanded, the collection itself included


def _tag_name(tag: Any) -> str | None:
    if tag is None:
        return None
    value = getattr(tag, "value", tag)  # ruamel >= 0.18 wraps tags in a Tag object
    return None if value is None else str(value)


def _problem(name: str, event: Any, message: str, expected: str, value: Any = None) \
        -> ScenarioError:
    mark = getattr(event, "start_mark", None)
    line = mark.line + 1 if mark is not None else None
    column = mark.column + 1 if mark is not None else None
    return ScenarioError([Problem(message, file=name, line=line, column=column, value=value,
                                  expected=expected)])


def check_stream(text: str, name: str, limits: Limits) -> None:
    """Refuse ``text`` at the first event beyond ``limits``; parse errors propagate.

    Raises :class:`ScenarioError` for alias expansion, nesting depth, string length,
    number length, custom tags, recursive aliases and lone surrogates.
    """
    if len(text) > limits.max_file_bytes:
        raise ScenarioError([Problem(
            f"the file has {len(text):,} characters, above the limit of "
            f"{limits.max_file_bytes:,} (reached here)", file=name,
            line=text.count("\n", 0, limits.max_file_bytes) + 1,
            column=limits.max_file_bytes - (text.rfind("\n", 0, limits.max_file_bytes) + 1) + 1,
            expected="a smaller file, or a higher limit (CRISISLAB_MAX_FILE_BYTES)")])
    sizes: dict[str, int] = {}
    stack: list[_Frame] = []
    total = 0
    for event in YAML(typ="rt").parse(text):
        if isinstance(event, CollectionEndEvent):
            frame = stack.pop()
            if frame.anchor is not None:
                sizes[frame.anchor] = frame.size
            if stack:
                stack[-1].size += frame.size
            continue
        if not isinstance(event, NodeEvent):
            continue
        tag = _tag_name(getattr(event, "tag", None))
        if tag is not None and tag not in STANDARD_TAGS and tag != "!":
            raise _problem(name, event, f"custom YAML tag {tag!r} is not allowed",
                           "plain YAML values without tags (or the core tags !!str, !!int, "
                           "!!float, !!bool, !!null, !!seq, !!map)", tag)
        if isinstance(event, AliasEvent):
            anchor = str(event.anchor)
            if any(f.anchor == anchor for f in stack):
                raise _problem(name, event, f"recursive alias *{anchor}: it refers to the "
                               "value that contains it", "an alias to a complete value", anchor)
            added = sizes.get(anchor, 1)  # an undefined alias is the parser's error, later
        elif isinstance(event, ScalarEvent):
            _check_scalar(event, name, limits)
            added = 1
        elif isinstance(event, CollectionStartEvent):
            if len(stack) >= limits.max_depth:
                raise _problem(name, event, f"values nested more than {limits.max_depth} "
                               "levels deep", "a flatter file, or a higher limit "
                               "(CRISISLAB_MAX_DEPTH)")
            stack.append(_Frame(None if event.anchor is None else str(event.anchor)))
            total += 1
            _check_total(total, event, name, limits)
            continue
        else:
            continue
        if event.anchor is not None:
            sizes[str(event.anchor)] = added
        total += added
        _check_total(total, event, name, limits)
        if stack:
            stack[-1].size += added


def _check_total(total: int, event: Any, name: str, limits: Limits) -> None:
    if total > limits.max_nodes:
        raise _problem(name, event, f"the file expands to more than {limits.max_nodes:,} "
                       "values (aliases count as the values they repeat)",
                       "fewer values or aliases, or a higher limit (CRISISLAB_MAX_NODES)")


def _check_scalar(event: ScalarEvent, name: str, limits: Limits) -> None:
    value = event.value
    if len(value) > limits.max_string:
        raise _problem(name, event, f"a value of {len(value):,} characters, above the limit "
                       f"of {limits.max_string:,}", "a shorter value, or a higher limit "
                       "(CRISISLAB_MAX_STRING)", value[:40] + "...")
    if _SURROGATE.search(value):
        raise _problem(name, event, "a lone surrogate escape (\\ud800-\\udfff) is not a "
                       "character", "text made of real Unicode characters", value)
    plain = event.style is None
    if plain and len(value) > MAX_NUMBER_CHARS and _DIGITS.fullmatch(value):
        raise _problem(name, event, f"a number written with {len(value):,} characters",
                       f"a number of at most {MAX_NUMBER_CHARS} characters", value[:40] + "...")
