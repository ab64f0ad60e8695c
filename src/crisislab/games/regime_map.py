"""Two-parameter regime maps: which equilibrium regime holds at each point of a grid.

The regime at a point is the same object :func:`crisislab.games.thresholds.regime`
compares along one parameter (the supports of every credible equilibrium,
optionally of one player only); here it is evaluated on a ``grid x grid``
lattice over two parameters, and each distinct regime gets a number and a
description in words.  Boundaries are located only to the grid spacing; use
``threshold`` along one parameter for exact switch points.
"""

from __future__ import annotations

from html import escape
from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from crisislab.errors import InputError, Problem
from crisislab.games.methods import CREDIBLE
from crisislab.games.solve import solve_game
from crisislab.games.spec import TemplateGameSpec, TreeGameSpec
from crisislab.games.thresholds import describe_regime, parameter_range, regime
from crisislab.provenance import Provenance

_PALETTE = ["#4477aa", "#ee6677", "#228833", "#ccbb44", "#66ccee", "#aa3377", "#bbbbbb",
            "#000000"]


class RegimeMap(BaseModel):
    """Regime index at each (x, y) grid point, with the regimes in words."""

    model_config = ConfigDict(frozen=True)

    game_id: str
    x_parameter: str
    y_parameter: str
    x: list[float]
    y: list[float]
    cells: list[list[int]] = Field(description="cells[j][i]: regime index at (x[i], y[j]).")
    regimes: list[list[str]] = Field(description="Each regime's equilibrium supports.")
    descriptions: list[str]
    refinement: str
    provenance: Provenance

    def text(self) -> str:
        """The map as characters (y grows upwards) with a legend."""
        marks = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
        lines = [f"{self.game_id}: regimes over {self.x_parameter} (across) and "
                 f"{self.y_parameter} (up); {self.refinement} equilibria, grid "
                 f"{len(self.x)} x {len(self.y)}"]
        for j in reversed(range(len(self.y))):
            row = "".join(marks[c] if c < len(marks) else "?" for c in self.cells[j])
            lines.append(f"  {self.y[j]:>9.4g} | {row}")
        lines.append(f"  {'':>9} +-{'-' * len(self.x)}")
        lines.append(f"  {'':>9}   {self.x[0]:.4g} .. {self.x[-1]:.4g}")
        for i, desc in enumerate(self.descriptions):
            lines.append(f"  {marks[i] if i < len(marks) else '?'}: {desc}")
        return "\n".join(lines)


def regime_map(spec: TemplateGameSpec | TreeGameSpec, x_name: str, y_name: str,
               x_lo: float | None = None, x_hi: float | None = None,
               y_lo: float | None = None, y_hi: float | None = None, *,
               method: str = "auto", player: str | None = None,
               overrides: dict[str, Any] | None = None, grid: int = 21,
               lens: str | None = None, refinement: str = CREDIBLE) -> RegimeMap:
    """Solve on a ``grid x grid`` lattice and number the distinct regimes."""
    if x_name == y_name:
        raise InputError([Problem("the two parameters of a regime map must differ",
                                  value=y_name, expected=f"a parameter other than {x_name}")])
    if method == "auto" and isinstance(spec, TreeGameSpec):
        method = "pure+qre-limit"
    axes = []
    for name, lo, hi in ((x_name, x_lo, x_hi), (y_name, y_lo, y_hi)):
        rlo, rhi = parameter_range(spec, name)
        lo_, hi_ = (rlo if lo is None else lo), (rhi if hi is None else hi)
        if not lo_ < hi_:
            raise InputError([Problem(f"empty interval [{lo_}, {hi_}] for {name}",
                                      value=(lo_, hi_), expected="lo < hi")])
        v = np.linspace(lo_, hi_, grid)
        eps = (hi_ - lo_) * 1e-9
        v[0], v[-1] = v[0] + eps, v[-1] - eps
        axes.append(v)
    xs, ys = axes
    seen: list[list[str]] = []
    cells: list[list[int]] = []
    players: dict[str, str] = {}
    for y in ys:
        row = []
        for x in xs:
            sol = solve_game(spec, method, overrides={**(overrides or {}), x_name: float(x),
                                                      y_name: float(y)}, refinement=refinement)
            players = sol.infoset_players
            reg = regime(sol, player)
            if reg not in seen:
                seen.append(reg)
            row.append(seen.index(reg))
        cells.append(row)
    return RegimeMap(
        game_id=spec.id, x_parameter=x_name, y_parameter=y_name,
        x=[float(v) for v in xs], y=[float(v) for v in ys], cells=cells, regimes=seen,
        descriptions=[describe_regime(r, players) for r in seen], refinement=refinement,
        provenance=Provenance(method="games.regime_map", lens=lens,
                              parameters={"x": x_name, "y": y_name, "grid": grid,
                                          "solver": method, "player": player,
                                          "refinement": refinement}))


def regime_map_svg(rmap: RegimeMap, cell: int = 14) -> str:
    """Self-contained SVG of the map: one coloured square per grid point, legend below."""
    nx, ny = len(rmap.x), len(rmap.y)
    ml, mt = 60, 10
    w = ml + nx * cell + 20
    legend_top = mt + ny * cell + 40
    h = legend_top + 18 * len(rmap.descriptions) + 10
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{max(w, 480)}" height="{h}" '
             f'font-family="sans-serif" font-size="11">']
    for j in range(ny):
        for i in range(nx):
            c = rmap.cells[j][i]
            colour = _PALETTE[c % len(_PALETTE)]
            parts.append(f'<rect x="{ml + i * cell}" y="{mt + (ny - 1 - j) * cell}" '
                         f'width="{cell}" height="{cell}" fill="{colour}"/>')
    parts.append(f'<text x="{ml}" y="{mt + ny * cell + 14}">{rmap.x[0]:.3g}</text>')
    parts.append(f'<text x="{ml + nx * cell}" y="{mt + ny * cell + 14}" '
                 f'text-anchor="end">{rmap.x[-1]:.3g}</text>')
    parts.append(f'<text x="{ml + nx * cell / 2}" y="{mt + ny * cell + 28}" '
                 f'text-anchor="middle">{escape(rmap.x_parameter)}</text>')
    parts.append(f'<text x="{ml - 4}" y="{mt + ny * cell}" text-anchor="end">'
                 f'{rmap.y[0]:.3g}</text>')
    parts.append(f'<text x="{ml - 4}" y="{mt + 10}" text-anchor="end">{rmap.y[-1]:.3g}</text>')
    parts.append(f'<text x="{ml - 4}" y="{mt + ny * cell / 2}" text-anchor="end">'
                 f'{escape(rmap.y_parameter)}</text>')
    for k, desc in enumerate(rmap.descriptions):
        y = legend_top + 18 * k
        parts.append(f'<rect x="10" y="{y - 10}" width="12" height="12" '
                     f'fill="{_PALETTE[k % len(_PALETTE)]}"/>')
        parts.append(f'<text x="28" y="{y}">{escape(desc)}</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"
