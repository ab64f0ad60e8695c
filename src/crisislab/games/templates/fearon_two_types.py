"""Crisis bargaining with two types of responder, and the bargaining range (Fearon 1995).

Fearon, J. D. (1995). Rationalist explanations for war. International
Organization 49(3): 379-414.  A proposer demands a share x of a unit pie;
the responder accepts (deal: x to the proposer, 1 - x to the responder) or
fights (war: p - c_P and 1 - p - c_R).  With complete information every
demand in the **bargaining range** [p - c_P, p + c_R] is preferred to war
by both sides -- it is never empty when war is costly (c_P + c_R > 0) --
and the proposer demands its top, p + c_R: no war.

Here the responder's cost is private: low, c_L ("resolved", probability
q), or high, c_H > c_L.  Type c accepts x iff x <= p + c.  Only two demands
can be optimal: the **safe** demand p + c_L, which both types accept, and
the **risky** demand p + c_H, which the resolved type rejects.  The proposer
gains (1 - q)(c_H - c_L) by the risky demand and loses q (c_L + c_P) when it
fails, so it takes the risk iff

    q < q* = (c_H - c_L) / (c_H + c_P),

and war then occurs with probability q.  (Ties go to the safe demand.)
Private information plus the incentive to bluff produce war although the
bargaining range is never empty: the risk-return trade-off.

Expected payoffs: safe, proposer p + c_L, responder types 1 - p - c_L;
risky, proposer (1 - q)(p + c_H) + q (p - c_P), resolved responder 1 - p - c_L,
other 1 - p - c_H.  Assumes p + c_H <= 1 (demands are shares of the pie).

The tree offers the two demands that can be optimal.  A demand leaves the
type it targets indifferent; as in Fearon's continuous-demand model (where
an optimal demand exists only if indifferent types accept), the closed form
lists the equilibrium in which they accept, and is complete in that class.
"""

from __future__ import annotations

from collections.abc import Mapping

from crisislab.games.solvers.assess import Candidate
from crisislab.games.templates.base import ClosedForm, ParameterInfo, Template
from crisislab.games.tree import GameTree, TreeBuilder

PARAMETERS = {
    "p": ParameterInfo(0.5, "probability that the proposer wins a war", 0.0, 1.0),
    "cost_proposer": ParameterInfo(0.1, "proposer's cost of war c_P", 0.0),
    "cost_low": ParameterInfo(0.05, "resolved responder's cost of war c_L", 0.0),
    "cost_high": ParameterInfo(0.3, "unresolved responder's cost of war c_H (> c_L)", 0.0),
    "q_resolved": ParameterInfo(0.3, "probability q that the responder is resolved (low cost)",
                                0.0, 1.0),
}


def two_type_solution(p: Mapping[str, float]) -> dict[str, float]:
    """Closed form of the module docstring."""
    pw, cp, cl, ch, q = (p["p"], p["cost_proposer"], p["cost_low"], p["cost_high"],
                         p["q_resolved"])
    q_star = (ch - cl) / (ch + cp)
    risky = q < q_star
    out = {"q_star": q_star, "risky": float(risky), "p_war": q if risky else 0.0,
           "demand": pw + (ch if risky else cl),
           "range_low": pw - cp, "range_high_resolved": pw + cl, "range_high_other": pw + ch,
           "proposer_payoff": (1 - q) * (pw + ch) + q * (pw - cp) if risky else pw + cl,
           "responder_resolved_payoff": 1 - pw - cl,
           "responder_other_payoff": 1 - pw - (ch if risky else cl)}
    return out


def _check(p: Mapping[str, float]) -> list[tuple[str, str]]:
    bad = []
    if not p["cost_high"] > p["cost_low"]:
        bad.append(("cost_high", "the unresolved type's cost must exceed the resolved one's"))
    if p["p"] + p["cost_high"] > 1:
        bad.append(("cost_high", "p + c_H must be at most 1 (a demand is a share of the pie)"))
    return bad


def _build(p: Mapping[str, float], players: Mapping[str, str]) -> GameTree:
    a, r = players["proposer"], players["responder"]
    pw, q = p["p"], p["q_resolved"]
    b = TreeBuilder("Crisis bargaining with two responder types (Fearon 1995)", (a, r))
    # a demand p + c leaves the responder 1 - p - c, written the same way as the war
    # payoff so that the type it targets is exactly indifferent (and accepts)
    demands = {"safe": p["cost_low"], "risky": p["cost_high"]}
    b.decision("demand", a, f"{a}.demand", {d: d for d in demands})
    for d, cd in demands.items():
        b.chance(d, {"resolved": (q, f"{d}.resolved"), "other": (1 - q, f"{d}.other")})
        for t, c in (("resolved", p["cost_low"]), ("other", p["cost_high"])):
            node = f"{d}.{t}"
            b.decision(node, r, f"{r}.respond[{t},{d}]",
                       {"accept": f"{node}.deal", "fight": f"{node}.war"})
            b.terminal(f"{node}.deal", {a: pw + cd, r: 1 - pw - cd}, "deal")
            b.terminal(f"{node}.war", {a: pw - p["cost_proposer"], r: 1 - pw - c}, "war")
    return b.build()


def _solve(p: Mapping[str, float], tree: GameTree, players: Mapping[str, str]) -> ClosedForm:
    a, r = players["proposer"], players["responder"]
    s = two_type_solution(p)
    beh = {f"{a}.demand": {"risky" if s["risky"] else "safe": 1.0},
           f"{r}.respond[resolved,safe]": {"accept": 1.0},
           f"{r}.respond[other,safe]": {"accept": 1.0},
           f"{r}.respond[resolved,risky]": {"fight": 1.0},
           f"{r}.respond[other,risky]": {"accept": 1.0}}
    tie = abs(p["q_resolved"] - s["q_star"]) < 1e-12
    return ClosedForm([Candidate(tree.profile_from_mapping(beh), "closed_form", summary=s)],
                      not tie, ["q equals q*: the proposer is indifferent between the "
                                "demands"] if tie else [])


FEARON_TWO_TYPES = Template(
    name="bargaining_two_types",
    title="Crisis bargaining with two responder types and the bargaining range (Fearon 1995)",
    source="Fearon, J. D. (1995). Rationalist explanations for war. International "
           "Organization 49(3): 379-414",
    roles=("proposer", "responder"), parameters=PARAMETERS, build=_build, solve=_solve,
    check=_check,
    assumptions=("risk-neutral players; a unit pie", "take-it-or-leave-it demand",
                 "the responder's cost of war is c_L (probability q) or c_H, privately known"))
