"""Names of the solution methods, refinements and QRE links that
:func:`crisislab.games.solve.solve_game` accepts.

Kept apart from the solvers so the command line can list them in its help
without loading them.
"""

METHODS = ("auto", "closed_form", "backward_induction", "pure", "support-enum", "qre-limit", "qre",
           "gambit-lcp", "gambit-logit", "gambit-enumpoly")

REFINEMENTS = ("nash", "subgame_perfect", "weak_pbe", "pbe", "sequential")
"""Standards an equilibrium can meet, weakest first (see :mod:`crisislab.games.refinements`)."""
CREDIBLE = "pbe"
"""The default standard: perfect Bayesian, beliefs consistent wherever the profile says."""
LINKS = ("logit", "probit")
"""Quantal-response link functions (see :mod:`crisislab.games.qre`)."""
