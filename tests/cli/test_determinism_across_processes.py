"""Same input and seed give byte-identical ``--json`` in separate processes.

Calling a function twice in one process cannot catch output that depends on the
iteration order of sets or dicts keyed by strings: that order is fixed within a
process and changes with ``PYTHONHASHSEED``.  So every command that writes JSON is
run here in two fresh interpreters with different hash seeds, on small inputs.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from case_facts import load_facts

CASES = Path(__file__).resolve().parents[1] / "cases"

# One driver process per hash seed runs every command, so the suite pays the
# interpreter and import start-up twice, not twice per command.
DRIVER = """
import json, sys
from crisislab.cli.main import app
for args in json.loads(sys.argv[1]):
    try:
        app(args, standalone_mode=False)
    except SystemExit as exc:
        if exc.code not in (0, None):
            raise
"""

EFG = """EFG 2 R "Bluff" { "A" "B" }
""

c "root" 1 "" { "strong" 1/3 "weak" 2/3 } 0
p "s" 1 1 "A strong" { "fight" "quit" } 0
p "sb" 2 1 "B" { "resist" "yield" } 0
t "" 1 "war" { -1, -1 }
t "" 2 "capitulation_B" { 1, 0 }
t "" 3 "status_quo" { 0, 1 }
p "w" 1 2 "A weak" { "fight" "quit" } 0
p "wb" 2 1 0
t "" 4 "war" { -2, 1 }
t "" 5 "capitulation_B" { 1, 0 }
t "" 6 "status_quo" { 0, 1 }
"""


def _commands(tmp: Path, out: Path) -> list[list[str]]:
    chicken = str(CASES / "gmcr" / "chicken_graph.yaml")
    ktab = tmp / "soe.csv"
    ktab.write_text(load_facts("bargaining/ktab_2017_reference.yaml")["cases"][0]["input_csv"])
    efg = tmp / "bluff.efg"
    efg.write_text(EFG)
    return [
        ["analyze", chicken, "--json", str(out / "analyze.json")],
        ["coalitions", chicken, "--json", str(out / "coalitions.json")],
        ["foresight", chicken, "--json", str(out / "foresight.json")],
        ["inverse", chicken, "--state", "s2", "--actor", "D1", "--samples", "2",
         "--json", str(out / "inverse.json")],
        ["solve", str(efg), "--json", str(out / "solve.json")],
        ["forecast", str(ktab), "--model", "compromise,median,challenge,smp",
         "--json", str(out / "forecast.json")],
    ]


def test_every_json_output_is_byte_identical_across_hash_seeds(tmp_path: Path) -> None:
    runs = {}
    for seed in ("0", "4242"):
        out = tmp_path / f"hash{seed}"
        out.mkdir()
        commands = _commands(tmp_path, out)
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run([sys.executable, "-c", DRIVER, json.dumps(commands)],
                              env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr[-2000:]
        runs[seed] = {p.name: p.read_bytes() for p in sorted(out.iterdir())}
    names = {"analyze.json", "coalitions.json", "foresight.json", "inverse.json",
             "solve.json", "forecast.json"}
    assert set(runs["0"]) == names
    for name in sorted(names):
        assert runs["0"][name] == runs["4242"][name], name
        json.loads(runs["0"][name])  # and it is JSON
