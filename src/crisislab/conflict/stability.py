"""Stability of every state for every decision maker (GMCR), all at once.

Implements the solution concepts of the Graph Model for Conflict Resolution
(Fang, Hipel & Kilgour 1993) with the n-DM semantics of ``METHODS.md``:

``nash``   R: no unilateral improvement (UI).
``gmr``    every UI s1 of i admits s2 in R_{N-i}(s1) with s >=_i s2.
``smr``    as GMR, and moreover every state s3 that i reaches from s2 in one
           move satisfies s >=_i s3.
``seq``    as GMR, but the opponents' sanctioning sequence uses only their own
           UIs (each move improves its mover).
``sim``    simultaneous sanctioning: the UI combined with simultaneous UIs of
           other DMs from s (option form only; see ``sim_variant``).
``seqsim`` each UI is deterred sequentially (SEQ) or simultaneously (SIM).

Opponents sanction by legal sequences (``mode="legal"``) or, for
compatibility with other tools, with each opponent moving at most once
(``"each_once"``) or by a single opponent move (``"single"``); see
:mod:`crisislab.conflict.reachability`.  Preference is weak: an equally
preferred sanction state counts.

How it is computed: per focal DM i, the UIs of i are the edge list of its
move matrix restricted to preferred targets.  For GMR the question "is there
s2 in R_{N-i}(s1) no better than s" only needs the least preferred state the
opponents can reach from s1, which :func:`min_over_reach` gives for every s1
by one min-propagation, independent of s; SMR propagates
v(s2) = max(u_i(s2), max over i's moves from s2) instead; SEQ propagates over
the opponents' UI matrices.  Each UI then keeps the endpoint of its strongest
sanction (or -1), from which witnesses are rebuilt on demand.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import scipy.sparse as sp

from crisislab.conflict.graph import ConflictGraph
from crisislab.conflict.moves import as_move_matrix
from crisislab.conflict.reachability import (
    INF,
    check_mode,
    dense_ranks,
    min_over_reach,
    row_max,
    state_keys,
    transpose_cache,
)
from crisislab.errors import input_error
from crisislab.provenance import Provenance, canonical_json

Concept = Literal["nash", "gmr", "smr", "seq", "sim", "seqsim"]
CONCEPTS: tuple[str, ...] = ("nash", "gmr", "smr", "seq", "sim", "seqsim")
DEFAULT_CONCEPTS: tuple[str, ...] = ("nash", "gmr", "smr", "seq")
SimVariant = Literal["any", "unstable"]
SIM_VARIANTS: tuple[str, ...] = ("any", "unstable")
CONCEPT_NAMES: dict[str, str] = {
    "nash": "Nash (R)",
    "gmr": "general metarationality (GMR)",
    "smr": "symmetric metarationality (SMR)",
    "seq": "sequential stability (SEQ)",
    "sim": "simultaneous sanctioning (SIM)",
    "seqsim": "sequential or simultaneous sanctioning (SEQ+SIM)",
}

#: Sanction kinds stored per UI.
NO_SANCTION, SEQUENTIAL, SIMULTANEOUS = 0, 1, 2

#: Ceiling on simultaneous combinations examined (SIM), to refuse rather than
#: exhaust memory on very large option-form models.
DEFAULT_MAX_SIM_COMBINATIONS = 30_000_000

ProgressCallback = Callable[[float, str], None]


@dataclass(frozen=True, eq=False)
class StabilityResult:
    """Stability of every state for every DM under each concept, with sanctions.

    State indices are 0-based positions in ``graph.codes``; the public ordinal
    id of state k is k + 1 (used by :meth:`to_dict`).

    Attributes:
        graph: the analysed conflict.
        concepts: concepts computed, in request order.
        mode: sanctioning mode (``legal``, ``each_once``, ``single``).
        sim_variant: SIM variant when SIM or SEQ+SIM was computed, else None.
        improvements: per DM, ``(from, to)`` index arrays of its UIs (sorted).
        sanctions: concept -> per DM, for each UI the endpoint of a deterring
            sanction (the sanctioning sequence's final state, or for a
            simultaneous sanction the combined state), -1 when none deters.
        kinds: concept -> per DM, for each UI the sanction kind
            (0 none, 1 sequential, 2 simultaneous).
        stable: concept -> bool array (n_actors, n_states).
        provenance: method ``gmcr.stability`` with its parameters.
    """

    graph: ConflictGraph
    concepts: tuple[str, ...]
    mode: str
    sim_variant: str | None
    improvements: tuple[tuple[np.ndarray, np.ndarray], ...]
    sanctions: dict[str, tuple[np.ndarray, ...]]
    kinds: dict[str, tuple[np.ndarray, ...]]
    stable: dict[str, np.ndarray]
    provenance: Provenance
    _sim_allowed: dict[int, np.ndarray] = field(default_factory=dict, repr=False)

    def _concept(self, concept: str) -> str:
        if concept not in self.stable:
            raise input_error("stability concept not computed in this result", value=concept,
                              expected=" or ".join(self.concepts))
        return concept

    def equilibria(self, concept: str) -> np.ndarray:
        """Indices of the states stable for every DM under ``concept``."""
        return np.flatnonzero(self.stable[self._concept(concept)].all(axis=0))

    def is_stable(self, actor: int | str, state: int, concept: str) -> bool:
        i = actor if isinstance(actor, int) else self.graph.actor_index(actor)
        return bool(self.stable[self._concept(concept)][i, state])

    def improvements_from(self, actor: int, state: int) -> np.ndarray:
        """Targets of the DM's UIs from ``state``."""
        src, dst = self.improvements[actor]
        lo, hi = np.searchsorted(src, [state, state + 1])
        return dst[lo:hi]

    def witness(self, actor: int | str, state: int, concept: str) -> Any:
        """The :class:`~crisislab.conflict.witness.Witness` of (actor, state, concept)."""
        from crisislab.conflict.witness import build_witness

        i = actor if isinstance(actor, int) else self.graph.actor_index(actor)
        return build_witness(self, i, int(state), self._concept(concept))

    def to_dict(self, include_sanctions: bool = True) -> dict[str, Any]:
        """Plain, deterministic data; states appear by ordinal id (index + 1)."""
        g = self.graph
        states = []
        for k in range(g.n_states):
            entry: dict[str, Any] = {"id": k + 1, "code": int(g.codes[k])}
            if g.names is not None:
                entry["name"] = g.names[k]
            states.append(entry)
        out: dict[str, Any] = {
            "provenance": self.provenance.model_dump(),
            "actors": list(g.actors),
            "states": states,
            "concepts": list(self.concepts),
            "mode": self.mode,
            "sim_variant": self.sim_variant,
            "stability": {c: {a: self.stable[c][i].tolist() for i, a in enumerate(g.actors)}
                          for c in self.concepts},
            "equilibria": {c: (self.equilibria(c) + 1).tolist() for c in self.concepts},
        }
        if include_sanctions:
            out["sanctions"] = {
                c: {a: [[int(s) + 1, int(t) + 1, int(e) + 1 if e >= 0 else None]
                        for s, t, e in zip(*self.improvements[i], self.sanctions[c][i],
                                           strict=True)]
                    for i, a in enumerate(g.actors)}
                for c in self.concepts}
        return out

    def to_json(self, include_sanctions: bool = True) -> str:
        return canonical_json(self.to_dict(include_sanctions))

    def to_pandas(self) -> Any:
        """One row per state: id, code, stability per (concept, actor), equilibrium flags."""
        import pandas as pd

        g = self.graph
        data: dict[str, Any] = {"id": np.arange(1, g.n_states + 1), "code": g.codes}
        if g.names is not None:
            data["name"] = list(g.names)
        for c in self.concepts:
            for i, a in enumerate(g.actors):
                data[f"{c}:{a}"] = self.stable[c][i]
            data[f"{c}:equilibrium"] = self.stable[c].all(axis=0)
        return pd.DataFrame(data)


def _edges(mat: sp.csr_array) -> tuple[np.ndarray, np.ndarray]:
    rows = np.repeat(np.arange(mat.shape[0], dtype=np.int64), np.diff(mat.indptr))
    return rows, mat.indices.astype(np.int64)


def _csr(rows: np.ndarray, cols: np.ndarray, n: int) -> sp.csr_array:
    mat = sp.csr_array((np.ones(rows.size, dtype=bool), (rows, cols)), shape=(n, n))
    mat.sort_indices()
    return mat


def _stable_from(src: np.ndarray, endpoints: np.ndarray, n: int) -> np.ndarray:
    unsanctioned = src[endpoints < 0]
    return np.bincount(unsanctioned, minlength=n) == 0


def _endpoint_if(keys_min: np.ndarray, threshold: np.ndarray, n: int) -> np.ndarray:
    """End state of the min key where its rank part is <= threshold, else -1."""
    ok = keys_min != INF
    ok[ok] = (keys_min[ok] // n) <= threshold[ok]
    return np.where(ok, keys_min % n, -1).astype(np.int64)


def _check_graph(graph: ConflictGraph) -> tuple[sp.csr_array, ...]:
    n = graph.n_states
    if graph.payoffs.shape != (graph.n_actors, n):
        raise input_error("payoffs must have one row per actor and one column per state",
                          value=graph.payoffs.shape, expected=f"({graph.n_actors}, {n})")
    if len(graph.moves) != graph.n_actors:
        raise input_error("one move matrix per actor is required", value=len(graph.moves),
                          expected=str(graph.n_actors))
    if not np.all(np.isfinite(graph.payoffs)):
        raise input_error("payoffs must be finite numbers", expected="finite floats")
    return tuple(as_move_matrix(m, n) for m in graph.moves)


def analyze_stability(graph: ConflictGraph,
                      concepts: Sequence[str] = DEFAULT_CONCEPTS,
                      mode: str = "legal",
                      sim_variant: str = "any",
                      progress: ProgressCallback | None = None,
                      max_sim_combinations: int = DEFAULT_MAX_SIM_COMBINATIONS,
                      lens: str | None = None,
                      scenario: str | None = None) -> StabilityResult:
    """Stability of every state for every DM under each requested concept.

    Args:
        graph: the conflict (option form needed for ``sim``/``seqsim``).
        concepts: any of ``nash, gmr, smr, seq, sim, seqsim``.
        mode: how opponents may sanction: ``legal`` (default), ``each_once``,
            ``single``.
        sim_variant: ``any`` (combine the UI with UIs of any other DMs) or
            ``unstable`` (only with UIs of DMs for whom s is SEQ-unstable).
        progress: optional callback(fraction, message); engines never print.
    """
    check_mode(mode)
    wanted = tuple(dict.fromkeys(concepts))
    for c in wanted:
        if c not in CONCEPTS:
            raise input_error("unknown stability concept", value=c,
                              expected=", ".join(CONCEPTS))
    if not wanted:
        raise input_error("no stability concept requested", expected=", ".join(CONCEPTS))
    uses_sim = any(c in ("sim", "seqsim") for c in wanted)
    if uses_sim and sim_variant not in SIM_VARIANTS:
        raise input_error("unknown SIM variant", value=sim_variant,
                          expected=" or ".join(SIM_VARIANTS))
    if uses_sim and graph.owner_masks is None:
        raise input_error(
            "simultaneous sanctioning (SIM, SEQ+SIM) needs the option form of the model: "
            "combining moves of several decision makers is undefined in graph form",
            value=[c for c in wanted if c in ("sim", "seqsim")],
            expected="an option-form scenario, or concepts among nash, gmr, smr, seq")
    moves = _check_graph(graph)
    n, m = graph.n_states, graph.n_actors
    ranks = [dense_ranks(graph.payoffs[i]) for i in range(m)]
    improvements = []
    for i in range(m):
        src, dst = _edges(moves[i])
        keep = ranks[i][dst] > ranks[i][src]
        improvements.append((src[keep], dst[keep]))
    ui_moves = tuple(_csr(s, t, n) for s, t in improvements)
    lazy_t = {"moves": transpose_cache(moves), "ui": transpose_cache(ui_moves)}

    internal = set(wanted)
    if "seqsim" in internal:
        internal |= {"seq", "sim"}
    if uses_sim and sim_variant == "unstable":
        internal.add("seq")
    order = [c for c in CONCEPTS if c in internal]
    total = len(order) * m
    done = 0
    sanctions: dict[str, list[np.ndarray]] = {}
    kinds: dict[str, list[np.ndarray]] = {}
    stable: dict[str, np.ndarray] = {}
    sim_allowed: dict[int, np.ndarray] = {}
    for concept in order:
        ends_c: list[np.ndarray] = []
        for i in range(m):
            if progress is not None:
                progress(done / total, f"{CONCEPT_NAMES[concept]}: {graph.actors[i]}")
            src, dst = improvements[i]
            others = [j for j in range(m) if j != i]
            if concept == "nash":
                ends = np.full(src.size, -1, dtype=np.int64)
            elif concept == "gmr":
                reach = min_over_reach(moves, others, state_keys(ranks[i]), mode,
                                       lazy_t["moves"])
                ends = _endpoint_if(reach[dst], ranks[i][src], n)
            elif concept == "smr":
                worst_reply = row_max(moves[i], ranks[i], empty=-1)
                v = np.maximum(ranks[i], worst_reply)
                reach = min_over_reach(moves, others, state_keys(v), mode,
                                       lazy_t["moves"])
                ends = _endpoint_if(reach[dst], ranks[i][src], n)
            elif concept == "seq":
                reach = min_over_reach(ui_moves, others, state_keys(ranks[i]), mode,
                                       lazy_t["ui"])
                ends = _endpoint_if(reach[dst], ranks[i][src], n)
            elif concept == "sim":
                allowed = _sim_allowed_movers(stable.get("seq"), i, m, n, sim_variant)
                sim_allowed[i] = allowed
                ends = _sim_endpoints(graph, i, improvements, allowed, ranks[i],
                                      max_sim_combinations)
            else:  # seqsim
                seq_e, sim_e = sanctions["seq"][i], sanctions["sim"][i]
                ends = np.where(seq_e >= 0, seq_e, sim_e)
            ends_c.append(ends)
            done += 1
        sanctions[concept] = ends_c
        stable[concept] = np.stack([_stable_from(improvements[i][0], ends_c[i], n)
                                    for i in range(m)]) if m else np.zeros((0, n), bool)
        kinds[concept] = [_kinds(concept, ends_c[i], sanctions, i) for i in range(m)]
    if progress is not None:
        progress(1.0, "done")
    params: dict[str, Any] = {"concepts": list(wanted), "mode": mode,
                              "sim_variant": sim_variant if uses_sim else None}
    return StabilityResult(
        graph=graph, concepts=wanted, mode=mode,
        sim_variant=sim_variant if uses_sim else None,
        improvements=tuple(improvements),
        sanctions={c: tuple(sanctions[c]) for c in wanted},
        kinds={c: tuple(kinds[c]) for c in wanted},
        stable={c: stable[c] for c in wanted},
        provenance=Provenance(method="gmcr.stability", parameters=params, lens=lens,
                              scenario=scenario),
        _sim_allowed=sim_allowed)


def _kinds(concept: str, ends: np.ndarray, sanctions: dict[str, list[np.ndarray]],
           i: int) -> np.ndarray:
    out = np.zeros(ends.size, dtype=np.int8)
    if concept == "nash":
        return out
    if concept == "sim":
        out[ends >= 0] = SIMULTANEOUS
    elif concept == "seqsim":
        out[ends >= 0] = SIMULTANEOUS
        out[sanctions["seq"][i] >= 0] = SEQUENTIAL
    else:
        out[ends >= 0] = SEQUENTIAL
    return out


def _sim_allowed_movers(seq_stable: np.ndarray | None, focal: int, m: int, n: int,
                        variant: str) -> np.ndarray:
    """allowed[j, s]: may DM j join a simultaneous sanction at state s?"""
    allowed = np.ones((m, n), dtype=bool)
    if variant == "unstable":
        assert seq_stable is not None
        allowed = ~seq_stable
    allowed[focal] = False
    return allowed


def _sim_endpoints(graph: ConflictGraph, focal: int,
                   improvements: Sequence[tuple[np.ndarray, np.ndarray]],
                   allowed: np.ndarray, rank: np.ndarray, limit: int) -> np.ndarray:
    """For each UI of ``focal``: least preferred combined state no better than s, or -1.

    Combined state: the focal DM's options from its UI, each participating
    opponent's options from one of its own UIs from s, all other options as
    in s.  Combinations that are infeasible do not occur and do not sanction.
    """
    assert graph.owner_masks is not None
    codes = graph.codes.astype(np.int64)
    n = codes.size
    src, dst = improvements[focal]
    n_ui = src.size
    ends = np.full(n_ui, -1, dtype=np.int64)
    if n_ui == 0:
        return ends
    entry_ui = np.arange(n_ui, dtype=np.int64)
    entry_code = codes[dst]
    moved = np.zeros(n_ui, dtype=bool)
    for j, mask in enumerate(graph.owner_masks):
        if j == focal:
            continue
        j_src, j_dst = improvements[j]
        if not j_src.size:
            continue
        at = src[entry_ui]
        lo = np.searchsorted(j_src, at, side="left")
        hi = np.searchsorted(j_src, at, side="right")
        lens = np.where(allowed[j, at], hi - lo, 0)
        total = int(lens.sum())
        if entry_ui.size + total > limit:
            raise input_error(
                "too many simultaneous-move combinations to examine for SIM "
                f"({entry_ui.size + total:,} for decision maker {graph.actors[focal]})",
                value=entry_ui.size + total, expected=f"at most {limit:,}")
        if not total:
            continue
        pos = np.repeat(np.arange(entry_ui.size), lens)
        flat = np.arange(total) + np.repeat(lo - (np.cumsum(lens) - lens), lens)
        t_codes = codes[j_dst[flat]]
        new_code = (entry_code[pos] & ~np.int64(mask)) | (t_codes & np.int64(mask))
        entry_ui = np.concatenate([entry_ui, entry_ui[pos]])
        entry_code = np.concatenate([entry_code, new_code])
        moved = np.concatenate([moved, np.ones(total, dtype=bool)])
        # drop duplicate (ui, code) pairs, keeping a 'moved' one
        order = np.lexsort((~moved, entry_code, entry_ui))
        entry_ui, entry_code, moved = entry_ui[order], entry_code[order], moved[order]
        first = np.ones(entry_ui.size, dtype=bool)
        first[1:] = (entry_ui[1:] != entry_ui[:-1]) | (entry_code[1:] != entry_code[:-1])
        entry_ui, entry_code, moved = entry_ui[first], entry_code[first], moved[first]
    idx = np.searchsorted(codes, entry_code)
    idx_c = np.minimum(idx, n - 1)
    feasible = moved & (codes[idx_c] == entry_code)
    ui, state = entry_ui[feasible], idx_c[feasible]
    deters = rank[state] <= rank[src[ui]]
    ui, state = ui[deters], state[deters]
    keys = np.full(n_ui, INF, dtype=np.int64)
    np.minimum.at(keys, ui, rank[state].astype(np.int64) * n + state)
    hit = keys != INF
    ends[hit] = keys[hit] % n
    return ends
