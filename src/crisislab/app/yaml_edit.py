"""Writing changed beliefs back into a scenario's text, comments and order kept.

The page changes beliefs on the parsed scenario; "download the edited scenario"
must give a file the analyst can keep, reread and diff.  The text is parsed as
data with ruamel's round-trip loader (nothing in it is executed), the changed
values are set at their document paths, and the document is dumped back, so the
file keeps its comments, order and evidence.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

from ruamel.yaml import YAML

from crisislab.app.beliefs import Value


def _by_id(items: list[Any], key: str) -> Any:
    return next(x for x in items if isinstance(x, Mapping) and x.get("id") == key)


def _set_number(holder: Any, key: str, value: float) -> None:
    if isinstance(holder[key], Mapping):
        holder[key]["value"] = value
    else:
        holder[key] = value


def write_beliefs(text: str, beliefs: Mapping[str, Value]) -> str:
    """``text`` with each changed belief written in (see :mod:`crisislab.app.beliefs`
    for the control ids)."""
    yaml = YAML(typ="rt")
    yaml.width = 100
    root = yaml.load(text)
    for cid, value in sorted(beliefs.items()):
        parts = cid.split(":")
        kind = parts[0]
        if kind == "prior":
            game = _by_id(root["games"], parts[1])
            params = game["tree"]["parameters"] if "tree" in game else game["parameters"]
            _set_number(params, parts[2], float(value))
        elif kind == "lens_prior":
            lens = _by_id(root["lenses"], parts[1])
            _set_number(lens["games"][parts[2]], parts[3], float(value))
        elif kind == "lens_issue":
            lens = _by_id(root["lenses"], parts[1])
            lens["issues"][parts[2]][parts[3]][parts[4]] = float(value)
        elif kind == "statement" and value is False:
            items = root["preferences"][parts[1]]["prioritization"]
            items[:] = [x for x in items if not (isinstance(x, Mapping)
                                                  and x.get("id") == parts[2])]
        elif kind == "override" and value is False:
            lens = _by_id(root["lenses"], parts[1])
            lens["overrides"][:] = [x for x in lens["overrides"] if x.get("id") != parts[2]]
    out = io.StringIO()
    yaml.dump(root, out)
    return out.getvalue()
