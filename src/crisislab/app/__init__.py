"""The local web app: ``crisislab serve [FILE]`` (see docs/how-to/explore-in-the-browser.md).

Choose or upload a scenario, edit it with validation as you type, run the
analysis, move beliefs and watch which conclusions flip.  The app renders the
one :class:`~crisislab.compare.scenario_analysis.ScenarioAnalysis` the pipeline
returns; it computes nothing itself.
"""

from __future__ import annotations

import threading
import webbrowser
from pathlib import Path

from crisislab.errors import input_error

DEFAULT_PORT = 8765


def initial_scenario(file: str | None, root: Path | None = None) -> tuple[str, str]:
    """Text and name of the scenario the page opens with: a built-in by name, or a file
    inside the working directory (the app reads no file outside it)."""
    from crisislab.model.io import BUILTIN_PREFIX, DEFAULT_SCENARIO, builtin_names, read_source

    if file is None:
        file = DEFAULT_SCENARIO
    if file.startswith(BUILTIN_PREFIX) or (file in builtin_names() and not Path(file).exists()):
        text, _name = read_source(BUILTIN_PREFIX + file.removeprefix(BUILTIN_PREFIX))
        return text, f"{file.removeprefix(BUILTIN_PREFIX)}.yaml"
    base = (root or Path.cwd()).resolve()
    path = Path(file).resolve()
    if not path.is_relative_to(base):
        raise input_error("the scenario file is outside the working directory", value=file,
                          expected=f"a file under {base} (the app reads no file outside it)")
    text, _name = read_source(path)
    return text, str(path.relative_to(base))


def serve(file: str | None = None, *, host: str = "127.0.0.1", port: int = DEFAULT_PORT,
          open_browser: bool = True, workers: int = 2) -> None:
    """Run the app until interrupted (uvicorn on ``host:port``)."""
    import uvicorn

    from crisislab.app.server import create_app

    text, name = initial_scenario(file)
    hosts = ("127.0.0.1", "localhost", "[::1]", "::1", host)
    application = create_app(text, name, workers=workers, hosts=hosts)
    url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}/"
    if open_browser:
        threading.Timer(1.0, webbrowser.open, args=(url,)).start()
    print(f"crisislab: serving {name} at {url} (Ctrl+C stops)", flush=True)
    uvicorn.run(application, host=host, port=port, log_level="warning",
                limit_concurrency=200, timeout_keep_alive=15)
