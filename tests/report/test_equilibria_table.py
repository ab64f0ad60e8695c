"""The terminal's equilibria overview names outcomes before state ids.

The prisoner's dilemma (Fang, Hipel & Kilgour 1993, ch. 4): mutual defection is the
only Nash equilibrium; mutual cooperation is stable too under GMR, SMR and SEQ
(a defection is answered by the other's defection, itself an improvement for the
answering player, so the sanction is credible).  With the options d1 (bit 0) and
d2 (bit 1), mutual cooperation is code 0 (s1) and mutual defection code 3 (s4).
"""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from crisislab.cli.main import app

PD = """\
metadata: {title: Prisoner's Dilemma}
actors: [{id: P1, name: Player 1}, {id: P2, name: Player 2}]
options:
  - {id: d1, label: Player 1 defects, owner: P1}
  - {id: d2, label: Player 2 defects, owner: P2}
preferences:
  P1: {prioritization: [not d2, d1]}
  P2: {prioritization: [not d1, d2]}
status_quo: none
outcomes:
  - {id: cooperation, label: Mutual cooperation, when: "!d1 & !d2"}
  - {id: defection, label: Mutual defection, when: d1 & d2}
  - {id: exploitation, label: One exploits the other, when: d1 | d2}
"""


def _run(tmp_path: Path, *args: str) -> str:
    path = tmp_path / "pd.yaml"
    path.write_text(PD, encoding="utf-8")
    res = CliRunner().invoke(app, ["analyze", str(path), *args], env={"COLUMNS": "160"})
    assert res.exit_code == 0, res.output
    return res.output


def _row(output: str, label: str) -> list[str]:
    line = next(ln for ln in output.splitlines() if ln.startswith(f"│ {label}"))
    return [c.strip() for c in line.strip("│").split("│")]


def test_the_summary_counts_equilibria_by_outcome(tmp_path: Path) -> None:
    out = _run(tmp_path, "-c", "nash,seq")
    assert "Equilibria by outcome (SEQ;" in out
    assert _row(out, "Mutual cooperation") == ["Mutual cooperation", "1"]
    assert _row(out, "Mutual defection") == ["Mutual defection", "1"]
    assert not any(ln.startswith("│ One exploits") for ln in out.splitlines())


def test_details_give_every_concept_with_the_states(tmp_path: Path) -> None:
    out = _run(tmp_path, "-c", "nash,seq", "--details")
    assert "Equilibria per view and concept" in out
    nash, seq = _row(out, "Base case")[1:3]
    assert nash == "Mutual defection (s4)"
    assert seq == "Mutual cooperation (s1)"  # the first line of the SEQ cell
    assert "Mutual defection (s4)" in out.split("Equilibria per view and concept")[1]


def test_a_repeated_option_adds_to_the_list(tmp_path: Path) -> None:
    """`-c nash -c seq` is `-c nash,seq` (typer kept only the last before)."""
    from crisislab.cli.common import parse_csv_option

    assert parse_csv_option(["nash", "seq,nash"], ["nash", "seq"], "concept") == ["nash", "seq"]
    repeated = _run(tmp_path, "-c", "nash", "-c", "seq", "--details")
    assert repeated == _run(tmp_path, "-c", "nash,seq", "--details")
