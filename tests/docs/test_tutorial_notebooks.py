"""The tutorial notebooks run from top to bottom and show what their text says.

Each notebook is executed in a fresh kernel (nbclient) in a temporary directory; a cell
that raises fails the test.  The checks below read the outputs a reader sees.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import nbformat
import pytest

TUTORIAL = Path(__file__).resolve().parents[2] / "docs" / "tutorial"


def _run(name: str, tmp_path: Path) -> Any:
    from nbclient import NotebookClient

    nb = nbformat.read(TUTORIAL / name, as_version=4)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), \
        "notebooks are committed without outputs"
    NotebookClient(nb, timeout=180, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    return nb


def _text(nb: Any) -> str:
    out = []
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            out.append(o.get("text", ""))
            data = o.get("data", {})
            out.append(data.get("text/html", ""))
            out.append(data.get("text/plain", ""))
            out.append(data.get("image/svg+xml", ""))
    return "\n".join(out)


def test_korea_notebook(tmp_path: Path) -> None:
    text = _text(_run("korea-2017.ipynb", tmp_path))
    # the status quo ends in the stalemate (s2) in the base case: the article's 2017 pattern
    assert "Stalemate (s2)" in text
    assert "<table>" in text and "Executive summary" in text
    assert "&lt;script" not in text and "Traceback" not in text
    assert "<svg" in text  # the figure
    assert "is stable for KP under sequential stability (SEQ)" in text


def test_crisis_from_scratch_notebook(tmp_path: Path) -> None:
    text = _text(_run("crisis-from-scratch.ipynb", tmp_path))
    assert "standoff.yaml:" in text and "BX" in text  # the located error
    assert "Incursion (s5)" in text
    assert "war-against-resolve.svg" in text
    # the diff names the changed statement and the conclusion it flips
    assert "preferences.BO.prioritization.bo_gain.formula" in text
    assert "Withdrawal" in text and "&#x27;bo_gain&#x27;" in text


def test_fitting_and_sweeping_notebook(tmp_path: Path) -> None:
    nb = _run("fitting-and-sweeping.ipynb", tmp_path)
    text = _text(nb)
    assert "converged: True" in text and "u24:balance" in text  # the fit and its table
    assert "Traceback" not in text
    # the regime map and the tornado are figures, each shown with its SVG
    figures = [o for c in nb.cells for o in c.get("outputs", [])
               if "application/vnd.vegalite.v6+json" in o.get("data", {})]
    assert len(figures) == 2 and all("<svg" in o["data"]["image/svg+xml"] for o in figures)
    regimes, tornado = (o["data"]["application/vnd.vegalite.v6+json"] for o in figures)
    # the fitted case (US status quo > 0, North Korea's war < 0): the US keeps the status
    # quo, North Korea would concede, as derived by hand in the notebook
    cells = regimes["data"]["values"]
    corner = max(cells, key=lambda r: (r["x"], -r["y"]))
    assert corner["what"] == "US at n1: status_quo; KP at n2: concede"
    # Beijing's belief that a cornered Pyongyang escalates alone decides the embargo
    assert tornado["layer"][0]["data"]["values"][0]["input"] == "kp_cornered_beijing"
    assert "Total embargo with China cutting ties ends in" in text


@pytest.mark.parametrize("name", ["korea-2017.ipynb", "crisis-from-scratch.ipynb",
                                  "fitting-and-sweeping.ipynb"])
def test_linked_from_the_docs_index(name: str) -> None:
    assert f"tutorial/{name}" in (TUTORIAL.parent / "README.md").read_text()
