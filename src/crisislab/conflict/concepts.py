"""The one vocabulary of the conflict engine: solution concepts and sanctioning modes.

Every engine in :mod:`crisislab.conflict` (stability, coalitions, coalition
structures, foresight, inverse analysis) names concepts and modes with these
Literal types, so a value accepted by one is accepted, with the same meaning,
by all that support it.

Concepts (Fang, Hipel & Kilgour 1993; definitions in ``docs/reference/stability-concepts.md``):
``nash``, ``gmr``, ``smr``, ``seq`` are defined by sequences of moves and are
offered everywhere (:data:`BasicConcept`); ``sim`` and ``seqsim`` combine
simultaneous moves in option form and are offered by the stability engine only.

Sanctioning modes (how the opponents may move in a sanction): ``legal`` (any
length, no mover twice in a row; the definition), ``each_once`` (every
opponent at most once; gmcr-py's current solver) and ``single`` (one move by
one opponent; the older single-move rule).

Shared by the stability engine and the witnesses rebuilt from its results,
so that neither module needs the other's internals.
"""

from __future__ import annotations

from typing import Literal

from crisislab.errors import input_error

Concept = Literal["nash", "gmr", "smr", "seq", "sim", "seqsim"]
BasicConcept = Literal["nash", "gmr", "smr", "seq"]
SanctionMode = Literal["legal", "each_once", "single"]

CONCEPTS: tuple[Concept, ...] = ("nash", "gmr", "smr", "seq", "sim", "seqsim")
BASIC_CONCEPTS: tuple[BasicConcept, ...] = ("nash", "gmr", "smr", "seq")
SANCTION_MODES: tuple[SanctionMode, ...] = ("legal", "each_once", "single")

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


def check_mode(mode: str) -> SanctionMode:
    """``mode`` if it is a sanctioning mode, else an input error naming the choices."""
    if mode not in SANCTION_MODES:
        raise input_error("unknown sanctioning mode", value=mode,
                          expected=" or ".join(SANCTION_MODES))
    return mode


def check_basic_concept(concept: str) -> BasicConcept:
    """``concept`` if it is one of nash, gmr, smr, seq, else an input error."""
    if concept not in BASIC_CONCEPTS:
        extra = (" (simultaneous sanctioning is offered by the stability engine only)"
                 if concept in CONCEPTS else "")
        raise input_error(f"unknown or unsupported stability concept {concept!r}{extra}",
                          value=concept, expected=" or ".join(BASIC_CONCEPTS))
    return concept
