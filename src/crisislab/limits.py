"""Size limits that keep a hostile or broken file cheap to refuse.

A scenario file comes from someone else.  Before crisislab builds anything from
it, a streaming pass (:mod:`crisislab.model.guard`) checks the file against
these limits, so a YAML alias bomb or a 10 KB file of nested brackets costs
milliseconds, not minutes.  The defaults are far above any real model; each
can be raised for the rare large one with an environment variable (documented
in ``docs/reference/limits.md``).  A value that is not a positive integer is a
clear error (exit 2), never a silent default.
"""

from __future__ import annotations

import functools
import math
import os
from dataclasses import dataclass, fields

from crisislab.errors import input_error


@dataclass(frozen=True)
class Limits:
    """Bounds on what a scenario file may ask crisislab to build."""

    max_file_bytes: int = 500_000
    """Largest scenario file read."""
    max_nodes: int = 20_000
    """Most values (mappings, lists, scalars) in the document, aliases expanded."""
    max_depth: int = 64
    """Deepest nesting of mappings and lists."""
    max_string: int = 100_000
    """Longest single string value, in characters."""
    max_formula_depth: int = 64
    """Deepest nesting of a formula or expression (parentheses, 'not', operators)."""
    max_stakeholders: int = 200
    """Most positions on one negotiation issue (the models hold (n+2)^3 arrays)."""
    max_number: float = 1e15
    """Largest absolute value of any number in the file (finite numbers only)."""


ENV_VARS = {
    "max_file_bytes": "CRISISLAB_MAX_FILE_BYTES",
    "max_nodes": "CRISISLAB_MAX_NODES",
    "max_depth": "CRISISLAB_MAX_DEPTH",
    "max_string": "CRISISLAB_MAX_STRING",
    "max_formula_depth": "CRISISLAB_MAX_FORMULA_DEPTH",
    "max_stakeholders": "CRISISLAB_MAX_STAKEHOLDERS",
}
"""Environment variables that raise a limit (the number limit is fixed: beyond
1e15 floating-point sums lose whole units and products overflow)."""

DEFAULT_MAX_STATES = 1 << 22
"""Largest raw option space (2**options) enumerated by default."""


def positive_int(text: str, what: str) -> int:
    """``text`` as a positive integer, or a clear error naming ``what``."""
    cleaned = text.strip().replace("_", "")
    if not cleaned.isdigit() or len(cleaned) > 18 or int(cleaned) <= 0:
        raise input_error(f"{what} must be a positive integer", value=text,
                          expected="a whole number of at least 1, e.g. 4194304")
    return int(cleaned)


def env_int(name: str, default: int) -> int:
    """An environment variable read as a positive integer (``default`` when unset)."""
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    return positive_int(raw, f"environment variable {name}")


def current_limits() -> Limits:
    """The defaults, raised or lowered by the ``CRISISLAB_MAX_*`` environment variables.

    Read on every call (a test or a long-lived process may change the environment),
    but built once per distinct setting: formula evaluation asks thousands of times
    in one analysis.
    """
    return _limits_for(tuple(os.environ.get(env) for env in ENV_VARS.values()))


def current_limit(name: str) -> int:
    """One limit of :func:`current_limits` (``name``: a field with an environment
    variable), reading only its own variable.

    Formula and expression parsing ask for the depth limit before every parse (the
    parse is cached per limit), tens of thousands of times in one analysis; reading
    one variable instead of six keeps that question cheap.  An invalid value raises
    the same located error as :func:`current_limits`.
    """
    default: int = getattr(Limits, name)
    return env_int(ENV_VARS[name], default)


@functools.lru_cache(maxsize=8)
def _limits_for(raw: tuple[str | None, ...]) -> Limits:
    """The limits for one setting of the environment variables (``raw`` in the order
    of :data:`ENV_VARS`); an invalid value raises the located input error each time."""
    base = Limits()
    values = {}
    for f in fields(Limits):
        env = ENV_VARS.get(f.name)
        if env is not None:
            values[f.name] = env_int(env, getattr(base, f.name))
    return Limits(**values)


def max_states_default() -> int:
    """The state budget: ``CRISISLAB_MAX_STATES`` or :data:`DEFAULT_MAX_STATES`."""
    return env_int("CRISISLAB_MAX_STATES", DEFAULT_MAX_STATES)


def finite_in_range(value: float, limit: float) -> bool:
    """Whether ``value`` is a finite number no larger than ``limit`` in absolute value."""
    return math.isfinite(value) and abs(value) <= limit
