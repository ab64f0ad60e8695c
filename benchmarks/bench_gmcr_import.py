"""gmcr-py import: building the option-form graph, beside the old nested-loop builder.

Run: python benchmarks/bench_gmcr_import.py
Target (issue 10): ``import-gmcr`` and ``GmcrModel.to_graph`` use the one vectorised
option-form builder (:func:`crisislab.conflict.moves.build_option_graph`).
Baseline: the nested Python loops ``option_form_graph`` used before (kept here only
as the baseline), timed in the same run on the same models; both must give the same
move matrices.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp

from crisislab.conflict.gmcr_import import option_form_graph


def loop_builder(n_actors: int, owners: Sequence[int], codes: np.ndarray,
                 rev: Sequence[str]) -> list[sp.csr_array]:
    """The former builder: group states by the options a DM does not own, then test
    every pair in a group option by option in Python."""
    m = len(owners)
    n = codes.shape[0]
    moves = []
    for a in range(n_actors):
        mask = 0
        for k, o in enumerate(owners):
            if o == a:
                mask |= 1 << k
        rows: list[int] = []
        cols: list[int] = []
        own = codes & mask
        base = codes & ~mask
        groups: dict[int, list[int]] = {}
        for k, b in enumerate(base):
            groups.setdefault(int(b), []).append(k)
        for members in groups.values():
            for s in members:
                for t in members:
                    if s == t:
                        continue
                    ok = True
                    for k in range(m):
                        if not (mask >> k) & 1:
                            continue
                        before = (int(own[s]) >> k) & 1
                        after = (int(own[t]) >> k) & 1
                        if before == after:
                            continue
                        if rev[k] == "once" and before == 1:
                            ok = False
                        if rev[k] == "drop_only" and before == 0:
                            ok = False
                    if ok:
                        rows.append(s)
                        cols.append(t)
        moves.append(sp.csr_array((np.ones(len(rows), dtype=bool), (rows, cols)), shape=(n, n)))
    return moves


def main() -> None:
    rng = np.random.default_rng(0)
    option_form_graph(["A", "B"], [0, 1], np.zeros((2, 4)))  # warm up (first-call imports)
    print(f"{'model':>26} {'states':>7} {'vectorised s':>13} {'loops s':>9} {'speed-up':>9}")
    for n_actors, per in ((2, 3), (3, 3), (4, 3), (3, 4), (4, 4)):
        owners = [a for a in range(n_actors) for _ in range(per)]
        m = len(owners)
        rev = [("both", "once", "drop_only")[k % 3] for k in range(m)]
        codes = np.arange(2 ** m, dtype=np.int64)
        codes = codes[rng.random(codes.size) < 0.8]  # some infeasible states
        pay = rng.random((n_actors, codes.size))
        t0 = time.perf_counter()
        graph = option_form_graph([f"A{i}" for i in range(n_actors)], owners, pay,
                                  feasible=codes, reversibility=rev)
        fast = time.perf_counter() - t0
        t0 = time.perf_counter()
        old = loop_builder(n_actors, owners, codes, rev)
        slow = time.perf_counter() - t0
        for a, b in zip(graph.moves, old, strict=True):
            assert (a != b).nnz == 0, "builders disagree"
        label = f"{n_actors} actors x {per} options"
        print(f"{label:>26} {codes.size:>7} {fast:>13.4f} {slow:>9.3f} {slow / fast:>8.0f}x")


if __name__ == "__main__":
    main()
