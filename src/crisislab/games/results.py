"""Result types of the games engine: equilibria and solutions, JSON- and table-ready."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from crisislab.provenance import Provenance, canonical_json

if TYPE_CHECKING:
    import pandas as pd

EQUILIBRIUM_TOLERANCE = 1e-6


def tidy(x: float) -> float:
    """Round away floating-point noise so identical inputs give identical JSON."""
    r = round(float(x), 12)
    return 0.0 if r == 0 else r


class Equilibrium(BaseModel):
    """One equilibrium (or candidate) with everything read out of it."""

    model_config = ConfigDict(frozen=True)

    found_by: str = Field(description="Closed form, solver or search that produced the profile.")
    behaviour: dict[str, dict[str, float]] = Field(
        description="Information set id -> action -> probability.")
    beliefs: dict[str, dict[str, float]] = Field(
        description="Information set id -> node id -> probability the player puts on it.")
    belief_basis: dict[str, str] = Field(
        description="Per information set: 'bayes' (reached), 'given' (off path, supplied by the "
                    "closed form) or 'chosen' (off path, most favourable beliefs).")
    outcome_probabilities: dict[str, float]
    expected_payoffs: dict[str, float]
    on_path_regret: float = Field(description="Largest gain from deviating at a reached "
                                              "information set (0 for a Nash equilibrium).")
    sequential_regret: float = Field(description="Largest gain from deviating anywhere, given "
                                                 "beliefs (0 for a weak perfect Bayesian "
                                                 "equilibrium).")
    probability_sum_error: float
    is_equilibrium: bool
    summary: dict[str, float] = Field(default_factory=dict,
                                      description="Closed-form quantities of the template.")


class GameSolution(BaseModel):
    """All equilibria found for one game under one lens."""

    model_config = ConfigDict(frozen=True)

    game_id: str
    title: str
    players: list[str]
    infoset_players: dict[str, str]
    method: str
    complete: bool = Field(description="True when every equilibrium of the searched class was "
                                       "found; False when the search was partial.")
    equilibria: list[Equilibrium]
    rejected: list[Equilibrium] = Field(
        default_factory=list, description="Profiles a backend returned that fail our check "
                                          "(kept for transparency, never reported as equilibria).")
    notes: list[str] = Field(default_factory=list)
    size: dict[str, int] = Field(default_factory=dict)
    provenance: Provenance

    def __repr__(self) -> str:
        eqs = "; ".join(", ".join(f"{o} {100 * p:.0f}%" for o, p in
                                  sorted(eq.outcome_probabilities.items()) if p > 0)
                        for eq in self.equilibria[:3])
        more = " …" if len(self.equilibria) > 3 else ""
        from crisislab.display import count

        return (f"<GameSolution {self.game_id!r}: "
                f"{count(len(self.equilibria), 'equilibrium', 'equilibria')} "
                f"({self.method}{'' if self.complete else ', partial'}): {eqs}{more}>")

    def _repr_html_(self) -> str:
        from crisislab.display import html

        return html(self)

    def to_pandas(self) -> pd.DataFrame:
        """One row per equilibrium: outcome probabilities, payoffs, regrets."""
        import pandas as pd

        rows: list[dict[str, Any]] = []
        for i, eq in enumerate(self.equilibria):
            row: dict[str, Any] = {"equilibrium": i, "found_by": eq.found_by}
            row.update({f"P({k})": v for k, v in sorted(eq.outcome_probabilities.items())})
            row.update({f"payoff[{k}]": v for k, v in eq.expected_payoffs.items()})
            row["on_path_regret"] = eq.on_path_regret
            row["sequential_regret"] = eq.sequential_regret
            rows.append(row)
        return pd.DataFrame(rows)

    def behaviour_frame(self) -> pd.DataFrame:
        """Long table: equilibrium, information set, player, action, probability."""
        import pandas as pd

        rows = [{"equilibrium": i, "infoset": k, "player": self.infoset_players[k],
                 "action": a, "probability": p}
                for i, eq in enumerate(self.equilibria)
                for k, acts in eq.behaviour.items() for a, p in acts.items()]
        return pd.DataFrame(rows)

    def to_json(self) -> str:
        return canonical_json(self.model_dump(mode="json"))
