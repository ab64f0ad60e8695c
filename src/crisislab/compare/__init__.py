"""Comparison of views, policies and engines: the scenario pipeline and cruxes."""
