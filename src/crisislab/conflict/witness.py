"""Why a state is stable or unstable for a DM, as data and in plain words.

A :class:`StabilityResult` stores, for every unilateral improvement (UI), only
the endpoint of a deterring sanction.  A :class:`Witness` expands that on
demand: for each UI of the DM from the state, either the sanction (the
sequence of opponent moves, rebuilt by breadth-first search over
(state, last mover) nodes in the result's sanctioning mode, or the
simultaneous moves for SIM) or the fact that nothing deters it.  An unstable
state's witness names the first undeterred UI.

Rendering takes a ``describe_state`` callback so the engine never needs
option labels: the report layer supplies descriptions.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

from crisislab.conflict.concepts import CONCEPT_NAMES, SEQUENTIAL, SIMULTANEOUS, check_mode
from crisislab.conflict.graph import ConflictGraph
from crisislab.conflict.reachability import Step, find_sequence


class StabilityRecord(Protocol):
    """What a witness reads from a stability result
    (:class:`crisislab.conflict.stability.StabilityResult` provides it)."""

    @property
    def graph(self) -> ConflictGraph:
        """The graph the result was computed on."""
    @property
    def mode(self) -> str:
        """The sanction mode the verdicts assumed."""
    @property
    def improvements(self) -> tuple[tuple[np.ndarray, np.ndarray], ...]:
        """Each actor's unilateral improvements, as (from, to) index arrays."""
    @property
    def sanctions(self) -> dict[str, tuple[np.ndarray, ...]]:
        """Per concept and actor, for each improvement the endpoint of a sanction that deters
        it (-1 when none does): where a witness starts its search for the sequence."""
    @property
    def kinds(self) -> dict[str, tuple[np.ndarray, ...]]:
        """Per concept and actor, for each improvement the kind of sanction that deters it (0
        none, 1 sequential, 2 simultaneous): which search the witness runs."""
    @property
    def stable(self) -> dict[str, np.ndarray]:
        """Per concept, the actors x states stability verdicts a witness must agree with."""
    @property
    def _sim_allowed(self) -> dict[int, np.ndarray]: ...
    def improvements_from(self, actor: int, state: int) -> np.ndarray:
        """The states ``actor`` improves to from ``state``: the moves a witness must account for."""


@dataclass(frozen=True)
class Deterrence:
    """One UI of the focal DM and what (if anything) deters it.

    ``kind``: "sequence" (opponents move one after another, ``steps`` in
    order), "simultaneous" (``steps`` all start at the original state and are
    taken at the same time as the UI), or None when nothing deters the UI.
    ``endpoint``: the state the sanction leaves the focal DM in.
    """

    improvement: int
    kind: str | None
    steps: tuple[Step, ...]
    endpoint: int | None

    @property
    def deterred(self) -> bool:
        """Whether a sanction deters this improvement (else it makes the state unstable)."""
        return self.kind is not None


@dataclass(frozen=True)
class Witness:
    """Evidence for the stability verdict of (actor, state, concept)."""

    actor: int
    state: int
    concept: str
    mode: str
    stable: bool
    deterrences: tuple[Deterrence, ...]
    actors: tuple[str, ...] = field(default=(), compare=False)  # actor ids, for display
    names: tuple[str, ...] | None = field(default=None, compare=False)  # state names

    def _state(self, s: int) -> str:
        return f"s{s + 1}" + (f" ({self.names[s]})" if self.names is not None else "")

    def describe(self) -> str:
        """The witness in plain words, actors by id and states by ordinal id (s1..sN)."""
        actors = self.actors or tuple(f"actor {i + 1}" for i in range(self.actor + 1))
        return render_witness(self, actors, self._state)

    def __repr__(self) -> str:
        who = self.actors[self.actor] if self.actors else f"actor {self.actor + 1}"
        concept = CONCEPT_NAMES.get(self.concept, self.concept)
        deterred = sum(d.deterred for d in self.deterrences)
        return (f"<Witness s{self.state + 1} {'stable' if self.stable else 'unstable'} for "
                f"{who} under {concept}: {deterred} of {len(self.deterrences)} "
                "improvements deterred>")

    def _repr_html_(self) -> str:
        from crisislab.display import html

        return html(self)

    @property
    def undeterred(self) -> Deterrence | None:
        """The first UI nothing deters (None for a stable state)."""
        return next((d for d in self.deterrences if not d.deterred), None)

    def to_dict(self) -> dict[str, Any]:
        """Plain data with ordinal state ids (index + 1)."""
        return {
            "actor": self.actor, "state": self.state + 1, "concept": self.concept,
            "mode": self.mode, "stable": self.stable,
            "improvements": [
                {"to": d.improvement + 1, "deterred": d.deterred, "kind": d.kind,
                 "endpoint": None if d.endpoint is None else d.endpoint + 1,
                 "steps": [{"actor": s.actor, "from": s.source + 1, "to": s.target + 1}
                           for s in d.steps]}
                for d in self.deterrences],
        }


def build_witness(result: StabilityRecord, actor: int, state: int,
                  concept: str) -> Witness:
    """Rebuild the witness of one (actor, state, concept) from a result."""
    graph = result.graph
    src, dst = result.improvements[actor]
    lo, hi = np.searchsorted(src, [state, state + 1])
    others = [j for j in range(graph.n_actors) if j != actor]
    # SEQ sanctions use only the opponents' UIs: the search filters moves by
    # payoff as it goes instead of building every DM's UI matrix.
    improving = graph.payoffs if concept in ("seq", "seqsim") else None
    items = []
    for e in range(int(lo), int(hi)):
        target = int(dst[e])
        end = int(result.sanctions[concept][actor][e])
        kind = int(result.kinds[concept][actor][e])
        if end < 0 or kind == 0:
            items.append(Deterrence(target, None, (), None))
        elif kind == SEQUENTIAL:
            seq = find_sequence(graph.moves, others, target, end, check_mode(result.mode),
                                improving)
            if seq is None:  # pragma: no cover - endpoint came from the same reachability
                raise RuntimeError("stored sanction endpoint is not reachable")
            items.append(Deterrence(target, "sequence", tuple(seq), end))
        elif kind == SIMULTANEOUS:
            steps = _simultaneous_steps(result, actor, state, target, end)
            items.append(Deterrence(target, "simultaneous", steps, end))
    stable = bool(result.stable[concept][actor, state])
    return Witness(actor, state, concept, result.mode, stable, tuple(items),
                   tuple(graph.actors), graph.names)


def _simultaneous_steps(result: StabilityRecord, actor: int, state: int, target: int,
                        end: int) -> tuple[Step, ...]:
    """Which opponents' UIs from ``state``, combined with the focal UI, give ``end``."""
    graph = result.graph
    assert graph.owner_masks is not None
    codes = graph.codes
    allowed = result._sim_allowed[actor]
    choices: list[list[tuple[int, int] | None]] = []
    for j, _mask in enumerate(graph.owner_masks):
        if j == actor or not allowed[j, state]:
            continue
        opts: list[tuple[int, int] | None] = [None]
        opts += [(j, int(t)) for t in result.improvements_from(j, state)]
        choices.append(opts)
    want = int(codes[end])
    for combo in itertools.product(*choices):
        code = int(codes[target])
        picked = [c for c in combo if c is not None]
        if not picked:
            continue
        for j, t in picked:
            mask = graph.owner_masks[j]
            code = (code & ~mask) | (int(codes[t]) & mask)
        if code == want:
            return (Step(actor, state, target), *(Step(j, state, t) for j, t in picked))
    raise RuntimeError("stored simultaneous sanction could not be rebuilt")  # pragma: no cover


def render_witness(witness: Witness, actor_names: tuple[str, ...] | list[str],
                   describe_state: Callable[[int], str] | None = None) -> str:
    """The witness in plain words; ``describe_state(index)`` names a state."""
    def name(s: int) -> str:
        return describe_state(s) if describe_state is not None else f"state {s + 1}"

    who = actor_names[witness.actor]
    concept = CONCEPT_NAMES.get(witness.concept, witness.concept)
    head = (f"{name(witness.state)} is {'stable' if witness.stable else 'unstable'} "
            f"for {who} under {concept}.")
    if not witness.deterrences:
        return head + f" {who} has no unilateral improvement from it."
    lines = [head]
    for d in witness.deterrences:
        move = f"If {who} moves to {name(d.improvement)} (an improvement for {who})"
        if not d.deterred:
            lines.append(f"- {move}, no sanction available to the others makes {who} "
                         "regret it.")
        elif d.kind == "simultaneous":
            others = "; ".join(f"{actor_names[s.actor]} moves to {name(s.target)}"
                               for s in d.steps[1:])
            lines.append(f"- {move} while at the same time {others}, the result is "
                         f"{name(d.endpoint or 0)}, which {who} likes no better than "
                         f"{name(witness.state)}.")
        else:
            chain = ", then ".join(f"{actor_names[s.actor]} moves to {name(s.target)}"
                                   for s in d.steps)
            lines.append(f"- {move}, {chain}; {who} ends at {name(d.endpoint or 0)}, "
                         f"no better for {who} than {name(witness.state)}.")
    return "\n".join(lines)
