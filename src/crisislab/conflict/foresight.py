"""Foresight: limited-move stability L_h, non-myopic stability, and mixed concepts.

Limited-move stability (Kilgour 1985; Fang, Hipel & Kilgour 1989, *EJOR* 41;
Fang, Hipel & Kilgour 1993, ch. 5) lets a decision maker look h moves ahead,
assuming the opponent also plays with foresight.  For a two-DM model with DMs
i and j, the anticipated final state ``G_h(i, s)`` when i is to move at s with
h moves left is defined recursively:

- ``G_0(i, s) = s``;
- ``M_h(i, s) = {t ∈ R_i(s) : G_{h−1}(j, t) ≻_i s}``, the moves that i
  expects to pay off once j has replied with horizon h − 1;
- if ``M_h(i, s)`` is empty, i stays: ``G_h(i, s) = s``; otherwise i takes the
  move whose anticipated outcome it likes best, ``G_h(i, s) = G_{h−1}(j, t*)``.

s is **L_h stable** for i iff ``M_h(i, s)`` is empty.  L_1 is Nash stability.
**Non-myopic stability** is the limit of long horizons: the recursion is a
deterministic map on a finite set, so it becomes periodic; s is non-myopically
stable for i iff it is L_h stable for every horizon h in that eventual cycle
(for every long enough h).  States whose L_h stability keeps alternating are
reported as cycling.

Ties.  The published recursion assumes a unique anticipated state.  With
indifference a mover may have several equally good choices leading to
outcomes the other DM ranks differently (the non-uniqueness noted by the
bilateral-conflict literature).  We keep every possibility as a *set* of
anticipated states and a DM values a move by the worst (``ties="cautious"``,
default) or the best (``ties="hopeful"``) state in that set; with strict
preferences both coincide with the published definition.  The rule used is
recorded in the provenance.

The published definitions cover two DMs only; models with more are refused
with that reason instead of silently applying an unpublished extension.

:func:`mixed_concepts` evaluates a different solution concept for each DM in
one analysis, as GMCR II allowed (a cautious China under SMR, a myopic North
Korea under Nash).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import scipy.sparse as sp

from crisislab.conflict.concepts import BASIC_CONCEPTS as CONCEPTS
from crisislab.conflict.concepts import BasicConcept, SanctionMode, check_mode
from crisislab.conflict.graph import ConflictGraph
from crisislab.conflict.stability import analyze_stability
from crisislab.errors import input_error
from crisislab.provenance import Provenance

TieRule = Literal["cautious", "hopeful"]

TWO_DM_REASON = (
    "limited-move (L_h) and non-myopic stability are published for conflicts with two actors "
    "only (Kilgour 1985; Fang, Hipel & Kilgour 1989, EJOR 41; 1993 ch. 5; the metarational "
    "tree of Zeng, Fang, Hipel & Kilgour 2006, Discrete Applied Mathematics 154, is also "
    "two-actor); this model has {n}. The n-actor work we know, Zeng, Fang, Hipel & Kilgour "
    "2007 (IEEE Trans. SMC-A 37(4), policy equilibrium and generalized metarationalities), "
    "defines rounds of a focal move and opponents' countermoves, not an anticipation "
    "horizon, and is not implemented. Analyse a pair with the others' options fixed "
    "(foresight --pair A,B --fix C=<state or options>), merge actors into two sides, or use "
    "Nash/GMR/SMR/SEQ."
)

#: Largest model analysed: the recursion keeps a few dense n x n boolean arrays.
FORESIGHT_MAX_STATES = 4096


def _require_two(graph: ConflictGraph) -> None:
    if graph.n_actors != 2:
        raise input_error(TWO_DM_REASON.format(n=graph.n_actors), value=list(graph.actors),
                          expected="exactly two actors, or --pair with --fix")
    n = graph.n_states
    if n > FORESIGHT_MAX_STATES:
        raise input_error(
            f"limited-move stability keeps dense {n:,} x {n:,} arrays (about "
            f"{8 * n * n / 1e9:.1f} GB)", value=n,
            expected=f"at most {FORESIGHT_MAX_STATES:,} states (fix more options with --fix)")


def pair_graph(graph: ConflictGraph, pair: Sequence[str],
               fixed: Mapping[str, int | None]) -> tuple[ConflictGraph, np.ndarray]:
    """The two-actor model of ``pair`` with every other actor held still.

    ``fixed[actor]`` is a state code whose bits on the actor's options give the options
    it keeps (option form): only states with exactly those options remain.  ``None``
    keeps every state and only removes the actor's moves (graph form, or "whatever it
    has now").  Returns the sub-model and, for each of its states, the original index.
    """
    if len(pair) != 2 or pair[0] == pair[1]:
        raise input_error("--pair names two different actors", value=list(pair),
                          expected="e.g. US,KP")
    for a in [*pair, *fixed]:
        if a not in graph.actors:
            raise input_error(f"unknown actor {a!r}", value=a,
                              expected="one of " + ", ".join(graph.actors))
    others = [a for a in graph.actors if a not in pair]
    missing = [a for a in others if a not in fixed]
    if missing:
        raise input_error(f"fix the options of {', '.join(missing)} (--fix ACTOR=...)",
                          value=missing, expected="every actor outside the pair fixed")
    keep = np.ones(graph.n_states, dtype=bool)
    codes = graph.codes.astype(np.int64)
    for a in others:
        value = fixed[a]
        if value is None:
            continue
        if graph.owner_masks is None:
            raise input_error("fixing options needs the option form of the model", value=a,
                              expected=f"{a}=stay (graph form: the actor does not move)")
        mask = np.int64(graph.owner_masks[graph.actor_index(a)])
        keep &= (codes & mask) == (np.int64(value) & mask)
    index = np.flatnonzero(keep)
    if index.size == 0:
        raise input_error("no feasible state has these fixed options", value=dict(fixed),
                          expected="options that occur together in some feasible state")
    ids = [graph.actor_index(a) for a in pair]
    moves = tuple(sp.csr_array(graph.moves[k][index][:, index], dtype=bool) for k in ids)
    names = tuple(graph.names[k] for k in index) if graph.names is not None else None
    masks = tuple(graph.owner_masks[k] for k in ids) if graph.owner_masks is not None \
        else None
    sub = ConflictGraph(tuple(pair), graph.codes[index], moves, graph.payoffs[ids][:, index],
                        names, masks)
    return sub, index


@dataclass
class _Step:
    """Anticipation sets for both movers at one horizon: sets[m][s, u] true when u may result."""

    sets: tuple[np.ndarray, np.ndarray]
    stable: tuple[np.ndarray, np.ndarray]
    choice: tuple[np.ndarray, np.ndarray]  # chosen first move per state, -1 when staying

    def key(self) -> bytes:
        return np.packbits(self.sets[0]).tobytes() + np.packbits(self.sets[1]).tobytes()


def _advance(graph: ConflictGraph, prev: tuple[np.ndarray, np.ndarray], ties: TieRule,
             moves: tuple[np.ndarray, np.ndarray]) -> _Step:
    sets: list[np.ndarray] = []
    stables: list[np.ndarray] = []
    choices: list[np.ndarray] = []
    for m in (0, 1):
        o = 1 - m
        pay = graph.payoffs[m]
        ant = prev[o]  # ant[t, u]: u may result if o moves at t with horizon h-1
        masked = np.where(ant, pay[None, :], np.inf if ties == "cautious" else -np.inf)
        value = masked.min(axis=1) if ties == "cautious" else masked.max(axis=1)
        cand = moves[m] & (value[None, :] > pay[:, None])
        scores = np.where(cand, value[None, :], -np.inf)
        best = scores.max(axis=1)
        stable = ~cand.any(axis=1)
        chosen = cand & (scores == best[:, None])
        new = (chosen.astype(np.uint8) @ ant.astype(np.uint8)) > 0
        new[stable] = False
        new[np.flatnonzero(stable), np.flatnonzero(stable)] = True
        first = np.where(stable, -1, np.argmax(chosen, axis=1))
        sets.append(new)
        stables.append(stable)
        choices.append(first)
    return _Step((sets[0], sets[1]), (stables[0], stables[1]), (choices[0], choices[1]))


@dataclass(frozen=True)
class ForesightResult:
    """L_h stability for each horizon 1..h (and the non-myopic limit when computed).

    ``stable[h-1][i, s]`` is L_h stability of state s for actor i; ``anticipated[h-1][i][s]``
    the states i expects to end in if it is to move at s; ``first_move[h-1][i, s]`` the
    move i would start with (-1 when it stays).
    """

    actors: tuple[str, ...]
    horizons: tuple[int, ...]
    stable: tuple[np.ndarray, ...]
    anticipated: tuple[tuple[tuple[tuple[int, ...], ...], ...], ...]
    first_move: tuple[np.ndarray, ...]
    nonmyopic: np.ndarray | None
    cycling: np.ndarray | None
    cycle_start: int | None
    cycle_length: int | None
    ties: str
    provenance: Provenance = field(compare=False)

    def equilibria(self, horizon: int) -> list[int]:
        """0-based states L_h stable for both DMs."""
        return [int(s) for s in np.flatnonzero(self.stable[horizon - 1].all(axis=0))]

    def nonmyopic_equilibria(self) -> list[int]:
        if self.nonmyopic is None:
            raise input_error("non-myopic stability was not computed",
                              expected="limited_move_stability(..., nonmyopic=True)")
        return [int(s) for s in np.flatnonzero(self.nonmyopic.all(axis=0))]

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "actors": list(self.actors), "ties": self.ties,
            "horizons": {str(h): {a: [bool(x) for x in self.stable[k][i]]
                                  for i, a in enumerate(self.actors)}
                         for k, h in enumerate(self.horizons)},
            "provenance": self.provenance.model_dump(),
        }
        if self.nonmyopic is not None and self.cycling is not None:
            out["nonmyopic"] = {a: [bool(x) for x in self.nonmyopic[i]]
                                for i, a in enumerate(self.actors)}
            out["cycling"] = {a: [bool(x) for x in self.cycling[i]]
                              for i, a in enumerate(self.actors)}
            out["cycle_start"] = self.cycle_start
            out["cycle_length"] = self.cycle_length
        return out

    def to_pandas(self) -> Any:
        import pandas as pd

        rows = []
        for k, h in enumerate(self.horizons):
            for i, a in enumerate(self.actors):
                for s in range(self.stable[k].shape[1]):
                    rows.append({"horizon": h, "actor": a, "state": s + 1,
                                 "stable": bool(self.stable[k][i, s]),
                                 "first_move": int(self.first_move[k][i, s]) + 1
                                 if self.first_move[k][i, s] >= 0 else None,
                                 "anticipated": ",".join(str(u + 1)
                                                         for u in self.anticipated[k][i][s])})
        return pd.DataFrame(rows)


def limited_move_stability(graph: ConflictGraph, horizon: int, *, nonmyopic: bool = False,
                           ties: TieRule = "cautious", max_horizon: int = 10_000,
                           lens: str | None = None,
                           progress: Callable[[float, str], None] | None = None
                           ) -> ForesightResult:
    """L_h stability for h = 1..``horizon`` in a two-DM model; with ``nonmyopic`` also the
    long-horizon limit (the recursion is iterated until it repeats, at most ``max_horizon``).
    """
    _require_two(graph)
    if horizon < 1:
        raise input_error("the horizon must be at least 1", value=horizon, expected="h >= 1")
    if ties not in ("cautious", "hopeful"):
        raise input_error(f"unknown tie rule {ties!r}", value=ties,
                          expected="cautious or hopeful")
    n = graph.n_states
    moves = (graph.moves[0].toarray().astype(bool), graph.moves[1].toarray().astype(bool))
    eye = np.eye(n, dtype=bool)
    prev: tuple[np.ndarray, np.ndarray] = (eye, eye)
    steps: list[_Step] = []
    seen: dict[bytes, int] = {np.packbits(eye).tobytes() * 2: 0}
    cycle_start = cycle_len = None
    limit = max(horizon, max_horizon if nonmyopic else horizon)
    h = 0
    while h < limit:
        if progress is not None:
            progress(min(h / max(horizon, 1), 0.99), f"horizon {h + 1}")
        step = _advance(graph, prev, ties, moves)
        steps.append(step)
        h += 1
        prev = step.sets
        if nonmyopic and cycle_start is None:
            key = step.key()
            if key in seen:
                cycle_start, cycle_len = seen[key] + 1, h - seen[key]
                if h >= horizon:
                    break
            else:
                seen[key] = h
    nm: np.ndarray | None = None
    cyc: np.ndarray | None = None
    if nonmyopic:
        if cycle_start is None or cycle_len is None:
            raise input_error(f"the limited-move recursion did not repeat within {max_horizon} "
                              "moves; raise max_horizon", value=max_horizon)
        # Horizons cycle_start .. cycle_start+cycle_len-1 repeat forever (cycle_start >= 1).
        window = [steps[k - 1].stable for k in range(cycle_start, cycle_start + cycle_len)]
        stack = np.array([[w[0], w[1]] for w in window])  # (L, 2, n)
        nm = np.asarray(stack.all(axis=0))
        cyc = np.asarray(stack.any(axis=0) & ~nm)
    kept = steps[:horizon]
    prov = Provenance(method="gmcr.limited_move",
                      parameters={"horizon": horizon, "nonmyopic": nonmyopic, "ties": ties},
                      lens=lens)
    return ForesightResult(
        actors=graph.actors,
        horizons=tuple(range(1, horizon + 1)),
        stable=tuple(np.stack(s.stable) for s in kept),
        anticipated=tuple(tuple(tuple(tuple(int(u) for u in np.flatnonzero(s.sets[m][x]))
                                      for x in range(n)) for m in (0, 1)) for s in kept),
        first_move=tuple(np.stack(s.choice) for s in kept),
        nonmyopic=nm, cycling=cyc, cycle_start=cycle_start, cycle_length=cycle_len,
        ties=ties, provenance=prov)


def nonmyopic_stability(graph: ConflictGraph, *, ties: TieRule = "cautious",
                        max_horizon: int = 10_000) -> ForesightResult:
    """Non-myopic stability (the long-horizon limit of L_h) in a two-DM model."""
    return limited_move_stability(graph, 1, nonmyopic=True, ties=ties, max_horizon=max_horizon)


# --------------------------------------------------------------------------- mixed concepts


def parse_concept(text: str) -> tuple[str, int | None]:
    """``"nash"``, ``"gmr"``, ``"smr"``, ``"seq"``, ``"nm"``, ``"l3"`` / ``"lh:3"`` → (kind, h)."""
    t = text.strip().lower().replace("_", "")
    if t in CONCEPTS or t == "nm":
        return t, None
    for prefix in ("lh:", "lh", "l"):
        if t.startswith(prefix) and t[len(prefix):].isdigit():
            h = int(t[len(prefix):])
            if h >= 1:
                return "lh", h
    raise input_error(f"unknown solution concept {text!r}", value=text,
                      expected="nash, gmr, smr, seq, nm, or lh:<horizon> such as lh:3")


@dataclass(frozen=True)
class MixedResult:
    """Stability of every state for each DM under that DM's own concept."""

    actors: tuple[str, ...]
    concepts: dict[str, str]
    stable: np.ndarray  # (n_actors, n_states)
    provenance: Provenance = field(compare=False)

    @property
    def equilibria(self) -> list[int]:
        return [int(s) for s in np.flatnonzero(self.stable.all(axis=0))]

    def to_dict(self) -> dict[str, Any]:
        return {"concepts": dict(sorted(self.concepts.items())),
                "stable": {a: [bool(x) for x in self.stable[i]]
                           for i, a in enumerate(self.actors)},
                "equilibria": [s + 1 for s in self.equilibria],  # ordinal ids
                "provenance": self.provenance.model_dump()}

    def to_pandas(self) -> Any:
        import pandas as pd

        return pd.DataFrame([{"actor": a, "concept": self.concepts[a], "state": s + 1,
                              "stable": bool(self.stable[i, s])}
                             for i, a in enumerate(self.actors)
                             for s in range(self.stable.shape[1])])


def mixed_concepts(graph: ConflictGraph, concepts: Mapping[str, str], *,
                   default: str = "nash", mode: SanctionMode = "legal",
                   ties: TieRule = "cautious", lens: str | None = None) -> MixedResult:
    """Stability with a different solution concept per DM, e.g.
    ``mixed_concepts(graph, {"CN": "smr", "KP": "nash"})``.  DMs not named use ``default``.
    Foresight concepts (``lh:<h>``, ``nm``) require a two-DM model.
    """
    unknown = sorted(set(concepts) - set(graph.actors))
    if unknown:
        raise input_error(f"unknown decision maker(s) {', '.join(unknown)}", value=unknown,
                          expected="one of " + ", ".join(graph.actors))
    chosen = {a: concepts.get(a, default) for a in graph.actors}
    rows = []
    foresight_cache: dict[tuple[str, int | None], ForesightResult] = {}
    basic: list[BasicConcept] = [c for c in CONCEPTS
                                 if any(parse_concept(x)[0] == c for x in chosen.values())]
    check_mode(mode)
    base = analyze_stability(graph, basic, mode=mode) if basic else None
    for i, a in enumerate(graph.actors):
        kind, h = parse_concept(chosen[a])
        if kind in CONCEPTS:
            assert base is not None
            rows.append(base.stable[kind][i])
            continue
        if (kind, h) not in foresight_cache:
            foresight_cache[(kind, h)] = (
                nonmyopic_stability(graph, ties=ties) if kind == "nm"
                else limited_move_stability(graph, h or 1, ties=ties))
        res = foresight_cache[(kind, h)]
        rows.append(res.nonmyopic[i] if kind == "nm" and res.nonmyopic is not None
                    else res.stable[-1][i])
    prov = Provenance(method="gmcr.mixed_concepts",
                      parameters={"concepts": dict(sorted(chosen.items())), "sequences": mode,
                                  "ties": ties}, lens=lens)
    return MixedResult(graph.actors, chosen, np.stack(rows), prov)
