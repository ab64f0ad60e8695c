"""Trust and reassurance: security seekers and greedy states (Kydd 2005).

Kydd, A. H. (2005). Trust and Mistrust in International Relations.
Princeton University Press, ch. 2 (the security dilemma game with
incomplete information), here with two types instead of a continuum.  Each
of two states is a security seeker (probability pi_i, private) or greedy.
They choose simultaneously to cooperate or defect.  Payoffs to a state:
both cooperate 1 (deal); both defect 0 (status quo); cooperating against a
defector -c; defecting against a cooperator t, with t < 1 for a security
seeker (an assurance game) and t > 1 for a greedy state (a prisoner's
dilemma).

A greedy state defects whatever it expects.  A security seeker cooperates
iff the other cooperates with probability at least the **trust threshold**

    theta = c / (1 - t_s + c).

Bayesian equilibria (complete list for generic parameters; sigma_i is the
probability that i's security-seeking type cooperates):
    * mutual defection, sigma_a = sigma_b = 0, always;
    * reassurance, sigma_a = sigma_b = 1, iff pi_a >= theta and pi_b >= theta;
    * mixed, sigma_a = theta / pi_a, sigma_b = theta / pi_b, iff both pi > theta.
Trust, not intentions alone, decides: two security seekers fail to cooperate
when either believes the other likely greedy.
"""

from __future__ import annotations

from collections.abc import Mapping

from crisislab.games.solvers.assess import Candidate
from crisislab.games.templates.base import ClosedForm, ParameterInfo, Template
from crisislab.games.tree import GameTree, TreeBuilder

PARAMETERS = {
    "pi_a": ParameterInfo(0.7, "probability that state a is a security seeker", 0.0, 1.0),
    "pi_b": ParameterInfo(0.7, "probability that state b is a security seeker", 0.0, 1.0),
    "temptation_security": ParameterInfo(0.5, "security seeker's payoff t_s for exploiting "
                                         "a cooperator (< 1)"),
    "temptation_greedy": ParameterInfo(1.5, "greedy state's payoff t_g for exploiting a "
                                       "cooperator (> 1)"),
    "sucker_cost": ParameterInfo(0.5, "cost c of cooperating against a defector", 0.0),
}


def trust_threshold(p: Mapping[str, float]) -> float:
    """The belief that A is a security seeker above which B trusts."""
    c = p["sucker_cost"]
    return c / (1.0 - p["temptation_security"] + c)


def _check(p: Mapping[str, float]) -> list[tuple[str, str]]:
    bad = []
    if not p["temptation_security"] < 1:
        bad.append(("temptation_security", "a security seeker must prefer mutual cooperation "
                                           "to exploiting (< 1)"))
    if not p["temptation_greedy"] > 1:
        bad.append(("temptation_greedy", "a greedy state must prefer exploiting to mutual "
                                         "cooperation (> 1)"))
    if not p["sucker_cost"] > 0:
        bad.append(("sucker_cost", "being exploited must cost something (> 0)"))
    for k in ("pi_a", "pi_b"):
        if not 0 < p[k] <= 1:
            bad.append((k, "the probability of a security seeker must be in (0, 1]"))
    return bad


def _pay(me_c: bool, other_c: bool, t: float, c: float) -> float:
    if me_c and other_c:
        return 1.0
    if me_c:
        return -c
    return t if other_c else 0.0


def _build(p: Mapping[str, float], players: Mapping[str, str]) -> GameTree:
    a, b_ = players["a"], players["b"]
    c = p["sucker_cost"]
    temp = {"security": p["temptation_security"], "greedy": p["temptation_greedy"]}
    bld = TreeBuilder("Trust and reassurance (security seekers and greedy states)", (a, b_))
    bld.chance("type_a", {"security": (p["pi_a"], "security"),
                          "greedy": (1 - p["pi_a"], "greedy")})
    for ta in ("security", "greedy"):
        bld.chance(ta, {"security": (p["pi_b"], f"{ta}.security"),
                        "greedy": (1 - p["pi_b"], f"{ta}.greedy")})
        for tb in ("security", "greedy"):
            node = f"{ta}.{tb}"
            bld.decision(node, a, f"{a}.move[{ta}]", {"cooperate": f"{node}.C",
                                                      "defect": f"{node}.D"})
            for ma in ("C", "D"):
                bld.decision(f"{node}.{ma}", b_, f"{b_}.move[{tb}]",
                             {"cooperate": f"{node}.{ma}C", "defect": f"{node}.{ma}D"})
                for mb in ("C", "D"):
                    ac, bc = ma == "C", mb == "C"
                    if ac and bc:
                        oc = "deal"
                    elif not ac and not bc:
                        oc = "status_quo"
                    else:
                        oc = f"capitulation_{a}" if ac else f"capitulation_{b_}"
                    bld.terminal(f"{node}.{ma}{mb}", {a: _pay(ac, bc, temp[ta], c),
                                                      b_: _pay(bc, ac, temp[tb], c)}, oc)
    return bld.build()


def _solve(p: Mapping[str, float], tree: GameTree, players: Mapping[str, str]) -> ClosedForm:
    a, b_ = players["a"], players["b"]
    theta = trust_threshold(p)

    def cand(sa: float, sb: float, name: str) -> Candidate:
        beh = {f"{a}.move[security]": {"cooperate": sa, "defect": 1 - sa},
               f"{a}.move[greedy]": {"defect": 1.0},
               f"{b_}.move[security]": {"cooperate": sb, "defect": 1 - sb},
               f"{b_}.move[greedy]": {"defect": 1.0}}
        return Candidate(tree.profile_from_mapping(beh), f"closed_form:{name}",
                         summary={"trust_threshold": theta, "sigma_a": sa, "sigma_b": sb})

    out = [cand(0.0, 0.0, "mutual_defection")]
    if p["pi_a"] >= theta and p["pi_b"] >= theta:
        out.append(cand(1.0, 1.0, "reassurance"))
        if p["pi_a"] > theta and p["pi_b"] > theta:
            out.append(cand(theta / p["pi_a"], theta / p["pi_b"], "mixed"))
    return ClosedForm(out, True)


KYDD_TRUST = Template(
    name="trust_reassurance", title="Trust and reassurance (Kydd 2005)",
    source="Kydd, A. H. (2005). Trust and Mistrust in International Relations. Princeton "
           "University Press, ch. 2 (two-type version)",
    roles=("a", "b"), parameters=PARAMETERS, build=_build, solve=_solve, check=_check,
    assumptions=("two types per state; priors common knowledge", "simultaneous moves"))
