"""The sweep's terminal and HTML reports render a SweepResult; they compute nothing."""

from __future__ import annotations

from rich.console import Console
from uncertainty_cases import TWO

from crisislab.compare.sweep import sweep
from crisislab.formats.scenario import load_text
from crisislab.report.sweep_html import render_sweep_html
from crisislab.report.sweep_terminal import render_sweep, render_unknown


def test_reports_show_the_probabilities_boxes_and_tornado() -> None:
    r = sweep(load_text(TWO, "two.yaml"), samples=40, seed=2, level=0.5)
    page = render_sweep_html(r)
    assert page.startswith("<!doctype html>") and "<script" not in page
    assert "Where each policy ends" in page and "<svg" in page  # tornado of P(war)
    assert "prior &gt;=" in page or "prior >=" in page  # the PRIM box in words
    console = Console(record=True, width=160)
    render_sweep(r, console, details=True)
    render_unknown(r, console)
    text = console.export_text()
    assert "Both" in text and "Which input matters most" in text
    assert "preference uncertainty" in text
