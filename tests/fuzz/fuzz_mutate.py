"""Mutated scenario files: the broken and hostile inputs crisislab must refuse cleanly.

Each mutation starts from a seed (the built-in scenarios, trimmed so one run stays
short, the small hand-made files in ``seeds/`` and the regression corpus) and
applies one to three changes, structural (on the parsed data, written back as
YAML or JSON) or textual (on the bytes).  Every mutation is a pure function of
a ``random.Random``, so an input is reproduced from its number.
"""

from __future__ import annotations

import copy
import json
import math
import random
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

HERE = Path(__file__).resolve().parent
SEEDS = HERE / "seeds"
CORPUS = HERE / "corpus"

Data = Any


def _load(text: str) -> Data:
    """libyaml's reading where it can (fast), ruamel's YAML 1.2 parser where it stops."""
    try:
        return YAML(typ="safe").load(text)
    except Exception:
        return YAML(typ="safe", pure=True).load(text)


def _load_if_small(text: str) -> Data:
    """The seed as data, or None when it is itself hostile (an alias bomb expands in
    memory here exactly as it would in a naive reader): then only text mutations apply."""
    from crisislab.limits import Limits
    from crisislab.model.guard import check_stream

    try:
        check_stream(text, "seed", Limits())
        return _load(text)
    except Exception:
        return None


def _dump_yaml(data: Data) -> str:
    import io

    y = YAML(typ="safe")  # libyaml's emitter when installed
    y.default_flow_style = None
    buf = io.StringIO()
    y.dump(data, buf)
    return buf.getvalue()


def seed_texts() -> list[tuple[str, str]]:
    """(name, text) of every seed: hand-made files, trimmed built-ins, the corpus."""
    out: list[tuple[str, str]] = []
    for p in sorted(SEEDS.glob("*.yaml")):
        out.append((p.name, p.read_text(encoding="utf-8")))
    pkg = resources.files("crisislab.scenarios")
    for name in ("prisoners-dilemma", "korea-2017"):
        text = pkg.joinpath(f"{name}.yaml").read_text(encoding="utf-8")
        if name == "korea-2017":  # no lenses: the what-if table grows with every lens
            data = _load(text)
            data["lenses"] = []
            text = _dump_yaml(data)
        out.append((name, text))
    for p in sorted(CORPUS.iterdir()):
        if p.is_file() and not p.name.startswith("."):
            out.append((p.name, p.read_bytes().decode("utf-8", errors="replace")))
    return out


# --- structural mutations -------------------------------------------------------------

def _paths(node: Data, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, (*prefix, i))
    return out


def _get(node: Data, path: tuple[Any, ...]) -> Data:
    for k in path:
        node = node[k]
    return node


def _set(root: Data, path: tuple[Any, ...], value: Data) -> Data:
    if not path:
        return value
    _get(root, path[:-1])[path[-1]] = value
    return root


ODD_VALUES: list[Data] = [None, True, False, 0, -1, 1.5, 2**63, -(2**63), 10**30, "", "x",
                          [], {}, [1, 2], {"a": 1}, [[[]]], "null", "true", "1e999",
                          math.nan, math.inf, -math.inf, 1e308, -1e308, 1e-320]

STRINGS = ["\x00", "\x1b]0;title\x07", "\x1b[2J", "\u202eevil", "\ufeff", "é" * 50,
           "😀" * 10, "\u2028", "a\nb", "[bold]x[/bold]", "[link=javascript:x]l[/link]",
           "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "javascript:x",
           "true", "false", "not", "if", "mutually_exclusive", "s1", "nosuch", "A", "x" * 5000,
           "((((((((((a))))))))))", "not " * 70 + "x", " and ".join(["x"] * 70),
           "0+" * 300 + "0", "1/0", "__import__('os')", "p ** 1000", "1e308*1e308"]


def type_swap(data: Data, rng: random.Random) -> Data:
    path = rng.choice(_paths(data))
    return _set(data, path, copy.deepcopy(rng.choice(ODD_VALUES + STRINGS)))


def delete_key(data: Data, rng: random.Random) -> Data:
    dicts = [p for p in _paths(data) if isinstance(_get(data, p), dict) and _get(data, p)]
    if not dicts:
        return data
    d = _get(data, rng.choice(dicts))
    del d[rng.choice(list(d))]
    return data


def duplicate(data: Data, rng: random.Random) -> Data:
    lists = [p for p in _paths(data) if isinstance(_get(data, p), list) and _get(data, p)]
    if not lists:
        return data
    lst = _get(data, rng.choice(lists))
    lst.append(copy.deepcopy(rng.choice(lst)))
    return data


def strange_string(data: Data, rng: random.Random) -> Data:
    strs = [p for p in _paths(data) if isinstance(_get(data, p), str)]
    if not strs:
        return data
    path = rng.choice(strs)
    old = _get(data, path)
    new = rng.choice(STRINGS)
    return _set(data, path, rng.choice([new, old + new, new + old]))


def strange_number(data: Data, rng: random.Random) -> Data:
    nums = [p for p in _paths(data) if isinstance(_get(data, p), (int, float))
            and not isinstance(_get(data, p), bool)]
    if not nums:
        return type_swap(data, rng)
    return _set(data, rng.choice(nums), rng.choice([math.nan, math.inf, -math.inf, 1e308,
                                                    -1e308, 10**40, -1, 0, 1e15, 1e16,
                                                    0.5, 2**62]))


def unknown_reference(data: Data, rng: random.Random) -> Data:
    refs = [p for p in _paths(data) if p and p[-1] in ("owner", "actor", "source", "holder",
                                                        "statement", "status_quo", "to",
                                                        "player", "infoset")]
    if not refs:
        return strange_string(data, rng)
    return _set(data, rng.choice(refs), rng.choice(["nosuch", "s999", "", "A B", 12345]))


def contradiction(data: Data, rng: random.Random) -> Data:
    opts = [o.get("id") for o in data.get("options", []) if isinstance(o, dict)]
    feas = data.setdefault("feasibility", []) if isinstance(data, dict) else None
    if not isinstance(feas, list) or not opts:
        return data
    feas.append(rng.choice(["false", f"{opts[0]} and not {opts[0]}",
                            {"exactly_one": opts}, {"at_least_one": opts[:1]},
                            {"mutually_exclusive": opts}, {"formula": "true", "label": "t"}]))
    return data


def above_guards(data: Data, rng: random.Random) -> Data:
    """Sizes just above a limit: options (2^23 states), actors in an issue, formula depth,
    nesting depth, string length, list length."""
    if not isinstance(data, dict):
        return data
    from crisislab.limits import Limits

    lim = Limits()
    kind = rng.randrange(6)
    actors = data.get("actors") or [{"id": "A", "name": "a"}]
    owner = actors[0].get("id", "A") if isinstance(actors[0], dict) else "A"
    if kind == 0:
        data["options"] = [{"id": f"o{i}", "label": f"o{i}", "owner": owner} for i in range(23)]
    elif kind == 1:
        data["actors"] = [{"id": f"a{i}", "name": f"a{i}"} for i in range(1000)]
        data["issues"] = [{"id": "i", "label": "i", "scale": {"min": 0, "max": 100},
                           "positions": {f"a{i}": {"position": i % 100, "salience": 50,
                                                   "capability": 10} for i in range(1000)}}]
    elif kind == 2:
        data.setdefault("feasibility", []).append("not " * (lim.max_formula_depth + 1) + "x")
    elif kind == 3:
        deep: Data = 1
        for _ in range(lim.max_depth + 1):
            deep = [deep]
        data["status_quo"] = deep
    elif kind == 4:
        data.setdefault("metadata", {})["description"] = "x" * (lim.max_string + 1)
    else:
        data["policies"] = [0] * (lim.max_nodes + 1)
    return data


STRUCTURAL: list[Callable[[Data, random.Random], Data]] = [
    type_swap, delete_key, duplicate, strange_string, strange_number, unknown_reference,
    contradiction, above_guards]


# --- textual mutations ----------------------------------------------------------------

def alias_bomb(text: str, rng: random.Random) -> str:
    width, levels = rng.choice([(10, 8), (9, 6), (5, 9), (100, 3)])
    lines = ["b0: &b0 [x]"]
    for k in range(1, levels + 1):
        lines.append(f"b{k}: &b{k} [" + ", ".join([f"*b{k - 1}"] * width) + "]")
    return "\n".join(lines) + "\n" + text


def recursive_alias(text: str, rng: random.Random) -> str:
    return text + rng.choice(["\nloop: &l [*l]\n", "\nloop: &l {a: *l}\n",
                              "\nref: *undefined\n"])


def custom_tag(text: str, rng: random.Random) -> str:
    lines = text.splitlines()
    cands = [i for i, ln in enumerate(lines) if ": " in ln]
    if not cands:
        return "!foo " + text
    i = rng.choice(cands)
    k, v = lines[i].split(": ", 1)
    tag = rng.choice(["!foo", "!!python/object:os.system", "!!binary", "!!set", "!!omap",
                      "!<tag:example.com:x>", "!!timestamp"])
    lines[i] = f"{k}: {tag} {v}"
    return "\n".join(lines)


def deep_brackets(text: str, rng: random.Random) -> str:
    n = rng.choice([65, 500, 5000])
    return text + f"\nextra: {'[' * n}{']' * n}\n"


def junk(text: str, rng: random.Random) -> str:
    pos = rng.randrange(len(text) + 1)
    blob = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 40)))
    return text[:pos] + blob.decode("latin-1") + text[pos:]


def truncate(text: str, rng: random.Random) -> str:
    return text[:rng.randrange(len(text) + 1)]


def repeat_line(text: str, rng: random.Random) -> str:
    lines = text.splitlines()
    if not lines:
        return text
    i = rng.randrange(len(lines))
    lines.insert(i, lines[i])
    return "\n".join(lines)


def big_int_text(text: str, rng: random.Random) -> str:
    return text + f"\nstatus_quo: {'9' * rng.choice([41, 4301, 50_000])}\n"


TEXTUAL: list[Callable[[str, random.Random], str]] = [
    alias_bomb, recursive_alias, custom_tag, deep_brackets, junk, truncate, repeat_line,
    big_int_text]


# --- the generator ------------------------------------------------------------------

def _json_default(v: Any) -> Any:
    return str(v)


def mutate(seeds: list[tuple[str, str]], number: int) -> tuple[str, str, bytes]:
    """Input ``number``: (description, file suffix, bytes).  Deterministic."""
    rng = random.Random(number)
    corpus = [s for s in seeds if (CORPUS / s[0]).exists()]
    others = [s for s in seeds if s not in corpus]
    name, text = rng.choice(corpus if corpus and rng.random() < 0.2 else others)
    steps: list[str] = []
    suffix = ".yaml"
    data = _load_if_small(text)
    for _ in range(rng.choice([1, 1, 2, 3])):
        if data is not None and isinstance(data, (dict, list)) and rng.random() < 0.6:
            op = rng.choice(STRUCTURAL)
            data = op(data, rng)
        else:
            if data is not None:
                text = _dump_yaml(data)
                data = None
            op2 = rng.choice(TEXTUAL)
            text = op2(text, rng)
            op = op2
        steps.append(op.__name__)
    if data is not None:
        if rng.random() < 0.25:
            suffix = ".json"
            try:
                text = json.dumps(data, default=_json_default, allow_nan=True)
            except (ValueError, RecursionError):
                text = _dump_yaml(data)
                suffix = ".yaml"
        else:
            try:
                text = _dump_yaml(data)
            except RecursionError:
                text = json.dumps(data, default=_json_default)
    encoding = rng.random()
    if encoding < 0.03:
        raw = text.encode("utf-16")
        steps.append("utf-16")
    elif encoding < 0.06:
        raw = text.encode("latin-1", errors="replace")
        steps.append("latin-1")
    elif encoding < 0.10:
        raw = b"\xef\xbb\xbf" + text.encode("utf-8", errors="surrogatepass")
        steps.append("bom")
    else:
        raw = text.encode("utf-8", errors="surrogatepass")
    return f"#{number} {name}: {'+'.join(steps)}", suffix, raw
