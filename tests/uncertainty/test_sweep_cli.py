"""``crisislab sweep`` from the command line: outputs, determinism, errors (exit code 2)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
from typer.testing import CliRunner
from uncertainty_cases import TEXT

from crisislab.cli.main import app

runner = CliRunner()


def _file(tmp_path: Path, text: str = TEXT) -> str:
    path = tmp_path / "small.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_sweep_writes_json_parquet_and_html(tmp_path: Path) -> None:
    src = _file(tmp_path)
    out = [tmp_path / n for n in ("a.json", "a.parquet", "a.html")]
    res = runner.invoke(app, ["sweep", src, "-n", "24", "--seed", "3", "--json", str(out[0]),
                              "--parquet", str(out[1]), "--html", str(out[2])])
    assert res.exit_code == 0, res.output
    assert "Where each policy ends" in res.output
    data = json.loads(out[0].read_text())
    assert data["samples"] == 24 and data["provenance"]["seed"] == 3
    assert {c["kind"] for c in data["conclusions"]} >= {"ends", "no_end", "game"}
    frame = pd.read_parquet(out[1])
    assert len(frame) == 24 and "input:prior" in frame.columns
    assert "<svg" in out[2].read_text() or "Where each policy ends" in out[2].read_text()
    again = tmp_path / "b.json"
    runner.invoke(app, ["sweep", src, "-n", "24", "--seed", "3", "--json", str(again)])
    assert again.read_bytes() == out[0].read_bytes()


def test_existing_output_is_not_overwritten(tmp_path: Path) -> None:
    src = _file(tmp_path)
    target = tmp_path / "keep.json"
    target.write_text("mine")
    res = runner.invoke(app, ["sweep", src, "-n", "4", "--json", str(target)])
    assert res.exit_code == 2 and target.read_text() == "mine"


def test_bad_arguments_exit_2(tmp_path: Path) -> None:
    src = _file(tmp_path)
    for args in (["--method", "grid"], ["-n", "0"], ["--level", "2"],
                 ["--dask", "tcp://127.0.0.1:9"]):
        res = runner.invoke(app, ["sweep", src, *args])
        assert res.exit_code == 2, (args, res.output)
        assert "Traceback" not in res.output


def test_bad_uncertainty_section_is_located(tmp_path: Path) -> None:
    src = _file(tmp_path, TEXT.replace("probability: 0.6", "probability: 1.6"))
    res = runner.invoke(app, ["sweep", src])
    assert res.exit_code == 2
    assert "small.yaml:" in res.output and "uncertainty.inputs[0].probability" in res.output


def test_resume_from_parquet(tmp_path: Path) -> None:
    """A sweep of 24 samples written as Parquet, resumed to 48: the same bytes as a
    sweep of 48 at once (the first 24 rows of the plan are the same)."""
    src = _file(tmp_path)
    first = tmp_path / "first.parquet"
    args = ["--seed", "2", "--method", "mc", "--conflict-only"]
    assert runner.invoke(app, ["sweep", src, "-n", "24", *args, "--parquet", str(first)]) \
        .exit_code == 0
    resumed, fresh = tmp_path / "resumed.json", tmp_path / "fresh.json"
    res = runner.invoke(app, ["sweep", src, "-n", "48", *args, "--resume", str(first),
                              "--json", str(resumed)])
    assert res.exit_code == 0, res.output
    runner.invoke(app, ["sweep", src, "-n", "48", *args, "--json", str(fresh)])
    assert resumed.read_bytes() == fresh.read_bytes()
    bad = runner.invoke(app, ["sweep", src, "-n", "48", "--resume", str(src)])
    assert bad.exit_code == 2 and "Traceback" not in bad.output


def test_probabilistic_preferences_from_the_command_line(tmp_path: Path) -> None:
    """--alpha adds the equilibria under probabilistic preferences to every output;
    thresholds outside [0, 1], or --beta alone, exit 2."""
    src = _file(tmp_path)
    out, page = tmp_path / "p.json", tmp_path / "p.html"
    res = runner.invoke(app, ["sweep", src, "-n", "8", "--conflict-only", "--alpha", "0.5",
                              "--json", str(out), "--html", str(page)])
    assert res.exit_code == 0, res.output
    assert "probabilistic preferences" in res.output and "alpha=0.5" in res.output
    data = json.loads(out.read_text())["probabilistic_preferences"]
    assert (data["alpha"], data["beta"], data["gamma"], data["exact"]) == (0.5, 0.5, 0.5, True)
    assert {r["concept"] for r in data["rows"]} == {"nash", "gmr", "smr", "seq"}
    assert "Rêgo &amp; dos Santos 2015" in page.read_text()
    for args in (["--alpha", "1.5"], ["--beta", "0.3"], ["--alpha", "0.5", "--gamma", "-1"]):
        bad = runner.invoke(app, ["sweep", src, "-n", "4", *args])
        assert bad.exit_code == 2, (args, bad.output)
        assert "Traceback" not in bad.output


def test_ctrl_c_on_processes_writes_the_partial_sweep_and_resume_continues_it(
        tmp_path: Path) -> None:
    """SIGINT to the whole process group of ``crisislab sweep --processes 2`` (what a
    terminal's Ctrl-C does) stops it cleanly: exit 0, no traceback, the finished chunks
    written as Parquet and reported as partial.  ``--resume`` with a few more samples
    evaluates only the rest and gives the bytes of a fresh run of that size."""
    import os
    import signal
    import subprocess
    import sys
    import time

    import crisislab

    src = _file(tmp_path)
    env = {**os.environ, "PYTHONPATH": str(Path(crisislab.__file__).parents[1]),
           "COLUMNS": "200"}
    cli = [sys.executable, "-c", "from crisislab.cli.main import app; app()", "sweep", src,
           "--method", "mc", "--seed", "1"]
    part = tmp_path / "part.parquet"
    proc = subprocess.Popen([*cli, "-n", "400000", "--processes", "2", "--parquet",
                             str(part)], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:  # until the pool is up
        kids = subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True,
                              text=True).stdout.split()
        if len(kids) >= 2:
            break
        time.sleep(0.2)
    time.sleep(4)  # a few chunks of 256 samples (games included) finish
    os.killpg(proc.pid, signal.SIGINT)
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    assert "partial: interrupted" in out and "Traceback" not in out + err
    done = len(pd.read_parquet(part))
    assert 0 < done < 400000 and done % 256 == 0
    more = str(done + 300)
    resumed, fresh = tmp_path / "resumed.json", tmp_path / "fresh.json"
    res = subprocess.run([*cli, "-n", more, "--resume", str(part), "--json", str(resumed)],
                         env=env, capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    subprocess.run([*cli, "-n", more, "--json", str(fresh)], env=env, check=True,
                   capture_output=True, timeout=300)
    assert json.loads(resumed.read_text())["samples"] == done + 300
    assert resumed.read_bytes() == fresh.read_bytes()
