"""The web app's HTTP interface: validation, jobs, beliefs, downloads, and its guards."""

from __future__ import annotations

import time
import warnings
from functools import lru_cache
from pathlib import Path

import pytest

with warnings.catch_warnings():  # starlette's note that it prefers httpx2 to httpx
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from crisislab.app import initial_scenario
from crisislab.app.server import CSP, MAX_BODY, REPORT_CSP, create_app
from crisislab.errors import CrisislabError
from crisislab.formats.scenario import load_text
from crisislab.model.io import read_source

PD_TEXT = read_source("builtin:prisoners-dilemma")[0]


@lru_cache(maxsize=1)
def korea_text() -> str:
    return read_source("builtin:korea-2017")[0]


def client(text: str = PD_TEXT, name: str = "pd.yaml", workers: int = 1) -> TestClient:
    return TestClient(create_app(text, name, workers=workers), base_url="http://127.0.0.1")


def workspace(c: TestClient) -> str:
    page = c.get("/").text
    return page.split('data-workspace="', 1)[1].split('"', 1)[0]


def wait(c: TestClient, job: str, timeout: float = 60) -> dict:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        status = c.get(f"/api/jobs/{job}").json()
        if status["state"] in ("done", "failed", "cancelled"):
            return status
        time.sleep(0.05)
    raise AssertionError("job did not finish")


def test_page_has_csp_and_escapes_user_strings() -> None:
    with client("x: 1\n# </textarea><script>alert(1)</script>", "<b>evil</b>.yaml") as c:
        r = c.get("/")
    assert r.headers["content-security-policy"] == CSP
    assert "script-src 'self'" in CSP and "unsafe-inline" not in CSP
    assert "<script>alert(1)" not in r.text and "&lt;/textarea&gt;&lt;script&gt;" in r.text
    assert "<b>evil</b>" not in r.text and "&lt;b&gt;evil&lt;/b&gt;" in r.text


def test_validation_locates_the_problem_at_its_line() -> None:
    # Hand-made error: the first "owner: P1" line of the Prisoner's Dilemma file (the
    # first option's owner) names an actor that does not exist; it is reported there.
    lines = PD_TEXT.split("\n")
    k = next(i for i, line in enumerate(lines) if line.strip() == "owner: P1")
    lines[k] = lines[k].replace("P1", "P9")
    with client() as c:
        bad = c.post("/api/validate", json={"text": "\n".join(lines), "name": "pd.yaml"})
        good = c.post("/api/validate", json={"text": PD_TEXT, "name": "pd.yaml"})
    problems = bad.json()["problems"]
    assert not bad.json()["ok"] and problems
    assert problems[0]["line"] == k + 1 and "P9" in problems[0]["text"]
    # the same message as the command line prints for the same file
    with pytest.raises(CrisislabError) as err:
        load_text("\n".join(lines), "pd.yaml")
    assert problems[0]["text"] == err.value.problems[0].render()
    assert good.json()["ok"] and good.json()["problems"] == []


def test_guards_size_content_type_host_and_paths(tmp_path: Path) -> None:
    with client() as c:
        big = c.post("/api/validate", content=b"{" + b" " * (MAX_BODY + 10) + b"}",
                     headers={"content-type": "application/json"})
        def chunks():  # no Content-Length: the limit counts the bytes as they arrive
            yield b'{"text": "'
            for _ in range(MAX_BODY // 65536 + 2):
                yield b"x" * 65536
            yield b'"}'

        streamed = c.post("/api/validate", content=chunks(),
                          headers={"content-type": "application/json"})
        form = c.post("/api/validate", data={"text": "x"})
        foreign = c.get("/", headers={"host": "attacker.example"})
        static = c.get("/static/../server.py")
        builtin = c.get("/api/builtin/..%2Fpyproject")
    assert big.status_code == 413 and streamed.status_code == 413
    assert form.status_code == 415  # a cross-site form cannot post JSON
    assert foreign.status_code == 400  # DNS rebinding: only this machine's names
    assert static.status_code == 404 and builtin.status_code == 404
    outside = tmp_path.parent / "outside.yaml"
    with pytest.raises(CrisislabError) as err:
        initial_scenario(str(outside), root=tmp_path)
    assert "outside the working directory" in err.value.problems[0].message
    (tmp_path / "mine.yaml").write_text(PD_TEXT)
    assert initial_scenario(str(tmp_path / "mine.yaml"), root=tmp_path)[1] == "mine.yaml"


def test_job_reports_progress_and_can_be_cancelled() -> None:
    with client(workers=1) as c:
        ws = workspace(c)
        body = {"workspace": ws, "text": korea_text(), "name": "k.yaml", "cruxes": True}
        first = c.post("/api/run", json=body).json()
        second = c.post("/api/run", json=body).json()  # waits behind the first
        cancelled = c.post(f"/api/jobs/{second['id']}/cancel", json={}).json()
        c.post(f"/api/jobs/{first['id']}/cancel", json={})
        assert wait(c, second["id"])["state"] == "cancelled"
        done = wait(c, first["id"])
    assert cancelled["id"] == second["id"]
    assert done["state"] == "cancelled" and done["stages"] >= 1


def test_run_beliefs_flip_and_downloads() -> None:
    with client(korea_text(), "korea.yaml") as c:
        ws = workspace(c)
        job = c.post("/api/run", json={"workspace": ws, "text": korea_text(),
                                       "name": "korea.yaml", "cruxes": False}).json()
        assert wait(c, job["id"])["state"] == "done"
        shown = c.get(f"/api/results/{ws}").json()
        assert 'id="policy-table"' in shown["results"]
        assert 'data-id="prior:embargo_or_talks:p_nk_resolute"' in shown["controls"]
        # Hand derivation (korea-2017.yaml, game embargo_or_talks): under freeze-for-freeze
        # the US offers talks; an irresolute Pyongyang freezes (nk_deal 1 > status quo 0),
        # a resolute one refuses (status quo 2 > 1).  Base case p_nk_resolute = 0.5 gives
        # P(deal) 50%; at 1 every Pyongyang is resolute: P(deal) 0%.
        r = c.post("/api/beliefs", json={
            "workspace": ws, "beliefs": {"prior:embargo_or_talks:p_nk_resolute": 1.0}})
        assert r.status_code == 200 and r.json()["flips"] > 0
        html = r.json()["results"]
        assert "P(deal) 50%" in html and "P(deal) 0%" in html
        assert 'class="cell flipped" data-policy="freeze_for_freeze" data-view="base"' in html
        bad = c.post("/api/beliefs", json={
            "workspace": ws, "beliefs": {"prior:embargo_or_talks:p_nk_resolute": 7}})
        assert bad.status_code == 400 and bad.json()["problems"][0]["expected"]
        scenario = c.get(f"/download/{ws}/scenario.yaml")
        report = c.get(f"/download/{ws}/report.html")
        data = c.get(f"/download/{ws}/analysis.json")
    assert scenario.headers[
        "content-disposition"] == 'attachment; filename="korea-scenario.yaml"'
    reread = load_text(scenario.text, "k.yaml")
    raw = reread.games[0].tree.parameters["p_nk_resolute"]  # type: ignore[union-attr]
    assert getattr(raw, "value", raw) == 1.0
    assert "# The 2017 US–China–North Korea standoff" in scenario.text  # comments kept
    assert report.headers["content-security-policy"] == REPORT_CSP
    assert report.text.startswith("<!DOCTYPE html>")
    assert data.json()["policies"]


def test_cruxes_under_changed_beliefs_arrive_after_the_fast_update() -> None:
    """The Prisoner's Dilemma with a selfless lens of test_app_flips: the full run finds
    the crux p1_defect; with the lens's override off the views agree, so the search under
    the new beliefs, run as a job after the update, finds none."""
    from test_app_flips import PD

    with client(PD, "pd.yaml") as c:
        ws = workspace(c)
        job = c.post("/api/run", json={"workspace": ws, "text": PD, "name": "pd.yaml",
                                       "cruxes": True}).json()
        assert wait(c, job["id"])["state"] == "done"
        assert 'data-beliefs="current"' in c.get(f"/api/results/{ws}").json()["results"]
        r = c.post("/api/beliefs", json={"workspace": ws,
                                         "beliefs": {"override:selfless:no_gain": False}})
        body = r.json()
        assert r.status_code == 200 and body["crux_job"]
        assert 'id="cruxes-pending"' in body["results"]
        assert "The crux search was skipped" not in body["results"]
        assert 'data-beliefs="last-run"' in body["results"]
        assert wait(c, body["crux_job"])["state"] == "done"
        shown = c.get(f"/api/results/{ws}").json()["results"]
        assert 'data-beliefs="current"' in shown and "0 cruxes under your beliefs" in shown
        assert 'id="cruxes-pending"' not in shown and "skipped" not in shown
        # a run without the crux search starts no search after a change
        job = c.post("/api/run", json={"workspace": ws, "text": PD, "name": "pd.yaml",
                                       "cruxes": False}).json()
        assert wait(c, job["id"])["state"] == "done"
        r = c.post("/api/beliefs", json={"workspace": ws,
                                         "beliefs": {"override:selfless:no_gain": False}})
        assert r.json()["crux_job"] is None
