"""A streaming pass over a scenario file that refuses hostile input cheaply.

YAML can describe far more than it spells out: ten nested aliases of ten
items each expand to 10^10 values ("billion laughs"), a recursive alias has no
end, a custom tag asks for a type crisislab does not have, and a few kilobytes
of brackets nest deep enough to exhaust the recursion of any tree builder.
Every parser event is checked as it is read, before anything is built, and the
reading stops at the first event that breaks a :class:`~crisislab.limits.Limits`
bound, with the line and column; the checked events are what the document is
then built from (:mod:`crisislab.model.yaml_events`).  It keeps one counter per
open collection and one size per anchor, so a hostile file costs as much as
reading it.

JSON goes through the same pass (JSON is YAML 1.2): nesting depth, string
length and integer digits are checked before any integer is converted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ruamel.yaml.events import (
    AliasEvent,
    CollectionEndEvent,
    CollectionStartEvent,
    NodeEvent,
    ScalarEvent,
)

from crisislab.errors import Problem, ScenarioError
from crisislab.limits import Limits
from crisislab.model import yaml_events

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


def check_size(text: str, name: str, limits: Limits) -> None:
    """Refuse ``text`` longer than ``limits.max_file_bytes``, pointing at where it
    crosses the limit (before any parsing)."""
    if len(text) > limits.max_file_bytes:
        raise ScenarioError([Problem(
            f"the file has {len(text):,} characters, above the limit of "
            f"{limits.max_file_bytes:,} (reached here)", file=name,
            line=text.count("\n", 0, limits.max_file_bytes) + 1,
            column=limits.max_file_bytes - (text.rfind("\n", 0, limits.max_file_bytes) + 1) + 1,
            expected="a smaller file, or a higher limit (CRISISLAB_MAX_FILE_BYTES)")])


class StreamGuard:
    """The checks of :func:`read_events`, one event at a time, in stream order.

    It keeps one counter per open collection and one size per anchor; :meth:`see`
    raises :class:`ScenarioError` at the first event beyond the limits.
    """

    def __init__(self, name: str, limits: Limits) -> None:
        self.name, self.limits = name, limits
        self.sizes: dict[str, int] = {}
        self.stack: list[_Frame] = []
        self.total = 0

    def see(self, event: Any) -> None:
        """Check the next event of the stream."""
        name, limits, stack = self.name, self.limits, self.stack
        if isinstance(event, CollectionEndEvent):
            frame = stack.pop()
            if frame.anchor is not None:
                self.sizes[frame.anchor] = frame.size
            if stack:
                stack[-1].size += frame.size
            return
        if not isinstance(event, NodeEvent):
            return
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
            added = self.sizes.get(anchor, 1)  # an undefined alias is the parser's error
        elif isinstance(event, ScalarEvent):
            _check_scalar(event, name, limits)
            added = 1
        elif isinstance(event, CollectionStartEvent):
            if len(stack) >= limits.max_depth:
                raise _problem(name, event, f"values nested more than {limits.max_depth} "
                               "levels deep", "a flatter file, or a higher limit "
                               "(CRISISLAB_MAX_DEPTH)")
            stack.append(_Frame(None if event.anchor is None else str(event.anchor)))
            self.total += 1
            _check_total(self.total, event, name, limits)
            return
        else:
            return
        if event.anchor is not None:
            self.sizes[str(event.anchor)] = added
        self.total += added
        _check_total(self.total, event, name, limits)
        if stack:
            stack[-1].size += added


def read_events(text: str, name: str, limits: Limits) -> list[Any]:
    """Every parser event of ``text``, each checked against ``limits`` as it is read.

    Raises :class:`ScenarioError` at the first event beyond the limits (alias
    expansion, nesting depth, string length, number length, custom tags, recursive
    aliases, lone surrogates); parse errors propagate.  libyaml reads when it is
    installed; where it stops, ruamel's parser reads the file again and decides
    (:mod:`crisislab.model.yaml_events`).
    """
    check_size(text, name, limits)
    if yaml_events.HAVE_LIBYAML:
        guard = StreamGuard(name, limits)
        events: list[Any] = []
        try:
            for event in yaml_events.libyaml_events(text):
                guard.see(event)
                events.append(event)
            return events
        except ScenarioError:
            raise
        except Exception:  # noqa: BLE001 - libyaml stopped: the YAML 1.2 parser decides
            pass
    guard = StreamGuard(name, limits)
    events = []
    for event in yaml_events.pure_events(text):
        guard.see(event)
        events.append(event)
    return events


def check_stream(text: str, name: str, limits: Limits) -> None:
    """Refuse ``text`` at the first event beyond ``limits`` (see :func:`read_events`)."""
    read_events(text, name, limits)


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
        try:  # a pair written as two escapes ("\ud83d\ude00", as JSON writers do) is one
            joined = value.encode("utf-16", "surrogatepass").decode("utf-16")
        except UnicodeDecodeError:
            joined = value
        if not _SURROGATE.search(joined):
            event.value = joined  # the document is built from this event
            return
        raise _problem(name, event, "a lone surrogate escape (\\ud800-\\udfff) is not a "
                       "character", "text made of real Unicode characters", value)
    plain = not event.style  # ruamel gives None for a plain scalar, libyaml ""
    if plain and len(value) > MAX_NUMBER_CHARS and _DIGITS.fullmatch(value):
        raise _problem(name, event, f"a number written with {len(value):,} characters",
                       f"a number of at most {MAX_NUMBER_CHARS} characters", value[:40] + "...")
