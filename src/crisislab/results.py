"""The one protocol every result of crisislab follows, and small helpers for it.

A result records where it came from (``provenance``), turns into JSON-ready data
(``to_dict``) and deterministic JSON (``to_json``), into a pandas table
(``to_pandas``), and shows itself in one line (``repr``) and in a notebook
(``_repr_html_``), so a user can handle any result the same way without reading
its class.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    import pandas as pd

    from crisislab.provenance import Provenance


@runtime_checkable
class Result(Protocol):
    """What every result type offers (checked by ``isinstance`` at run time)."""

    @property
    def provenance(self) -> Provenance:
        """Method, parameters, lens, version and seed of the run."""

    def to_dict(self) -> Mapping[str, object]:
        """JSON-ready data."""

    def to_json(self) -> str:
        """Deterministic JSON: same input and seed give the same bytes."""

    def to_pandas(self) -> pd.DataFrame:
        """A long table for analysis in pandas."""

    def _repr_html_(self) -> str:
        """A short HTML view for notebooks."""


def compact_repr(kind: str, title: str | None, **counts: object) -> str:
    """``<Kind 'title': key=value, ...>``, a repr of bounded length whatever the size."""
    head = f"<{kind}" + (f" {title!r}" if title else "")
    body = ", ".join(f"{k}={v}" for k, v in counts.items())
    return f"{head}: {body}>" if body else f"{head}>"


def html_repr(result: object) -> str:
    """The minimal notebook view: the compact repr, escaped."""
    return f"<pre>{escape(repr(result))}</pre>"


__all__ = ["Result", "compact_repr", "html_repr"]


def big_decimal(x: int) -> str:
    """Decimal digits of any integer (Python refuses str() beyond 4,300 digits); counts
    of orderings reach that size, and both their JSON and their wording need the digits."""
    if x < 0:
        return "-" + big_decimal(-x)
    if x < _CHUNK:
        return str(x)
    hi, lo = divmod(x, _CHUNK)
    return big_decimal(hi) + str(lo).zfill(_CHUNK_DIGITS)


_CHUNK_DIGITS = 4000
_CHUNK = 10 ** _CHUNK_DIGITS
