"""docs/reference/python-api.md lists the public API as the code has it."""

from __future__ import annotations

import importlib

from python_api_page import PAGE, SECTIONS, render


def test_page_matches_the_code() -> None:
    assert PAGE.read_text() == render(), (
        "docs/reference/python-api.md is out of date: run "
        "`.venv/bin/python tests/python_api_page.py` and review the diff")


def test_every_public_name_has_an_entry() -> None:
    page = PAGE.read_text()
    for modname, _ in SECTIONS:
        for name in importlib.import_module(modname).__all__:
            if not name.startswith("__"):
                assert f"### `{modname}.{name}`" in page, (modname, name)
