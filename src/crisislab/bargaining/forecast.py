"""One entry point for every negotiation model, per issue and per lens.

:func:`forecast_issue` runs one model on one issue, optionally through a
lens's overrides; :func:`forecast_scenario` runs the chosen models on the
chosen issues of a scenario under the base case and each chosen lens.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Literal

from pydantic import ValidationError

from crisislab.bargaining.baselines import compromise, median, nash_bargaining
from crisislab.bargaining.challenge import ChallengeOptions, challenge_model
from crisislab.bargaining.results import Forecast, ForecastSet
from crisislab.bargaining.smp import SMPOptions, smp_model
from crisislab.bargaining.spec import IssueSpec, apply_issue_overrides, issue_arrays
from crisislab.errors import InputError, Problem

ForecastModel = Literal["compromise", "median", "nash", "challenge", "smp"]
MODELS: tuple[ForecastModel, ...] = ("compromise", "median", "nash", "challenge", "smp")


def forecast_issue(issue: IssueSpec, model: str = "challenge", *,
                   overrides: Mapping[str, dict[str, Any]] | None = None,
                   lens: str | None = None, options: Mapping[str, Any] | None = None,
                   seed: int | None = None) -> Forecast:
    """Forecast where ``issue`` settles under ``model`` (one of :data:`MODELS`).

    ``overrides`` are a lens's {actor: {field: value}} for this issue and
    ``lens`` its id (recorded in the provenance).  ``options`` are the model's
    parameters (:class:`ChallengeOptions`, :class:`SMPOptions`, or the keyword
    arguments of :func:`nash_bargaining`); ``seed`` turns the spatial model's
    resolution stochastic.
    """
    spec = apply_issue_overrides(issue, dict(overrides) if overrides else None)
    arr = issue_arrays(spec)
    opts = dict(options or {})
    if model not in MODELS:
        raise InputError([Problem(f"unknown negotiation model {model!r}", value=model,
                                  expected=", ".join(MODELS))])
    if model == "compromise":
        return compromise(arr, lens=lens)
    if model == "median":
        return median(arr, lens=lens)
    if model == "nash":
        unknown = set(opts) - {"utility", "disagreement", "weighted"}
        if unknown or opts.get("utility", "quadratic") not in ("linear", "quadratic") \
                or opts.get("disagreement", "auto") not in ("auto", "status_quo", "worst"):
            raise InputError([Problem("invalid options for model 'nash'", value=opts,
                                      expected="utility: linear|quadratic, disagreement: "
                                               "auto|status_quo|worst, weighted: bool")])
        return nash_bargaining(arr, lens=lens, **opts)
    if model == "smp" and seed is not None:
        opts.setdefault("state_transition", "stochastic")
        opts["seed"] = seed
    try:
        chosen = ChallengeOptions(**opts) if model == "challenge" else SMPOptions(**opts)
    except ValidationError as exc:
        raise InputError([Problem(f"invalid options for model {model!r}: {exc}",
                                  value=opts)]) from exc
    if isinstance(chosen, ChallengeOptions):
        return challenge_model(arr, chosen, lens=lens)
    return smp_model(arr, chosen, lens=lens)


def _issues_of(scenario: Any) -> list[IssueSpec]:
    out = []
    for raw in getattr(scenario, "issues", None) or []:
        out.append(raw if isinstance(raw, IssueSpec) else IssueSpec.model_validate(raw))
    return out


def _lens_overrides(scenario: Any, lens_id: str) -> dict[str, dict[str, dict[str, Any]]]:
    for lens in getattr(scenario, "lenses", None) or []:
        if getattr(lens, "id", None) == lens_id:
            return dict(getattr(lens, "issues", {}) or {})
    known = [getattr(x, "id", "?") for x in getattr(scenario, "lenses", None) or []]
    raise InputError([Problem(f"unknown lens {lens_id!r}", value=lens_id,
                              expected="one of: " + (", ".join(known) or "(no lenses)"))])


def forecast_scenario(scenario: Any, *, issues: Iterable[str] | None = None,
                      models: Iterable[str] = MODELS, lenses: Iterable[str | None] = (None,),
                      options: Mapping[str, Mapping[str, Any]] | None = None,
                      seed: int | None = None) -> ForecastSet:
    """Every chosen model on every chosen issue, for the base case and each lens.

    ``scenario`` is anything with ``issues`` (IssueSpec or dicts) and
    ``lenses`` (objects with ``id`` and ``issues``: issue -> actor -> field ->
    value).  ``None`` in ``lenses`` is the base case.  ``options`` maps a
    model name to its parameters.
    """
    all_issues = _issues_of(scenario)
    by_id = {i.id: i for i in all_issues}
    chosen = list(issues) if issues is not None else list(by_id)
    missing = [i for i in chosen if i not in by_id]
    if missing:
        raise InputError([Problem(f"unknown issue {m!r}", value=m,
                                  expected="one of: " + (", ".join(by_id) or "(no issues)"))
                          for m in missing])
    models = list(models)
    for m in models:
        if m not in MODELS:
            raise InputError([Problem(f"unknown negotiation model {m!r}", value=m,
                                      expected=", ".join(MODELS))])
    out = []
    for lens_id in lenses:
        lens_over = _lens_overrides(scenario, lens_id) if lens_id else {}
        for iid in chosen:
            for m in models:
                out.append(forecast_issue(by_id[iid], m, overrides=lens_over.get(iid),
                                          lens=lens_id, options=(options or {}).get(m),
                                          seed=seed))
    return ForecastSet(forecasts=out)
