"""Solve time against tree size for the crisis-escalation game with more rounds.

Prints, per number of rounds, the tree size and the seconds each method takes,
and stops a method once one run exceeds the budget (it has then stopped being
practical).  Also compares the level-by-level numpy evaluator with a plain
recursive evaluation (the simple baseline) on the largest tree.

    python benchmarks/bench_games.py [--budget SECONDS] [--max-rounds N]
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from crisislab.games.profile import edge_probabilities, node_values
from crisislab.games.solve import solve_compiled
from crisislab.games.solvers import gambit_backend
from crisislab.games.spec import compile_game
from crisislab.games.tree import CHANCE, TERMINAL, GameTree
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


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--budget", type=float, default=20.0)
    ap.add_argument("--max-rounds", type=int, default=40)
    args = ap.parse_args()
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
                sol = solve_compiled(compiled, m, force=True)
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
