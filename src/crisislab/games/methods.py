"""Names of the solution methods, refinements and QRE links that
:func:`crisislab.games.solve.solve_game` accepts.

Kept apart from the solvers so the command line can list them in its help
without loading them.
"""

from typing import Literal

GameMethod = Literal["auto", "closed_form", "backward_induction", "pure", "support-enum",
                     "sequence-lcp", "qre-limit", "qre", "gambit-lcp", "gambit-logit",
                     "gambit-enumpoly", "openspiel-cfr"]
Refinement = Literal["nash", "subgame_perfect", "weak_pbe", "pbe", "sequential"]
Link = Literal["logit", "probit"]

METHODS: tuple[GameMethod, ...] = (
    "auto", "closed_form", "backward_induction", "pure", "support-enum", "sequence-lcp",
    "qre-limit", "qre", "gambit-lcp", "gambit-logit", "gambit-enumpoly", "openspiel-cfr")

REFINEMENTS: tuple[Refinement, ...] = ("nash", "subgame_perfect", "weak_pbe", "pbe", "sequential")
"""Standards an equilibrium can meet, weakest first (see :mod:`crisislab.games.refinements`)."""
CREDIBLE: Refinement = "pbe"
"""The default standard: perfect Bayesian, beliefs consistent wherever the profile says."""
LINKS: tuple[Link, ...] = ("logit", "probit")
"""Quantal-response link functions (see :mod:`crisislab.games.qre`)."""
