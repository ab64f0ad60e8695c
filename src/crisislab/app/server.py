"""The local web app behind ``crisislab serve``: a Starlette application.

Routes: the page; the built-in scenarios; validation as you type; a run of the
pipeline as a job (progress, cancel); belief changes, recomputed at once; the
results as HTML fragments rendered from the analysis; downloads of the edited
scenario, the JSON and the HTML report.

Safe by default: the command binds 127.0.0.1; the Host header must name this
machine (no DNS rebinding); requests above :data:`MAX_BODY` bytes are refused;
state-changing requests must be JSON (a cross-site form cannot send one); pages
carry a Content-Security-Policy that allows only the app's own script and style;
every user string reaches the page through autoescaped templates; scenario text
is parsed as data, never executed; the app reads only the scenario file it was
started with (inside the working directory) and its own package files, and
writes no file (downloads are responses).
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from importlib import resources
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from crisislab.app import pages
from crisislab.app.jobs import Busy, JobRunner, problem_dict
from crisislab.app.workspace import Workspace, Workspaces, validate
from crisislab.errors import CrisislabError

MAX_BODY = 2_000_000
"""Largest request body accepted (bytes): a scenario is text; the default is 50 KB."""

MAX_TEXT = 1_000_000
"""Largest scenario text accepted (characters)."""

SETTLE_SECONDS, SETTLE_STEPS = 0.4, 8
"""The crux search after a belief change starts when no other change came for this long
(a further change cancels it while it waits)."""

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
"""The page runs only the app's own script and style, and talks only to the app."""

REPORT_CSP = ("default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
              "img-src data:; base-uri 'none'; form-action 'none'; sandbox allow-scripts")
"""The downloaded report is self-contained (inline style and tab script); viewed from the
app it is sandboxed to an opaque origin and reaches nothing."""

STATIC = {"app.js": "text/javascript; charset=utf-8", "app.css": "text/css; charset=utf-8"}

ASGIApp = Callable[[MutableMapping[str, Any], Any, Any], Awaitable[None]]


class Limits:
    """Pure ASGI middleware: security headers on every response, and a body limit
    counted on the bytes actually received (a wrong Content-Length does not pass)."""

    def __init__(self, app: ASGIApp, max_body: int = MAX_BODY) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: MutableMapping[str, Any], receive: Any, send: Any) -> None:
        """Refuse a body larger than ``max_body`` (413), add the security headers, pass
        the rest on."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_body):
            await _too_large(scope, receive, send)
            return
        seen = 0

        async def limited() -> Any:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body:
                    raise _TooLarge
            return message

        async def secured(message: MutableMapping[str, Any]) -> None:
            if message["type"] == "http.response.start":
                hdrs = list(message.get("headers") or [])
                names = {k.lower() for k, _v in hdrs}
                if b"content-security-policy" not in names:
                    hdrs.append((b"content-security-policy", CSP.encode()))
                hdrs += [(b"x-content-type-options", b"nosniff"),
                         (b"referrer-policy", b"no-referrer"),
                         (b"cache-control", b"no-store")]
                message["headers"] = hdrs
            await send(message)

        try:
            await self.app(scope, limited, secured)
        except _TooLarge:
            await _too_large(scope, receive, send)


class _TooLarge(Exception):
    pass


async def _too_large(scope: Any, receive: Any, send: Any) -> None:
    response = JSONResponse({"error": f"request larger than {MAX_BODY} bytes"}, 413)
    await response(scope, receive, send)


def _error(message: str, status: int = 400) -> JSONResponse:
    return JSONResponse({"error": message}, status)


async def _json(request: Request) -> dict[str, Any] | JSONResponse:
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
        return _error("expected a JSON request (Content-Type: application/json)", 415)
    try:
        data = json.loads(await request.body())
    except (ValueError, UnicodeDecodeError):
        return _error("the request is not valid JSON")
    if not isinstance(data, dict):
        return _error("expected a JSON object")
    return data


def _text(data: dict[str, Any]) -> tuple[str, str] | JSONResponse:
    text, name = data.get("text"), data.get("name") or "scenario.yaml"
    if not isinstance(text, str) or not isinstance(name, str):
        return _error("expected text and name as strings")
    if len(text) > MAX_TEXT:
        return _error(f"scenario text longer than {MAX_TEXT} characters", 413)
    return text, name[:200]


class _Handlers:
    """The app's request handlers, sharing its job runner and workspaces."""

    def __init__(self, initial_text: str, initial_name: str, runner: JobRunner,
                 spaces: Workspaces) -> None:
        self.initial_text, self.initial_name = initial_text, initial_name
        self.runner, self.spaces = runner, spaces

    def workspace(self, data: dict[str, Any] | str | None) -> Workspace | None:
        ws_id = data.get("workspace") if isinstance(data, dict) else data
        return self.spaces.get(ws_id) if isinstance(ws_id, str) else None

    async def page(self, request: Request) -> Response:
        from crisislab.model.io import builtin_names

        ws = self.spaces.new()
        return HTMLResponse(pages.page(ws.id, self.initial_text, self.initial_name,
                                       builtin_names()))

    async def static(self, request: Request) -> Response:
        name = request.path_params["name"]
        if name not in STATIC:
            return _error("not found", 404)
        body = resources.files("crisislab.app").joinpath("static", name).read_bytes()
        return Response(body, media_type=STATIC[name])

    async def builtin(self, request: Request) -> Response:
        from crisislab.model.io import BUILTIN_PREFIX, builtin_names, read_source

        name = request.path_params["name"]
        if name not in builtin_names():
            return _error(f"no built-in scenario {name!r}", 404)
        text, _shown = read_source(BUILTIN_PREFIX + name)
        return JSONResponse({"name": f"{name}.yaml", "text": text})

    async def check(self, request: Request) -> Response:
        data = await _json(request)
        if isinstance(data, JSONResponse):
            return data
        got = _text(data)
        if isinstance(got, JSONResponse):
            return got
        scenario, problems = await run_in_threadpool(validate, *got)
        summary = None if scenario is None else (
            f"{scenario.metadata.title}: {len(scenario.actors)} actors, "
            f"{len(scenario.options)} options, {len(scenario.lenses)} lenses, "
            f"{len(scenario.games)} games, {len(scenario.issues)} issues")
        return JSONResponse({"ok": scenario is not None, "problems": problems,
                             "summary": summary})

    async def run(self, request: Request) -> Response:
        data = await _json(request)
        if isinstance(data, JSONResponse):
            return data
        ws = self.workspace(data)
        if ws is None:
            return _error("unknown workspace: reload the page", 404)
        got = _text(data)
        if isinstance(got, JSONResponse):
            return got
        text, name = got
        cruxes = data.get("cruxes", True) is not False
        try:
            job = self.runner.submit(f"analysis of {name}",
                                lambda progress: ws.run(text, name, cruxes, progress))
        except Busy:
            return _error("the server is busy with other analyses; try again shortly", 503)
        return JSONResponse(job.status())

    async def job_status(self, request: Request) -> Response:
        job = self.runner.get(request.path_params["job"])
        if job is None:
            return _error("unknown job", 404)
        return JSONResponse(job.status())

    async def job_cancel(self, request: Request) -> Response:
        data = await _json(request)
        if isinstance(data, JSONResponse):
            return data
        job = self.runner.cancel(request.path_params["job"])
        if job is None:
            return _error("unknown job", 404)
        return JSONResponse(job.status())

    async def results(self, request: Request) -> Response:
        ws = self.workspace(request.path_params["ws"])
        if ws is None or ws.current is None or ws.full is None:
            return _error("no analysis yet: run the scenario first", 404)
        return JSONResponse({"results": pages.results(ws, cruxes_pending=self._crux_pending(ws)),
                             "controls": pages.controls(ws.controls(), ws.beliefs)})

    async def beliefs(self, request: Request) -> Response:
        data = await _json(request)
        if isinstance(data, JSONResponse):
            return data
        ws = self.workspace(data)
        if ws is None:
            return _error("unknown workspace: reload the page", 404)
        values = data.get("beliefs")
        if not isinstance(values, dict):
            return _error("expected beliefs as an object of control id -> value")
        if ws.crux_job is not None:  # its beliefs are stale: free the CPU for this change
            self.runner.cancel(ws.crux_job)
        try:
            _sa, seconds = await run_in_threadpool(ws.change, values)
        except CrisislabError as exc:
            return JSONResponse({"problems": [problem_dict(p) for p in exc.problems]}, 400)
        job = self._search_cruxes(ws)
        return JSONResponse({"results": pages.results(ws, cruxes_pending=job is not None),
                             "seconds": round(seconds, 4), "flips": len(ws.last_flips),
                             "crux_job": job})

    def _search_cruxes(self, ws: Workspace) -> str | None:
        """Start the crux search under the workspace's new beliefs as a job, when the
        last full run searched cruxes (the analyst asked for them); its id, or None."""
        if ws.crux_job is not None:
            self.runner.cancel(ws.crux_job)
        ws.crux_job = None
        if ws.full is None or not ws.full.cruxes_searched or ws.current is None \
                or ws.current.cruxes_searched:
            return None
        revision = ws.revision

        def work(progress: Callable[[str], None]) -> bool:
            # a slider dragged sends change after change: start only once the beliefs
            # rest, so the searches of passing values never compete with the updates
            for _ in range(SETTLE_STEPS):
                progress("waiting for the beliefs to settle")
                time.sleep(SETTLE_SECONDS / SETTLE_STEPS)
            return ws.search_cruxes(revision, progress) is not None  # a flag, not an analysis

        try:
            job = self.runner.submit("cruxes under the changed beliefs", work)
        except Busy:
            return None  # the page says the search did not run; a later change retries
        ws.crux_job = job.id
        return job.id

    def _crux_pending(self, ws: Workspace) -> bool:
        job = self.runner.get(ws.crux_job) if ws.crux_job is not None else None
        return job is not None and not job.over

    async def download(self, request: Request) -> Response:
        ws = self.workspace(request.path_params["ws"])
        what = request.path_params["what"]
        if ws is None or ws.current is None:
            return _error("no analysis yet: run the scenario first", 404)
        stem = "".join(ch if ch.isalnum() or ch in "-_" else "-"
                       for ch in ws.name.rsplit(".", 1)[0].rsplit("/", 1)[-1])[:60] or "scenario"
        if what == "scenario.yaml":
            body, media = await run_in_threadpool(ws.edited_text), "application/yaml"
        elif what == "analysis.json":
            body, media = await run_in_threadpool(ws.current.to_json), "application/json"
        elif what == "report.html":
            from crisislab.report.html import render_scenario_html

            body = await run_in_threadpool(render_scenario_html, ws.current)
            media = "text/html; charset=utf-8"
        else:
            return _error("not found", 404)
        inline = request.query_params.get("view") == "1" and what == "report.html"
        disposition = "inline" if inline else f'attachment; filename="{stem}-{what}"'
        headers = {"content-disposition": disposition}
        if what == "report.html":
            headers["content-security-policy"] = REPORT_CSP
        return Response(body, media_type=media, headers=headers)

    async def favicon(self, request: Request) -> Response:
        return Response(status_code=204)


def create_app(initial_text: str, initial_name: str, *, workers: int = 2,
               hosts: tuple[str, ...] = ("127.0.0.1", "localhost", "[::1]", "::1")
               ) -> Starlette:
    """The application, opening with ``initial_text`` (named ``initial_name``)."""
    runner = JobRunner(workers=workers)
    spaces = Workspaces()
    h = _Handlers(initial_text, initial_name, runner, spaces)
    routes = [
        Route("/", h.page),
        Route("/favicon.ico", h.favicon),
        Route("/static/{name}", h.static),
        Route("/api/builtin/{name}", h.builtin),
        Route("/api/validate", h.check, methods=["POST"]),
        Route("/api/run", h.run, methods=["POST"]),
        Route("/api/jobs/{job}", h.job_status),
        Route("/api/jobs/{job}/cancel", h.job_cancel, methods=["POST"]),
        Route("/api/results/{ws}", h.results),
        Route("/api/beliefs", h.beliefs, methods=["POST"]),
        Route("/download/{ws}/{what}", h.download),
    ]
    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        yield
        runner.shutdown()

    app = Starlette(routes=routes, middleware=[
        Middleware(Limits),
        Middleware(TrustedHostMiddleware, allowed_hosts=list(hosts)),
    ], lifespan=lifespan)
    app.state.runner = runner
    app.state.workspaces = spaces
    return app
