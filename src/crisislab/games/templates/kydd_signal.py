"""Costly reassurance: a security seeker signals its type at a price a greedy state won't pay
(Kydd 2005).

Kydd, A. H. (2005). Trust and Mistrust in International Relations.
Princeton University Press, ch. 7 ("Reassurance"), in a two-type version.
State A is a security seeker (probability pi) or greedy.  A may make a costly
gesture (a signal) -- Kydd's examples are unilateral arms reductions and
withdrawals -- which costs the security seeker m_s and the greedy state m_g
(a greedy state gives up more by it: it wanted the forces it gives up).
B sees the gesture, not the type, and trusts A or refuses.  Trust pays B 1
if A is a security seeker and -c if A is greedy (B is exploited); refusing
pays 0.  B's trust gains A 1 (security seeker) or t_g (greedy); refusal 0.

B trusts iff its belief that A is a security seeker is at least
theta = c / (1 + c).

Perfect Bayesian equilibria listed (others, hybrid ones, exist for some
parameters and are not listed, so the list is marked incomplete):

* **Reassurance (separating)**: the security seeker signals, the greedy state
  does not, B trusts iff it sees the signal -- iff m_s <= 1 (the gesture is
  worth trust to a security seeker) and m_g >= t_g (it is not worth it to a
  greedy state).  P(trust) = pi; B's posterior after the signal is 1.
* **No gesture (pooling)**: neither type signals; B trusts iff pi >= theta;
  after an (unexpected) gesture B believes A greedy and refuses.  Always an
  equilibrium.

Costly signals reassure exactly when their cost screens the types; a cheap
gesture (m_g < t_g) cannot, and trust then rests on the prior alone.
"""

from __future__ import annotations

from collections.abc import Mapping

from crisislab.games.solvers.assess import Candidate
from crisislab.games.templates.base import ClosedForm, ParameterInfo, Template
from crisislab.games.tree import GameTree, TreeBuilder

PARAMETERS = {
    "pi": ParameterInfo(0.4, "probability that A is a security seeker", 0.0, 1.0),
    "sucker_cost": ParameterInfo(1.0, "B's cost c of trusting a greedy state", 0.0),
    "gain_greedy": ParameterInfo(1.5, "greedy A's gain t_g from B's trust", 0.0),
    "cost_security": ParameterInfo(0.5, "the gesture's cost m_s to a security seeker", 0.0),
    "cost_greedy": ParameterInfo(2.0, "the gesture's cost m_g to a greedy state", 0.0),
}


def trust_threshold(p: Mapping[str, float]) -> float:
    return p["sucker_cost"] / (1.0 + p["sucker_cost"])


def separating(p: Mapping[str, float]) -> bool:
    return p["cost_security"] <= 1.0 and p["cost_greedy"] >= p["gain_greedy"]


def _check(p: Mapping[str, float]) -> list[tuple[str, str]]:
    bad = []
    if not p["sucker_cost"] > 0:
        bad.append(("sucker_cost", "trusting a greedy state must cost B something (> 0)"))
    if not 0 < p["pi"] < 1:
        bad.append(("pi", "both types must be possible (0 < pi < 1)"))
    return bad


def _build(p: Mapping[str, float], players: Mapping[str, str]) -> GameTree:
    a, b = players["signaller"], players["receiver"]
    gain = {"security": 1.0, "greedy": p["gain_greedy"]}
    cost = {"security": p["cost_security"], "greedy": p["cost_greedy"]}
    t = TreeBuilder("Costly reassurance (Kydd 2005)", (a, b))
    t.chance("type", {"security": (p["pi"], "security"), "greedy": (1 - p["pi"], "greedy")})
    for ty in ("security", "greedy"):
        t.decision(ty, a, f"{a}.gesture[{ty}]", {"signal": f"{ty}.signal",
                                                 "none": f"{ty}.none"})
        for g in ("signal", "none"):
            node = f"{ty}.{g}"
            t.decision(node, b, f"{b}.respond[{g}]", {"trust": f"{node}.trust",
                                                       "refuse": f"{node}.refuse"})
            paid = cost[ty] if g == "signal" else 0.0
            t.terminal(f"{node}.trust", {a: gain[ty] - paid,
                                         b: 1.0 if ty == "security" else -p["sucker_cost"]},
                       "deal" if ty == "security" else f"capitulation_{b}")
            t.terminal(f"{node}.refuse", {a: -paid, b: 0.0}, "status_quo")
    return t.build()


def _solve(p: Mapping[str, float], tree: GameTree, players: Mapping[str, str]) -> ClosedForm:
    a, b = players["signaller"], players["receiver"]
    theta = trust_threshold(p)
    out = []
    if separating(p):
        beh = {f"{a}.gesture[security]": {"signal": 1.0},
               f"{a}.gesture[greedy]": {"none": 1.0},
               f"{b}.respond[signal]": {"trust": 1.0}, f"{b}.respond[none]": {"refuse": 1.0}}
        out.append(Candidate(tree.profile_from_mapping(beh), "closed_form:reassurance",
                             summary={"trust_threshold": theta, "p_trust": p["pi"],
                                      "posterior_after_signal": 1.0,
                                      "posterior_after_none": 0.0,
                                      "payoff_security": 1.0 - p["cost_security"],
                                      "payoff_greedy": 0.0}))
    trust = p["pi"] >= theta
    beh = {f"{a}.gesture[security]": {"none": 1.0}, f"{a}.gesture[greedy]": {"none": 1.0},
           f"{b}.respond[signal]": {"refuse": 1.0},
           f"{b}.respond[none]": {"trust": 1.0} if trust else {"refuse": 1.0}}
    out.append(Candidate(tree.profile_from_mapping(beh), "closed_form:no_gesture",
                         beliefs={f"{b}.respond[signal]": {"security.signal": 0.0,
                                                           "greedy.signal": 1.0}},
                         summary={"trust_threshold": theta, "p_trust": float(trust),
                                  "posterior_after_none": p["pi"],
                                  "payoff_security": 1.0 if trust else 0.0,
                                  "payoff_greedy": p["gain_greedy"] if trust else 0.0}))
    return ClosedForm(out, False, ["hybrid (semi-separating) equilibria are not listed"])


KYDD_SIGNAL = Template(
    name="costly_reassurance", title="Costly reassurance (Kydd 2005)",
    source="Kydd, A. H. (2005). Trust and Mistrust in International Relations. Princeton "
           "University Press, ch. 7 (two-type version)",
    roles=("signaller", "receiver"), parameters=PARAMETERS, build=_build, solve=_solve,
    check=_check,
    assumptions=("two types of the signaller; prior common knowledge",
                 "the gesture costs a greedy state m_g and a security seeker m_s"))
