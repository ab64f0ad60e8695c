"""A game tree as Gambit ``.efg`` text: the form in which trees reach pygambit.

The Gambit backend hands trees to pygambit in this form, so the writer lives
with the games engine; :mod:`crisislab.formats.efg` (the exchange format, with
the reader and the ``.nfg`` writer) re-exports it.  Each player's information
sets are numbered in pre-order of their first node (the order pygambit reports
them), each terminal is named after its node and its outcome after the outcome
class, so a round trip keeps node ids, information sets and outcome classes.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from crisislab.games.tree import CHANCE, DECISION, GameTree


def _q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _num(x: float) -> str:
    x = float(x)
    if x == int(x) and abs(x) < 1e15:
        return str(int(x))
    return np.format_float_positional(x, trim="-", precision=17, unique=True)


def _exact_probs(probs: np.ndarray) -> list[str]:
    """Chance probabilities as rationals summing to exactly one (Gambit insists on it)."""
    fr = [Fraction(float(p)).limit_denominator(10**9) for p in probs]
    fr[-1] = 1 - sum(fr[:-1], Fraction(0))
    if fr[-1] < 0:  # rounding pushed the last one negative: give it to the largest instead
        fr[-1] = Fraction(0)
        big = max(range(len(fr)), key=lambda j: fr[j])
        fr[big] += 1 - sum(fr, Fraction(0))
    return [str(f.numerator) if f.denominator == 1 else f"{f.numerator}/{f.denominator}"
            for f in fr]


def to_efg(tree: GameTree, comment: str = "") -> str:
    """Gambit ``.efg`` text of ``tree``."""
    lines = [f"EFG 2 R {_q(tree.title)} {{ {' '.join(_q(p) for p in tree.players)} }}",
             _q(comment), ""]
    per_player: dict[str, int] = {}
    infoset_number: dict[int, int] = {}
    for k, s in enumerate(tree.infosets):
        per_player[s.player] = per_player.get(s.player, 0) + 1
        infoset_number[k] = per_player[s.player]
    chance_no = 0
    outcome_no = 0
    for i in range(tree.n_nodes):
        name = _q(tree.node_ids[i])
        if tree.kind[i] == CHANCE:
            chance_no += 1
            moves = " ".join(f"{_q(a)} {p}" for a, p in
                             zip(tree.actions[i], _exact_probs(tree.edge_chance[list(
                                 tree.children[i])]), strict=True))
            lines.append(f'c {name} {chance_no} "" {{ {moves} }} 0')
        elif tree.kind[i] == DECISION:
            k = int(tree.infoset_of[i])
            s = tree.infosets[k]
            acts = " ".join(_q(a) for a in s.actions)
            lines.append(f"p {name} {tree.player_index(s.player) + 1} {infoset_number[k]} "
                         f"{_q(s.id)} {{ {acts} }} 0")
        else:
            outcome_no += 1
            pays = ", ".join(_num(v) for v in tree.payoffs[i])
            lines.append(f"t {name} {outcome_no} {_q(tree.outcome[i] or '')} {{ {pays} }}")
    return "\n".join(lines) + "\n"
