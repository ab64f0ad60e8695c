"""Solve time against tree size for the crisis-escalation game with more rounds.

Prints, per number of rounds, the tree size and the seconds each method takes,
and stops a method once one run exceeds the budget (it has then stopped being
practical).  Also compares the level-by-level numpy evaluator with a plain
recursive evaluation (the simple baseline) on the largest tree.

Second table (``--compare``): crisislab beside pygambit (when installed) on the
same trees of two shapes — deep escalation trees and wide, shallow screening
trees (nature draws one of n costs, the proposer offers one of m shares, the
responder accepts or fights) — and the ``auto`` method's actual time against
its own estimate (``games/sizing.py``; target: never above 10x).

    python benchmarks/bench_games.py [--budget SECONDS] [--max-rounds N] [--compare]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import numpy as np

from crisislab.games.profile import edge_probabilities, node_values
from crisislab.games.sizing import estimate_seconds
from crisislab.games.solve import auto_method, solve_compiled
from crisislab.games.solvers import gambit_backend
from crisislab.games.spec import CompiledGame, compile_game
from crisislab.games.tree import CHANCE, TERMINAL, GameTree, TreeBuilder
from crisislab.model.game_spec import TemplateGameSpec


def recursive_value(tree: GameTree, b: np.ndarray, node: int = 0) -> np.ndarray:
    if tree.kind[node] == TERMINAL:
        return tree.payoffs[node]
    total = np.zeros(len(tree.players))
    for j, c in enumerate(tree.children[node]):
        pr = (tree.edge_chance[c] if tree.kind[node] == CHANCE
              else b[tree.slot_offset[tree.infoset_of[node]] + j])
        total = total + pr * recursive_value(tree, b, c)
    return total


def screening_tree(n_types: int, n_offers: int) -> GameTree:
    """Wide, shallow tree: 1 + n + 3 n m nodes, n m + 1 information sets, depth 3."""
    b = TreeBuilder(f"screening {n_types}x{n_offers}", ("P", "R"))
    b.chance("nature", {f"c{i}": (1 / n_types, f"c{i}") for i in range(n_types)})
    for i in range(n_types):
        b.decision(f"c{i}", "P", "P_offer", {f"x{j}": f"c{i}x{j}" for j in range(n_offers)})
        for j in range(n_offers):
            n = f"c{i}x{j}"
            b.decision(n, "R", n, {"accept": n + "a", "fight": n + "f"})
            b.terminal(n + "a", {"P": 1 - j / n_offers, "R": j / n_offers}, "deal")
            b.terminal(n + "f", {"P": 0.35, "R": 0.6 - (2 * i + 1) / 40}, "war")
    return b.build()


def _timed(fn: Callable[[], object]) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def compare() -> None:
    """crisislab (auto, qre-limit) beside pygambit (logit, lcp); auto time vs estimate."""
    trees: list[tuple[str, GameTree]] = []
    for r in (1, 2, 4, 8):
        spec = TemplateGameSpec(id="esc", template="crisis_escalation",
                                players={"challenger": "C", "defender": "D"},
                                parameters={"rounds": r})
        trees.append((f"escalation r={r}", compile_game(spec).tree))
    for n, m in ((4, 5), (8, 9)):
        trees.append((f"screening {n}x{m}", screening_tree(n, m)))
    have_gambit = gambit_backend.available()
    print(f"{'tree':>16} {'nodes':>6} {'sets':>5} {'auto method':>30} {'auto s':>8} "
          f"{'estimate':>9} {'ratio':>6} {'qre-limit':>10} "
          + (f"{'gambit logit':>13} {'gambit lcp':>11}" if have_gambit else ""))
    for name, tree in trees:
        compiled = CompiledGame(None, tree, None, {}, {p: p for p in tree.players})
        method = auto_method(compiled)
        est = sum(estimate_seconds(tree, part) for part in method.split("+"))
        t_auto = _timed(lambda c=compiled: solve_compiled(c, "auto", exceed_limits=True))
        t_qre = _timed(lambda c=compiled: solve_compiled(c, "qre-limit", exceed_limits=True))
        row = (f"{name:>16} {tree.n_nodes:>6} {len(tree.infosets):>5} {method:>30} "
               f"{t_auto:8.3f} {est:9.3f} {t_auto / est:6.2f} {t_qre:10.3f} ")
        if have_gambit:
            row += (f"{_timed(lambda t=tree: gambit_backend.solve(t, 'logit')):13.3f} "
                    f"{_timed(lambda t=tree: gambit_backend.solve(t, 'lcp')):11.3f}")
        print(row, flush=True)
    print("seconds; ratio = auto's actual time / its estimate (target <= 10)")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--budget", type=float, default=20.0)
    ap.add_argument("--max-rounds", type=int, default=40)
    ap.add_argument("--compare", action="store_true",
                    help="only the crisislab-vs-pygambit and estimate table")
    args = ap.parse_args()
    if args.compare:
        compare()
        return
    methods = ["pure"]
    if gambit_backend.available():
        methods += ["gambit-logit", "gambit-lcp", "gambit-enumpoly"]
    alive = dict.fromkeys(methods, True)
    print(f"{'rounds':>6} {'nodes':>6} {'infosets':>8} " + " ".join(f"{m:>16}" for m in methods))
    rounds = [1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 40]
    largest = None
    for r in [x for x in rounds if x <= args.max_rounds]:
        spec = TemplateGameSpec(id="esc", template="crisis_escalation",
                                players={"challenger": "C", "defender": "D"},
                                parameters={"rounds": r})
        compiled = compile_game(spec)
        largest = compiled.tree
        cells = []
        for m in methods:
            if not alive[m]:
                cells.append(f"{'-':>16}")
                continue
            t0 = time.perf_counter()
            try:
                sol = solve_compiled(compiled, m, exceed_limits=True)
                dt = time.perf_counter() - t0
                cells.append(f"{dt:10.3f}s/{len(sol.equilibria):<4d}")
            except (ValueError, RuntimeError) as exc:
                dt = time.perf_counter() - t0
                cells.append(f"{'refused':>16}")
                print(f"   {m}: {exc}")
                alive[m] = False
                continue
            if dt > args.budget:
                alive[m] = False
        print(f"{r:>6} {compiled.tree.n_nodes:>6} {len(compiled.tree.infosets):>8} "
              + " ".join(cells), flush=True)
    print("cells: seconds / equilibria passing our check; '-' = stopped after exceeding "
          f"{args.budget:g} s")
    if largest is not None:
        rng = np.random.default_rng(0)
        batch = np.zeros((256, largest.n_slots))
        for k, s in enumerate(largest.infosets):
            sl = slice(largest.slot_offset[k], largest.slot_offset[k] + len(s.actions))
            batch[:, sl] = rng.dirichlet(np.ones(len(s.actions)), size=256)
        t0 = time.perf_counter()
        fast = node_values(largest, edge_probabilities(largest, batch))[:, 0, :]
        t_fast = time.perf_counter() - t0
        t0 = time.perf_counter()
        slow = np.array([recursive_value(largest, b) for b in batch])
        t_slow = time.perf_counter() - t0
        assert np.allclose(fast, slow)
        print(f"evaluate 256 profiles on {largest.n_nodes} nodes: numpy {t_fast:.4f} s, "
              f"recursive baseline {t_slow:.4f} s ({t_slow / t_fast:.0f}x)")


if __name__ == "__main__":
    main()
