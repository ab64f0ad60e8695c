"""Stability of every state for every actor (GMCR), all at once.

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

Every propagation step is "least value over one DM's moves from each state".
In option form (``engine="auto"``, when :func:`option_layout` confirms that a
DM's move matrix is exactly its option relation) that step is a reduction
inside groups of states sharing the other DMs' options, O(options) per state,
instead of a pass over every move; otherwise, and with ``engine="sparse"``,
it is a row minimum over the sparse move matrix.  Both give identical results.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import scipy.sparse as sp

from crisislab.bounded_store import BoundedStore
from crisislab.conflict.concepts import (
    CONCEPT_NAMES,
    CONCEPTS,
    SEQUENTIAL,
    SIMULTANEOUS,
    Concept,
    SanctionMode,
)
from crisislab.conflict.graph import ConflictGraph
from crisislab.conflict.moves import as_move_matrix, moves_digest
from crisislab.conflict.option_groups import (
    GroupLayout,
    ImprovementGroups,
    cached_option_layout,
)
from crisislab.conflict.reachability import (
    INF,
    Reducer,
    check_mode,
    dense_ranks,
    min_over_reach_reducers,
    row_blocks,
    row_max,
    sparse_reducer,
    state_keys,
)
from crisislab.conflict.witness import Witness, build_witness
from crisislab.errors import input_error
from crisislab.provenance import Provenance, canonical_json

if TYPE_CHECKING:
    import pandas as pd

Engine = Literal["auto", "sparse"]
ENGINES: tuple[str, ...] = ("auto", "sparse")
DEFAULT_CONCEPTS: tuple[Concept, ...] = ("nash", "gmr", "smr", "seq")
SimVariant = Literal["any", "unstable"]
SIM_VARIANTS: tuple[str, ...] = ("any", "unstable")
#: Ceiling on simultaneous combinations examined (SIM), to refuse rather than
#: exhaust memory on very large option-form models.
DEFAULT_MAX_SIM_COMBINATIONS = 30_000_000

ProgressCallback = Callable[[float, str], None]


@dataclass(frozen=True, eq=False)
class StabilityResult:
    """Stability of every state for every actor under each concept, with sanctions.

    State indices are 0-based positions in ``graph.codes``; the public ordinal
    id of state k is k + 1 (used by :meth:`to_dict`).

    Attributes:
        graph: the analysed conflict.
        concepts: concepts computed, in request order.
        mode: sanctioning mode (``legal``, ``each_once``, ``single``).
        sim_variant: SIM variant when SIM or SEQ+SIM was computed, else None.
        improvements: per actor, ``(from, to)`` index arrays of its UIs (sorted).
        sanctions: concept -> per actor, for each UI the endpoint of a deterring
            sanction (the sanctioning sequence's final state, or for a
            simultaneous sanction the combined state), -1 when none deters.
        kinds: concept -> per actor, for each UI the sanction kind
            (0 none, 1 sequential, 2 simultaneous).
        stable: concept -> bool array (n_actors, n_states).
        provenance: method ``gmcr.stability`` with its parameters.
    """

    graph: ConflictGraph
    concepts: tuple[str, ...]
    mode: SanctionMode
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
        """Indices of the states stable for every actor under ``concept``."""
        return np.flatnonzero(self.stable[self._concept(concept)].all(axis=0))

    def is_stable(self, actor: int | str, state: int, concept: str) -> bool:
        """Whether ``state`` is stable for ``actor`` (index or id) under ``concept``."""
        i = actor if isinstance(actor, int) else self.graph.actor_index(actor)
        return bool(self.stable[self._concept(concept)][i, state])

    def improvements_from(self, actor: int, state: int) -> np.ndarray:
        """Targets of the actor's UIs from ``state``."""
        src, dst = self.improvements[actor]
        lo, hi = np.searchsorted(src, [state, state + 1])
        return dst[lo:hi]

    def witness(self, actor: int | str, state: int, concept: str) -> Witness:
        """The :class:`~crisislab.conflict.witness.Witness` of (actor, state, concept)."""
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
        """Deterministic JSON of :meth:`to_dict`."""
        return canonical_json(self.to_dict(include_sanctions))

    def __repr__(self) -> str:
        eq = "; ".join(f"{CONCEPT_NAMES.get(c, c)} "
                       + (", ".join(f"s{e + 1}" for e in self.equilibria(c)[:8]) or "none")
                       + (" …" if len(self.equilibria(c)) > 8 else "") for c in self.concepts)
        return (f"<StabilityResult {self.graph.n_states} states, actors "
                f"{', '.join(self.graph.actors)}; equilibria: {eq}>")

    def _repr_html_(self) -> str:
        from crisislab.display import html

        return html(self)

    def to_pandas(self) -> pd.DataFrame:
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


def _index_dtype(n: int) -> type[np.signedinteger]:
    return np.int32 if n < np.iinfo(np.int32).max else np.int64


def _improvement_edges(mat: sp.csr_array, rank: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(from, to) of the moves to strictly higher ranked states, sorted, block by block."""
    n = mat.shape[0]
    idx = _index_dtype(n)
    rank = rank.astype(idx)
    srcs: list[np.ndarray] = [np.empty(0, dtype=idx)]
    dsts: list[np.ndarray] = [np.empty(0, dtype=idx)]
    for r0, r1 in row_blocks(mat.indptr):
        e0, e1 = int(mat.indptr[r0]), int(mat.indptr[r1])
        src = np.repeat(np.arange(r0, r1, dtype=idx), np.diff(mat.indptr[r0:r1 + 1]))
        dst = mat.indices[e0:e1]
        keep = rank[dst] > rank[src]
        srcs.append(src[keep])
        dsts.append(dst[keep].astype(idx, copy=False))
    return np.concatenate(srcs), np.concatenate(dsts)


def _csr(rows: np.ndarray, cols: np.ndarray, n: int) -> sp.csr_array:
    """CSR of (from, to) pairs already sorted by row, then column, without duplicates."""
    indptr = np.zeros(n + 1, dtype=_index_dtype(max(n, rows.size)))
    np.cumsum(np.bincount(rows, minlength=n), out=indptr[1:])
    mat = sp.csr_array((np.ones(rows.size, dtype=bool), cols.astype(indptr.dtype, copy=False),
                        indptr), shape=(n, n))
    mat.has_sorted_indices = True
    mat.has_canonical_format = True
    return mat


def _stable_from(src: np.ndarray, endpoints: np.ndarray, n: int) -> np.ndarray:
    stable = np.ones(n, dtype=bool)
    stable[src[endpoints < 0]] = False
    return stable


def _endpoints(reach: np.ndarray, src: np.ndarray, dst: np.ndarray, rank: np.ndarray,
               n: int) -> np.ndarray:
    """Per UI s -> s1: the state of the min key over s1's reach if no better than s, else -1."""
    idx = _index_dtype(n)
    found = reach != INF
    # rank and state of each s1's least preferred reachable state (rank n: none)
    reach_rank = np.where(found, reach // n, n).astype(idx)
    reach_state = (reach % n).astype(idx)
    rank_idx = rank.astype(idx)
    out = np.empty(src.size, dtype=idx)
    step = 1 << 22
    for a in range(0, src.size, step):
        d = dst[a:a + step]
        ok = reach_rank[d] <= rank_idx[src[a:a + step]]
        out[a:a + step] = np.where(ok, reach_state[d], -1)
    return out


class _Moves:
    """Per-DM reducers over moves and over UIs, built once and only when needed.

    A DM's moves use its option-form group layout when the engine may and the
    layout reproduces its move matrix exactly; else the sparse matrix (with a
    transpose built on first push).  UIs use the layout when all the DM's
    options are reversible; else a sparse UI matrix.  Layouts depend on the moves
    alone, so they come from :func:`cached_option_layout`: analyses of the same
    moves under other preferences (crux searches, sweeps) recognise each once.
    """

    def __init__(self, graph: ConflictGraph, moves: tuple[sp.csr_array, ...],
                 improvements: Sequence[tuple[np.ndarray, np.ndarray]],
                 ranks: Sequence[np.ndarray], engine: str,
                 memo: SanctionMemo | None = None, digest: bytes | None = None) -> None:
        self.graph, self.moves, self.improvements, self.ranks = graph, moves, improvements, ranks
        self.memo, self.digest = memo, digest
        self.fast = engine == "auto" and graph.owner_masks is not None \
            and len(graph.owner_masks) == graph.n_actors
        self._layouts: dict[int, GroupLayout | None] = {}
        self._move_reducers: dict[int, Reducer] = {}
        self._ui_reducers: dict[int, Reducer] = {}

    def layout(self, k: int) -> GroupLayout | None:
        if not self.fast:
            return None
        if k not in self._layouts:
            assert self.graph.owner_masks is not None
            self._layouts[k] = cached_option_layout(self.graph.codes,
                                                    self.graph.owner_masks[k], self.moves[k])
        return self._layouts[k]

    @staticmethod
    def _sparse(mat: sp.csr_array) -> Reducer:
        cache: list[sp.csr_array] = []

        def transpose() -> sp.csr_array:
            if not cache:
                cache.append(sp.csr_array(mat.T))
            return cache[0]

        return sparse_reducer(mat, transpose)

    def move_reducer(self, k: int) -> Reducer:
        if k not in self._move_reducers:
            if self.memo is not None:  # a DM's moves alone: shared by every ranking
                key = (self.digest, "move reducer", self.fast, k)
                cost = 16 * (self.graph.n_states + int(self.moves[k].nnz))
                self._move_reducers[k] = self.memo.piece(
                    key, lambda: self._build_move_reducer(k), cost)
            else:
                self._move_reducers[k] = self._build_move_reducer(k)
        return self._move_reducers[k]

    def _build_move_reducer(self, k: int) -> Reducer:
        lay = self.layout(k)
        return Reducer(lay.min_other) if lay is not None else self._sparse(self.moves[k])

    def ui_reducer(self, k: int) -> Reducer:
        if k not in self._ui_reducers:
            if self.memo is not None:  # a DM's UIs depend on the moves and its ranking
                key = (self.digest, "ui reducer", self.fast, k, self.ranks[k].tobytes())
                cost = 16 * (self.graph.n_states + self.improvements[k][0].size)
                self._ui_reducers[k] = self.memo.piece(
                    key, lambda: self._build_ui_reducer(k), cost)
            else:
                self._ui_reducers[k] = self._build_ui_reducer(k)
        return self._ui_reducers[k]

    def _build_ui_reducer(self, k: int) -> Reducer:
        lay = self.layout(k)
        if lay is not None and lay.reversible:
            groups = ImprovementGroups.build(lay, self.ranks[k])
            return Reducer(groups.min_improving)
        src, dst = self.improvements[k]
        return self._sparse(_csr(src, dst, self.graph.n_states))

    def worst_reply(self, i: int) -> np.ndarray:
        """Per state s2: the focal DM's best rank among s2 and its moves from s2."""
        rank = self.ranks[i]
        lay = self.layout(i)
        if lay is not None:
            return lay.max_closed(rank)
        return np.maximum(rank, row_max(self.moves[i], rank, empty=-1))  # type: ignore[no-any-return]


class SanctionMemo:
    """What analyses of the same moves under other preferences can share.

    Under GMR and SMR a DM's sanctions depend on the moves and on that DM's own
    ranking only (the opponents sanction by any move), and under SEQ on the moves
    and every ranking (the opponents sanction by their own improvements).  A crux
    search analyses one set of moves under many preference variants that mostly
    leave a given DM's ranking as it was, so its sanctions, its improvements and
    the reducer over them need not be recomputed.  Entries are keyed by a digest of
    the moves' content, the DM and the rankings they read (and the mode and
    concept, for sanctions), so a memo may be shared by any analyses; a result is
    the same with or without one.  It holds at most ``size`` entries and
    ``max_bytes`` of arrays (the least recently used are dropped first, so a search on
    a large model keeps what fits: :class:`~crisislab.bounded_store.BoundedStore`).
    """

    def __init__(self, size: int = 4096, max_bytes: int = 256 << 20) -> None:
        self._store: BoundedStore[tuple[Any, ...], Any] = BoundedStore(size, max_bytes)
        self._digests: BoundedStore[int, tuple[tuple[sp.csr_array, ...], bytes]] = \
            BoundedStore(size)

    @property
    def size(self) -> int:
        """The most entries held."""
        return self._store.size

    @property
    def max_bytes(self) -> int:
        """The most bytes of arrays held."""
        return self._store.max_bytes or 0

    def digest(self, graph: ConflictGraph, moves: Sequence[sp.csr_array]) -> bytes:
        """A digest of everything but the payoffs that a sanction depends on
        (:func:`~crisislab.conflict.moves.moves_digest`), computed once per moves tuple a
        caller passes again (the tuple is held, so its identity stays its own)."""
        held = self._digests.get(id(graph.moves))
        if held is None or held[0] is not graph.moves:
            held = (graph.moves, moves_digest(graph.codes, moves, graph.owner_masks))
            self._digests.put(id(graph.moves), held)
        return held[1]

    def get(self, key: tuple[Any, ...]) -> np.ndarray | None:
        """The stored endpoints under ``key``, or None."""
        return self._store.get(key)

    def put(self, key: tuple[Any, ...], ends: np.ndarray) -> None:
        """Store endpoints (read-only from now on: later results share the array)."""
        ends.flags.writeable = False
        self._store.put(key, ends, int(ends.nbytes))

    def piece(self, key: tuple[Any, ...], build: Callable[[], Any],
              cost: int | None = None) -> Any:
        """The stored piece under ``key`` (ranks, improvements, a reducer), built and
        stored on first request; pieces are only read by their users.  ``cost``: the
        bytes it holds (by default those of its arrays)."""
        return self._store.get_or_put(key, build,
                                      _nbytes if cost is None else (lambda _v: cost))

    def stored_keys(self) -> list[tuple[Any, ...]]:
        """The keys of the entries held, least recently used first."""
        return self._store.keys()

    @property
    def nbytes(self) -> int:
        """The bytes the stored entries hold (as counted when stored)."""
        return self._store.nbytes

    def __len__(self) -> int:
        return len(self._store)


def _nbytes(value: Any) -> int:
    """Bytes of the arrays in ``value`` (an array or a tuple of them)."""
    if isinstance(value, np.ndarray):
        return int(value.nbytes)
    if isinstance(value, tuple):
        return sum(_nbytes(v) for v in value)
    return 0


def _shared_ranks(payoffs: np.ndarray) -> np.ndarray:
    """:func:`dense_ranks`, read-only: a :class:`SanctionMemo` shares it between results."""
    ranks = dense_ranks(payoffs)
    ranks.flags.writeable = False
    return ranks


def _shared_edges(mat: sp.csr_array, rank: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_improvement_edges`, read-only: a :class:`SanctionMemo` shares them."""
    src, dst = _improvement_edges(mat, rank)
    src.flags.writeable = False
    dst.flags.writeable = False
    return src, dst


def _memo_key(concept: str, i: int, ranks: Sequence[np.ndarray]) -> tuple[Any, ...]:
    """The part of a :class:`SanctionMemo` key after the moves and mode: the rankings
    that ``concept``'s sanctions of DM ``i`` read."""
    if concept == "seq":
        return (concept, i, *(r.tobytes() for r in ranks))
    return (concept, i, ranks[i].tobytes())


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
                      concepts: Sequence[Concept] = DEFAULT_CONCEPTS,
                      mode: SanctionMode = "legal",
                      sim_variant: str = "any",
                      progress: ProgressCallback | None = None,
                      max_sim_combinations: int = DEFAULT_MAX_SIM_COMBINATIONS,
                      lens: str | None = None,
                      scenario: str | None = None,
                      engine: str = "auto",
                      memo: SanctionMemo | None = None) -> StabilityResult:
    """Stability of every state for every DM under each requested concept.

    Args:
        graph: the conflict (option form needed for ``sim``/``seqsim``).
        concepts: any of ``nash, gmr, smr, seq, sim, seqsim``.
        mode: how opponents may sanction: ``legal`` (default), ``each_once``,
            ``single``.
        sim_variant: ``any`` (combine the UI with UIs of any other DMs) or
            ``unstable`` (only with UIs of DMs for whom s is SEQ-unstable).
        progress: optional callback(fraction, message); engines never print.
        engine: ``auto`` (group reductions for option-form DMs, sparse matrices
            otherwise) or ``sparse`` (sparse matrices only: the general path,
            kept as a baseline).  Results are identical either way, so the
            choice is not part of the provenance.
        memo: a :class:`SanctionMemo` that answers GMR, SMR and SEQ sanctions
            already computed on the same moves for the same rankings (and
            learns the new ones); the result is the same without it.
    """
    check_mode(mode)
    if engine not in ENGINES:
        raise input_error("unknown stability engine", value=engine, expected=" or ".join(ENGINES))
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
            "combining moves of several actors is undefined in graph form",
            value=[c for c in wanted if c in ("sim", "seqsim")],
            expected="an option-form scenario, or concepts among nash, gmr, smr, seq")
    moves = _check_graph(graph)
    n, m = graph.n_states, graph.n_actors
    if memo is None:
        ranks = [dense_ranks(graph.payoffs[i]) for i in range(m)]
        improvements = [_improvement_edges(moves[i], ranks[i]) for i in range(m)]
        base_key = None
    else:
        digest = memo.digest(graph, moves)
        ranks = [memo.piece(("rank", str(graph.payoffs.dtype), graph.payoffs[i].tobytes()),
                            partial(_shared_ranks, graph.payoffs[i])) for i in range(m)]
        improvements = [memo.piece((digest, "ui", i, ranks[i].tobytes()),
                                   partial(_shared_edges, moves[i], ranks[i]))
                        for i in range(m)]
        base_key = (digest, mode)
    ops = _Moves(graph, moves, improvements, ranks, engine, memo,
                 base_key[0] if base_key else None)

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
                ends = np.full(src.size, -1, dtype=_index_dtype(n))
            elif concept in ("gmr", "smr", "seq"):
                key = (*base_key, *_memo_key(concept, i, ranks)) if base_key else None
                known = memo.get(key) if memo is not None and key is not None else None
                if known is not None:
                    ends_c.append(known)
                    done += 1
                    continue
                if concept == "seq":
                    reducers = [ops.ui_reducer(j) for j in others]
                else:
                    reducers = [ops.move_reducer(j) for j in others]
                v = ops.worst_reply(i) if concept == "smr" else ranks[i]
                reach = min_over_reach_reducers(reducers, state_keys(v), mode)
                ends = _endpoints(reach, src, dst, ranks[i], n)
                del reach
                if memo is not None and key is not None:
                    memo.put(key, ends)
            elif concept == "sim":
                allowed = _sim_allowed_movers(stable.get("seq"), i, m, n, sim_variant)
                sim_allowed[i] = allowed
                ends = _sim_endpoints(graph, i, improvements, allowed, ranks[i],
                                      max_sim_combinations).astype(_index_dtype(n))
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
                f"({entry_ui.size + total:,} for actor {graph.actors[focal]})",
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
