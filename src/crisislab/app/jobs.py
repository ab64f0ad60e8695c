"""Long computations off the request thread, with progress and cancel.

A full analysis (cruxes included) takes seconds; the page must stay responsive
and the analyst must be able to stop it.  :class:`JobRunner` runs each job on a
small pool of worker threads; a job reports progress through the pipeline's
``progress`` callback, and cancelling sets a flag that the next progress call
turns into :class:`Cancelled` — the pipeline stops at its next stage, no thread
is killed.  The number of jobs waiting is bounded, so a flood of requests gets a
clear "busy" answer instead of an ever-growing queue.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from crisislab.errors import CrisislabError

Work = Callable[[Callable[[str], None]], Any]


class Cancelled(Exception):
    """Raised inside a job whose cancel was requested, at its next progress report."""


class Busy(Exception):
    """Too many jobs are waiting."""


@dataclass
class Job:
    """One computation: its state, the stages it passed, and its result or error."""

    id: str
    label: str
    state: str = "queued"  # queued, running, done, failed, cancelled
    stages: list[str] = field(default_factory=list)
    result: Any = None
    error: list[dict[str, Any]] | None = None
    started: float = field(default_factory=time.monotonic)
    finished: float | None = None
    cancel_requested: threading.Event = field(default_factory=threading.Event)

    @property
    def over(self) -> bool:
        """Whether the job has ended (done, failed or cancelled)."""
        return self.state in ("done", "failed", "cancelled")

    def progress(self, stage: str) -> None:
        """Record a stage (a stage reported again in a row counts once); a cancelled job
        stops here."""
        if self.cancel_requested.is_set():
            raise Cancelled
        if not self.stages or self.stages[-1] != stage:
            self.stages.append(stage)

    def status(self) -> dict[str, Any]:
        """What the page shows of the job: its state, latest stage, stage count, seconds
        and error, if any."""
        end = self.finished if self.finished is not None else time.monotonic()
        return {"id": self.id, "label": self.label, "state": self.state,
                "stage": self.stages[-1] if self.stages else None,
                "stages": len(self.stages), "seconds": round(end - self.started, 2),
                "error": self.error}


class JobRunner:
    """A bounded pool of worker threads and the most recent jobs by id."""

    def __init__(self, workers: int = 2, max_waiting: int = 64, keep: int = 256) -> None:
        self.pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="crisislab-job")
        self.max_waiting = max_waiting
        self.keep = keep
        self.jobs: OrderedDict[str, Job] = OrderedDict()
        self.lock = threading.Lock()

    def submit(self, label: str, work: Work) -> Job:
        """Queue ``work`` under ``label``; raises :class:`Busy` when too many jobs wait."""
        with self.lock:
            waiting = sum(not j.over for j in self.jobs.values())
            if waiting >= self.max_waiting:
                raise Busy
            job = Job(secrets.token_hex(8), label)
            self.jobs[job.id] = job
            while len(self.jobs) > self.keep:
                oldest = next(iter(self.jobs))
                if not self.jobs[oldest].over:
                    break
                self.jobs.popitem(last=False)
        self.pool.submit(self._run, job, work)
        return job

    def _run(self, job: Job, work: Work) -> None:
        try:
            job.progress("starting")
            job.state = "running"
            job.result = work(job.progress)
            job.state = "done"
        except Cancelled:
            job.state = "cancelled"
        except CrisislabError as exc:
            job.error = [problem_dict(p) for p in exc.problems]
            job.state = "failed"
        except Exception as exc:  # a bug: reported on the page, never a traceback
            job.error = [{"message": f"internal error ({type(exc).__name__}: {exc}); "
                          "this is a bug, please report it with the scenario"}]
            job.state = "failed"
        finally:
            job.finished = time.monotonic()

    def get(self, job_id: str) -> Job | None:
        """The job with this id, if it is still kept."""
        with self.lock:
            return self.jobs.get(job_id)

    def cancel(self, job_id: str) -> Job | None:
        """Ask a running job to stop at its next stage; the job, if known."""
        job = self.get(job_id)
        if job is not None and not job.over:
            job.cancel_requested.set()
        return job

    def shutdown(self) -> None:
        """Ask every job to stop and release the worker threads (server shutdown)."""
        for job in list(self.jobs.values()):
            job.cancel_requested.set()
        self.pool.shutdown(wait=False, cancel_futures=True)


def problem_dict(p: Any) -> dict[str, Any]:
    """A located problem as the page shows it (the same fields the command line prints)."""
    value = None if p.value is None else repr(p.value)
    if value is not None and len(value) > 120:
        value = value[:117] + "..."
    return {"message": p.message, "line": p.line, "column": p.column, "path": p.path,
            "value": value, "expected": p.expected, "text": p.render()}
