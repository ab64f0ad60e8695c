"""Brinkmanship in which the threatener chooses the risk, and the hard-liner has its own payoffs.

Schelling (1960, ch. 8) and Dixit & Skeath, *Games of Strategy* (the Cuban
missile crisis chapter), extended as issue-driven analysis needs: the
threatener picks the probability q of disaster itself, from a menu of
``levels`` risks k/levels (k = 1..levels), or acquiesces; the target is
hard-line (probability p) or soft and each type has its own payoffs for
winning (W), complying (C) and disaster (D).

Payoffs (threatener, target of type T):  acquiesce (A, W_T);  the target
complies (C, C_T);  defiance, no disaster (A, W_T);  disaster (W, D_T).

Type T complies with a threat of risk q iff C_T >= q D_T + (1 - q) W_T, i.e.
iff q >= q_T = (W_T - C_T) / (W_T - D_T) (ties comply); a type with
D_T >= C_T never complies (q_T > 1).  With q_soft < q_hard the threatener's
payoff from risk q is

    q < q_soft:            q W + (1 - q) A            (below A: never chosen)
    q_soft <= q < q_hard:  (1 - p) C + p (q W + (1 - q) A)   (falls with q)
    q >= q_hard:           C                           (everyone complies)

so the only candidates are acquiescing, the smallest menu risk at or above
q_soft, and the smallest at or above q_hard.  The closed form maximises over
the menu exactly (the tree offers only menu risks) and reports the continuous
thresholds beside.  P(war) = p q under the first kind of threat, 0 otherwise.
If the hard-liner can be coerced at all (q_hard <= 1), the threatener
coerces both types and no war happens; brinkmanship is risky only against a
hard-liner who would rather risk disaster at any level than comply.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from crisislab.games.solvers.assess import Candidate
from crisislab.games.templates.base import ClosedForm, ParameterInfo, Template
from crisislab.games.tree import GameTree, TreeBuilder

PARAMETERS = {
    "p_hard": ParameterInfo(0.4, "probability that the target is hard-line", 0.0, 1.0),
    "levels": ParameterInfo(20, "number of risk levels on the threatener's menu (k/levels)",
                            1, 200, integer=True),
    "threatener_acquiesce": ParameterInfo(-2.0, "threatener's payoff A when it gives in"),
    "threatener_comply": ParameterInfo(1.0, "threatener's payoff C when the target complies"),
    "threatener_war": ParameterInfo(-10.0, "threatener's payoff W in disaster"),
    "soft_win": ParameterInfo(1.0, "soft target's payoff when the threatener gives in"),
    "soft_comply": ParameterInfo(-2.0, "soft target's payoff when it complies"),
    "soft_war": ParameterInfo(-8.0, "soft target's payoff in disaster"),
    "hard_win": ParameterInfo(1.0, "hard-liner's payoff when the threatener gives in"),
    "hard_comply": ParameterInfo(-2.0, "hard-liner's payoff when it complies"),
    "hard_war": ParameterInfo(-1.0, "hard-liner's payoff in disaster"),
}
TYPES = ("hard", "soft")


def threshold(p: Mapping[str, float], t: str) -> float:
    """q_T: the smallest risk at which type t complies (inf when it never does)."""
    w, c, d = p[f"{t}_win"], p[f"{t}_comply"], p[f"{t}_war"]
    return (w - c) / (w - d) if d < c else float("inf")


def _risks(p: Mapping[str, float]) -> np.ndarray:
    n = int(p["levels"])
    return np.arange(1, n + 1) / n


def _label(q: float) -> str:
    return f"risk={q:.6f}"


def menu_solution(p: Mapping[str, float]) -> dict[str, float]:
    """Exact best reply over the menu (module docstring), with the thresholds."""
    ph, a, c, w = p["p_hard"], p["threatener_acquiesce"], p["threatener_comply"], \
        p["threatener_war"]
    qs = _risks(p)
    comply = {t: qs >= threshold(p, t) - 1e-12 for t in TYPES}
    u = np.zeros(len(qs))
    war = np.zeros(len(qs))
    for t, prob in (("hard", ph), ("soft", 1 - ph)):
        u += prob * np.where(comply[t], c, qs * w + (1 - qs) * a)
        war += prob * np.where(comply[t], 0.0, qs)
    best = int(np.argmax(u))
    threaten = u[best] > a
    q = float(qs[best])
    by_type = {}
    for t in TYPES:  # the target's expected payoff by type
        if not threaten:
            by_type[f"payoff_{t}"] = p[f"{t}_win"]
        elif comply[t][best]:
            by_type[f"payoff_{t}"] = p[f"{t}_comply"]
        else:
            by_type[f"payoff_{t}"] = q * p[f"{t}_war"] + (1 - q) * p[f"{t}_win"]
    return {**by_type,"q_soft": threshold(p, "soft"), "q_hard": threshold(p, "hard"),
            "threaten": float(threaten), "risk": float(qs[best]) if threaten else 0.0,
            "p_war": float(war[best]) if threaten else 0.0,
            "threatener_payoff": float(max(u[best], a)),
            "tie": float(bool(np.sum(np.isclose(u, u[best], atol=1e-12)) > 1
                              or abs(u[best] - a) < 1e-12))}


def _check(p: Mapping[str, float]) -> list[tuple[str, str]]:
    bad = []
    if not p["threatener_comply"] > p["threatener_acquiesce"] > p["threatener_war"]:
        bad.append(("threatener_acquiesce", "the threatener must rank compliance over giving "
                                            "in over disaster (C > A > W)"))
    for t in TYPES:
        if not p[f"{t}_win"] > p[f"{t}_comply"]:
            bad.append((f"{t}_comply", "the target must prefer winning to complying"))
        if not p[f"{t}_win"] > p[f"{t}_war"]:
            bad.append((f"{t}_war", "the target must prefer winning to disaster"))
    if threshold(p, "soft") > threshold(p, "hard"):
        bad.append(("hard_war", "the hard-liner must be at least as hard to coerce as the "
                                "soft type (q_hard >= q_soft)"))
    return bad


def _build(p: Mapping[str, float], players: Mapping[str, str]) -> GameTree:
    th, tg = players["threatener"], players["target"]
    a, c, w = p["threatener_acquiesce"], p["threatener_comply"], p["threatener_war"]
    b = TreeBuilder("Brinkmanship with a chosen risk (Schelling; Dixit & Skeath)", (th, tg))
    # nature draws the target's type first; the threatener chooses without seeing it
    b.chance("nature", {"hard": (p["p_hard"], "hard"), "soft": (1 - p["p_hard"], "soft")})
    for t in TYPES:
        moves = {"acquiesce": f"{t}.acq"}
        moves.update({_label(q): f"{t}.q{k}" for k, q in enumerate(_risks(p))})
        b.decision(t, th, f"{th}.threat", moves)
        b.terminal(f"{t}.acq", {th: a, tg: p[f"{t}_win"]}, f"capitulation_{th}")
        for k, q in enumerate(_risks(p)):
            node = f"{t}.q{k}"
            b.decision(node, tg, f"{tg}.respond[{t},{_label(q)}]",
                       {"comply": f"{node}.comply", "defy": f"{node}.defy"})
            b.terminal(f"{node}.comply", {th: c, tg: p[f"{t}_comply"]}, f"capitulation_{tg}")
            b.chance(f"{node}.defy", {"disaster": (q, f"{node}.war"),
                                      "escape": (1 - q, f"{node}.gives_in")})
            b.terminal(f"{node}.war", {th: w, tg: p[f"{t}_war"]}, "war")
            b.terminal(f"{node}.gives_in", {th: a, tg: p[f"{t}_win"]}, f"capitulation_{th}")
    return b.build()


def _solve(p: Mapping[str, float], tree: GameTree, players: Mapping[str, str]) -> ClosedForm:
    th, tg = players["threatener"], players["target"]
    s = menu_solution(p)
    choice = _label(s["risk"]) if s["threaten"] else "acquiesce"
    beh: dict[str, dict[str, float]] = {f"{th}.threat": {choice: 1.0}}
    for q in _risks(p):
        for t in TYPES:
            ok = q >= threshold(p, t) - 1e-12
            beh[f"{tg}.respond[{t},{_label(q)}]"] = {"comply": 1.0} if ok else {"defy": 1.0}
    ties = any(abs(q - threshold(p, t)) < 1e-12 for q in _risks(p) for t in TYPES)
    notes = []
    if s["tie"]:
        notes.append("the threatener is indifferent between options; the first is reported")
    if ties:
        notes.append("a menu risk equals a type's threshold: that type is indifferent and "
                     "complies here; equilibria in which it defies also exist")
    return ClosedForm([Candidate(tree.profile_from_mapping(beh), "closed_form", summary=s)],
                      not (s["tie"] or ties), notes)


BRINKMANSHIP_CHOICE = Template(
    name="brinkmanship_risk_choice",
    title="Brinkmanship with a chosen risk and a hard-liner's own payoffs",
    source="Schelling, T. C. (1960). The Strategy of Conflict, ch. 8; Dixit, A. & Skeath, S. "
           "Games of Strategy (the Cuban missile crisis chapter)",
    roles=("threatener", "target"), parameters=PARAMETERS, build=_build, solve=_solve,
    check=_check,
    assumptions=("the threatener chooses the risk of disaster from a menu k/levels",
                 "the target's type is private; each type has its own payoffs"))
