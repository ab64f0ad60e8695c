"""Names of the GMCR stability concepts and of the kinds of sanction.

Shared by the stability engine and the witnesses rebuilt from its results,
so that neither module needs the other's internals.
"""

from __future__ import annotations

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
