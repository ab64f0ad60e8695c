"""Crisis escalation with two-sided uncertainty about resolve, and audience costs.

Both templates share one tree.  Nature draws the challenger's type (resolute
with probability ``r_c``) and the defender's (resolute with probability
``r_d``); each side knows only its own type.  The challenger challenges or
not; the defender resists or concedes; the challenger then escalates (war) or
backs down.  With ``rounds`` > 1 the resist/escalate exchange repeats and
war comes only after the last escalation; each escalation step costs both
sides ``escalation_cost``.

Payoffs (challenger, defender), stakes S:
    no challenge            (0, 0)                      status_quo
    defender concedes       (S, -S)                     capitulation_<defender>
    challenger backs down   (-a, 0)                     capitulation_<challenger>
    war                     (w_c[type], w_d[type])      war

Closed form (one round; perfect Bayesian equilibrium, derived in
docs/explanation/games-templates.md).  Assumptions: a resolute challenger
prefers war to the status quo (w_cR >= 0) and to backing down; an irresolute
one prefers backing down to war (w_cL < -a); a resolute defender prefers war
to conceding (w_dR > -S), an irresolute one the reverse (w_dL < -S).  Then
the irresolute defender resists iff its belief that the challenger is
resolute is at most mu* = S / (-w_dL), and the irresolute challenger's bluff
pays iff the defender concedes with probability at least rho* = a / (S + a).

    (a) 1 - r_d < rho*: bluffing never pays; only resolute challengers
        challenge, the irresolute defender concedes (separating).
    (b) 1 - r_d > rho* and r_c >= mu*: everyone challenges, the irresolute
        defender concedes (pooling).
    (c) 1 - r_d > rho* and r_c < mu*: the irresolute challenger bluffs with
        q* = r_c (1 - mu*) / ((1 - r_c) mu*), the irresolute defender resists
        with s* = 1 - rho* / (1 - r_d) (semi-separating).

The equilibrium is unique in each case (a pure profile in the other cases
contradicts itself), so the closed form is complete for generic parameters.

Audience costs (Fearon 1994, "Domestic political audiences and the escalation
of international disputes", APSR 88(3): 577-592): the challenger's threat is
public and backing down costs it the audience cost ``a``; the defender's
type is known (r_d = 0).  In the discrete two-move version used here
(a simplification of Fearon's continuous-time war of attrition) audience
costs matter in two ways: the defender resists a threat with probability
s* = S / (S + a), falling as a rises, and once a > -w_cL the irresolute
challenger would rather fight than back down: its hands are tied, the threat
is fully credible and the defender concedes.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from crisislab.games.solvers.assess import Candidate
from crisislab.games.templates.base import ClosedForm, ParameterInfo, Template
from crisislab.games.tree import GameTree, TreeBuilder

ROLES = ("challenger", "defender")


def build_crisis_tree(title: str, c: str, d: str, c_types: list[tuple[str, float, float]],
                      d_types: list[tuple[str, float, float]], stakes: float, back_down: float,
                      rounds: int = 1, escalation_cost: float = 0.0) -> GameTree:
    """The shared crisis tree; types are (label, probability, war payoff)."""
    b = TreeBuilder(title, (c, d))
    cmoves = {}
    for ct, pc, wc in c_types:
        dmoves = {}
        for dt, pd, wd in d_types:
            tag = f"{ct}.{dt}"
            dmoves[dt] = (pd, f"{tag}.challenge")
            b.decision(f"{tag}.challenge", c, f"{c}.challenge[{ct}]",
                       {"challenge": f"{tag}.r1.respond", "no_challenge": f"{tag}.sq"})
            b.terminal(f"{tag}.sq", {c: 0.0, d: 0.0}, "status_quo")
            for k in range(1, rounds + 1):
                cost = (k - 1) * escalation_cost
                b.decision(f"{tag}.r{k}.respond", d, f"{d}.respond[{dt}].r{k}",
                           {"resist": f"{tag}.r{k}.escalate", "concede": f"{tag}.r{k}.concede"})
                b.terminal(f"{tag}.r{k}.concede", {c: stakes - cost, d: -stakes - cost},
                           f"capitulation_{d}")
                nxt = f"{tag}.r{k + 1}.respond" if k < rounds else f"{tag}.war"
                b.decision(f"{tag}.r{k}.escalate", c, f"{c}.escalate[{ct}].r{k}",
                           {"escalate": nxt, "back_down": f"{tag}.r{k}.back"})
                b.terminal(f"{tag}.r{k}.back", {c: -back_down - cost, d: -cost},
                           f"capitulation_{c}")
            war_cost = (rounds - 1) * escalation_cost
            b.terminal(f"{tag}.war", {c: wc - war_cost, d: wd - war_cost}, "war")
        b.chance(f"{ct}.defender_type", dmoves)
        cmoves[ct] = (pc, f"{ct}.defender_type")
    b.chance("challenger_type", cmoves)
    return b.build()


def _types(r: float, w_res: float, w_irr: float) -> list[tuple[str, float, float]]:
    return [("resolute", r, w_res), ("irresolute", 1.0 - r, w_irr)]


def crisis_equilibrium(r_c: float, r_d: float, stakes: float, back_down: float,
                       w_dL: float) -> dict[str, float]:
    """Closed-form one-round equilibrium quantities (see module docstring)."""
    mu_star = stakes / (-w_dL)
    rho_star = back_down / (stakes + back_down)
    if 1.0 - r_d < rho_star:
        case, q, s = 1.0, 0.0, 0.0
    elif r_c >= mu_star:
        case, q, s = 2.0, 1.0, 0.0
    else:
        case = 3.0
        q = r_c * (1.0 - mu_star) / ((1.0 - r_c) * mu_star)
        s = 1.0 - rho_star / (1.0 - r_d)
    resist = r_d + (1.0 - r_d) * s
    p_challenge = r_c + (1.0 - r_c) * q
    return {
        "case": case, "mu_star": mu_star, "rho_star": rho_star, "bluff_probability": q,
        "irresolute_resist_probability": s,
        "p_war": r_c * resist, "p_capitulation_challenger": (1.0 - r_c) * q * resist,
        "p_capitulation_defender": p_challenge * (1.0 - resist),
        "p_status_quo": (1.0 - r_c) * (1.0 - q),
    }


def _profile(tree: GameTree, c: str, d: str, q: float, s: float, s_res: float,
             irr_fights: bool) -> np.ndarray:
    beh = {
        f"{c}.challenge[resolute]": {"challenge": 1.0},
        f"{c}.challenge[irresolute]": {"challenge": q, "no_challenge": 1.0 - q},
        f"{c}.escalate[resolute].r1": {"escalate": 1.0},
        f"{c}.escalate[irresolute].r1": ({"escalate": 1.0} if irr_fights
                                         else {"back_down": 1.0}),
    }
    for s_id in [x.id for x in tree.infosets if x.player == d]:
        if "[resolute]" in s_id:
            beh[s_id] = {"resist": s_res, "concede": 1.0 - s_res}
        else:
            beh[s_id] = {"resist": s, "concede": 1.0 - s}
    return tree.profile_from_mapping(beh)


# ---------------------------------------------------------------- escalation template
ESCALATION_PARAMETERS = {
    "r_c": ParameterInfo(0.3, "prior probability that the challenger is resolute", 0.0, 1.0),
    "r_d": ParameterInfo(0.3, "prior probability that the defender is resolute", 0.0, 1.0),
    "stakes": ParameterInfo(1.0, "value of the issue S (gained by the challenger, lost by "
                            "the defender, when the defender concedes)", 0.0, float("inf")),
    "back_down_cost": ParameterInfo(0.5, "challenger's cost a of backing down after being "
                                    "resisted", 0.0),
    "war_c_resolute": ParameterInfo(0.2, "war payoff of a resolute challenger (>= 0)"),
    "war_c_irresolute": ParameterInfo(-2.0, "war payoff of an irresolute challenger (< -a)"),
    "war_d_resolute": ParameterInfo(-0.5, "war payoff of a resolute defender (> -S)"),
    "war_d_irresolute": ParameterInfo(-2.5, "war payoff of an irresolute defender (< -S)"),
    "rounds": ParameterInfo(1, "number of resist/escalate exchanges before war", 1, 200,
                            integer=True),
    "escalation_cost": ParameterInfo(0.05, "cost to both sides of each escalation step "
                                     "beyond the first", 0.0),
}


def _escalation_check(p: Mapping[str, float]) -> list[tuple[str, str]]:
    bad = []
    if p["stakes"] <= 0:
        bad.append(("stakes", "the stakes must be positive"))
    if not p["war_c_resolute"] >= 0:
        bad.append(("war_c_resolute", "a resolute challenger must prefer war to the status "
                                      "quo (>= 0)"))
    if not p["war_c_irresolute"] < -p["back_down_cost"]:
        bad.append(("war_c_irresolute", "an irresolute challenger must prefer backing down to "
                                        "war (< -back_down_cost)"))
    if not p["war_d_resolute"] > -p["stakes"]:
        bad.append(("war_d_resolute", "a resolute defender must prefer war to conceding "
                                      "(> -stakes)"))
    if not p["war_d_irresolute"] < -p["stakes"]:
        bad.append(("war_d_irresolute", "an irresolute defender must prefer conceding to war "
                                        "(< -stakes)"))
    for name in ("r_c", "r_d"):
        if not 0.0 < p[name] < 1.0:
            bad.append((name, "priors must lie strictly between 0 and 1"))
    return bad


def _escalation_build(p: Mapping[str, float], players: Mapping[str, str]) -> GameTree:
    c, d = players["challenger"], players["defender"]
    return build_crisis_tree(
        "Crisis escalation with two-sided uncertainty about resolve", c, d,
        _types(p["r_c"], p["war_c_resolute"], p["war_c_irresolute"]),
        _types(p["r_d"], p["war_d_resolute"], p["war_d_irresolute"]),
        p["stakes"], p["back_down_cost"], int(p["rounds"]), p["escalation_cost"])


def _escalation_solve(p: Mapping[str, float], tree: GameTree,
                      players: Mapping[str, str]) -> ClosedForm:
    if int(p["rounds"]) != 1:
        return ClosedForm([], False, ["the closed form covers one round; use a general solver "
                                      "for rounds > 1"])
    c, d = players["challenger"], players["defender"]
    eq = crisis_equilibrium(p["r_c"], p["r_d"], p["stakes"], p["back_down_cost"],
                            p["war_d_irresolute"])
    b = _profile(tree, c, d, eq["bluff_probability"], eq["irresolute_resist_probability"],
                 1.0, False)
    return ClosedForm([Candidate(b, "closed_form", summary=eq)], True)


ESCALATION = Template(
    name="crisis_escalation",
    title="Crisis escalation with two-sided uncertainty about resolve",
    source="Standard two-sided incomplete-information crisis game (challenge; resist or "
           "concede; escalate or back down; war); cf. Fearon 1994 and Morrow, Game Theory for "
           "Political Scientists (1994), ch. 8",
    roles=ROLES, parameters=ESCALATION_PARAMETERS, build=_escalation_build,
    solve=_escalation_solve, check=_escalation_check,
    assumptions=("each side knows its own resolve; priors are common knowledge",
                 "backing down by the challenger restores the status quo for the defender"))


# ---------------------------------------------------------------- audience costs template
AUDIENCE_PARAMETERS = {
    "r": ParameterInfo(0.3, "prior probability that the challenger is resolute", 0.0, 1.0),
    "stakes": ParameterInfo(1.0, "value of the issue S", 0.0),
    "audience_cost": ParameterInfo(0.5, "audience cost a of backing down from a public "
                                   "threat", 0.0),
    "war_c_resolute": ParameterInfo(0.2, "war payoff of a resolute challenger (>= 0)"),
    "war_c_irresolute": ParameterInfo(-1.0, "war payoff of an irresolute challenger (< 0)"),
    "war_d": ParameterInfo(-2.5, "defender's war payoff (< -S: it concedes to a sure fight)"),
}


def _audience_check(p: Mapping[str, float]) -> list[tuple[str, str]]:
    bad = []
    if p["stakes"] <= 0:
        bad.append(("stakes", "the stakes must be positive"))
    if not 0.0 < p["r"] < 1.0:
        bad.append(("r", "the prior must lie strictly between 0 and 1"))
    if not p["war_c_resolute"] >= 0:
        bad.append(("war_c_resolute", "a resolute challenger must prefer war to the status "
                                      "quo (>= 0)"))
    if not p["war_c_irresolute"] < 0:
        bad.append(("war_c_irresolute", "an irresolute challenger must prefer the status quo "
                                        "to war (< 0)"))
    if not p["war_d"] < -p["stakes"]:
        bad.append(("war_d", "the defender must prefer conceding to a certain war (< -stakes)"))
    if p["audience_cost"] == -p["war_c_irresolute"]:
        bad.append(("audience_cost", "audience cost equal to -war_c_irresolute leaves the "
                                     "irresolute challenger indifferent; choose another value"))
    return bad


def _audience_build(p: Mapping[str, float], players: Mapping[str, str]) -> GameTree:
    c, d = players["challenger"], players["defender"]
    return build_crisis_tree("Audience-cost signalling", c, d,
                             _types(p["r"], p["war_c_resolute"], p["war_c_irresolute"]),
                             [("known", 1.0, p["war_d"])], p["stakes"], p["audience_cost"])


def _audience_solve(p: Mapping[str, float], tree: GameTree,
                    players: Mapping[str, str]) -> ClosedForm:
    c, d = players["challenger"], players["defender"]
    a, w_l = p["audience_cost"], p["war_c_irresolute"]
    if a > -w_l:
        # hands tied: both types fight when resisted, the defender concedes, both threaten
        eq = {"case": 0.0, "mu_star": p["stakes"] / -p["war_d"],
              "rho_star": a / (p["stakes"] + a), "bluff_probability": 1.0,
              "irresolute_resist_probability": 0.0, "p_war": 0.0,
              "p_capitulation_challenger": 0.0, "p_capitulation_defender": 1.0,
              "p_status_quo": 0.0}
        b = _profile(tree, c, d, 1.0, 0.0, 0.0, True)
    else:
        eq = crisis_equilibrium(p["r"], 0.0, p["stakes"], a, p["war_d"])
        b = _profile(tree, c, d, eq["bluff_probability"], eq["irresolute_resist_probability"],
                     0.0, False)
    return ClosedForm([Candidate(b, "closed_form", summary=eq)], True)


AUDIENCE_COSTS = Template(
    name="audience_costs",
    title="Audience-cost signalling (Fearon 1994)",
    source="Fearon, J. D. (1994). Domestic political audiences and the escalation of "
           "international disputes. American Political Science Review 88(3): 577-592; "
           "discrete two-move version",
    roles=ROLES, parameters=AUDIENCE_PARAMETERS, build=_audience_build,
    solve=_audience_solve, check=_audience_check,
    assumptions=("the threat is public; backing down from it costs the audience cost",
                 "the defender's payoffs are common knowledge",
                 "simplifies Fearon's continuous-time war of attrition to two moves"))
