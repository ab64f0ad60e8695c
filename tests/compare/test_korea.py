"""korea-2017: expectations reasoned by hand from the scenario's statements.

Option prioritization: statement k of n weighs 2^(n-k).  Weights used below.

North Korea (base = Beijing's reading of Pyongyang), 6 statements:
  32 not us_strike | 16 not kp_denuclearize | 8 kp_cornered: if us_embargo and
  cn_cut_ties then kp_provoke | 4 not (us_embargo and cn_cut_ties) |
  2 if us_freeze_talks or cn_broker then kp_freeze | 1 kp_provoke
Washington's view replaces kp_cornered by "... then kp_freeze" and
kp_reciprocate by "not kp_freeze"; it replaces China's "not cn_cut_ties" by
"cn_cut_ties".  Beijing's view inserts for the US, at priority 3 of 9,
"us_freeze_talks and kp_freeze and not cn_broker" (collusion).

E = total embargo with Chinese participation and a North Korean freeze
    (us_embargo + cn_cut_ties + kp_freeze);
X = the same with escalation instead (us_embargo + cn_cut_ties + kp_provoke).

Washington's view, Nash stability of E:
  US   at E scores 128+32+16+8+4+2+1 = 191; a strike loses 16, dropping the
       embargo loses 2, freeze talks lose 4+2: no improvement.
  CN   at E: 32+16+8+4 = 60; restoring ties gives 44, brokering 45: stable.
  KP   at E: 32+16+8 = 56; unfreezing gives 50, escalating (X) 51,
       denuclearizing 40: stable.  So E is a Nash equilibrium.
Beijing's view, Nash stability of E:
  KP   at E: 32+16+0+0+2+0 = 50; at X: 32+16+8+0+2+1 = 59 > 50, so North
       Korea escalates: E is not stable (nor for China, which restores ties:
       44 -> 60).
Cruxes (start from Washington's view, switch Beijing's assumptions one at a
time, Nash stability of E):
  kp_cornered      KP at E 48 < X 59: flips;
  cn_keep_ties     CN at E 44 < 60 with ties restored: flips;
  kp_reciprocate   KP at E 58 > 51 and 50: no flip;
  us_bilateral     US at E 319 < 377 for freeze talks (s25): flips.
So the minimal cruxes are exactly three single assumptions.

Beijing's view, Nash stability of F = us_embargo + cn_broker + kp_freeze:
  US   dropping the embargo loses 2, striking loses 16, freeze talks gain nothing
       (China brokers, so no bilateral deal) and lose 4+2: stable;
  CN   dropping the broker role loses 1, cutting ties loses 16: stable;
  KP   62 at F; unfreezing 60; escalating 61; denuclearizing 46: stable.
"""

from __future__ import annotations

import pytest

from crisislab.compare.analysis import analyse
from crisislab.compare.cruxes import find_cruxes
from crisislab.compare.views import ConflictModel
from crisislab.model.io import load
from crisislab.model.lenses import lens_scenario


@pytest.fixture(scope="module")
def scenario():
    return load("korea-2017")


@pytest.fixture(scope="module")
def model(scenario):
    return ConflictModel(scenario)


@pytest.fixture(scope="module")
def result(scenario):
    return analyse(scenario, what_if=False)


def idx(model, ref):
    return model.space.resolve(ref)


E = "us_embargo+cn_cut_ties+kp_freeze"
X = "us_embargo+cn_cut_ties+kp_provoke"
F = "us_embargo+cn_broker+kp_freeze"


def test_scenario_shape(scenario, model):
    assert [a.id for a in scenario.actors] == ["US", "CN", "KP"]
    assert model.space.n == 60  # 5 US x 3 China x 4 North Korea configurations
    # every preference statement, constraint and override carries evidence
    for pref in scenario.preferences.values():
        for st in pref.statements():
            assert st.quote or st.assumption, st.id
    for c in scenario.constraints():
        assert c.quote or c.assumption
    for lens in scenario.lenses:
        for ov in lens.overrides:
            assert ov.quote or ov.assumption, ov.id


def test_payoffs_match_the_hand_weights(scenario, model):
    kp = model.graph_for(scenario).payoffs[2]
    assert kp[idx(model, X)] == 32 + 16 + 8 + 0 + 2 + 1
    assert kp[idx(model, E)] == 32 + 16 + 0 + 0 + 2 + 0
    wa = lens_scenario(scenario, scenario.lens("washington"))
    kp_w = model.graph_for(wa).payoffs[2]
    assert kp_w[idx(model, E)] == 56
    assert kp_w[idx(model, X)] == 51


def test_embargo_with_china_holds_only_in_washingtons_view(result, model):
    e = idx(model, E)
    assert e in result.equilibria("nash", "washington")
    assert e not in result.equilibria("nash", "beijing")
    beijing = result.view("beijing")
    assert not beijing.stable["nash"][2, e]  # North Korea escalates
    assert not beijing.stable["nash"][1, e]  # China restores ties


def test_broker_freeze_with_embargo_is_stable_in_beijings_view(result, model):
    assert idx(model, F) in result.equilibria("nash", "beijing")


def test_policy_path_embargo_with_china(result, model):
    # Washington: from X, North Korea backs down to E, which holds
    reached = result.view("washington").paths["total_embargo_with_china"]["nash"]
    assert idx(model, E) in reached
    reached_b = result.view("beijing").paths["total_embargo_with_china"]["nash"]
    assert idx(model, E) not in reached_b


def test_cruxes_for_the_embargo_are_the_three_hand_derived_assumptions(scenario, model):
    e = idx(model, E)
    from crisislab.compare.analysis import stability_function

    stab = stability_function(("nash",))

    def holds(sc):
        return bool(stab(model.graph_for(sc))["nash"][:, e].all())

    search = find_cruxes(scenario, scenario.lens("washington"), scenario.lens("beijing"), holds)
    assert search.exhaustive
    keys = sorted(tuple(search.assumptions[i].key for i in s) for s in search.cruxes)
    assert keys == [(("CN", "cn_keep_ties"),), (("KP", "kp_cornered"),),
                    (("US", "us_bilateral_deal"),)]


def test_crux_sentence_quotes_both_sides(result, model):
    e = idx(model, E)
    crux = next(c for c in result.cruxes
                if c.conclusion.kind == "equilibrium" and c.conclusion.state == e
                and c.conclusion.concept == "nash"
                and {c.view_a, c.view_b} == {"washington", "beijing"})
    text = " ".join(crux.sentences)
    assert "prefer escalation to a freeze?" in text
    assert "much more likely to ramp up its provocative activities" in text
