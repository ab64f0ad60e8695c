"""YAML read as a list of parser events, then built from that list.

Reading a scenario is two steps so that nothing is built before every event has
been checked (:mod:`crisislab.model.guard`): the parser's events are collected
while the guard checks them, then ruamel's round-trip composer and constructor
build the document from the collected list, keeping the line and column of
every key and item.  The file is parsed once.

The events come from libyaml through ``ruamel.yaml.clib`` when it is installed
(about 30 times faster than the pure-Python parser; a wheel, no compiler), and
from ruamel's own parser otherwise.  libyaml reads YAML 1.1, and refuses a few
things YAML 1.2 allows (a ``:`` inside a plain scalar in a flow mapping, as in
``{source: http://example.org}``); whenever libyaml stops, the file is read
again by ruamel's parser, whose verdict and messages stand.  Both parsers give
the same events for what both accept (a test compares the documents built).
"""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.composer import Composer
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.events import DocumentStartEvent, StreamEndEvent
from ruamel.yaml.resolver import VersionedResolver

try:  # the compiled libyaml parser; absent on platforms without a wheel
    from _ruamel_yaml import CParser as _CParser
except ImportError:  # pragma: no cover - the wheel is installed where it exists
    _CParser = None

__all__ = ["HAVE_LIBYAML", "build", "libyaml_events", "pure_events"]

HAVE_LIBYAML = _CParser is not None
"""Whether libyaml's parser is available (``ruamel.yaml.clib``)."""


def libyaml_events(text: str) -> Iterator[Any]:
    """The parser events of ``text`` from libyaml, one at a time (it stops with an
    exception where libyaml cannot read on)."""
    if _CParser is None:  # pragma: no cover - see HAVE_LIBYAML
        raise RuntimeError("libyaml is not available")
    parser = _CParser(text)
    try:
        while True:
            event = parser.get_event()
            yield event
            if isinstance(event, StreamEndEvent):
                return
    finally:
        parser.dispose()


def pure_events(text: str) -> Iterator[Any]:
    """The parser events of ``text`` from ruamel's pure-Python YAML 1.2 parser."""
    yield from YAML(typ="rt").parse(text)


class _ReplayLoader(Composer, RoundTripConstructor, VersionedResolver):
    """ruamel's round-trip composer and constructor fed from a list of events."""

    def __init__(self, events: list[Any]) -> None:
        self._events = events
        self._next = 0
        version = next((e.version for e in events if isinstance(e, DocumentStartEvent)), None)
        # the resolver reads the %YAML version where the scanner keeps it
        self._scanner = SimpleNamespace(yaml_version=version)
        self._parser = self
        Composer.__init__(self, loader=self)
        RoundTripConstructor.__init__(self, loader=self)
        VersionedResolver.__init__(self, loadumper=self)
        self.allow_duplicate_keys = False
        self.comment_handling = None
        self.preserve_quotes = None
        self.max_depth = None  # the guard has bounded the depth already

    def check_event(self, *choices: Any) -> bool:
        if self._next >= len(self._events):
            return False
        return not choices or isinstance(self._events[self._next], choices)

    def peek_event(self) -> Any:
        return self._events[self._next]

    def get_event(self) -> Any:
        event = self._events[self._next]
        self._next += 1
        return event


def build(events: list[Any]) -> Any:
    """The single document of ``events`` as ruamel's round-trip data (``CommentedMap``
    and ``CommentedSeq`` with line and column); duplicate keys, undefined aliases
    and a second document are ruamel's errors."""
    return _ReplayLoader(events).get_single_data()
