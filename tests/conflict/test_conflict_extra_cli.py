"""CLI commands of the conflict engine in depth (import-gmcr, foresight, coalitions, inverse)."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from crisislab.cli import main

CASES = Path(__file__).resolve().parents[1] / "cases" / "gmcr"


def run(*args):
    return CliRunner().invoke(main.app, list(args))


def test_import_then_analyse(tmp_path):
    target = tmp_path / "pd.yaml"
    res = run("import-gmcr", str(CASES / "prisoners.gmcr"), str(target))
    assert res.exit_code == 0, res.output
    assert target.exists()
    again = run("import-gmcr", str(CASES / "prisoners.gmcr"), str(target))
    assert again.exit_code == 2  # never overwrites
    res = run("foresight", str(target), "--horizon", "2")
    assert res.exit_code == 0 and "non-myopic" in res.output
    res = run("coalitions", str(target))
    assert res.exit_code == 0 and "prisoner_1 + prisoner_2" in res.output
    out = tmp_path / "inv.json"
    res = run("inverse", str(target), "--state", "s4", "--actor", "prisoner_1",
              "--concept", "nash", "--json", str(out))
    assert res.exit_code == 0 and "12 of 24 strict orderings" in res.output
    assert out.exists()


def test_user_errors_exit_2(tmp_path):
    target = tmp_path / "pd.yaml"
    run("import-gmcr", str(CASES / "prisoners.gmcr"), str(target))
    assert run("inverse", str(target), "--state", "s9", "--actor", "prisoner_1").exit_code == 2
    assert run("inverse", str(target), "--state", "s1", "--actor", "nobody").exit_code == 2
    garrison = tmp_path / "g.yaml"
    assert run("import-gmcr", str(CASES / "garrison.gmcr"), str(garrison)).exit_code == 0
    assert run("foresight", str(garrison)).exit_code == 2  # four DMs: refused with reason
    bad = tmp_path / "bad.gmcr"
    bad.write_text("{not json")
    assert run("import-gmcr", str(bad), str(tmp_path / "x.yaml")).exit_code == 2
