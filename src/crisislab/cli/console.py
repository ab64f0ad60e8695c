"""Consoles that print a scenario's text as text, on any terminal.

A label in a scenario file is someone else's text.  On a terminal it must not
move the cursor, change the window title or ring the bell (control characters
and escape sequences are removed), nor style itself (``[bold]`` or
``[link=...]`` print literally: markup is off, crisislab's own styles are
``Text`` styles).  Rich adds its own escape codes after this cleaning, from the
styles, so colours still work.  A terminal whose encoding cannot show a
character gets a replacement instead of a crash.
"""

from __future__ import annotations

import contextlib
import re
import sys
from collections.abc import Iterable
from typing import Any

from rich.console import Console
from rich.segment import Segment

_CONTROL = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"          # CSI sequences (cursor, colours, erase)
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"  # OSC sequences (window title, hyperlinks)
    r"|\x1b[PX^_][^\x1b]*\x1b\\"    # DCS, SOS, PM, APC strings
    r"|\x1b.?"                           # any other escape
    r"|[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)
"""Escape sequences, C0/C1 control characters (tab and newline kept) and the
bidirectional overrides that make text read differently from what it is."""


def clean(text: str) -> str:
    """``text`` without control characters and terminal escape sequences."""
    return _CONTROL.sub("", text)


class SafeConsole(Console):
    """A rich console with markup off that removes control characters from every
    piece of text it prints (tables and panels included)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("markup", False)
        kwargs.setdefault("emoji", False)
        super().__init__(**kwargs)

    def _render_buffer(self, buffer: Iterable[Segment]) -> str:
        cleaned = (seg if seg.control else Segment(clean(seg.text), seg.style)
                   for seg in buffer)
        return super()._render_buffer(cleaned)


def tolerate_any_encoding() -> None:
    """Print characters a terminal's encoding lacks as replacements, not crash."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):  # a detached stream
                reconfigure(errors="replace")
