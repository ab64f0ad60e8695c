"""Normal-form (strategic-form) games: payoff tables, Gambit ``.nfg`` import, Nash equilibria.

A normal-form game is a table of payoffs, one per actor for every profile of
strategies.  It is solved two ways that check each other: as a table (pure
equilibria of any number of actors by one whole-array best-response test;
every mixed equilibrium of a two-actor game by support enumeration), and as
the equivalent extensive form -- each actor moves once, without seeing the
others' moves (one information set per actor) -- so the same assessment as
every other game (regret, outcome probabilities, expected payoffs) applies.

Support enumeration (Mangasarian 1964; von Stengel 2007, "Equilibrium
computation for two-player games in strategic and extensive form", in
Algorithmic Game Theory, ch. 3): for supports I, J of equal size, solve the
indifference conditions A[I, J] y = v 1, x B[I, J] = u 1 with the weights
summing to one, and keep solutions that are non-negative and best responses.
For a nondegenerate game this lists every equilibrium exactly once.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from crisislab.errors import InputError, Problem
from crisislab.games.tree import CHANCE, DECISION, TERMINAL, GameTree, TreeBuilder
from crisislab.model.normal_form_spec import table_to_tree_spec as table_to_tree_spec

TOL = 1e-9
MAX_SUPPORT_PAIRS = 200_000  # about 10 x 10 strategies; a few seconds


@dataclass(frozen=True)
class NormalForm:
    """``payoffs[i]`` is actor i's payoff array, one axis per actor's strategies."""

    title: str
    players: tuple[str, ...]
    strategies: tuple[tuple[str, ...], ...]
    payoffs: np.ndarray  # (n_players, s_1, ..., s_n)
    outcomes: np.ndarray | None = None  # outcome class per profile (object array) or None

    @property
    def shape(self) -> tuple[int, ...]:
        """Number of strategies of each actor."""
        return tuple(len(s) for s in self.strategies)


def pure_nash(nf: NormalForm) -> list[tuple[int, ...]]:
    """Every pure-strategy Nash equilibrium (profiles of strategy indices), any number of actors.

    A profile is an equilibrium when each actor's payoff equals the maximum over its
    own axis: one comparison per actor over the whole table.
    """
    ok = np.ones(nf.shape, dtype=bool)
    for i in range(len(nf.players)):
        best = nf.payoffs[i].max(axis=i, keepdims=True)
        ok &= nf.payoffs[i] >= best - TOL
    return [tuple(int(v) for v in idx) for idx in np.argwhere(ok)]


def _indifference(M: np.ndarray) -> np.ndarray | None:
    """Weights w >= 0? not checked here: solve M w = c 1, sum w = 1 for (w, c)."""
    k = M.shape[1]
    lhs = np.zeros((M.shape[0] + 1, k + 1))
    lhs[:-1, :k] = M
    lhs[:-1, k] = -1.0
    lhs[-1, :k] = 1.0
    rhs = np.zeros(M.shape[0] + 1)
    rhs[-1] = 1.0
    try:
        sol = np.linalg.solve(lhs, rhs)
    except np.linalg.LinAlgError:
        return None
    return sol


def support_enumeration(nf: NormalForm) -> list[tuple[np.ndarray, np.ndarray]]:
    """Mixed Nash equilibria of a two-actor game by enumerating supports of equal size."""
    return support_enumeration_checked(nf)[0]


def support_enumeration_checked(nf: NormalForm
                                ) -> tuple[list[tuple[np.ndarray, np.ndarray]], bool]:
    """The equilibria, and whether the game showed itself degenerate (an equilibrium
    strategy with more pure best responses against it than the size of its support),
    in which case the list may miss components."""
    if len(nf.players) != 2:
        raise ValueError("support enumeration is for two actors")
    A, B = nf.payoffs[0], nf.payoffs[1]
    m, n = A.shape
    pairs = sum(len(list(itertools.combinations(range(m), k))) *
                len(list(itertools.combinations(range(n), k))) for k in range(1, min(m, n) + 1))
    if pairs > MAX_SUPPORT_PAIRS:
        raise InputError([Problem(f"support enumeration would try {pairs} support pairs",
                                  value=[m, n], expected=f"at most {MAX_SUPPORT_PAIRS} "
                                  "(a smaller game, or the pure-strategy search)")])
    found: list[tuple[np.ndarray, np.ndarray]] = []
    degenerate = False
    for k in range(1, min(m, n) + 1):
        for rows in itertools.combinations(range(m), k):
            for cols in itertools.combinations(range(n), k):
                sy = _indifference(A[np.ix_(rows, cols)])
                sx = _indifference(B[np.ix_(rows, cols)].T)
                if sy is None or sx is None:
                    continue
                y = np.zeros(n)
                y[list(cols)] = sy[:k]
                x = np.zeros(m)
                x[list(rows)] = sx[:k]
                if (x < -TOL).any() or (y < -TOL).any():
                    continue
                x, y = np.clip(x, 0, None), np.clip(y, 0, None)
                x, y = x / x.sum(), y / y.sum()
                if (A @ y).max() > x @ A @ y + 1e-7 or (x @ B).max() > x @ B @ y + 1e-7:
                    continue
                if not any(np.allclose(x, fx, atol=1e-9) and np.allclose(y, fy, atol=1e-9)
                           for fx, fy in found):
                    found.append((x, y))
                    ay, xb = A @ y, x @ B
                    if (ay >= ay.max() - 1e-9).sum() > k or (xb >= xb.max() - 1e-9).sum() > k:
                        degenerate = True
    return found, degenerate


def to_tree(nf: NormalForm) -> GameTree:
    """The extensive form: actors move in turn, none sees an earlier move."""
    b = TreeBuilder(nf.title, nf.players)
    n = len(nf.players)

    def nid(prefix: tuple[int, ...]) -> str:
        return "root" if not prefix else "m" + "_".join(str(i) for i in prefix)

    for prefix in itertools.chain.from_iterable(
            itertools.product(*[range(len(s)) for s in nf.strategies[:d]]) for d in range(n)):
        d = len(prefix)
        children = {}
        for j, label in enumerate(nf.strategies[d]):
            full = (*prefix, j)
            children[label] = nid(full) if d + 1 < n else "t" + "_".join(map(str, full))
        b.decision(nid(prefix), nf.players[d], f"{nf.players[d]}:choice", children)
    for full in itertools.product(*[range(len(s)) for s in nf.strategies]):
        pays = {p: float(nf.payoffs[(i, *full)]) for i, p in enumerate(nf.players)}
        outcome = None if nf.outcomes is None else nf.outcomes[full]
        b.terminal("t" + "_".join(map(str, full)), pays, outcome)
    return b.build(root="root")


def behaviour(tree: GameTree, mixed: list[np.ndarray]) -> np.ndarray:
    """The tree's behaviour vector for one mixed strategy per actor (from :func:`to_tree`)."""
    b = np.zeros(tree.n_slots)
    for k, s in enumerate(tree.infosets):
        i = tree.players.index(s.player)
        b[tree.slot_offset[k]:tree.slot_offset[k] + len(s.actions)] = mixed[i]
    return b


def from_tree(tree: GameTree) -> NormalForm | None:
    """The table of a tree that is a simultaneous-move game (as :func:`to_tree` builds), else None.

    Recognised: no chance, one information set per actor, every decision node at depth
    d belongs to actor d's information set.
    """
    if len(tree.infosets) != len(tree.players) or (tree.kind == CHANCE).any():
        return None
    order = []
    node = 0
    while tree.kind[node] == DECISION:
        order.append(int(tree.infoset_of[node]))
        node = tree.children[node][0]
    if sorted(order) != list(range(len(tree.infosets))):
        return None
    players = tuple(tree.infosets[k].player for k in order)
    if sorted(players) != sorted(tree.players):
        return None
    strategies = tuple(tuple(tree.infosets[k].actions) for k in order)
    shape = tuple(len(s) for s in strategies)
    pay = np.zeros((len(players), *shape))
    outcomes = np.empty(shape, dtype=object)
    for full in itertools.product(*[range(s) for s in shape]):
        node = 0
        for depth, j in enumerate(full):
            if tree.kind[node] != DECISION or int(tree.infoset_of[node]) != order[depth]:
                return None
            node = tree.children[node][j]
        if tree.kind[node] != TERMINAL:
            return None
        for i, p in enumerate(players):
            pay[(i, *full)] = tree.payoffs[node, tree.players.index(p)]
        outcomes[full] = tree.outcome[node]
    return NormalForm(tree.title, players, strategies, pay, outcomes)


# ------------------------------------------------------------------------- .nfg import
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}]|-?\d+/\d+|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?'
                    r'|[A-Za-z_]+|\S')


class _NfgReader:
    """The tokens of an ``.nfg`` file and a position in them; every error is located at
    the token it concerns (line and column)."""

    def __init__(self, text: str, file: str | None) -> None:
        self.file = file
        self.toks: list[tuple[str, int, int]] = [
            (m.group(), ln, m.start() + 1)
            for ln, line in enumerate(text.splitlines(), 1) for m in _TOKEN.finditer(line)]
        self.pos = 0

    def err(self, msg: str, expected: str | None = None, at: int | None = None) -> InputError:
        """An error at token ``at`` (default: the current one, or the last at the end)."""
        i = min(self.pos if at is None else at, len(self.toks) - 1)
        t = self.toks[i] if self.toks else ("", None, None)
        return InputError([Problem(msg, file=self.file, line=t[1], column=t[2],
                                   value=t[0] or None, expected=expected)])

    def peek(self) -> str | None:
        """The next token without consuming it (None at the end)."""
        return self.toks[self.pos][0] if self.pos < len(self.toks) else None

    def nxt(self, expected: str) -> str:
        """Consume the next token; the end of the file is an error naming ``expected``."""
        if self.pos >= len(self.toks):
            raise self.err("unexpected end of file", expected)
        self.pos += 1
        return self.toks[self.pos - 1][0]

    def lit(self, s: str) -> None:
        """Consume the literal ``s``."""
        if self.nxt(s) != s:
            raise self.err(f"expected {s!r}", s, self.pos - 1)

    def string(self, what: str) -> str:
        """Consume a quoted string, unescaped."""
        t = self.nxt(f"a quoted {what}")
        if not t.startswith('"'):
            raise self.err(f"expected a quoted {what}", '"..."', self.pos - 1)
        return re.sub(r"\\(.)", r"\1", t[1:-1])

    def number(self, what: str) -> float:
        """Consume a number (integer, decimal or fraction such as 1/3)."""
        t = self.nxt(what)
        try:
            return float(Fraction(t))
        except (ValueError, ZeroDivisionError):
            raise self.err(f"expected {what} (a number such as 3, -0.5 or 1/3)", "number",
                           self.pos - 1) from None

    def strings_until_brace(self, what: str) -> list[str]:
        """Quoted strings up to the closing brace (not consumed)."""
        out: list[str] = []
        while self.peek() not in (None, "}"):
            out.append(self.string(what))
        return out


def _nfg_strategies(r: _NfgReader, players: list[str]) -> list[tuple[str, ...]]:
    """Each player's strategies: named (``{ "a" "b" }`` per player) or counted (``2 3``,
    then numbered from 1)."""
    strategies: list[tuple[str, ...]] = []
    if r.peek() == "{":
        for _ in players:
            r.lit("{")
            names = r.strings_until_brace("strategy name")
            r.lit("}")
            if not names:
                raise r.err("a player needs at least one strategy", "strategy names", r.pos - 1)
            strategies.append(tuple(names))
    else:
        for _ in players:
            t = r.nxt("number of strategies")
            if not t.isdigit() or int(t) < 1:
                raise r.err("expected a number of strategies", "a positive integer", r.pos - 1)
            strategies.append(tuple(str(j + 1) for j in range(int(t))))
    return strategies


def _nfg_outcome_payoffs(r: _NfgReader, n: int, total: int) -> np.ndarray:
    """The outcome version: a list of named payoff vectors, then one outcome index per
    contingency (0: every payoff 0)."""
    pay = np.zeros((n, total))
    r.lit("{")
    outcomes: list[np.ndarray] = []
    while r.peek() == "{":
        r.lit("{")
        r.string("outcome name")
        vals = []
        while r.peek() not in (None, "}"):
            if r.peek() == ",":
                r.pos += 1
                continue
            vals.append(r.number("a payoff"))
        r.lit("}")
        if len(vals) != n:
            raise r.err(f"an outcome needs {n} payoffs, got {len(vals)}", f"{n} numbers",
                        r.pos - 1)
        outcomes.append(np.array(vals))
    r.lit("}")
    for c in range(total):
        t = r.nxt("an outcome index")
        if not t.isdigit() or int(t) > len(outcomes):
            raise r.err("expected an outcome index", f"0..{len(outcomes)}", r.pos - 1)
        if int(t) > 0:
            pay[:, c] = outcomes[int(t) - 1]
    return pay


def parse_nfg(text: str, file: str | None = None) -> NormalForm:
    """Read Gambit ``.nfg`` (payoff or outcome version) into a :class:`NormalForm`.

    Errors are :class:`InputError` with line and column.
    """
    r = _NfgReader(text, file)
    r.lit("NFG")
    r.lit("1")
    if r.nxt("R or D") not in ("R", "D"):
        raise r.err("expected the precision flag R or D", "R", r.pos - 1)
    title = r.string("title")
    r.lit("{")
    players = r.strings_until_brace("player name")
    r.lit("}")
    if not players:
        raise r.err("the game declares no players", "at least one player")
    r.lit("{")
    strategies = _nfg_strategies(r, players)
    r.lit("}")
    if (r.peek() or "").startswith('"'):
        r.string("comment")
    shape = tuple(len(s) for s in strategies)
    total = int(np.prod(shape))
    n = len(players)
    if r.peek() == "{":
        pay = _nfg_outcome_payoffs(r, n, total)
    else:
        pay = np.zeros((n, total))
        for c in range(total):
            for i in range(n):
                pay[i, c] = r.number("a payoff")
    if r.pos != len(r.toks):
        raise r.err("unexpected text after the payoffs", "end of file")
    # contingencies list the first player's strategy fastest
    arr = pay.reshape((n, *reversed(shape)))
    arr = np.transpose(arr, (0, *range(n, 0, -1)))
    return NormalForm(title, tuple(players), tuple(strategies), arr)


# ------------------------------------------------------------- scenario payoff tables
