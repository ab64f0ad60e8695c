"""Names of the solution methods :func:`crisislab.games.solve.solve_game` accepts.

Kept apart from the solvers so the command line can list them in its help
without loading them.
"""

METHODS = ("auto", "closed_form", "backward_induction", "pure", "gambit-lcp", "gambit-logit",
           "gambit-enumpoly")
