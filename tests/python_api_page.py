"""The Python API reference page, rendered from the public API itself.

``tests/test_python_api_page.py`` compares docs/reference/python-api.md with
:func:`render`; after changing a public signature run
``.venv/bin/python tests/python_api_page.py`` to rewrite the page.
"""

from __future__ import annotations

import importlib
import inspect
import re
from pathlib import Path
from typing import Any

PAGE = Path(__file__).resolve().parents[1] / "docs" / "reference" / "python-api.md"

SECTIONS = [
    ("crisislab", "The entry points: load a scenario, analyse it, and each engine's headline "
                  "call."),
    ("crisislab.bargaining", "Negotiation forecasts over continuous issues."),
    ("crisislab.games", "Games of incomplete information: specifications, trees, solutions."),
]

def first_line(obj: Any) -> str:
    doc = inspect.getdoc(obj) or ""
    return doc.split("\n\n")[0].replace("\n", " ").strip()

def _ann(a: Any) -> str:
    if a is inspect.Parameter.empty:
        return ""
    text = a if isinstance(a, str) else getattr(a, "__name__", repr(a))
    return ": " + re.sub(r"<class '([\w.]+)'>", r"\1", text)

def sig(name: str, obj: Any) -> str | None:
    try:
        sg = inspect.signature(obj)
    except (TypeError, ValueError):
        return None
    parts, star_done = [], False
    params = list(sg.parameters.values())
    for i, prm in enumerate(params):
        if prm.kind is prm.KEYWORD_ONLY and not star_done:
            parts.append("*")
            star_done = True
        if prm.kind is prm.VAR_POSITIONAL:
            star_done = True
            parts.append("*" + prm.name + _ann(prm.annotation))
            continue
        if prm.kind is prm.VAR_KEYWORD:
            parts.append("**" + prm.name + _ann(prm.annotation))
            continue
        text = prm.name + _ann(prm.annotation)
        if prm.default is not inspect.Parameter.empty:
            sep = " = " if prm.annotation is not inspect.Parameter.empty else "="
            text += sep + repr(prm.default)
        parts.append(text)
        last_positional = i + 1 == len(params) or params[i + 1].kind is not prm.POSITIONAL_ONLY
        if prm.kind is prm.POSITIONAL_ONLY and last_positional:
            parts.append("/")
    ret = sg.return_annotation
    tail = "" if ret is inspect.Signature.empty else " -> " + _ann(ret)[2:]
    one = f"{name}(" + ", ".join(parts) + ")" + tail
    if len(one) <= 88:
        return one
    return f"{name}(\n" + "".join(f"    {x},\n" for x in parts) + ")" + tail

def _entry(modname: str, name: str, obj: Any) -> list[str]:
    lines = [f"### `{modname}.{name}`", ""]
    if inspect.isclass(obj) and hasattr(obj, "model_fields"):
        lines += [f"Pydantic model; fields: {', '.join(obj.model_fields)}.", ""]
    elif callable(obj):
        text = sig(name, obj)
        if text:
            lines += ["```text", text, "```", ""]
    else:
        shown = repr(obj)
        lines += [f"Constant: `{shown}`" if len(shown) < 200 else "Constant (a mapping).", ""]
        return lines
    summary = first_line(obj)
    return lines + ([summary, ""] if summary else [])


def render() -> str:
    """The page's text."""
    out = ["# Python API reference", "",
           "The public names of crisislab's Python API, with their signatures and the first line",
           "of their docstrings. `import crisislab` is cheap: the names below load their engines",
           "on first use. Results share one protocol: `provenance`, `to_dict()`/`to_json()` (or",
           "pydantic's `model_dump()`), and `to_pandas()` where a table makes sense. See",
           "[the `ScenarioAnalysis` result](scenario-analysis.md) for the pipeline's result and",
           "[the command line](cli.md) for the same features from a shell.",
           "",
           "`tests/test_python_api_page.py` checks that every public name is listed here and that",
           "each signature shown has the parameters the code has.", ""]
    for modname, blurb in SECTIONS:
        mod = importlib.import_module(modname)
        out += [f"## `{modname}`", "", blurb, ""]
        for name in mod.__all__:
            if not name.startswith("__"):
                out += _entry(modname, name, getattr(mod, name))
    return "\n".join(out).rstrip() + "\n"


if __name__ == "__main__":
    PAGE.write_text(render())
