"""Presentation of computed results: terminal text, HTML, SVG, tables and notebook views.

Modules here render what the comparison layer and the engines return; they never call an
engine themselves (the import contracts in ``pyproject.toml`` enforce it), so a report shows
exactly the numbers a ``--json`` file holds.
"""
