"""Other tools' files: gmcr-py, Gambit .efg/.nfg, KTAB CSV, graph JSON/CSV.

Engines are pure functions from model objects to results and never touch
files; reading and writing other tools' formats happens here (and scenario
files in :mod:`crisislab.model.io`).  Formats may import the model and the
engines' data types; no engine imports a format.
"""
