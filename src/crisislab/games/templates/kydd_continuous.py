"""The security dilemma with a continuum of types: cooperation by cutoff (Kydd 2005, ch. 2).

Kydd, A. H. (2005). Trust and Mistrust in International Relations.
Princeton University Press, ch. 2.  Each of two states has a private
temptation t to exploit a cooperator, uniform on [0, T]; they choose at once
to cooperate or defect.  Both cooperate 1; both defect 0; a cooperator
exploited gets -c; an exploiter gets t.  Type t cooperates iff
s - c (1 - s) >= s t, s the probability that the other cooperates; so
equilibria are cutoffs t*, with s = F(t*) = t*/T and

    t*^2 - (1 + c) t* + c T = 0,   t* = ((1 + c) +- sqrt((1 + c)^2 - 4 c T)) / 2,

(the larger root is the stable, cooperative equilibrium; when
(1 + c)^2 < 4 c T there is none) beside mutual defection, always an
equilibrium.  :func:`crisislab.games.cutoffs.kydd_cutoff` finds the cutoffs
by root finding (any distribution); the summary reports them.

The tree discretises each state's temptation into ``n_types`` equally likely
values t_i = (i + 1/2) T / n.  Its symmetric cutoff equilibria -- the k lowest
types cooperate, s = k / n -- are found exactly by checking, for each k, that
t_{k-1} <= 1 - c (1 - s) / s < t_k; they converge to the continuous ones as
n grows.  Asymmetric equilibria are not listed (the list is marked incomplete).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from crisislab.games.cutoffs import kydd_cutoff
from crisislab.games.solvers.assess import Candidate
from crisislab.games.templates.base import ClosedForm, ParameterInfo, Template
from crisislab.games.tree import GameTree, TreeBuilder

PARAMETERS = {
    "sucker_cost": ParameterInfo(0.2, "cost c of cooperating against a defector", 0.0),
    "temptation_max": ParameterInfo(1.5, "upper bound T of the temptation (uniform on [0, T])",
                                    0.0),
    "n_types": ParameterInfo(10, "number of temptation types per state in the tree", 1, 40,
                             integer=True),
}


def _types(p: Mapping[str, float]) -> np.ndarray:
    n = int(p["n_types"])
    return (np.arange(n) + 0.5) * p["temptation_max"] / n


def discrete_cutoffs(p: Mapping[str, float]) -> list[int]:
    """Numbers k of cooperating (lowest) types that form a symmetric equilibrium."""
    t = _types(p)
    n, c = len(t), p["sucker_cost"]
    out = [0]  # mutual defection: against s = 0 cooperating yields -c < 0
    for k in range(1, n + 1):
        s = k / n
        tau = 1 - c * (1 - s) / s
        if t[k - 1] <= tau + 1e-12 and (k == n or t[k] > tau + 1e-12):
            out.append(k)
    return out


def _check(p: Mapping[str, float]) -> list[tuple[str, str]]:
    bad = []
    if not p["sucker_cost"] > 0:
        bad.append(("sucker_cost", "being exploited must cost something (> 0)"))
    if not p["temptation_max"] > 0:
        bad.append(("temptation_max", "the temptation bound must be positive"))
    return bad


def _build(p: Mapping[str, float], players: Mapping[str, str]) -> GameTree:
    a, b = players["a"], players["b"]
    t = _types(p)
    n, c = len(t), p["sucker_cost"]
    bld = TreeBuilder("Security dilemma with a continuum of types (Kydd 2005)", (a, b))
    bld.chance("nature_a", {f"a{i}": (1.0 / n, f"a{i}") for i in range(n)})
    for i in range(n):
        bld.chance(f"a{i}", {f"b{j}": (1.0 / n, f"a{i}b{j}") for j in range(n)})
        for j in range(n):
            node = f"a{i}b{j}"
            bld.decision(node, a, f"{a}.move[t{i}]", {"cooperate": f"{node}.C",
                                                      "defect": f"{node}.D"})
            for ma in ("C", "D"):
                bld.decision(f"{node}.{ma}", b, f"{b}.move[t{j}]",
                             {"cooperate": f"{node}.{ma}C", "defect": f"{node}.{ma}D"})
                for mb in ("C", "D"):
                    ac, bc = ma == "C", mb == "C"
                    pa = 1.0 if ac and bc else (-c if ac else (t[i] if bc else 0.0))
                    pb = 1.0 if ac and bc else (-c if bc else (t[j] if ac else 0.0))
                    oc = ("deal" if ac and bc else "status_quo" if not (ac or bc)
                          else f"capitulation_{a}" if ac else f"capitulation_{b}")
                    bld.terminal(f"{node}.{ma}{mb}", {a: pa, b: pb}, oc)
    return bld.build()


def _solve(p: Mapping[str, float], tree: GameTree, players: Mapping[str, str]) -> ClosedForm:
    a, b = players["a"], players["b"]
    t = _types(p)
    n = len(t)
    from scipy import stats  # here: importing scipy.stats takes half a second

    cont = kydd_cutoff(p["sucker_cost"], stats.uniform(0, p["temptation_max"]))
    summary_base: dict[str, float] = {f"continuous_cutoff_{i + 1}": v
                                      for i, v in enumerate(cont.cutoffs)}
    summary_base.update({f"continuous_cooperation_{i + 1}": v
                         for i, v in enumerate(cont.cooperation)})
    out = []
    for k in discrete_cutoffs(p):
        beh = {}
        for i in range(n):
            move = {"cooperate": 1.0} if i < k else {"defect": 1.0}
            beh[f"{a}.move[t{i}]"] = move
            beh[f"{b}.move[t{i}]"] = move
        summary = {**summary_base, "cooperating_types": float(k), "cooperation": k / n,
                   "cutoff": float(t[k - 1]) if k else 0.0}
        out.append(Candidate(tree.profile_from_mapping(beh),
                             "closed_form:mutual_defection" if k == 0 else f"closed_form:k={k}",
                             summary=summary))
    note = ("symmetric cutoff equilibria only; the continuous model's cutoffs (root finding) "
            "are in the summary")
    return ClosedForm(out, False, [note, *cont.notes])


KYDD_CONTINUOUS = Template(
    name="security_dilemma_cutoffs",
    title="Security dilemma with a continuum of types: cooperation cutoffs (Kydd 2005)",
    source="Kydd, A. H. (2005). Trust and Mistrust in International Relations. Princeton "
           "University Press, ch. 2",
    roles=("a", "b"), parameters=PARAMETERS, build=_build, solve=_solve, check=_check,
    assumptions=("temptations private, independent, uniform on [0, T]", "simultaneous moves"))
