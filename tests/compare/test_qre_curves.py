"""The logit QRE curve of each game, computed by the pipeline, serialised, and rendered.

Game ``g`` of test_scenario_analysis.SCENARIO: A embargoes or waits (calm, 0); after an
embargo B tests (war: A -2, B b_war) or stops (deal: A 2, B 0).  Agent logit QRE at
precision lambda (McKelvey & Palfrey 1998; closed form as in Signorino 1999, one move each):

    t = P(test)    = 1 / (1 + exp(-lambda (b_war - 0)))
    e = P(embargo) = 1 / (1 + exp(-lambda (2 - 4 t)))    (EU(embargo) = -2 t + 2 (1 - t))
    P(war) = e t,  P(deal) = e (1 - t),  P(calm) = 1 - e.

At lambda = 0 play is uniform: P(calm) = 1/2, P(war) = P(deal) = 1/4.  The base view has
b_war = 1 (payoff range 4, so lambda runs to 50 / 4 = 12.5); Hawk's view b_war = -1.
"""

from __future__ import annotations

import json
import math

import pytest
from test_scenario_analysis import SCENARIO

from crisislab.compare.pipeline import analyze_scenario
from crisislab.compare.qre_curves import SCALED_LAMBDA_MAX
from crisislab.model.io import load_text
from crisislab.report.sections import game_sections


def closed_form(lam: float, b_war: float) -> dict[str, float]:
    t = 1 / (1 + math.exp(-lam * b_war))
    e = 1 / (1 + math.exp(-lam * (2 - 4 * t)))
    return {"war": e * t, "deal": e * (1 - t), "calm": 1 - e}


@pytest.fixture(scope="module")
def sa():
    return analyze_scenario(load_text(SCENARIO), concepts=("seq",), curves=True,
                            cruxes=False, what_if=False)


def test_each_view_has_a_curve_matching_the_closed_form(sa):
    assert {(c.game, c.view) for c in sa.qre_curves} == {("g", "base"), ("g", "hawk")}
    for c in sa.qre_curves:
        b_war = 1.0 if c.view == "base" else -1.0
        assert c.lam[0] == 0.0 and c.lam[-1] == pytest.approx(SCALED_LAMBDA_MAX / 4)
        assert list(c.lam) == sorted(c.lam) and len(c.lam) > 10
        series = dict(c.series)
        assert set(series) == {"war", "deal", "calm"}
        for i, lam in enumerate(c.lam):
            for o, p in closed_form(lam, b_war).items():
                assert series[o][i] == pytest.approx(p, abs=1e-8)
    base = dict(next(c for c in sa.qre_curves if c.view == "base").series)
    assert base["calm"][0] == pytest.approx(0.5) and base["calm"][-1] > 0.999


def test_qre_curves_are_in_the_json_and_the_report(sa):
    data = json.loads(sa.to_json())
    assert {(c["game"], c["view"], c["link"]) for c in data["qre_curves"]} == \
        {("g", "base", "logit"), ("g", "hawk", "logit")}
    base = next(c for c in data["qre_curves"] if c["view"] == "base")
    assert len(base["lambda"]) == len(base["series"]["war"])
    (section,) = game_sections(sa)
    titles = [c["title"] for c in section["curves"]]
    assert sum("QRE branch" in t for t in titles) == 2
    qre = next(c for c in section["curves"] if "QRE branch" in c["title"])
    assert qre["parameter"] == "lambda" and set(qre["series"]) == {"war", "deal", "calm"}
