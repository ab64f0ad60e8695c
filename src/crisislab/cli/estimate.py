"""``crisislab estimate``: fit a strategic choice model to outcome data."""

from __future__ import annotations

import io
from typing import Annotated, Any

import typer

from crisislab.cli.common import console, ensure_writable, err_console, user_errors, write_atomic
from crisislab.errors import input_error


def _case(items: list[str] | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for item in items or []:
        for part in item.split(","):
            if not part.strip():
                continue
            if "=" not in part:
                raise input_error(f"cannot read --case {part!r}", value=part,
                                  expected="COLUMN=VALUE (comma-separated or repeated)")
            k, v = (s.strip() for s in part.split("=", 1))
            try:
                out[k] = int(v)
            except ValueError:
                try:
                    out[k] = float(v)
                except ValueError:
                    out[k] = v
    return out


def _actor_names(text: str | None) -> dict[str, str]:
    if not text:
        return {}
    out = {}
    for part in text.split(","):
        if "=" not in part:
            raise input_error(f"cannot read --actors {part!r}", value=part,
                              expected="MODEL_ACTOR=SCENARIO_ACTOR, e.g. 1=US,2=NK")
        k, v = (s.strip() for s in part.split("=", 1))
        out[k] = v
    return out


def register(app: typer.Typer) -> None:
    """Add ``crisislab estimate`` to the application."""
    @app.command()
    @user_errors
    def estimate(
        data: Annotated[str, typer.Argument(help="CSV file, one case per row.")],
        model: Annotated[str, typer.Option("--model", "-m", help="Model file (YAML).")],
        link: Annotated[str | None, typer.Option(
            help="probit or logit (overrides the model file).")] = None,
        json_out: Annotated[str | None, typer.Option(
            "--json", help="Write the full result (with per-case predictions) as JSON.")] = None,
        case: Annotated[list[str] | None, typer.Option(
            help="Covariates of one case, COLUMN=VALUE[,...]: print its outcome "
                 "probabilities.")] = None,
        export_game: Annotated[str | None, typer.Option(
            help="Write the case's fitted game as a scenario `games:` entry (YAML).")] = None,
        game_id: Annotated[str, typer.Option(help="Id of the exported game.")] = "fitted",
        actors: Annotated[str | None, typer.Option(
            help="Model actor -> scenario actor for the exported game, e.g. 1=US,2=NK.")] = None,
        baseline: Annotated[bool, typer.Option(
            help="Fit the multinomial logit beside the strategic model.")] = True,
        force: Annotated[bool, typer.Option(help="Replace existing output files.")] = False,
    ) -> None:
        """Fit a strategic choice model (Signorino) to outcome data by maximum likelihood."""
        from crisislab.compare.estimate_runs import case_game_entry, case_outcomes
        from crisislab.formats.estimation import estimate_files, load_model
        from crisislab.report.estimate_text import print_estimate

        if link is not None and link not in ("probit", "logit"):
            raise input_error(f"unknown link {link!r}", value=link, expected="probit or logit")
        if export_game is not None and not case:
            raise input_error("--export-game needs the case's covariates", value=export_game,
                              expected="--case COLUMN=VALUE,...")
        for out in (json_out, export_game):
            if out is not None:
                ensure_writable(out, force=force)
        loaded = load_model(model, link=link)
        result = estimate_files(loaded, data, baseline=baseline)
        print_estimate(result, console, err_console)
        covariates = _case(case)
        if covariates:
            probs = case_outcomes(result, covariates)
            console.print("case " + ", ".join(f"{k}={v}" for k, v in covariates.items()) + ": "
                          + ", ".join(f"P({o}) = {p:.3f}" for o, p in probs.items()),
                          highlight=False, soft_wrap=True)
        if export_game is not None:
            from ruamel.yaml import YAML

            entry = case_game_entry(result, covariates, game_id=game_id,
                                    actors=_actor_names(actors))
            buf = io.StringIO()
            yaml = YAML()
            yaml.default_flow_style = None
            yaml.dump({"games": [entry]}, buf)
            write_atomic(export_game, buf.getvalue(), force=force)
            console.print(f"wrote {export_game}")
        if json_out is not None:
            write_atomic(json_out, result.to_json(), force=force)
            console.print(f"wrote {json_out}")
