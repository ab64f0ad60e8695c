"""Escalation in which the challenger's payoff from war depends on the defender's resolve.

The standard one-sided incomplete-information crisis (Fearon 1994, Morrow
1989; the "signaling in crises" game of Banks 1990): nature makes the
defender resolute (probability r) or not, privately; the challenger
challenges or not; the defender resists or concedes; after resistance the
challenger fights (war) or backs down.  Unlike the `crisis_escalation`
template, the challenger's war payoff is w_cR against a resolute defender and
w_cI against an irresolute one: a war against a resolute defender is worse.

Payoffs (challenger, defender):  no challenge (0, 0);  concession (S, -S);
challenger backs down (-a, 0);  war (w_cR, w_dR) or (w_cI, w_dI).

Assumptions: w_cR < -a < w_cI (the challenger would fight only a defender it
knew to be irresolute); w_dR > -S > w_dI (only a resolute defender prefers
war to conceding).  A resolute defender always resists.  After resistance the
challenger, believing the defender resolute with probability mu, fights iff
mu w_cR + (1 - mu) w_cI >= -a, i.e. iff mu <= mu* = (w_cI + a) / (w_cI - w_cR).

* r > mu*: both types resist, the challenger would back down; so it does not
  challenge (deterrence by the prior alone).  P(war) = 0.
* r < mu*: the irresolute defender bluffs with s* = r (1 - mu*) / ((1 - r) mu*),
  so that resistance makes the challenger indifferent; the challenger fights
  with f* = S / (-w_dI), so that the irresolute defender is indifferent.  The
  challenger challenges iff its expected payoff
  E = (1 - r)(1 - s*) S - (r + (1 - r) s*) a  is positive, and then
  P(war) = (r + (1 - r) s*) f*, of which the war with a resolute defender has
  probability r f*.

The equilibrium is unique in each case (a pure continuation contradicts
itself when r < mu*), so the closed form is complete for generic parameters.
"""

from __future__ import annotations

from collections.abc import Mapping

from crisislab.games.solvers.assess import Candidate
from crisislab.games.templates.base import ClosedForm, ParameterInfo, Template
from crisislab.games.tree import GameTree, TreeBuilder

PARAMETERS = {
    "r": ParameterInfo(0.2, "probability that the defender is resolute", 0.0, 1.0),
    "stakes": ParameterInfo(1.0, "value S of the issue", 0.0),
    "back_down_cost": ParameterInfo(0.5, "challenger's cost a of backing down", 0.0),
    "war_c_vs_resolute": ParameterInfo(-2.0, "challenger's war payoff against a resolute "
                                       "defender (w_cR < -a)"),
    "war_c_vs_irresolute": ParameterInfo(0.5, "challenger's war payoff against an "
                                         "irresolute defender (w_cI > -a)"),
    "war_d_resolute": ParameterInfo(-0.5, "resolute defender's war payoff (> -S)"),
    "war_d_irresolute": ParameterInfo(-2.5, "irresolute defender's war payoff (< -S)"),
}


def closed_form(p: Mapping[str, float]) -> dict[str, float]:
    """The quantities of the module docstring."""
    r, s, a = p["r"], p["stakes"], p["back_down_cost"]
    wcr, wci, wdi = p["war_c_vs_resolute"], p["war_c_vs_irresolute"], p["war_d_irresolute"]
    mu_star = (wci + a) / (wci - wcr)
    if r >= mu_star:
        return {"mu_star": mu_star, "bluff": 1.0, "fight": 0.0, "challenge_value": -a,
                "challenge": 0.0, "p_war": 0.0, "belief_after_resistance": r,
                "payoff_defender_resolute": 0.0, "payoff_defender_irresolute": 0.0}
    bluff = r * (1 - mu_star) / ((1 - r) * mu_star)
    fight = s / (-wdi)
    resist = r + (1 - r) * bluff
    value = (1 - r) * (1 - bluff) * s - resist * a
    challenge = value > 0
    # by type: the resolute defender resists and meets war with probability f*; the
    # irresolute one is indifferent, so it gets what conceding gives, -S
    return {"mu_star": mu_star, "bluff": bluff, "fight": fight, "challenge_value": value,
            "challenge": float(challenge), "p_war": resist * fight if challenge else 0.0,
            "belief_after_resistance": mu_star,
            "payoff_defender_resolute": fight * p["war_d_resolute"] if challenge else 0.0,
            "payoff_defender_irresolute": -s if challenge else 0.0}


def _check(p: Mapping[str, float]) -> list[tuple[str, str]]:
    bad = []
    a, s = p["back_down_cost"], p["stakes"]
    if not p["war_c_vs_resolute"] < -a:
        bad.append(("war_c_vs_resolute", "the challenger must prefer backing down to war "
                                         "with a resolute defender (w_cR < -a)"))
    if not p["war_c_vs_irresolute"] > -a:
        bad.append(("war_c_vs_irresolute", "the challenger must prefer war with an irresolute "
                                           "defender to backing down (w_cI > -a)"))
    if not p["war_d_resolute"] > -s:
        bad.append(("war_d_resolute", "a resolute defender must prefer war to conceding"))
    if not p["war_d_irresolute"] < -s:
        bad.append(("war_d_irresolute", "an irresolute defender must prefer conceding to war"))
    return bad


def _build(p: Mapping[str, float], players: Mapping[str, str]) -> GameTree:
    c, d = players["challenger"], players["defender"]
    s, a = p["stakes"], p["back_down_cost"]
    war = {"resolute": (p["war_c_vs_resolute"], p["war_d_resolute"]),
           "irresolute": (p["war_c_vs_irresolute"], p["war_d_irresolute"])}
    b = TreeBuilder("Escalation; the challenger's war payoff depends on the defender's type",
                    (c, d))
    b.chance("nature", {"resolute": (p["r"], "resolute"),
                        "irresolute": (1 - p["r"], "irresolute")})
    for t in ("resolute", "irresolute"):
        b.decision(t, c, f"{c}.challenge", {"challenge": f"{t}.ch", "stay": f"{t}.sq"})
        b.terminal(f"{t}.sq", {c: 0.0, d: 0.0}, "status_quo")
        b.decision(f"{t}.ch", d, f"{d}.respond[{t}]", {"resist": f"{t}.res",
                                                       "concede": f"{t}.con"})
        b.terminal(f"{t}.con", {c: s, d: -s}, f"capitulation_{d}")
        b.decision(f"{t}.res", c, f"{c}.after_resistance", {"fight": f"{t}.war",
                                                            "back_down": f"{t}.bd"})
        b.terminal(f"{t}.war", {c: war[t][0], d: war[t][1]}, "war")
        b.terminal(f"{t}.bd", {c: -a, d: 0.0}, f"capitulation_{c}")
    return b.build()


def _solve(p: Mapping[str, float], tree: GameTree, players: Mapping[str, str]) -> ClosedForm:
    c, d = players["challenger"], players["defender"]
    cf = closed_form(p)
    beh = {f"{c}.challenge": {"challenge": cf["challenge"], "stay": 1 - cf["challenge"]},
           f"{d}.respond[resolute]": {"resist": 1.0},
           f"{d}.respond[irresolute]": {"resist": cf["bluff"], "concede": 1 - cf["bluff"]},
           f"{c}.after_resistance": {"fight": cf["fight"], "back_down": 1 - cf["fight"]}}
    mu = cf["belief_after_resistance"]
    beliefs = {f"{c}.after_resistance": {"resolute.res": mu, "irresolute.res": 1 - mu}}
    knife = abs(p["r"] - cf["mu_star"]) < 1e-12 or abs(cf["challenge_value"]) < 1e-12
    return ClosedForm([Candidate(tree.profile_from_mapping(beh), "closed_form",
                                 beliefs=beliefs, summary=cf)], not knife,
                      ["a knife-edge parameter value: other equilibria exist"] if knife else [])


ESCALATION_DEFENDER_TYPE = Template(
    name="escalation_defender_type",
    title="Escalation with a war payoff that depends on the defender's resolve",
    source="Fearon, J. D. (1994). Signaling versus the balance of power and interests. "
           "Journal of Conflict Resolution 38(2): 236-269; Banks, J. S. (1990). Equilibrium "
           "behavior in crisis bargaining games. American Journal of Political Science 34(3)",
    roles=("challenger", "defender"), parameters=PARAMETERS, build=_build, solve=_solve,
    check=_check,
    assumptions=("the defender's resolve is private; prior r common knowledge",
                 "w_cR < -a < w_cI and w_dR > -S > w_dI"))
