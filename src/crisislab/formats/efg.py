"""Gambit's text formats: ``.efg`` export and import, ``.nfg`` export.

The extensive-form format (Gambit manual, "Game representation formats") is a
header ``EFG 2 R "title" { "player" ... }``, an optional comment string, then
the nodes in pre-order, one per line::

    c "name" <chance infoset no> "infoset name" { "action" prob ... } <outcome no>
    p "name" <player no> <infoset no> "infoset name" { "action" ... } <outcome no>
    t "name" <outcome no> "outcome name" { payoff, payoff, ... }

Our exporter numbers each player's information sets in pre-order of their first
node (the order pygambit reports them), names each terminal after its node
and its outcome after the outcome class, so a round trip keeps node ids,
information sets and outcome classes.  The importer accepts integers,
decimals and rationals ``a/b``, outcomes on non-terminal nodes (their payoffs
are added to every terminal below), and later members of an information set
that omit its name and action list.  Errors carry line and column.

The normal-form exporter writes the full (unreduced) strategic form: a pure
strategy is one action at each of the player's information sets, and the
payoff of a contingency is its expected payoff over chance.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from crisislab.errors import InputError, Problem
from crisislab.games.efg_writer import _num, _q, to_efg
from crisislab.games.profile import edge_probabilities, node_values
from crisislab.games.tree import GameTree, TreeBuilder, TreeError, outcome_classes

# A scenario's own outcome ids (escalation, capitulation ...) survive a round trip;
# free-text outcome names from other tools stay unclassified.
_OUTCOME_ID = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")

MAX_NFG_CONTINGENCIES = 1_000_000

__all__ = ["MAX_NFG_CONTINGENCIES", "parse_efg", "pure_strategies", "to_efg", "to_nfg"]


def pure_strategies(tree: GameTree) -> list[list[tuple[int, ...]]]:
    """Per player, its pure strategies as tuples of action indices (one per own infoset)."""
    out = []
    for p in tree.players:
        ks = [k for k, s in enumerate(tree.infosets) if s.player == p]
        out.append(list(itertools.product(*[range(len(tree.infosets[k].actions)) for k in ks])))
    return out


def to_nfg(tree: GameTree) -> str:
    """Gambit ``.nfg`` text of the full strategic form of ``tree``."""
    strategies = pure_strategies(tree)
    own = [[k for k, s in enumerate(tree.infosets) if s.player == p] for p in tree.players]
    total = int(np.prod([len(s) for s in strategies]))
    if total > MAX_NFG_CONTINGENCIES:
        raise InputError([Problem(
            f"the strategic form has {total} contingencies, more than "
            f"{MAX_NFG_CONTINGENCIES}; export the extensive form (.efg) instead",
            value=total, expected=f"<= {MAX_NFG_CONTINGENCIES} contingencies")])
    labels = [["/".join(tree.infosets[k].actions[j] for k, j in zip(ks, strat, strict=True))
               or "none" for strat in strats] for ks, strats in zip(own, strategies, strict=True)]
    # contingencies with the first player's strategy varying fastest
    order = itertools.product(*[range(len(s)) for s in reversed(strategies)])
    profiles = np.zeros((total, tree.n_slots))
    for row, combo in enumerate(order):
        for pi, si in enumerate(reversed(combo)):
            for k, j in zip(own[pi], strategies[pi][si], strict=True):
                profiles[row, tree.slot_offset[k] + j] = 1.0
    payoffs = node_values(tree, edge_probabilities(tree, profiles))[:, 0, :]
    head = (f"NFG 1 R {_q(tree.title)} {{ {' '.join(_q(p) for p in tree.players)} }}\n\n{{ "
            + "\n".join("{ " + " ".join(_q(x) for x in lab) + " }" for lab in labels)
            + "\n}\n\"\"\n\n")
    body = " ".join(_num(v) for v in payoffs.ravel())
    return head + body + "\n"


# ---------------------------------------------------------------------------- import
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}]|,|-?\d+/\d+|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?'
                    r'|[A-Za-z_]+|\S')


@dataclass(frozen=True)
class _Tok:
    text: str
    line: int
    column: int


def _tokens(text: str) -> list[_Tok]:
    out = []
    for ln, line in enumerate(text.splitlines(), start=1):
        for m in _TOKEN.finditer(line):
            out.append(_Tok(m.group(0), ln, m.start() + 1))
    return out


class _Reader:
    def __init__(self, text: str, file: str | None):
        self.toks = _tokens(text)
        self.i = 0
        self.file = file

    def error(self, message: str, tok: _Tok | None = None, expected: str | None = None
              ) -> InputError:
        tok = tok or (self.toks[self.i] if self.i < len(self.toks) else None)
        return InputError([Problem(message, file=self.file, line=tok.line if tok else None,
                                   column=tok.column if tok else None,
                                   value=tok.text if tok else None, expected=expected)])

    def peek(self) -> _Tok | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def next(self, expected: str) -> _Tok:
        tok = self.peek()
        if tok is None:
            last = self.toks[-1] if self.toks else None
            raise InputError([Problem("unexpected end of file", file=self.file,
                                      line=last.line if last else None,
                                      column=last.column if last else None, expected=expected)])
        self.i += 1
        return tok

    def string(self, what: str) -> str:
        tok = self.next(f"a quoted {what}")
        if not tok.text.startswith('"'):
            raise self.error(f"expected a quoted {what}", tok, expected='"..."')
        return re.sub(r"\\(.)", r"\1", tok.text[1:-1])

    def literal(self, text: str) -> _Tok:
        tok = self.next(repr(text))
        if tok.text != text:
            raise self.error(f"expected {text!r}", tok, expected=text)
        return tok

    def integer(self, what: str) -> int:
        tok = self.next(what)
        if not re.fullmatch(r"\d+", tok.text):
            raise self.error(f"expected {what} (a non-negative integer)", tok, expected=what)
        return int(tok.text)

    def number(self, what: str) -> float:
        tok = self.next(what)
        try:
            return float(Fraction(tok.text))
        except (ValueError, ZeroDivisionError):
            raise self.error(f"expected {what} (a number such as 3, -0.5 or 1/3)", tok,
                             expected="number") from None

    def maybe(self, text: str) -> bool:
        tok = self.peek()
        if tok is not None and tok.text == text:
            self.i += 1
            return True
        return False


def parse_efg(text: str, file: str | None = None) -> GameTree:
    """Read Gambit ``.efg`` text into a :class:`GameTree`; InputError with line/column."""
    r = _Reader(text, file)
    title, players = _header(r)
    builder = TreeBuilder(title, players, None)  # labels filtered by the reader above
    if r.peek() is None:
        raise r.error("the file contains no nodes", expected="at least one node")
    root_id = _NodeParser(r, players, builder).node(np.zeros(len(players)))
    extra = r.peek()
    if extra is not None:
        raise r.error("text after the last node of the tree", extra, expected="end of file")
    try:
        return builder.build(root=root_id)
    except TreeError as exc:
        raise InputError([Problem(exc.message, file=file, path=exc.node)]) from None


def _header(r: _Reader) -> tuple[str, list[str]]:
    """``EFG 2 R "title" { "player" ... } ["comment"]``: the title and the players."""
    r.literal("EFG")
    r.literal("2")
    prec = r.next("R or D")
    if prec.text not in ("R", "D"):
        raise r.error("expected the precision flag R or D", prec, expected="R")
    title = r.string("title")
    r.literal("{")
    players: list[str] = []
    while not r.maybe("}"):
        players.append(r.string("player name"))
    if not players:
        raise r.error("the game declares no players", expected="at least one player")
    if len(set(players)) != len(players):
        raise r.error(f"player names must be distinct, got {players}")
    tok = r.peek()
    if tok is not None and tok.text.startswith('"'):
        r.string("comment")
    return title, players


class _NodeParser:
    """The nodes of an .efg file, depth first, into a :class:`TreeBuilder`; remembers the
    information sets and outcomes declared so far (later uses may omit their details)."""

    def __init__(self, r: _Reader, players: list[str], builder: TreeBuilder) -> None:
        self.r = r
        self.players = players
        self.builder = builder
        self.valid_outcomes = set(outcome_classes(players))
        self.infoset_def: dict[tuple[int, int], tuple[str, tuple[str, ...]]] = {}
        self.outcomes: dict[int, tuple[str, np.ndarray]] = {}
        self.used_ids: set[str] = set()
        self.counter = itertools.count()

    def node_id(self, name: str) -> str:
        """The node's name as its id, or a fresh ``nK`` when empty or taken."""
        nid = name if name and name not in self.used_ids else f"n{next(self.counter)}"
        while nid in self.used_ids:
            nid = f"n{next(self.counter)}"
        self.used_ids.add(nid)
        return nid

    def read_outcome(self, no: int, tok: _Tok, need_payoffs: bool) -> np.ndarray:
        """Payoffs of outcome ``no`` (declared here, or earlier in the file)."""
        r, players, outcomes = self.r, self.players, self.outcomes
        name_tok = r.peek()
        if name_tok is not None and name_tok.text.startswith('"'):
            oname = r.string("outcome name")
            r.literal("{")
            pays = []
            while not r.maybe("}"):
                if r.maybe(","):
                    continue
                pays.append(r.number("payoff"))
            if len(pays) != len(players):
                raise r.error(f"outcome {no} has {len(pays)} payoffs for {len(players)} "
                              "players", tok, expected=f"{len(players)} payoffs")
            outcomes[no] = (oname, np.array(pays))
        elif no not in outcomes and (no != 0 or need_payoffs):
            raise r.error(f"outcome {no} is used before its payoffs are given", tok,
                          expected="an outcome name and payoffs")
        return outcomes[no][1] if no in outcomes else np.zeros(len(players))

    def node(self, base: np.ndarray) -> str:
        """One node and its subtree; ``base`` is the payoff accumulated on the way."""
        r, players = self.r, self.players
        tok = r.next("a node (c, p or t)")
        if tok.text not in ("c", "p", "t"):
            raise r.error("expected a node type c, p or t", tok, expected="c | p | t")
        name = r.string("node name")
        nid = self.node_id(name)
        if tok.text == "t":
            no_tok = r.peek()
            no = r.integer("outcome number")
            pays = self.read_outcome(no, no_tok or tok, need_payoffs=True)
            oname = self.outcomes[no][0]
            self.builder.terminal(nid, dict(zip(players, base + pays, strict=True)),
                                  oname if oname in self.valid_outcomes
                                  or _OUTCOME_ID.fullmatch(oname) else None)
            return nid
        pl = 0
        if tok.text == "p":
            ptok = r.peek()
            pl = r.integer("player number")
            if not 1 <= pl <= len(players):
                raise r.error(f"player number {pl} is not between 1 and {len(players)}",
                              ptok, expected=f"1..{len(players)}")
        itok = r.peek()
        ino = r.integer("information set number")
        acts, probs = self.infoset(pl, ino, itok)
        if not acts:
            raise r.error("a non-terminal node needs at least one action", itok)
        if len(set(acts)) != len(acts):
            raise r.error(f"node {name!r} repeats an action label", itok)
        otok = r.peek()
        ono = r.integer("outcome number")
        acc = base + self.read_outcome(ono, otok or tok, need_payoffs=False)
        kids = [self.node(acc) for _ in acts]
        if pl == 0:
            self.builder.chance(nid, {a: (p, c)
                                      for a, p, c in zip(acts, probs, kids, strict=True)})
        else:
            self.builder.decision(nid, players[pl - 1], self.infoset_def[(pl, ino)][0],
                                  dict(zip(acts, kids, strict=True)))
        return nid

    def infoset(self, pl: int, ino: int, itok: _Tok | None) -> tuple[list[str], list[float]]:
        """The actions (and, at chance nodes, probabilities) of information set ``ino`` of
        player ``pl`` (0: chance), declared here or earlier."""
        r, infoset_def = self.r, self.infoset_def
        acts: list[str] = []
        probs: list[float] = []
        nxt = r.peek()
        if nxt is not None and nxt.text.startswith('"'):
            iname = r.string("information set name")
            r.literal("{")
            while not r.maybe("}"):
                acts.append(r.string("action name"))
                if pl == 0:
                    probs.append(r.number("chance probability"))
            key = (pl, ino)
            if pl and key in infoset_def and infoset_def[key][1] != tuple(acts):
                raise r.error(f"information set {ino} of player {pl} redeclared with other "
                              "actions", itok)
            if pl and key not in infoset_def:
                taken = {v[0] for v in infoset_def.values()}
                label = (iname if iname and iname not in taken
                         else f"{self.players[pl - 1]}:{ino}")
                infoset_def[key] = (label, tuple(acts))
        else:
            if pl == 0 or (pl, ino) not in infoset_def:
                raise r.error(f"information set {ino} is used before its actions are declared",
                              itok, expected="an information set name and actions")
            acts = list(infoset_def[(pl, ino)][1])
        return acts, probs
