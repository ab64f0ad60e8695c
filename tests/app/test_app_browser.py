"""End-to-end: the app in real headless Chromium, used as an analyst would.

Drives Debian's ``chromium`` binary through Playwright (its own browser download is
not used).  Skips itself, saying why, where Chromium or Playwright is absent.
"""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from crisislab.model.io import read_source

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run",
        "--disable-dev-shm-usage"]

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no chromium binary on PATH "
                                "(.ci/run installs Debian's chromium)")


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    import uvicorn

    from crisislab.app.server import create_app

    text, _name = read_source("builtin:korea-2017")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    config = uvicorn.Config(create_app(text, "korea-2017.yaml"), host="127.0.0.1",
                            port=port, log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    end = time.monotonic() + 20
    while not srv.started and time.monotonic() < end:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}/"
    srv.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright not installed")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def select(page, start: int, length: int) -> None:
    """Put the caret over ``length`` characters of the editor, as a click-and-drag would."""
    page.focus("#text")
    page.evaluate("([a, b]) => document.getElementById('text').setSelectionRange(a, b)",
                  [start, start + length])


def test_analyst_edits_runs_moves_a_prior_and_downloads(server: str, browser, tmp_path: Path
                                                        ) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(server)

    # 1. the default scenario loads and is valid
    page.wait_for_selector("#validation.ok", timeout=20_000)
    assert "Korea 2017" in page.inner_text("#validation")
    original = page.input_value("#text")

    # 2. edit a value into an error: the first option's owner (the line "owner: US")
    #    becomes an actor the scenario does not declare; the problem is shown at that line
    lines = original.split("\n")
    k = next(i for i, line in enumerate(lines) if line.strip() == "owner: US")
    select(page, sum(len(line) + 1 for line in lines[:k]) + lines[k].index("US"), 2)
    page.keyboard.type("UN")
    page.wait_for_selector("#validation.bad", timeout=20_000)
    problem = page.inner_text("#problems li")
    assert f"line {k + 1}" in problem and "UN" in problem
    assert page.get_attribute(f'#gutter span[data-line="{k + 1}"]', "class") == "bad"
    assert page.is_disabled("#run")

    # 3. fix it: valid again
    select(page, sum(len(line) + 1 for line in lines[:k]) + lines[k].index("US"), 2)
    page.keyboard.type("US")
    assert page.input_value("#text") == original
    page.wait_for_selector("#validation.ok", timeout=20_000)

    # 4. run the full analysis (cruxes included) as a job with progress
    page.click("#run")
    page.wait_for_selector('body[data-ready="1"]', timeout=120_000)
    assert "done in" in page.inner_text("#progress")
    cell = '#policy-table td[data-policy="freeze_for_freeze"][data-view="base"]'
    assert "P(deal) 50%" in page.inner_text(cell)

    # 5. move the base-case prior that Pyongyang is resolute to 1.  Hand derivation: under
    #    freeze-for-freeze a resolute Pyongyang refuses talks (status quo 2 > deal 1), an
    #    irresolute one freezes (1 > 0): P(deal) = 1 - p = 50% at 0.5, 0% at 1.
    page.locator('input[data-id="prior:embargo_or_talks:p_nk_resolute"]').fill("1")
    page.wait_for_selector("#flips", timeout=20_000)
    assert "flipped" in (page.get_attribute(cell, "class") or "")
    assert "P(deal) 0%" in page.inner_text(cell)
    flips = page.inner_text("#flips")
    assert "Freeze-for-freeze brokered by China under Base case" in flips
    assert "p_nk_resolute" in flips  # the crux of the full run that decides it
    #    the page updated at once, without searching cruxes; the search under the new
    #    prior runs in the background and its cruxes replace the last full run's
    summary = page.inner_text("#summary")
    assert "skipped" not in summary
    assert page.get_attribute("ol#crux-list", "data-beliefs") == "last-run" or \
        page.locator('ol#crux-list[data-beliefs="current"]').count() == 1
    page.wait_for_selector('ol#crux-list[data-beliefs="current"]', timeout=120_000)
    assert "cruxes under your beliefs" in page.inner_text("#results")
    assert page.locator("ol#crux-list li").count() > 0
    assert "running" not in page.inner_text("#summary")
    assert "flipped" in (page.get_attribute(cell, "class") or "")  # the flip stays marked

    # 6. download the HTML report (and the edited scenario carries the new prior)
    with page.expect_download() as got:
        page.click("#dl-report")
    report = tmp_path / "report.html"
    got.value.save_as(report)
    assert report.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    with page.expect_download() as got:
        page.click("#dl-scenario")
    edited = tmp_path / "scenario.yaml"
    got.value.save_as(edited)
    from crisislab.formats.scenario import load_text

    tree = load_text(edited.read_text(encoding="utf-8"), "edited.yaml").games[0].tree  # type: ignore[union-attr]
    raw = tree.parameters["p_nk_resolute"]
    assert getattr(raw, "value", raw) == 1.0
    assert errors == []
    page.close()


def test_analyst_uploads_a_file_and_picks_a_built_in(server: str, browser, tmp_path: Path
                                                     ) -> None:
    page = browser.new_page()
    page.goto(server)
    page.wait_for_selector("#validation.ok", timeout=20_000)
    upload = tmp_path / "mine.yaml"
    upload.write_text(read_source("builtin:prisoners-dilemma")[0].replace(
        "title: Prisoner's Dilemma", "title: My <b>dilemma</b>"), encoding="utf-8")
    page.set_input_files("#upload", str(upload))
    page.wait_for_selector("#validation.ok:has-text('My <b>dilemma</b>')", timeout=20_000)
    assert page.inner_text("#name") == "mine.yaml"
    assert page.locator("#validation b").count() == 0  # shown as text, not markup
    page.select_option("#builtin", "korea-2017")
    page.wait_for_selector("#validation.ok:has-text('Korea 2017')", timeout=20_000)
    assert page.inner_text("#name") == "korea-2017.yaml"
    page.close()
