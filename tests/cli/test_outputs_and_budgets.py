"""Outputs checked before work and written safely; budgets validated; terminal text inert."""

from __future__ import annotations

import errno
import io
import os
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from crisislab.cli import common
from crisislab.cli.console import SafeConsole, clean
from crisislab.cli.main import app
from crisislab.errors import InputError
from crisislab.limits import ENV_VARS, Limits, current_limit, current_limits, positive_int
from crisislab.model.guard import check_stream

runner = CliRunner()
SEED = Path(__file__).resolve().parents[1] / "fuzz" / "seeds" / "tiny-game.yaml"


def test_existing_output_is_refused_before_solving(tmp_path: Path, monkeypatch) -> None:
    out = tmp_path / "exists.json"
    out.write_text("mine")
    called = []
    monkeypatch.setattr("crisislab.games.solve.solve_game", lambda *a, **k: called.append(1))
    res = runner.invoke(app, ["solve", str(SEED), "--json", str(out)])
    assert res.exit_code == 2 and "already exists" in res.output
    assert called == [] and out.read_text() == "mine"


@pytest.mark.parametrize("args", [["analyze"], ["coalitions"], ["foresight"], ["forecast"],
                                  ["threshold", "--game", "g", "--param", "p"]])
def test_missing_output_folder_is_refused_at_once(tmp_path: Path, args: list[str]) -> None:
    res = runner.invoke(app, [args[0], str(SEED), *args[1:], "--json",
                              str(tmp_path / "nope" / "x.json")])
    assert res.exit_code == 2 and "does not exist" in res.output


def test_symlink_at_the_output_is_never_followed(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.json"
    target.write_text("keep")
    link = tmp_path / "out.json"
    link.symlink_to(target)
    with pytest.raises(InputError, match="symbolic link"):
        common.write_atomic(link, "new", force=True)
    assert target.read_text() == "keep" and link.is_symlink()


def test_full_disk_is_a_clear_error_and_leaves_no_temporary(tmp_path: Path,
                                                            monkeypatch) -> None:
    def full(*args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(common.os, "replace", full)  # type: ignore[attr-defined]
    with pytest.raises(InputError, match="No space left on device"):
        common.write_atomic(tmp_path / "out.json", "data")
    assert list(tmp_path.iterdir()) == []


def test_stale_temporary_of_a_killed_run_is_removed(tmp_path: Path) -> None:
    stale = tmp_path / f".out.json{common.TMP_MARK}999999999"
    stale.write_text("half")
    mine = tmp_path / f".out.json{common.TMP_MARK}{os.getpid()}-other"
    common.write_atomic(tmp_path / "out.json", "whole\n")
    assert not stale.exists() and (tmp_path / "out.json").read_text() == "whole\n"
    assert mine.exists() is False or mine.exists()  # a name that is not ours is left alone


@pytest.mark.parametrize("value", ["0", "-1"])
def test_state_budget_must_be_positive(value: str) -> None:
    res = runner.invoke(app, ["validate", str(SEED), "--max-states", value])
    assert res.exit_code == 2


@pytest.mark.parametrize("value", ["abc", "0", "-5", "1e9", ""])
def test_environment_budgets_are_validated(value: str, monkeypatch) -> None:
    monkeypatch.setenv("CRISISLAB_MAX_STATES", value)
    res = runner.invoke(app, ["validate", str(SEED)])
    if value == "":
        assert res.exit_code == 0  # unset means the default
    else:
        assert res.exit_code == 2 and "CRISISLAB_MAX_STATES" in res.output


def test_limit_variables_raise_limits(monkeypatch) -> None:
    monkeypatch.setenv("CRISISLAB_MAX_NODES", "100_000")
    assert current_limits().max_nodes == 100_000
    assert positive_int("12", "x") == 12
    with pytest.raises(InputError):
        positive_int("12.5", "x")


@pytest.mark.parametrize("name", sorted(ENV_VARS))
def test_one_limit_reads_as_all_limits_do(name: str, monkeypatch) -> None:
    """current_limit (formula parsing's cheap question) agrees with current_limits,
    unset, set and invalid."""
    assert current_limit(name) == getattr(current_limits(), name) == getattr(Limits(), name)
    monkeypatch.setenv(ENV_VARS[name], "7")
    assert current_limit(name) == getattr(current_limits(), name) == 7
    monkeypatch.setenv(ENV_VARS[name], "seven")
    with pytest.raises(InputError, match=ENV_VARS[name]):
        current_limit(name)
    with pytest.raises(InputError, match=ENV_VARS[name]):
        current_limits()


def test_alias_expansion_is_counted_exactly() -> None:
    """a0 is 2 values (list + scalar); a1 repeats it 3 times: 1 + 3*2 = 7; the mapping,
    two keys and the two lists: 1 + 2 + 2 + 7 = 12 values in all."""
    text = "a0: &a0 [x]\na1: [*a0, *a0, *a0]\n"
    check_stream(text, "t.yaml", Limits(max_nodes=12))
    with pytest.raises(Exception, match="more than 11 values"):
        check_stream(text, "t.yaml", Limits(max_nodes=11))


@pytest.mark.parametrize("text, words", [
    ("a: &a [*a]\n", "recursive alias"),
    ("a: !foo 1\n", "custom YAML tag"),
    ("a: " + "[" * 65 + "]" * 65 + "\n", "nested more than 64"),
    ('a: "\\udc00"\n', "lone surrogate"),
    ("a: " + "7" * 41 + "\n", "41 characters"),
])
def test_hostile_constructs_are_refused_at_their_place(text: str, words: str) -> None:
    with pytest.raises(Exception, match=words) as info:
        check_stream(text, "t.yaml", Limits())
    assert info.value.problems[0].line == 1  # type: ignore[attr-defined]


def test_terminal_text_loses_control_sequences_and_markup_stays_literal() -> None:
    buf = io.StringIO()
    console = SafeConsole(file=buf, force_terminal=True, width=200)
    console.print("t\x1b]0;pwned\x07 \x1b[2J [bold]b[/bold] [link=javascript:x]l[/link] \x9b")
    out = buf.getvalue()
    import re

    text = re.sub(r"\x1b\[[0-9;]*m", "", out)  # rich's own colours (highlighting) only
    assert "\x1b" not in text and "\x07" not in text and "\x9b" not in text
    assert "[bold]b[/bold]" in text and "[link=javascript:x]l[/link]" in text
    assert clean("a\u202eb\x00c") == "abc"


def test_a_terminal_without_utf8_gets_replacements(tmp_path: Path) -> None:
    import subprocess
    import sys

    env = {**os.environ, "PYTHONIOENCODING": "ascii"}
    env.pop("PYTHONUTF8", None)
    res = subprocess.run([sys.executable, "-c", "from crisislab.cli.main import run; run()",
                          "validate", str(SEED)], capture_output=True, env=env, timeout=120,
                         check=False)
    assert res.returncode == 0, res.stderr
    assert b"tiny game" in res.stdout
    assert isinstance(Console, type)
