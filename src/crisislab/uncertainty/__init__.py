"""The uncertainty engine: how robust each conclusion is when the inputs are uncertain.

Samplers over the scenario's uncertain inputs (Monte Carlo, Latin hypercube,
Sobol, exhaustive), stability for many preference samples at once, Li, Hipel,
Kilgour & Fang's (2004) stability under preference uncertainty, probabilities
with Monte Carlo standard errors, PRIM scenario discovery and Sobol / tornado
sensitivity.  The sweep that asks the policy pipeline's questions of every
sample is orchestrated in :mod:`crisislab.compare.sweep`.
"""
