"""CPU seconds to read a scenario file, beside the two-pass pure-Python reading.

Target (issue 15, section 1): a hostile file, or one just inside the limits, is
read or refused in a fraction of a second, so ``validate`` then ``analyze`` on any
input stay far below 5 s.  Printed, best of ``--repeat`` runs, in process:

* ``crisislab.model.io.parse_text`` as the commands read a file: events checked as
  they are read (libyaml where it can read the file, ruamel's YAML 1.2 parser where
  it stops), the document built from the checked events;
* the same with libyaml switched off (the pure-Python parser alone);
* the baseline measured in the same run: the reading before, a guard pass over the
  pure parser's events followed by ruamel's round-trip load (two pure parses).

The files: the built-in korea-2017; a file just inside the limits (1,000 actors
with positions on one issue, about 120 KB and 17,000 values, written as YAML flow
mappings and as JSON); and a YAML alias bomb refused by the node limit.

    python benchmarks/bench_read.py [--repeat N]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import time
from collections.abc import Callable
from importlib import resources

from ruamel.yaml import YAML

from crisislab.limits import Limits
from crisislab.model import yaml_events
from crisislab.model.guard import StreamGuard, check_size
from crisislab.model.io import parse_text


def large(as_json: bool) -> str:
    """1,000 actors on one issue: just inside the default limits."""
    data = {
        "metadata": {"title": "a thousand actors"},
        "actors": [{"id": f"a{i}", "name": f"Actor {i}"} for i in range(1000)],
        "issues": [{"id": "i", "label": "issue", "scale": {"min": 0, "max": 100},
                    "positions": {f"a{i}": {"position": i % 100, "salience": 50,
                                            "capability": 10} for i in range(1000)}}],
    }
    if as_json:
        return json.dumps(data)
    lines = ["metadata: {title: a thousand actors}", "actors:"]
    lines += [f"- {{id: a{i}, name: Actor {i}}}" for i in range(1000)]
    lines += ["issues:", "- id: i", "  label: issue", "  scale: {min: 0, max: 100}",
              "  positions:"]
    lines += [f"    a{i}: {{position: {i % 100}, salience: 50, capability: 10}}"
              for i in range(1000)]
    return "\n".join(lines) + "\n"


def alias_bomb() -> str:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 10)]
    return "\n".join(lines) + "\n"


def two_pure_passes(text: str) -> None:
    """The reading before: a guard pass over the pure parser's events, then a load."""
    limits = Limits()
    check_size(text, "f", limits)
    guard = StreamGuard("f", limits)
    for event in yaml_events.pure_events(text):
        guard.see(event)
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    yaml.load(text)


def best(fn: Callable[[str], object], text: str, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.process_time()
        with contextlib.suppress(Exception):  # a refused file is timed to its refusal
            fn(text)
        times.append(time.process_time() - start)
    return min(times)


def without_libyaml(text: str) -> object:
    saved = yaml_events.HAVE_LIBYAML
    yaml_events.HAVE_LIBYAML = False
    try:
        return parse_text(text, "f")
    finally:
        yaml_events.HAVE_LIBYAML = saved


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    korea = resources.files("crisislab.scenarios").joinpath("korea-2017.yaml") \
        .read_text(encoding="utf-8")
    files = [("korea-2017 (built-in)", korea), ("1,000 actors, YAML", large(False)),
             ("1,000 actors, JSON", large(True)), ("alias bomb (refused)", alias_bomb())]
    print(f"libyaml available: {yaml_events.HAVE_LIBYAML}")
    print(f"{'file':<24}{'KB':>6}{'crisislab':>11}{'pure only':>11}{'two passes':>12}")
    for name, text in files:
        ours = best(lambda t: parse_text(t, "f"), text, args.repeat)
        pure = best(without_libyaml, text, args.repeat)
        base = best(two_pure_passes, text, args.repeat)
        print(f"{name:<24}{len(text) / 1000:>6.0f}{ours:>10.3f}s{pure:>10.3f}s{base:>11.3f}s")
    print("(CPU seconds, best of", args.repeat, "runs; 'two passes' is the baseline)")


if __name__ == "__main__":
    main()
