"""Result types of the games engine: equilibria and solutions, JSON- and table-ready."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from crisislab.provenance import Provenance, canonical_json

if TYPE_CHECKING:
    import pandas as pd

EQUILIBRIUM_TOLERANCE = 1e-9
"""Largest regret accepted, relative to the game's payoff range (at least 1)."""
SUM_TOLERANCE = 1e-6
"""Largest error accepted in a probability sum of a solver's profile."""


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
                    "closed form and consistent), 'consistent' (off path: Bayes' rule after the "
                    "deviation, the most favourable mixture of the least-deviation classes) or "
                    "'chosen' (off path, any belief: only for equilibria that are weak perfect "
                    "Bayesian but not credible).")
    outcome_probabilities: dict[str, float]
    expected_payoffs: dict[str, float]
    on_path_regret: float = Field(description="Largest gain from deviating at a reached "
                                              "information set (0 for a Nash equilibrium).")
    sequential_regret: float = Field(description="Largest gain from deviating anywhere, given "
                                                 "the stated beliefs (0 for a perfect Bayesian "
                                                 "equilibrium).")
    probability_sum_error: float
    refinements: list[str] = Field(
        default_factory=list,
        description="Every refinement the profile satisfies, weakest first, from: nash, "
                    "subgame_perfect, weak_pbe, pbe, sequential.")
    refinement: str = Field("none", description="The strongest of ``refinements`` ('none' "
                                                "if not even Nash).")
    is_equilibrium: bool = Field(description="Satisfies the solution's ``refinement`` standard "
                                             "and sums to one.")
    summary: dict[str, float] = Field(default_factory=dict,
                                      description="Closed-form quantities of the template.")
    summary_flags: dict[str, str] = Field(
        default_factory=dict, description="Closed-form quantity -> warning, e.g. a probability "
                                          "threshold outside [0, 1].")


PROBABILITY_PREFIXES = ("q_", "p_", "prob", "sigma", "theta", "mu_", "beta", "optimal_risk")


def probability_flags(summary: dict[str, float]) -> dict[str, str]:
    """Probability-valued closed-form quantities that fall outside [0, 1], in words.

    A threshold above 1 (or below 0) means the condition it expresses holds for
    every probability or for none; it is not a probability anyone could choose.
    """
    flags = {}
    for k, v in summary.items():
        if not k.startswith(PROBABILITY_PREFIXES) or 0.0 <= v <= 1.0:
            continue
        if k == "optimal_risk" and v == -1.0:
            flags[k] = "no risk level works (-1 marks the absence)"
        elif v > 1.0:
            flags[k] = (f"{v:.6g} is above 1: as a probability threshold it is never reached, "
                        "so the condition holds for every probability in [0, 1]")
        else:
            flags[k] = (f"{v:.6g} is below 0: as a probability threshold it is always "
                        "exceeded")
    return flags


class QREPoint(BaseModel):
    """One agent quantal response equilibrium: a precision and what play looks like there."""

    model_config = ConfigDict(frozen=True)

    lam: float = Field(description="Precision lambda (1 / error scale, payoff units).")
    behaviour: dict[str, dict[str, float]]
    beliefs: dict[str, dict[str, float]] = Field(
        description="Bayes' beliefs (every node is reached with positive probability).")
    outcome_probabilities: dict[str, float]
    expected_payoffs: dict[str, float]


class QREResult(BaseModel):
    """Agent QRE at one precision, with the principal branch up to it as a curve."""

    model_config = ConfigDict(frozen=True)

    link: str = Field(description="'logit' or 'probit' (distribution of the action errors).")
    lam: float = Field(description="The requested precision.")
    point: QREPoint = Field(description="The AQRE on the principal branch at ``lam``.")
    curve: list[QREPoint] = Field(
        description="Points of the principal branch from lambda = 0 to ``lam`` (outcome "
                    "probabilities against lambda, for plotting).")


class GameSolution(BaseModel):
    """All equilibria found for one game under one lens.

    Fields a report reads: ``equilibria`` (the credible equilibria, each with its
    ``refinements``), ``complete`` (whether that list is every one), ``selected``
    and ``selection_rule`` (which one to show as *the* answer and why),
    ``outcome_ranges`` (min and max of each outcome probability over
    ``equilibria``), ``not_credible`` (Nash equilibria kept apart) and, for
    ``method="qre"``, ``qre``.
    """

    model_config = ConfigDict(frozen=True)

    game_id: str
    title: str
    players: list[str]
    infoset_players: dict[str, str]
    method: str
    complete: bool = Field(description="True when every equilibrium of the searched class was "
                                       "found; False when the search was partial.")
    refinement: str = Field(
        "pbe", description="The standard an equilibrium must meet to be listed: one of nash, "
                           "subgame_perfect, weak_pbe, pbe (default; credible), sequential.")
    equilibria: list[Equilibrium]
    selected: int | None = Field(
        None, description="Index into ``equilibria`` of the equilibrium the selection rule "
                          "picks; None when no rule applies (see ``selection_rule``).")
    selection_rule: str = Field(
        "", description="How ``selected`` was chosen: 'only' (the one credible equilibrium, "
                        "list complete), 'only-found' (one found, list not known to be "
                        "complete), 'logit-qre-limit' (the limit of the principal branch of "
                        "the logit agent QRE as lambda grows), or 'none: <reason>'.")
    outcome_ranges: dict[str, tuple[float, float]] = Field(
        default_factory=dict, description="Outcome class -> (min, max) probability over "
                                          "``equilibria``.")
    not_credible: list[Equilibrium] = Field(
        default_factory=list, description="Equilibria that are Nash (or weaker refinements) but "
                                          "fail ``refinement``: not reported as answers.")
    qre: QREResult | None = Field(None, description="Quantal response equilibrium "
                                                    "(method 'qre').")
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
            row: dict[str, Any] = {"equilibrium": i, "found_by": eq.found_by,
                                   "refinement": eq.refinement, "selected": i == self.selected}
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

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data (every field)."""
        return self.model_dump(mode="json")

    def to_json(self) -> str:
        """Deterministic JSON (sorted keys)."""
        return canonical_json(self.to_dict())
