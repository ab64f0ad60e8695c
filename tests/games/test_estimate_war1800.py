"""egame12 on war1800, as the R ``games`` package's example fits it.

Facts (model, definitions, coefficient names) are in
tests/cases/estimate/war1800_egame12.yaml with their source.  The package's
printed estimates are not published in the article or manual, so the fit is
held to the package's definitions instead:

* the cases used are those with no missing value in a used column (na.omit);
* the log-likelihood at the estimate equals the sum of the logs of the
  probabilities written out by hand in the package's test_egame12.r;
* an independent derivative-free maximisation of that hand-written likelihood
  (Powell) reaches the same maximum and the same coefficients;
* the standard errors are the square roots of the diagonal of the inverse of the
  negative Hessian (maxLik's, which R's summary prints), here re-derived by
  second differences of the hand-written likelihood;
* the multinomial logit baseline matches statsmodels' MNLogit.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest
from ruamel.yaml import YAML
from scipy import optimize
from scipy.stats import norm

from crisislab.formats.estimation import estimate_files as estimate
from crisislab.games.estimate.spec import load_model_text

FACTS = YAML(typ="safe").load(
    (Path(__file__).parents[1] / "cases" / "estimate" / "war1800_egame12.yaml").read_text())
R_NAMES = {"u11": "u1(sq)", "u14": "u1(war)", "u24": "u2(war)"}


SHARED = (Path(__file__).resolve().parents[2] / ".." / "shared").resolve()


@pytest.fixture(scope="module")
def war1800():
    path = SHARED / "data" / "events" / "war1800" / "war1800.csv"
    if not path.exists():
        pytest.skip("../shared/data/events/war1800 is not present")
    return path


@pytest.fixture(scope="module")
def fitted(war1800):
    model = load_model_text(f"model: egame12\nformula: \"{FACTS['formula']}\"\n"
                            f"link: {FACTS['link']}\nerrors: {FACTS['errors']}\n", "war.yaml")
    return estimate(model, war1800)


def _rows(path):
    with open(path, newline="") as fh:
        return list(csv.DictReader(fh))


def _columns(rows):
    def num(c):
        return np.array([float(r[c]) for r in rows])

    def is_(c, level):
        return np.array([r[c] == level for r in rows], dtype=float)

    return {"s_wt_re1": num("s_wt_re1"), "revis1": num("revis1"), "balanc": num("balanc"),
            "dem1": is_("regime1", "dem"), "mixed1": is_("regime1", "mixed"),
            "dem2": is_("regime2", "dem"), "mixed2": is_("regime2", "mixed"),
            "esc": num("esc"), "war": num("war")}


def _hand_loglik(theta, d):
    """test_egame12.r's formula, written out again over the data columns."""
    u1_sq = theta[0] + theta[1] * d["s_wt_re1"] + theta[2] * d["revis1"]
    u1_cap = 0.0
    u1_war = theta[3] + theta[4] * d["dem1"] + theta[5] * d["mixed1"]
    u2_war = theta[6] + theta[7] * d["balanc"] + theta[8] * d["dem2"] + theta[9] * d["mixed2"]
    p4 = norm.cdf(u2_war, scale=np.sqrt(2))
    p3 = 1 - p4
    p2 = norm.cdf(p4 * u1_war + p3 * u1_cap - u1_sq, scale=np.sqrt(2))
    p1 = 1 - p2
    p = np.where(d["esc"] == 0, p1, np.where(d["war"] == 0, p2 * p3, p2 * p4))
    return float(np.log(p).sum())


def _complete(rows):
    used = ("s_wt_re1", "revis1", "regime1", "balanc", "regime2", "esc", "war")
    return [r for r in rows if all(r[c] not in ("NA", "") for c in used)]


def test_cases_and_names_follow_the_package(fitted, war1800):
    rows = _rows(war1800)
    assert len(rows) == FACTS["rows"]
    assert fitted.n == len(_complete(rows))
    assert fitted.dropped == FACTS["rows"] - fitted.n
    ours = [c.name for c in fitted.coefficients]
    as_r = [R_NAMES[n.split(":", 1)[0]] + ":" + n.split(":", 1)[1] for n in ours]
    assert as_r == FACTS["coefficients"]
    assert [c.r_name for c in fitted.coefficients] == FACTS["coefficients"]
    assert fitted.converged and not fitted.warnings


def test_estimate_maximises_the_packages_own_likelihood(fitted, war1800):
    rows = _columns(_complete(_rows(war1800)))
    theta = np.array([c.estimate for c in fitted.coefficients])
    assert _hand_loglik(theta, rows) == pytest.approx(fitted.log_likelihood, abs=1e-8)
    # independent maximisation: derivative-free, from zero, on the hand-written formula
    res = optimize.minimize(lambda t: -_hand_loglik(t, rows), np.zeros(10), method="Powell",
                            options={"xtol": 1e-8, "ftol": 1e-12, "maxfev": 200_000})
    assert -res.fun == pytest.approx(fitted.log_likelihood, abs=1e-6)
    np.testing.assert_allclose(res.x, theta, atol=2e-3)
    k, n = 10, fitted.n
    assert fitted.aic == pytest.approx(-2 * fitted.log_likelihood + 2 * k)
    assert fitted.bic == pytest.approx(-2 * fitted.log_likelihood + k * np.log(n))


def test_standard_errors_are_the_inverse_hessian_of_the_likelihood(fitted, war1800):
    rows = _columns(_complete(_rows(war1800)))
    theta = np.array([c.estimate for c in fitted.coefficients])
    P = len(theta)
    H = np.empty((P, P))
    h = 1e-4
    f0 = _hand_loglik(theta, rows)
    for i in range(P):
        for j in range(i, P):
            ei = np.eye(P)[i] * h
            ej = np.eye(P)[j] * h
            H[i, j] = H[j, i] = (_hand_loglik(theta + ei + ej, rows)
                                 - _hand_loglik(theta + ei - ej, rows)
                                 - _hand_loglik(theta - ei + ej, rows)
                                 + _hand_loglik(theta - ei - ej, rows)) / (4 * h * h)
    assert f0 == pytest.approx(fitted.log_likelihood, abs=1e-8)
    se = np.sqrt(np.diag(np.linalg.inv(-H)))
    ours = np.array([c.std_error for c in fitted.coefficients])
    np.testing.assert_allclose(ours, se, rtol=2e-3)


def test_predictions_and_baseline(fitted):
    for p in fitted.predicted:
        assert p["sq"] + p["cap"] + p["war"] == pytest.approx(1.0, abs=1e-9)
    shares = fitted.observed_shares
    mean_pred = {o: np.mean([p[o] for p in fitted.predicted]) for o in ("sq", "cap", "war")}
    # not exact for a non-canonical link, but close at the maximum
    for o in shares:
        assert mean_pred[o] == pytest.approx(shares[o], abs=0.02)
    b = fitted.baseline
    assert b is not None and b.converged
    assert b.n_params == 2 * len(b.regressors)


def test_baseline_matches_statsmodels(war1800, fitted):
    sm = pytest.importorskip("statsmodels.api")
    rows = _complete(_rows(war1800))
    X = np.array([[1.0, float(r["s_wt_re1"]), float(r["revis1"]), r["regime1"] == "dem",
                   r["regime1"] == "mixed", float(r["balanc"]), r["regime2"] == "dem",
                   r["regime2"] == "mixed"] for r in rows], dtype=float)
    y = np.array([0 if r["esc"] == "0" else (1 if r["war"] == "0" else 2) for r in rows])
    res = sm.MNLogit(y, X).fit(disp=0, method="newton", maxiter=200)
    assert fitted.baseline.log_likelihood == pytest.approx(res.llf, abs=1e-6)


def test_the_how_to_command_runs_on_war1800(war1800, tmp_path):
    """docs/how-to/estimate-from-data.md, steps 1-3, through the command line."""
    from typer.testing import CliRunner

    from crisislab.cli.main import app

    model = tmp_path / "war1800-model.yaml"
    model.write_text("model: egame12\nlink: probit\nerrors: agent\noutcome: esc + war\n"
                     "utilities:\n  u11: s_wt_re1 + revis1\n  u13: \"0\"\n  u14: regime1\n"
                     "  u24: balanc + regime2\n")
    game = tmp_path / "korea-fitted.yaml"
    res = CliRunner().invoke(app, [
        "estimate", str(war1800), "--model", str(model), "--case",
        "s_wt_re1=-0.6,revis1=1,regime1=dem,balanc=0.93,regime2=autoc",
        "--export-game", str(game), "--actors", "1=US,2=KP", "--game-id", "war1800_fit"])
    assert res.exit_code == 0, res.output
    text = " ".join(res.output.split())
    assert "282 cases (31 dropped for missing values)" in text
    assert "P(war) =" in text and game.exists()


def test_factor_and_indicator_outcomes_give_the_same_fit(war1800, fitted):
    """test_egame12.r, "factor- and matrix-form LHS yield same results": the outcome as
    one column (names or codes 1..3) gives the fit of the indicators esc + war."""
    import pandas as pd

    df = pd.read_csv(war1800)
    df["y"] = np.where(df.esc == 0, "sq", np.where(df.war == 0, "cap", "war"))
    df["code"] = np.where(df.esc == 0, 1, np.where(df.war == 0, 2, 3))
    rhs = FACTS["formula"].split("~", 1)[1]
    for lhs in ("y", "code"):
        model = load_model_text(f'model: egame12\nformula: "{lhs} ~{rhs}"\n', "m.yaml")
        other = estimate(model, df, baseline=False)
        assert other.log_likelihood == pytest.approx(fitted.log_likelihood, abs=1e-9)
        np.testing.assert_allclose([c.estimate for c in other.coefficients],
                                   [c.estimate for c in fitted.coefficients], atol=1e-7)
