"""The Python examples of README.md and docs/ run as written (``make test`` runs them).

Every ```python block is executed, the blocks of one page in order in one namespace,
in a fresh directory.  A page whose examples read a file the reader is assumed to
have gets that file from ``SETUP`` below (and nothing else).  Results of
``crisislab.analyze`` are computed once per distinct call in this module (the same
scenario and options give the same result, which the determinism tests check), so
the pages that analyse korea-2017 do not pay for it again.
"""

from __future__ import annotations

import inspect
import re
import shutil
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import crisislab

REPO = Path(__file__).resolve().parents[1]
SHARED = (REPO / ".." / "shared").resolve()
BLOCK = re.compile(r"^([ \t]*)```python\n(.*?)^\1```", re.S | re.M)
PAGES = [REPO / "README.md", *sorted((REPO / "docs").rglob("*.md"))]


def _korea_copy(tmp: Path) -> None:
    shutil.copy(REPO / "src" / "crisislab" / "scenarios" / "korea-2017.yaml",
                tmp / "my-crisis.yaml")


def _elmira_scenario(tmp: Path) -> None:
    """Elmira as a graph-form scenario, written from the one Elmira fixture."""
    from case_facts import load_facts

    facts = load_facts("gmcr/elmira.yaml")
    names = [f"e{k}" for k in range(1, facts["states"] + 1)]
    lines = ["metadata: {title: Elmira groundwater conflict}",
             "actors: [" + ", ".join(f"{{id: {a['id']}, name: {a['id']}}}"
                                     for a in facts["actors"]) + "]",
             "graph:", "  states:"]
    lines += [f"    - {{id: {n}, label: state {k}}}" for k, n in enumerate(names, 1)]
    lines.append("  moves:")
    for a in facts["actors"]:
        moves = ", ".join(f"[{names[s - 1]}, {names[t - 1]}]" for s, t in a["moves"])
        lines.append(f"    {a['id']}: [{moves}]")
    lines.append("preferences:")
    for a in facts["actors"]:
        lines.append(f"  {a['id']}: {{ranking: [{', '.join(names[s - 1] for s in a['ranking'])}]}}")
    (tmp / "elmira.yaml").write_text("\n".join(lines) + "\n")


def _syria(tmp: Path) -> None:
    shutil.copy(REPO / "tests" / "cases" / "gmcr" / "syria_iraq_misperception.gmcr",
                tmp / "syria.gmcr")


def _war1800(tmp: Path) -> None:
    data = SHARED / "data" / "events" / "war1800" / "war1800.csv"
    if not data.exists():
        pytest.skip("the war1800 data set is in ../shared, which is not present")
    shutil.copy(data, tmp / "war1800.csv")
    (tmp / "war1800-model.yaml").write_text(
        'model: egame12\nformula: "esc + war ~ s_wt_re1 + revis1 | 0 | regime1 | balanc'
        ' + regime2"\nlink: probit\nerrors: agent\n')


SETUP: dict[str, Callable[[Path], None]] = {
    "README.md": _korea_copy,
    "docs/how-to/gmcr-graph-and-table.md": _elmira_scenario,
    "docs/how-to/import-gmcr.md": _syria,
    "docs/reference/estimate.md": _war1800,
}


# Pages whose examples are not run here, each with the reason.
NOT_RUN: dict[str, str] = {
    "docs/how-to/sweep-on-dask.md": "starts a Dask cluster (optional extra) for 2,000 samples; "
                                    "too slow for make test",
}


def blocks(page: Path) -> list[str]:
    return [textwrap.dedent(m.group(2)) for m in BLOCK.finditer(page.read_text())]


PAGES_WITH_CODE = [p for p in PAGES if blocks(p)]


@pytest.fixture(scope="module")
def analyze_once() -> Callable[..., Any]:
    real = crisislab.analyze
    signature = inspect.signature(real)
    cache: dict[str, Any] = {}

    def analyze(*args: Any, **kwargs: Any) -> Any:
        bound = signature.bind(*args, **kwargs)
        bound.apply_defaults()
        key = repr(sorted((k, v.model_dump_json() if hasattr(v, "model_dump_json") else repr(v))
                          for k, v in bound.arguments.items()))
        if key not in cache:
            cache[key] = real(*args, **kwargs)
        return cache[key]

    return analyze


def test_every_page_with_examples_is_found() -> None:
    names = {str(p.relative_to(REPO)) for p in PAGES_WITH_CODE}
    assert "README.md" in names
    assert set(SETUP) | set(NOT_RUN) <= names


@pytest.mark.parametrize("page", PAGES_WITH_CODE, ids=lambda p: str(p.relative_to(REPO)))
def test_examples_run(page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                      analyze_once: Callable[..., Any]) -> None:
    name = str(page.relative_to(REPO))
    if name in NOT_RUN:
        pytest.skip(NOT_RUN[name])
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(crisislab, "analyze", analyze_once)
    if name in SETUP:
        SETUP[name](tmp_path)
    namespace: dict[str, Any] = {"__name__": "__docs__"}
    for i, code in enumerate(blocks(page), 1):
        try:
            exec(compile(code, f"{name} (python block {i})", "exec"), namespace)
        except Exception as exc:  # report the page and block, not only the traceback
            raise AssertionError(f"{name}, python block {i} fails: {exc!r}\n{code}") from exc


def test_every_docs_page_is_linked_from_the_index() -> None:
    index = (REPO / "docs" / "README.md").read_text()
    linked = set(re.findall(r"\]\(([^)#]+\.md)", index))
    pages = {str(p.relative_to(REPO / "docs")) for p in (REPO / "docs").rglob("*.md")}
    assert pages - {"README.md"} <= linked, sorted(pages - {"README.md"} - linked)
    assert all((REPO / "docs" / link).exists() for link in linked), "a link to no page"
