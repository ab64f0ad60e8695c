"""A shared report stays inert and offline, whatever the scenario's text says.

Every free-text field of korea-2017 (titles, names, labels, quotes,
assumptions, questions, answers, descriptions, notes, citations, dates, scale
labels, source URLs) is replaced by a string of classic payloads: a tag that
closes an attribute (``"><img onerror>``), ``</script>``, ``<!--``, SVG with
``onload``, CSS ``expression()`` and ``url()``, ``javascript:`` links in odd
spellings.  The report is rendered through the CLI (``analyze --html``) and
checked against the rendering of the untouched scenario: no new element or
attribute, no event handler, no script or style beyond the report's own, no
link that is not a fragment or http(s), no resource URL, the text present in
escaped form.  Where Debian's ``chromium`` is installed, the page is opened
headless while a server on 127.0.0.1, named in every payload, records any
request: there must be none, and no payload may run.
"""

from __future__ import annotations

import copy
import http.server
import shutil
import subprocess
import threading
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML
from typer.testing import CliRunner

from crisislab.cli.main import app
from crisislab.report.safety import content_security_policy, json_island, safe_url

TEXT_KEYS = {"title", "name", "label", "quote", "assumption", "question", "answer",
             "description", "note", "citation", "date", "min_label", "max_label"}

BAD_URLS = ["javascript:document.body.setAttribute('data-pwned','1')",
            " JaVaScRiPt:alert(1)", "java\tscript:alert(1)", "data:text/html,<b>x</b>",
            "vbscript:msgbox(1)", "//evil.invalid/x", "\\\\evil.invalid\\x"]


def payload(marker: str, server: str) -> str:
    return (f"{marker} \"><img src=x onerror=\"document.body.setAttribute('data-pwned','1')\">"
            f"</script><script>document.body.setAttribute('data-pwned','1')</script><!-- "
            f"<svg onload=alert(1)><image href=\"{server}/svg\"/></svg> "
            f"<style>@import '{server}/css'; body{{background:url({server}/bg)}}</style> "
            f"x:expression(alert(1)) ' onmouseover='alert(1) javascript:alert(1) "
            f"<link rel=stylesheet href={server}/link> [bold]b[/bold] \u2028\u2029 {{{{7*7}}}}")


def korea() -> dict[str, Any]:
    text = resources.files("crisislab.scenarios").joinpath("korea-2017.yaml").read_text("utf-8")
    data: dict[str, Any] = YAML(typ="safe").load(text)
    return data


def poisoned(server: str) -> dict[str, Any]:
    data = copy.deepcopy(korea())
    counter = iter(range(10_000))

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                if k in TEXT_KEYS and isinstance(v, str) and v != "no such preference":
                    node[k] = payload(f"PAYLOAD{next(counter)}", server)
                else:
                    walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(data)
    sources = data["metadata"]["sources"]
    for i, url in enumerate([*BAD_URLS, f"{server}/anchor-only"]):
        sources.append({"id": f"bad_url_{i}", "citation": "c", "url": url})
    return data


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.comments = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_comment(self, data: str) -> None:
        self.comments += 1


def parse(page: str) -> _Collect:
    p = _Collect()
    p.feed(page)
    p.close()
    return p


def render(data: dict[str, Any], tmp: Path, name: str) -> str:
    src = tmp / f"{name}.yaml"
    with src.open("w", encoding="utf-8") as fh:
        YAML(typ="safe", pure=True).dump(data, fh)
    out = tmp / f"{name}.html"
    res = CliRunner().invoke(app, ["analyze", str(src), "--html", str(out), "--no-cruxes"])
    assert res.exit_code == 0, res.output
    return out.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def recorder() -> Any:
    """An HTTP server on 127.0.0.1 that records every request it receives."""
    seen: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append(self.path)
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", seen
    server.shutdown()


@pytest.fixture(scope="module")
def pages(recorder: Any, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str, Path]:
    tmp = tmp_path_factory.mktemp("payloads")
    base = render(korea(), tmp, "clean")
    bad = render(poisoned(recorder[0]), tmp, "poisoned")
    return base, bad, tmp / "poisoned.html"


def test_payloads_add_no_element_attribute_script_or_comment(pages: tuple[str, str, Path]) -> None:
    base, bad, _ = pages
    clean, poisoned_ = parse(base), parse(bad)
    base_tags = {t for t, _ in clean.tags}
    base_attrs = {a for _, attrs in clean.tags for a in attrs} | {"rel"}  # source links
    assert {t for t, _ in poisoned_.tags} <= base_tags
    assert {a for _, attrs in poisoned_.tags for a in attrs} <= base_attrs
    assert not [a for _, attrs in poisoned_.tags for a in attrs if a.startswith("on")]
    for tag in ("script", "style", "img", "link", "iframe", "object", "embed", "base", "form"):
        assert sum(t == tag for t, _ in poisoned_.tags) == sum(t == tag for t, _ in clean.tags)
    assert poisoned_.comments == clean.comments


def test_links_and_resources_stay_local(pages: tuple[str, str, Path], recorder: Any) -> None:
    _, bad, _ = pages
    server = recorder[0]
    for tag, attrs in parse(bad).tags:
        for name, value in attrs.items():
            value = value or ""
            if name in ("src", "srcset", "poster", "data", "action", "formaction", "background"):
                assert value.startswith("data:"), (tag, name, value)
            if name in ("href", "xlink:href"):
                if tag == "a" and not value.startswith("#"):
                    # a source's web address, shown as a link: only http(s), never fetched
                    assert value.split(":", 1)[0] in ("http", "https"), value
                    assert value == f"{server}/anchor-only"
                else:
                    assert value.startswith("#"), (tag, name, value)
            if name == "style":
                assert "url(" not in value and "expression" not in value
    for url in BAD_URLS:
        assert f'href="{url}"' not in bad


def test_payload_text_is_present_and_escaped(pages: tuple[str, str, Path]) -> None:
    _, bad, _ = pages
    assert bad.count("PAYLOAD") > 50  # the text reached the report ...
    assert "&lt;img src=x onerror=" in bad  # ... as text
    for raw in ("<img src=x", "</script><script>", "<svg onload", "<!-- <svg",
                "<link rel=stylesheet", "onmouseover='", "<style>@import"):
        assert raw not in bad
    assert "\u2028" not in bad.split("<script", 1)[-1].split("</script>", 1)[0]


def test_content_security_policy_forbids_the_network(pages: tuple[str, str, Path]) -> None:
    _, bad, _ = pages
    metas = [a for t, a in parse(bad).tags
             if t == "meta" and (a.get("http-equiv") or "").lower() == "content-security-policy"]
    assert len(metas) == 1
    policy = metas[0]["content"] or ""
    assert "default-src 'none'" in policy and "connect-src 'none'" in policy
    assert "img-src data:" in policy and "unsafe-inline" not in policy
    assert "'unsafe-eval'" not in policy and "http" not in policy
    assert policy == content_security_policy(bad.replace(metas[0]["content"] or "", ""))


@pytest.mark.skipif(shutil.which("chromium") is None, reason="Debian's chromium is not installed")
def test_chromium_makes_no_request_and_runs_no_payload(pages: tuple[str, str, Path],
                                                        recorder: Any, tmp_path: Path) -> None:
    _, _, page = pages
    server, seen = recorder
    netlog = tmp_path / "netlog.json"
    cmd = ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
           "--disable-dev-shm-usage", f"--user-data-dir={tmp_path / 'profile'}",
           f"--log-net-log={netlog}", "--virtual-time-budget=3000", "--dump-dom",
           page.as_uri()]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "</html>" in out.stdout  # the page was loaded and its DOM dumped
    assert 'data-pwned="1"' not in out.stdout  # no payload ran
    assert seen == []  # the recording server received nothing
    log = netlog.read_text(encoding="utf-8", errors="replace") if netlog.exists() else ""
    assert server not in log and "evil.invalid" not in log


def test_safe_url_keeps_only_http_https_and_relative_links() -> None:
    for good in ("https://example.org/a?b=c", "http://x.y", "notes/source.pdf", "#s3",
                 "/local/file.html", "?q=1"):
        assert safe_url(good) == good
    for bad in [*BAD_URLS, "", "   ", "JAVASCRIPT:x", "file:///etc/passwd", "mailto:x@y",
                "java\nscript:x", "\x01javascript:x", None, 42]:
        assert safe_url(bad) is None, bad


def test_json_island_cannot_close_its_element() -> None:
    data = {"a": "</script><!--<script>", "b": "\u2028\u2029&", "c": [1, 2.5, None]}
    text = str(json_island(data))
    assert "<" not in text and ">" not in text and "&" not in text
    assert "\u2028" not in text and "\u2029" not in text
    import json

    assert json.loads(text) == data
