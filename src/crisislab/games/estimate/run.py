"""Fit a model file to a data set, and read a fitted model at one case.

:func:`estimate` is the engine behind ``crisislab estimate`` (files are read by
:mod:`crisislab.formats.estimation`);
:func:`case_probabilities` and :func:`case_game` turn a fitted model into the
outcome probabilities and the game of one case (its covariates), which a
scenario can then carry as an ordinary tree game.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from crisislab.errors import InputError, Problem
from crisislab.games.estimate.data import prepare
from crisislab.games.estimate.fit import (
    SEPARATION_BOUND,
    maximise_with_restarts,
    multinomial_logit,
    z_and_p,
)
from crisislab.games.estimate.formula import build_design, parse_formula
from crisislab.games.estimate.likelihood import Block, outcome_probabilities
from crisislab.games.estimate.likelihood import Problem as LikProblem
from crisislab.games.estimate.model import DecisionNode, EstimationTree
from crisislab.games.estimate.results import (
    BaselineSummary,
    Coefficient,
    EstimationResult,
    tidy_or_none,
)
from crisislab.games.estimate.spec import LoadedModel
from crisislab.games.results import tidy
from crisislab.provenance import Provenance


def estimate(model: LoadedModel, data: pd.DataFrame, *,
             source: str | None = None, baseline: bool = True) -> EstimationResult:
    """Maximum-likelihood fit of ``model`` to the cases in ``data`` (one row per case;
    ``source`` names the data in messages and the provenance).  Files are read by
    :mod:`crisislab.formats.estimation`."""
    source = source or "<data>"
    prep = prepare(model, data, source)
    prob, y = prep.problem, prep.y
    fit, starts = maximise_with_restarts(prob, y)
    warnings = list(prep.warnings)
    if starts > 1 and fit.converged:
        warnings.append(f"the maximisation from zero did not converge; start {starts} (seeded "
                        "random) did: the likelihood may have several local maxima")
    vc = fit.vcov()
    rvc = fit.robust_vcov()
    if vc is None:
        warnings.append("the Hessian is singular at the estimate: standard errors are not "
                        "available (a coefficient is not identified, or the data separate "
                        "the outcomes)")
    big = [n for n, b in zip(prep.names, fit.theta, strict=True) if abs(b) > SEPARATION_BOUND]
    if big:
        warnings.append(f"coefficients {big} are beyond +-{SEPARATION_BOUND:g}: the data "
                        "perfectly (or almost) separate an actor's choices along them; the "
                        "estimates are at the edge of the likelihood, not finite maxima")
    if not fit.converged:
        warnings.append(f"the maximisation did not converge: {fit.message}")
    se = np.sqrt(np.diag(vc)) if vc is not None else np.full(len(fit.theta), np.nan)
    rse = np.sqrt(np.diag(rvc)) if rvc is not None else np.full(len(fit.theta), np.nan)
    z, pv = z_and_p(fit.theta, se)
    r_label = {u.label: f"u{u.actor}({u.outcome})" for u in model.model.utilities} \
        if model.builtin else {}
    coefs = [Coefficient(name=n, estimate=tidy(b), std_error=tidy_or_none(s),
                         robust_std_error=tidy_or_none(r), z=tidy_or_none(zz),
                         p_value=tidy_or_none(pp),
                         r_name=(f"{r_label[n.split(':', 1)[0]]}:{n.split(':', 1)[1]}"
                                 if r_label else None))
             for n, b, s, r, zz, pp in zip(prep.names, fit.theta, se, rse, z, pv, strict=True)]
    n, k = len(y), len(fit.theta)
    pr, _ = outcome_probabilities(prob, fit.theta)
    outcomes = list(prob.tree.outcomes)
    predicted = [{"row": int(r) + 1, **{o: tidy(pr[i, j]) for j, o in enumerate(outcomes)}}
                 for i, r in enumerate(prep.rows)]
    shares = np.bincount(y, minlength=len(outcomes)) / n
    base = None
    if baseline:
        mnl = multinomial_logit(prep.baseline_X, y, len(outcomes), prep.baseline_names)
        ll_s = np.log(np.clip(pr[np.arange(n), y], 1e-300, None))
        ll_b = np.log(np.clip(mnl.probabilities[np.arange(n), y], 1e-300, None))
        d = ll_s - ll_b
        sd = float(d.std(ddof=0))
        vz = None
        if sd > 0:
            corr = (k - mnl.n_params) * math.log(n) / 2.0
            vz = tidy((float(d.sum()) - corr) / (sd * math.sqrt(n)))
        base = BaselineSummary(regressors=list(prep.baseline_names),
                               log_likelihood=tidy(mnl.loglik), n_params=mnl.n_params,
                               aic=tidy(-2 * mnl.loglik + 2 * mnl.n_params),
                               bic=tidy(-2 * mnl.loglik + mnl.n_params * math.log(n)),
                               converged=mnl.converged, vuong_z=vz)
    m = model.model
    return EstimationResult(
        model=m.name,
        tree=[{"id": nd.id, "actor": nd.actor, "moves": dict(nd.moves)} for nd in m.tree.nodes],
        outcomes=outcomes, link=m.link, errors=m.errors,
        utilities={u.label: {"actor": u.actor, "outcome": u.outcome,
                             "formula": u.formula.text.strip()} for u in m.utilities},
        levels=prep.levels, n=n, dropped=prep.dropped, coefficients=coefs,
        log_likelihood=tidy(fit.loglik), aic=tidy(-2 * fit.loglik + 2 * k),
        bic=tidy(-2 * fit.loglik + k * math.log(n)), converged=fit.converged,
        iterations=fit.iterations, message=fit.message, warnings=warnings,
        observed_shares={o: tidy(s) for o, s in zip(outcomes, shares, strict=True)},
        predicted=predicted, baseline=base,
        provenance=Provenance(method=f"games.estimate.{m.name}",
                              parameters={"link": m.link, "errors": m.errors,
                                          "data": Path(source).name, "optimizer":
                                          "BFGS + Newton on the exact score"}))


def _case_problem(result: EstimationResult, case: Mapping[str, Any]
                  ) -> tuple[LikProblem, np.ndarray, dict[tuple[str, str], float]]:
    """The likelihood's arrays for one case, and each fitted utility's value there."""
    coef = result.coefficient_map()
    tree = EstimationTree(tuple(DecisionNode(n["id"], n["actor"], tuple(n["moves"].items()))
                                for n in result.tree), tuple(result.outcomes))
    frame = pd.DataFrame([dict(case)])
    blocks: list[Block] = []
    theta: list[float] = []
    values: dict[tuple[str, str], float] = {}
    for label, u in result.utilities.items():
        f = parse_formula(u["formula"])
        if f.fixed_zero:
            continue
        missing = [c for c in f.columns if c not in case]
        if missing:
            raise InputError([Problem(f"the case lacks {missing} (used by {label})",
                                      value=sorted(case), expected=f"values for {f.columns}")])
        for c, lv in result.levels.items():
            if c in case and str(case[c]) not in lv:
                raise InputError([Problem(f"{c} = {case[c]!r} is not a level seen in the data",
                                          value=case[c], expected=f"one of {lv}")])
        for c in f.columns:
            if c not in result.levels:
                try:
                    float(case[c])
                except (TypeError, ValueError):
                    raise InputError([Problem(f"{c} must be a number", value=case[c],
                                              expected="a number")]) from None
        d = build_design(f, frame, result.levels)
        beta = [coef[f"{label}:{n}"] for n in d.names]
        blocks.append(Block(u["actor"], u["outcome"], len(theta), d.matrix))
        values[(u["actor"], u["outcome"])] = float(d.matrix[0] @ np.array(beta))
        theta.extend(beta)
    prob = LikProblem(tree, tuple(blocks), len(theta), result.link, result.errors)
    return prob, np.array(theta), values


def case_probabilities(result: EstimationResult, case: Mapping[str, Any]) -> dict[str, float]:
    """The fitted model's outcome probabilities for one case's covariates."""
    prob, theta, _ = _case_problem(result, case)
    pr, _ = outcome_probabilities(prob, theta, n=1)
    return {o: tidy(pr[0, j]) for j, o in enumerate(result.outcomes)}


def case_game(result: EstimationResult, case: Mapping[str, Any], *, game_id: str,
              actors: Mapping[str, str] | None = None) -> dict[str, Any]:
    """A scenario ``games:`` entry (an explicit tree) with the fitted utilities at ``case``.

    Payoffs are the systematic utilities; the model's error structure is not part
    of a tree game, so its outcome probabilities are recorded beside them (and a
    logit agent-error model is the logit quantal response equilibrium of this tree
    at precision 1/sqrt 2).  ``actors`` renames the model's actors to scenario actor ids.
    """
    names = dict(actors or {})
    _, _, values = _case_problem(result, case)
    probs = case_probabilities(result, case)
    tree_actors = []
    for n in result.tree:
        a = names.get(n["actor"], n["actor"])
        if a not in tree_actors:
            tree_actors.append(a)
    nodes: list[dict[str, Any]] = []
    for n in result.tree:
        nodes.append({"id": n["id"], "player": names.get(n["actor"], n["actor"]),
                      "moves": dict(n["moves"])})
    for o in result.outcomes:
        payoffs = {}
        for n in result.tree:
            a = n["actor"]
            payoffs[names.get(a, a)] = round(values.get((a, o), 0.0), 6)
        node: dict[str, Any] = {"id": o, "payoffs": payoffs}
        cls = _outcome_class(result, o, names)
        if cls is not None:
            node["outcome"] = cls
        nodes.append(node)
    case_text = ", ".join(f"{k}={v}" for k, v in case.items())
    return {
        "id": game_id,
        "label": f"{result.model} fitted on {result.n} cases ({result.link}, {result.errors} "
                 "errors); with its errors the model gives "
                 + ", ".join(f"P({o}) = {p:.3f}" for o, p in probs.items()),
        "assumption": f"utilities estimated by maximum likelihood at {case_text}; the model's "
                      "outcome probabilities there: "
                      + ", ".join(f"P({o}) = {p:.3f}" for o, p in probs.items()),
        "tree": {"players": tree_actors, "nodes": nodes},
    }


def _outcome_class(result: EstimationResult, outcome: str, names: Mapping[str, str]
                   ) -> str | None:
    """The scenario's outcome class of a model outcome (status_quo, war, deal,
    capitulation_<actor>), or None when the model's name is none of them."""
    if result.model == "egame12":
        second = names.get("2", "2")
        return {"sq": "status_quo", "cap": f"capitulation_{second}", "war": "war"}[outcome]
    if outcome in ("status_quo", "war", "deal"):
        return outcome
    if outcome.startswith("capitulation_"):
        who = outcome.removeprefix("capitulation_")
        return f"capitulation_{names.get(who, who)}"
    return None
