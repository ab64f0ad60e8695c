"""Sweep chunks on a Dask distributed cluster.

The scheduler is a ``dask.distributed.Client`` (for example one made from a
``LocalCluster``) or the address of a running scheduler
(``tcp://host:8786``).  Each chunk is one task; results come back in chunk
order and depend only on the chunk's rows, so a cluster gives the same bytes
as a serial run.  An address that does not answer is an error within
``CONNECT_TIMEOUT`` seconds, not a hang.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from crisislab.errors import input_error

CONNECT_TIMEOUT = 3.0
T = TypeVar("T")


def connect(scheduler: Any) -> tuple[Any, bool]:
    """A Dask client for ``scheduler`` and whether this call opened it."""
    try:
        from dask.distributed import Client
    except ImportError:  # pragma: no cover - dask is a dependency
        raise input_error("Dask is not installed", expected="pip install 'dask[distributed]'")\
            from None
    if isinstance(scheduler, Client):
        return scheduler, False
    if not isinstance(scheduler, str):
        raise input_error("unknown scheduler", value=repr(scheduler),
                          expected="'serial', a Dask Client, or a scheduler address")
    try:
        return Client(scheduler, timeout=CONNECT_TIMEOUT,  # type: ignore[no-untyped-call]
                      set_as_default=False), True
    except (OSError, TimeoutError, ValueError) as exc:
        raise input_error(f"no Dask scheduler answers at {scheduler} within "
                          f"{CONNECT_TIMEOUT:g} s ({type(exc).__name__})", value=scheduler,
                          expected="the address of a running dask scheduler, e.g. "
                          "tcp://127.0.0.1:8786") from None


def map_chunks(scheduler: Any, fn: Callable[[Any, Any], T], task: Any,
               chunks: Sequence[Any], progress: Callable[[int, int], None] | None = None
               ) -> tuple[list[T], bool]:
    """``fn(task, chunk)`` for every chunk on the cluster, in chunk order; (results,
    partial).

    Ctrl-C (or an interrupt from ``progress``) cancels the chunks still pending on the
    cluster and keeps the finished ones up to the first one missing (a prefix of the
    chunks, which a resumed sweep continues); with none finished it propagates."""
    client, opened = connect(scheduler)
    futures: list[Any] = []
    try:
        shared = client.scatter(task, broadcast=True)
        futures = client.map(fn, [shared] * len(chunks), list(chunks), pure=False)
        out: list[T] = []
        total = sum(len(c) for c in chunks)
        done = 0
        try:
            for fut, chunk in zip(futures, chunks, strict=True):
                out.append(fut.result())
                done += len(chunk)
                if progress is not None:
                    progress(done, total)
        except KeyboardInterrupt:
            for fut in futures[len(out):]:  # finished meanwhile, in order
                if fut.status != "finished":
                    break
                out.append(fut.result())
            client.cancel(futures[len(out):])
            if not out:
                raise
            return out, len(out) < len(chunks)
        return out, False
    finally:
        if opened:
            client.close()
