"""Crisis bargaining with private costs of war: the risk-return trade-off (Fearon 1995).

Fearon, J. D. (1995). Rationalist explanations for war. International
Organization 49(3): 379-414, section "War due to private information and
incentives to misrepresent".  A proposer makes a take-it-or-leave-it offer
x (its own share of a unit pie) to a responder, who accepts or fights.  War
gives the proposer p - c_P and the responder 1 - p - c_R.  The responder's
cost c_R is private, uniform on [0, c_max].

The responder accepts iff 1 - x >= 1 - p - c_R, i.e. c_R >= x - p, so an
offer x in [p, p + c_max] is rejected with probability F = (x - p) / c_max.
The proposer maximises U(x) = x (1 - F) + (p - c_P) F; U is concave and
U'(x) = 0 at

    x* = p + (c_max - c_P) / 2,   clipped to [p, min(1, p + c_max)],
    P(war) = (x* - p) / c_max.

The proposer accepts a risk of war to get a better deal: the risk-return
trade-off.  War occurs with positive probability iff c_P < c_max.

The tree is the same game with the responder's cost discretised into
``n_types`` equally likely values c_i = (i + 1/2) c_max / n (the midpoints of
n equal bins); the proposer's offers are the bin edges x_k = p + k c_max / n,
k = 0..n (capped at 1), so type i accepts x_k iff i >= k and no type is ever
exactly indifferent.  On that tree the proposer
maximises exactly over the finite set of offers; as ``n_types`` grows the
discrete optimum converges to the continuous x* (within c_max / n), which
the summary reports alongside.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from crisislab.games.solvers.assess import Candidate
from crisislab.games.templates.base import ClosedForm, ParameterInfo, Template
from crisislab.games.tree import GameTree, TreeBuilder

PARAMETERS = {
    "p": ParameterInfo(0.5, "probability that the proposer wins a war", 0.0, 1.0),
    "cost_proposer": ParameterInfo(0.1, "proposer's cost of war c_P", 0.0),
    "cost_max": ParameterInfo(0.4, "upper bound c_max of the responder's private cost "
                              "(uniform on [0, c_max])", 0.0),
    "n_types": ParameterInfo(40, "number of responder cost types in the tree", 1, 400,
                             integer=True),
}


def continuous_solution(p: float, c_p: float, c_max: float) -> dict[str, float]:
    """Closed-form optimum of the continuous model (module docstring)."""
    x = min(max(p + (c_max - c_p) / 2.0, p), min(1.0, p + c_max))
    f = (x - p) / c_max
    u_p = x * (1 - f) + (p - c_p) * f
    # responder: (1 - x) when accepting (c >= x - p), 1 - p - c when fighting
    u_r = (1 - x) * (1 - f) + (1 - p) * f - (x - p) ** 2 / (2 * c_max)
    return {"offer": x, "p_war": f, "proposer_payoff": u_p, "responder_payoff": u_r}


def _offers(p: float, c_max: float, n: int) -> tuple[np.ndarray, np.ndarray]:
    costs = (np.arange(n) + 0.5) * c_max / n
    offers = p + np.arange(n + 1) * c_max / n
    return costs, np.unique(np.minimum(offers, 1.0))


def _label(x: float) -> str:
    return f"x={x:.6f}"


def _check(p: Mapping[str, float]) -> list[tuple[str, str]]:
    bad = []
    if not p["cost_max"] > 0:
        bad.append(("cost_max", "the responder's cost bound must be positive"))
    return bad


def _build(p: Mapping[str, float], players: Mapping[str, str]) -> GameTree:
    a, r = players["proposer"], players["responder"]
    n = int(p["n_types"])
    costs, offers = _offers(p["p"], p["cost_max"], n)
    b = TreeBuilder("Crisis bargaining with private costs of war", (a, r))
    b.decision("offer", a, f"{a}.offer", {_label(x): f"o{i}" for i, x in enumerate(offers)})
    for i, x in enumerate(offers):
        b.chance(f"o{i}", {f"c{j}": (1.0 / n, f"o{i}.c{j}") for j in range(n)})
        for j, c in enumerate(costs):
            node = f"o{i}.c{j}"
            b.decision(node, r, f"{r}.respond[c{j},{_label(x)}]",
                       {"accept": f"{node}.deal", "fight": f"{node}.war"})
            b.terminal(f"{node}.deal", {a: x, r: 1 - x}, "deal")
            b.terminal(f"{node}.war", {a: p["p"] - p["cost_proposer"], r: 1 - p["p"] - c},
                       "war")
    return b.build()


def _solve(p: Mapping[str, float], tree: GameTree, players: Mapping[str, str]) -> ClosedForm:
    a, r = players["proposer"], players["responder"]
    n = int(p["n_types"])
    costs, offers = _offers(p["p"], p["cost_max"], n)
    # type j accepts x iff c_j >= x - p (ties accept); exact finite maximisation over offers
    accept = costs[None, :] >= offers[:, None] - p["p"]
    u = (accept * offers[:, None] + ~accept * (p["p"] - p["cost_proposer"])).mean(axis=1)
    best = int(np.argmax(u))
    beh: dict[str, dict[str, float]] = {f"{a}.offer": {_label(offers[best]): 1.0}}
    for i, x in enumerate(offers):
        for j in range(n):
            beh[f"{r}.respond[c{j},{_label(x)}]"] = ({"accept": 1.0} if accept[i, j]
                                                     else {"fight": 1.0})
    summary = {f"continuous_{k}": v for k, v in continuous_solution(
        p["p"], p["cost_proposer"], p["cost_max"]).items()}
    summary["tree_offer"] = float(offers[best])
    ties = int(np.sum(np.isclose(u, u[best], rtol=0, atol=1e-12))) > 1
    notes = ["several offers tie on the tree; the first is reported"] if ties else []
    return ClosedForm([Candidate(tree.profile_from_mapping(beh), "closed_form",
                                 summary=summary)], not ties, notes)


FEARON_1995 = Template(
    name="risk_return", title="Crisis bargaining with private costs of war (Fearon 1995)",
    source="Fearon, J. D. (1995). Rationalist explanations for war. International "
           "Organization 49(3): 379-414",
    roles=("proposer", "responder"), parameters=PARAMETERS, build=_build, solve=_solve,
    check=_check,
    assumptions=("risk-neutral players; a unit pie", "take-it-or-leave-it offer",
                 "responder's cost of war private, uniform on [0, c_max]"))
