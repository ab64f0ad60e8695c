"""Conflict analysis (GMCR): states, moves, stability, coalitions, foresight."""
