"""Brinkmanship: a threat that leaves something to chance (Schelling 1960, ch. 8).

Model of the Cuban missile crisis in Dixit & Skeath, *Games of Strategy*
(chapter "Brinkmanship: the Cuban missile crisis").  The threatener (the US)
either acquiesces at once or makes a probabilistic threat: if the target (the
USSR) defies it, disaster (war) follows with probability ``q`` and otherwise
the threatener gives in.  The target is hard-line with probability ``p`` and
soft otherwise; only the target knows its type.

Payoffs (threatener, target):
    threatener acquiesces       (A, W_t)       capitulation_<threatener>
    target complies             (C, C_t)       capitulation_<target>
    defiance, no disaster       (A, W_t)       capitulation_<threatener>
    defiance, disaster          (W, D_soft or D_hard)   war

Closed form.  A hard-liner always defies (assumed D_hard >= C_t).  A soft
target complies iff C_t >= q D_soft + (1 - q) W_t, i.e. the threat is
**effective** iff

    q >= q_eff = (W_t - C_t) / (W_t - D_soft).

The threatener prefers an effective threat to acquiescing iff
p (q W + (1 - q) A) + (1 - p) C >= A, i.e. the threat is **acceptable** iff

    q <= q_acc = (1 - p) (C - A) / (p (A - W)).

The window of risk is [q_eff, q_acc]; q_acc falls as p rises, so the window
shrinks as the threatener grows more certain that the target is hard-line and
closes at p* = (C - A) / (C - A + q_eff (A - W)).  The threatener's best risk
is the smallest effective one, q_eff, if it is acceptable.  The default payoffs
(A = -2, C = 1, W = -10; W_t = 1, C_t = -2, D_soft = -8, D_hard = -1) give the
effectiveness condition q >= 1/3 and the acceptability condition
q <= 0.375 (1 - p) / p.  The tree has perfect information (the target moves
after its type is drawn, the threatener before), so the equilibrium is the
subgame-perfect one; ties (q exactly at a bound) are broken toward compliance
and threatening.
"""

from __future__ import annotations

from collections.abc import Mapping

from crisislab.games.solvers.assess import Candidate
from crisislab.games.templates.base import ClosedForm, ParameterInfo, Template
from crisislab.games.tree import GameTree, TreeBuilder

PARAMETERS = {
    "p_hard": ParameterInfo(0.4, "probability that the target is hard-line", 0.0, 1.0),
    "q": ParameterInfo(0.35, "probability that defiance ends in disaster (the risk chosen)",
                       0.0, 1.0),
    "threatener_acquiesce": ParameterInfo(-2.0, "threatener's payoff A when it gives in"),
    "threatener_comply": ParameterInfo(1.0, "threatener's payoff C when the target complies"),
    "threatener_war": ParameterInfo(-10.0, "threatener's payoff W in disaster"),
    "target_win": ParameterInfo(1.0, "target's payoff W_t when the threatener gives in"),
    "target_comply": ParameterInfo(-2.0, "target's payoff C_t when it complies"),
    "target_war_soft": ParameterInfo(-8.0, "soft target's payoff D_soft in disaster"),
    "target_war_hard": ParameterInfo(-1.0, "hard-line target's payoff D_hard in disaster"),
}


def window(p: Mapping[str, float]) -> tuple[float, float]:
    """(q_eff, q_acc): the smallest effective and the largest acceptable risk."""
    q_eff = (p["target_win"] - p["target_comply"]) / (p["target_win"] - p["target_war_soft"])
    a, c, w = p["threatener_acquiesce"], p["threatener_comply"], p["threatener_war"]
    ph = p["p_hard"]
    q_acc = float("inf") if ph == 0 else (1 - ph) * (c - a) / (ph * (a - w))
    return q_eff, q_acc


def _check(p: Mapping[str, float]) -> list[tuple[str, str]]:
    bad = []
    if not p["threatener_comply"] > p["threatener_acquiesce"] > p["threatener_war"]:
        bad.append(("threatener_comply", "the threatener must rank compliance > acquiescing > "
                                         "disaster"))
    if not p["target_win"] > p["target_comply"] > p["target_war_soft"]:
        bad.append(("target_comply", "a soft target must rank winning > complying > disaster"))
    if not p["target_war_hard"] >= p["target_comply"]:
        bad.append(("target_war_hard", "a hard-line target must prefer disaster to complying"))
    return bad


def _build(p: Mapping[str, float], players: Mapping[str, str]) -> GameTree:
    t, s = players["threatener"], players["target"]
    b = TreeBuilder("Brinkmanship (probabilistic threat)", (t, s))
    b.decision("start", t, f"{t}.threaten", {"threaten": "type", "acquiesce": "acquiesce"})
    b.terminal("acquiesce", {t: p["threatener_acquiesce"], s: p["target_win"]},
               f"capitulation_{t}")
    b.chance("type", {"hard": (p["p_hard"], "hard"), "soft": (1 - p["p_hard"], "soft")})
    for ty, war in (("hard", p["target_war_hard"]), ("soft", p["target_war_soft"])):
        b.decision(ty, s, f"{s}.respond[{ty}]", {"comply": f"{ty}.comply",
                                                 "defy": f"{ty}.defy"})
        b.terminal(f"{ty}.comply", {t: p["threatener_comply"], s: p["target_comply"]},
                   f"capitulation_{s}")
        b.chance(f"{ty}.defy", {"disaster": (p["q"], f"{ty}.war"),
                                "no_disaster": (1 - p["q"], f"{ty}.gives_in")})
        b.terminal(f"{ty}.war", {t: p["threatener_war"], s: war}, "war")
        b.terminal(f"{ty}.gives_in", {t: p["threatener_acquiesce"], s: p["target_win"]},
                   f"capitulation_{t}")
    return b.build()


def _solve(p: Mapping[str, float], tree: GameTree, players: Mapping[str, str]) -> ClosedForm:
    t, s = players["threatener"], players["target"]
    q_eff, q_acc = window(p)
    q = p["q"]
    effective = q >= q_eff
    acceptable = q <= q_acc
    threaten = effective and acceptable
    beh = {f"{t}.threaten": {"threaten": 1.0} if threaten else {"acquiesce": 1.0},
           f"{s}.respond[hard]": {"defy": 1.0},
           f"{s}.respond[soft]": {"comply": 1.0} if effective else {"defy": 1.0}}
    summary = {"q_effective": q_eff, "q_acceptable": min(q_acc, 1e300),
               "window_width": max(0.0, min(q_acc, 1.0) - q_eff),
               "optimal_risk": q_eff if q_eff <= min(q_acc, 1.0) else -1.0,
               "threatens": float(threaten)}
    return ClosedForm([Candidate(tree.profile_from_mapping(beh), "closed_form",
                                 summary=summary)], True)


BRINKMANSHIP = Template(
    name="brinkmanship", title="Brinkmanship: a threat that leaves something to chance",
    source="Schelling, T. C. (1960). The Strategy of Conflict, ch. 8; Dixit, A. & Skeath, S. "
           "Games of Strategy, chapter 'Brinkmanship: the Cuban missile crisis'",
    roles=("threatener", "target"), parameters=PARAMETERS, build=_build, solve=_solve,
    check=_check,
    assumptions=("the risk q, once created, is outside the threatener's control",
                 "a hard-line target defies whatever the risk"))
