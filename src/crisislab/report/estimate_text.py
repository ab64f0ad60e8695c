"""A fitted strategic choice model in the terminal.

Render only: the fit comes from :func:`crisislab.formats.estimation.estimate_files`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table

if TYPE_CHECKING:
    from crisislab.games.estimate.results import EstimationResult


def _fmt(x: float | None, digits: int = 4) -> str:
    """A number to ``digits`` decimals, or a dash where it is undefined."""
    return "—" if x is None else f"{x:.{digits}f}"


def print_estimate(result: EstimationResult, console: Console, err_console: Console) -> None:
    """The coefficients with classical and robust standard errors, the fit, the
    non-strategic baseline beside it (a strategic model should beat it), and warnings on
    stderr, where they are seen even when the table is piped."""
    title = (f"{result.model}: {result.link} link, {result.errors} errors — {result.n} cases"
             + (f" ({result.dropped} dropped for missing values)" if result.dropped else ""))
    table = Table(title=title, title_justify="left")
    for col in ("coefficient", "estimate", "std. error", "robust s.e.", "z", "p"):
        table.add_column(col, justify="left" if col == "coefficient" else "right")
    for c in result.coefficients:
        table.add_row(c.name, _fmt(c.estimate), _fmt(c.std_error), _fmt(c.robust_std_error),
                      _fmt(c.z, 2), _fmt(c.p_value, 3))
    console.print(table)
    console.print(f"log-likelihood {result.log_likelihood:.4f}   AIC {result.aic:.2f}   "
                  f"BIC {result.bic:.2f}   "
                  + ("converged" if result.converged else "[red]NOT converged[/red]"),
                  highlight=False)
    b = result.baseline
    if b is not None:
        console.print(f"multinomial logit (non-strategic, {b.n_params} parameters): "
                      f"log-likelihood {b.log_likelihood:.4f}   AIC {b.aic:.2f}   "
                      f"BIC {b.bic:.2f}"
                      + (f"   Vuong z (strategic vs. logit, Schwarz-corrected) "
                         f"{b.vuong_z:.2f}" if b.vuong_z is not None else ""),
                      highlight=False, soft_wrap=True)
    for w in result.warnings:
        err_console.print(f"[yellow]warning[/yellow]: {w}", highlight=False, soft_wrap=True)
