"""Quick fuzzing profile: hostile and broken files end cleanly, within a budget.

Every input must end with exit 0 or exit 2 and a message located in the file
(``FILE:LINE:COL:``), never a traceback or an internal error, within a CPU-time
alarm and a traced-memory peak.  The regression corpus holds minimal files that
once crashed or hung crisislab; hypothesis draws mutated inputs from the
generator in ``fuzz_mutate`` (``make fuzz`` runs 10^4 of them in parallel).
"""

from __future__ import annotations

import signal
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fuzz_harness import run_input
from fuzz_mutate import CORPUS, mutate, seed_texts

TIME_BUDGET_S = 20  # of CPU time (a shared machine's load does not count); `make fuzz`: 5 s
MEMORY_BUDGET_MB = 500


class Overtime(BaseException):
    pass


@contextmanager
def budget(seconds: int) -> Iterator[None]:
    def alarm(signum: int, frame: object) -> None:
        raise Overtime(f"more than {seconds} s of CPU")

    old = signal.signal(signal.SIGPROF, alarm)
    signal.setitimer(signal.ITIMER_PROF, seconds)  # CPU time of this process
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, old)


def check(path: Path) -> tuple[str, str]:
    tracemalloc.start()
    start = time.process_time()
    try:
        with budget(TIME_BUDGET_S), tempfile.TemporaryDirectory() as out:
            kind, detail = run_input(str(path), out)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert kind in ("ok", "refused"), f"{path.name}: {kind}: {detail}"
    assert peak / 2**20 < MEMORY_BUDGET_MB, f"{path.name}: {peak / 2**20:.0f} MB traced"
    assert time.process_time() - start < TIME_BUDGET_S
    return kind, detail


@pytest.mark.parametrize("path", sorted(p for p in CORPUS.iterdir() if p.is_file()),
                         ids=lambda p: p.name)
def test_corpus_file_ends_cleanly(path: Path) -> None:
    check(path)


def test_reproductions_are_refused_where_they_are_wrong() -> None:
    """The hand-made files each break one rule; the refusal names it, at its place."""
    expected = {
        "min-alias-bomb-1e7.yaml": "expands to more than",
        "min-tagged-seq-custom.yaml": "custom YAML tag '!foo'",
        "min-deep-not-formula.yaml": "nested more than",
        "min-deep-paren-formula.yaml": "nested more than",
        "min-deep-expression.yaml": "expression",
        "min-bigint-json.json": "a number written with 4,301 characters",
        "min-lens-game-param-null.yaml": "must be a number",
        "min-empty-mutually-exclusive.yaml": "at least 1 item",
        "min-nan-salience.yaml": "not finite",
        "min-lone-surrogate-name.yaml": "lone surrogate",
        "min-override-statement-not-an-id.yaml": "should match pattern",
    }
    for name, words in expected.items():
        kind, detail = check(CORPUS / name)
        assert kind == "refused" and words in detail, (name, detail)


SEEDS = seed_texts()


@settings(max_examples=15, deadline=None, derandomize=True, phases=[Phase.generate],
          suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(min_value=0, max_value=10**7))
def test_mutated_input_ends_with_a_result_or_a_located_error(number: int) -> None:
    _description, suffix, raw = mutate(SEEDS, number)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"input{suffix}"
        path.write_bytes(raw)
        check(path)
