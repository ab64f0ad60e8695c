"""Rich display of results in notebooks, without the results importing the report.

Result types live in the engines and in :mod:`crisislab.compare`, which may not
import :mod:`crisislab.report` (the report sits above them).  Their
``_repr_html_`` methods call :func:`html` here instead; the renderers register
themselves by the result's qualified class name in :mod:`crisislab.report.notebook`,
which this module imports on the first call (``RENDERERS``), so ``import crisislab``
stays light and no layer imports one above it.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any, TypeVar

RENDERERS = "crisislab.report.notebook"
"""The module whose import registers the HTML renderers."""

_HTML: dict[str, Callable[[Any], str]] = {}
F = TypeVar("F", bound=Callable[[Any], str])


def register(qualname: str) -> Callable[[F], F]:
    """Register ``fn(obj) -> HTML`` for the class named ``module.QualName``."""
    def deco(fn: F) -> F:
        _HTML[qualname] = fn
        return fn
    return deco


def _name(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def html(obj: Any) -> str:
    """The HTML a notebook shows for ``obj`` (its class or nearest registered base)."""
    if not _HTML:
        importlib.import_module(RENDERERS)
    for cls in type(obj).__mro__:
        fn = _HTML.get(_name(cls))
        if fn is not None:
            return fn(obj)
    from html import escape

    return f"<pre>{escape(repr(obj))}</pre>"


def count(n: int, noun: str, plural: str | None = None) -> str:
    """'1 state', '3 states'."""
    return f"{n} {noun if n == 1 else (plural or noun + 's')}"
