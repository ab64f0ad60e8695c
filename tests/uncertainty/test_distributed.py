"""Sweeps on a Dask cluster give the same bytes as a serial run; a dead address fails fast."""

from __future__ import annotations

import time
from typing import Any

import pytest
from uncertainty_cases import TEXT

from crisislab.compare.sweep import sweep
from crisislab.errors import InputError
from crisislab.formats.scenario import load_text


def test_local_cluster_of_two_workers_matches_serial() -> None:
    distributed = pytest.importorskip("dask.distributed")
    sc = load_text(TEXT, "small.yaml")
    serial = sweep(sc, samples=48, seed=5, method="lhs", chunk=16, tornado_chart=False)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        on_dask = sweep(sc, samples=48, seed=5, method="lhs", chunk=16, tornado_chart=False,
                        scheduler=client)
    assert on_dask.to_json() == serial.to_json()


def test_interrupt_on_dask_keeps_a_prefix_and_resumes() -> None:
    """An interrupt while the cluster works (raised by the progress callback after the
    second of 80 chunks) cancels the pending chunks and keeps the finished prefix,
    marked partial; resuming on the cluster gives the serial run's bytes."""
    distributed = pytest.importorskip("dask.distributed")
    sc = load_text(TEXT, "small.yaml")
    kw: dict[str, Any] = {"samples": 400, "seed": 6, "chunk": 5, "games": False,
                          "tornado_chart": False}
    serial = sweep(sc, **kw)

    def stop(done: int, total: int) -> None:
        if done >= 10:
            raise KeyboardInterrupt

    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        part = sweep(sc, scheduler=client, progress=stop, **kw)
        assert part.partial and 10 <= part.samples < 400 and part.samples % 5 == 0
        resumed = sweep(sc, scheduler=client, resume=part.to_pandas(), **kw)
    assert resumed.to_json() == serial.to_json()


def test_unreachable_scheduler_errors_within_seconds() -> None:
    pytest.importorskip("dask.distributed")
    sc = load_text(TEXT, "small.yaml")
    start = time.monotonic()
    with pytest.raises(InputError, match="no Dask scheduler answers"):
        sweep(sc, samples=8, scheduler="tcp://127.0.0.1:9", tornado_chart=False)
    assert time.monotonic() - start < 15
