"""Equilibrium solvers behind one adapter: each returns candidate profiles, judged by
:func:`crisislab.games.solvers.assess.assess`."""
