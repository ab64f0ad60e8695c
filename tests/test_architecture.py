"""The package's layers and its start-up: behaviour checks, not timings.

The import contracts live in ``pyproject.toml`` ([tool.importlinter]) and run
in ``make lint``; here we check that they hold, and that they would catch a
model importing an engine and a module cycle (so the contracts cannot pass
vacuously).  Start-up: ``import crisislab`` and ``crisislab --version`` /
``--help`` must not load the heavy numerical libraries (the figures are in
``benchmarks/bench_startup.py``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
HEAVY = ("numpy", "scipy", "pandas", "pydantic", "jinja2", "pysat", "ruamel")


def _lint_imports(cwd: Path, pythonpath: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(pythonpath), "NO_COLOR": "1"}
    return subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


def _loaded_after(code: str) -> list[str]:
    """Top-level packages among HEAVY that a fresh interpreter has loaded after ``code``."""
    probe = code + textwrap.dedent(f"""
        import sys
        loaded = sorted({{m.split(".")[0] for m in sys.modules}} & set({HEAVY!r}))
        print("LOADED:" + ",".join(loaded))
        """)
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True, timeout=60).stdout
    line = [x for x in out.splitlines() if x.startswith("LOADED:")][-1]
    return [m for m in line.removeprefix("LOADED:").split(",") if m]


def test_import_contracts_hold():
    res = _lint_imports(ROOT, ROOT / "src")
    assert res.returncode == 0, res.stdout + res.stderr
    assert "0 broken" in res.stdout


def test_contracts_catch_an_engine_import_in_the_model_and_a_module_cycle(tmp_path):
    shutil.copytree(ROOT / "src" / "crisislab", tmp_path / "src" / "crisislab",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    pkg = tmp_path / "src" / "crisislab"
    # The model reaching into the conflict engine (what model.states used to do) ...
    with (pkg / "model" / "evidence.py").open("a") as fh:
        fh.write("\nfrom crisislab.conflict.graph import ConflictGraph  # noqa\n")
    # ... and a function-level import that closes a cycle (stability <-> witness).
    with (pkg / "conflict" / "witness.py").open("a") as fh:
        fh.write("\n\ndef _cycle() -> None:\n    import crisislab.conflict.stability  # noqa\n")
    res = _lint_imports(tmp_path, tmp_path / "src")
    assert res.returncode != 0
    assert "The model imports no engine and nothing above it BROKEN" in res.stdout
    assert "No import cycles between the modules of a package BROKEN" in res.stdout
    assert "crisislab.model.evidence -> crisislab.conflict.graph" in res.stdout


def test_import_crisislab_loads_no_numerical_library():
    assert _loaded_after("import crisislab") == []


def test_command_line_registers_its_commands_without_loading_engines():
    # --help builds every command's options; none of them may need an engine.
    code = textwrap.dedent("""
        from crisislab.cli.main import app
        try:
            app(["--help"])
        except SystemExit:
            pass
        """)
    assert _loaded_after(code) == []


def test_lazy_api_is_the_api_and_old_paths_still_work():
    import crisislab
    import crisislab.api
    from crisislab.bargaining import load_ktab_csv as old_ktab
    from crisislab.bargaining.spec import IssueSpec as OldIssueSpec
    from crisislab.conflict.export import graph_json as old_graph_json
    from crisislab.conflict.gmcr_import import read_gmcr as old_read_gmcr
    from crisislab.formats.efg import parse_efg
    from crisislab.formats.gmcr_import import read_gmcr
    from crisislab.formats.graph_export import graph_json
    from crisislab.formats.ktab_csv import load_ktab_csv
    from crisislab.games import parse_efg as old_parse_efg
    from crisislab.games.spec import GameSpec as OldGameSpec
    from crisislab.model.game_spec import GameSpec
    from crisislab.model.issue_spec import IssueSpec

    for name in crisislab.__all__:
        if name != "__version__":
            assert getattr(crisislab, name) is getattr(crisislab.api, name)
    assert "load" in dir(crisislab)
    with pytest.raises(AttributeError):
        _ = crisislab.no_such_name
    assert (old_ktab, OldIssueSpec, old_graph_json, old_read_gmcr, old_parse_efg, OldGameSpec) \
        == (load_ktab_csv, IssueSpec, graph_json, read_gmcr, parse_efg, GameSpec)


def test_version_fast_path_prints_what_the_full_command_line_prints():
    from typer.testing import CliRunner

    from crisislab._version import __version__
    from crisislab.cli.main import app

    fast = subprocess.run([sys.executable, "-c", "from crisislab.cli import run; run()",
                           "--version"], capture_output=True, text=True, check=True, timeout=60)
    full = CliRunner().invoke(app, ["--version"])
    assert fast.stdout == full.stdout == f"crisislab {__version__}\n"


def test_reports_and_commands_call_no_engine_without_exception():
    """The 'render, do not compute' contract lists no ignored import: a command that
    needs an engine goes through the comparison layer."""
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    [contract] = [c for c in config["tool"]["importlinter"]["contracts"]
                  if c["id"] == "presentation-does-not-compute"]
    assert not contract.get("ignore_imports")
