"""korea-2017: expectations reasoned by hand from the scenario's statements.

Option prioritization: statement k of n weighs 2^(n-k) when true; an ``if A then
B`` statement is true when A is false.

Base case (the analyst's reading; no side taken where the article reports a
contested belief):

US, 10 statements: 512 us_avoid_war = not (us_strike and kp_retaliate) | 256 not
  (kp_provoke or kp_retaliate) | 128 if us_strike then (kp_provoke or kp_retaliate)
  | 64 if kp_provoke then us_strike | 32 kp_denuclearize | 16 not us_freeze_talks |
  8 cn_cut_ties | 4 us_embargo | 2 if not cn_cut_ties then us_press_china |
  1 kp_freeze
CN, 9: 256 not us_strike | 128 not cn_cut_ties | 64 not (talks and freeze and not
  cn_broker) | 32 not (kp_provoke or kp_retaliate) | 16 not us_press_china |
  8 kp_freeze | 4 us_freeze_talks | 2 not cn_joint_response | 1 cn_broker
KP, 7: 64 not us_strike | 32 if us_strike then kp_retaliate | 16 not
  kp_denuclearize | 8 not (us_embargo and cn_cut_ties) | 4 not (kp_provoke and
  cn_joint_response) | 2 if us_freeze_talks then kp_freeze | 1 kp_provoke

Lenses (a perception lens changes only the others' preferences):
Washington: KP gains at position 4 "if us_embargo and cn_cut_ties then kp_freeze"
  (KP weights 128 64 32 | 16 cornered | 8 4 | 2 "if talks then not kp_freeze" | 1);
  CN gains at position 2 "if us_press_china then cn_cut_ties".
Beijing: KP gains at position 1 "if us_embargo and cn_cut_ties then (kp_provoke or
  kp_retaliate)" (128, then the base statements 64 .. 1); US gains at position 3
  the bilateral deal "us_freeze_talks and kp_freeze and not cn_broker".
Pyongyang: the US's us_retaliate becomes "not us_strike" (same weight, 64).

States (T = us_embargo + cn_cut_ties, the total-embargo commitment):
  T0 = T, TF = T + kp_freeze, TP = T + kp_provoke, TS = T + us_strike + kp_provoke,
  TW = T + us_strike + kp_retaliate (war).
KP, base:       T0 64+32+16+0+4+2+0 = 118; TF 118; TP 119; TS 0+0+16+0+4+2+1 = 23;
                TW 0+32+16+0+4+2+0 = 54.
US, base:       T0 512+256+128+64+16+8+4+2 = 990; TP 512+128+16+8+4+2 = 670;
                TS 512+128+64+16+8+4+2 = 734; TW 0+0+128+64+16+8+4+2 = 222
                (at TW kp_provoke is false, so "if kp_provoke then us_strike" holds).
US, Pyongyang:  TP 512+128+64+16+8+4+2 = 734; TS 512+128+0+16+8+4+2 = 670.
KP, Washington: T0 128+64+32+0+0+4+2+0 = 230; TF 128+64+32+16+0+4+2 = 246; TP 231.
KP, Beijing:    T0 0+64+32+16+0+4+2 = 118; TP 128+64+32+16+0+4+2+1 = 247;
                TS 128+0+0+16+0+4+2+1 = 151; TW 128+0+32+16+0+4+2 = 182.

Under the total embargo (US embargo and China's cut ties held fixed) therefore:
* base: North Korea's escalation T0 -> TP (118 -> 119) is a unilateral improvement,
  so T0 is not Nash stable; the US answers TP with a strike (670 -> 734), which hurts
  North Korea (23 < 118), so under SEQ the escalation is deterred and T0 holds.  At
  TP the US strike is itself deterred under SEQ: North Korea retaliates (23 -> 54)
  and war leaves the US at 222 < 670.
* Washington: North Korea freezes (TF 246 beats T0 230 and TP 231): capitulation is
  a Nash equilibrium.
* Beijing: North Korea escalates even against a strike (TS 151 > T0 118): T0 is not
  SEQ stable for it, and TP is a SEQ equilibrium (the US strike is deterred by war).
* Pyongyang: the US loses by striking (TS 670 < TP 734), so escalation is
  undeterred and TP is a Nash equilibrium.
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from crisislab.compare.analysis import stability_function
from crisislab.compare.cruxes import find_cruxes
from crisislab.compare.views import ConflictModel
from crisislab.conflict.graph import ConflictGraph
from crisislab.formats.scenario import load
from crisislab.model.lenses import commitment_bits, lens_scenario, policy_state
from crisislab.model.outcomes import outcome_ids_of_states
from crisislab.model.validate import scenario_warnings

T0 = "us_embargo+cn_cut_ties"
TF = "us_embargo+cn_cut_ties+kp_freeze"
TP = "us_embargo+cn_cut_ties+kp_provoke"
TS = "us_embargo+us_strike+cn_cut_ties+kp_provoke"
TW = "us_embargo+us_strike+cn_cut_ties+kp_retaliate"
F0 = "us_freeze_talks+cn_broker"
FF = "us_freeze_talks+cn_broker+kp_freeze"
FP = "us_freeze_talks+cn_broker+kp_provoke"
A0 = "us_embargo+cn_joint_response"
AP = "us_embargo+cn_joint_response+kp_provoke"
SQ = "us_embargo"
SQP = "us_embargo+kp_provoke"


@pytest.fixture(scope="module")
def scenario():
    return load("korea-2017")


@pytest.fixture(scope="module")
def model(scenario):
    return ConflictModel(scenario)


def idx(model, ref):
    return model.space.resolve(ref)


def view(scenario, lens_id):
    return scenario if lens_id == "base" else lens_scenario(scenario, scenario.lens(lens_id))


def payoff(model, sc, actor, ref):
    g = model.graph_for(sc)
    return g.payoffs[g.actor_index(actor)][idx(model, ref)]


def committed(model, sc, policy_id):
    """A deliberately simple reference for a commitment: drop every move that changes
    an option the policy holds fixed (and every state that breaks it)."""
    g = model.graph_for(sc)
    pol = sc.policy(policy_id) if policy_id else None
    mask, value = commitment_bits(model.space, pol)
    keep = (model.space.codes.astype(np.int64) & mask) == value
    moves = []
    for mv in g.moves:
        coo = sp.coo_array(mv)
        ok = keep[coo.row] & keep[coo.col]
        moves.append(sp.csr_array((np.ones(int(ok.sum()), dtype=bool),
                                   (coo.row[ok], coo.col[ok])), shape=mv.shape))
    return ConflictGraph(g.actors, g.codes, tuple(moves), g.payoffs, g.names, g.owner_masks)


STAB = stability_function(("nash", "seq"))


def stable(model, sc, policy_id):
    return STAB(committed(model, sc, policy_id))


def test_scenario_shape(scenario, model):
    """US configurations: none, E, E+press, talks, strike, E+strike, E+press+strike = 7
    (press needs the embargo; talks exclude embargo and strike).  China: none, cut,
    broker, joint, cut+joint, broker+joint = 6.  North Korea without a strike: none,
    freeze, provoke, freeze+denuclearize = 4; with a strike also retaliate = 5.
    4 * 6 * 4 + 3 * 6 * 5 = 96 + 90 = 186 states."""
    assert [a.id for a in scenario.actors] == ["US", "CN", "KP"]
    assert model.space.n == 186
    assert [p.id for p in scenario.policies] == [
        "total_embargo_with_china", "freeze_for_freeze", "agreed_responses"]


def test_outcomes_name_every_state_by_hand(scenario, model):
    assert scenario_warnings(scenario, model.space) == []
    names = outcome_ids_of_states(scenario, model.space)
    expect = {TW: "war", TS: "strike", "kp_freeze+kp_denuclearize": "denuclearization",
              FF: "deal", TF: "capitulation", "us_embargo+kp_freeze": "freeze",
              TP: "escalation", FP: "escalation", SQ: "status_quo", T0: "status_quo",
              # a deal is named before capitulation and escalation would be
              "us_freeze_talks+cn_cut_ties+kp_freeze": "deal"}
    for ref, outcome in expect.items():
        assert names[idx(model, ref)] == outcome, ref
    # the first outcome wins: war although the strike also matches "strike"
    assert sorted(set(names)) == sorted(scenario.outcome_ids())  # type: ignore[type-var]


def test_payoffs_match_the_hand_weights(scenario, model):
    base, wa, bj, py = (view(scenario, v) for v in ("base", "washington", "beijing",
                                                    "pyongyang"))
    assert [payoff(model, base, "KP", s) for s in (T0, TF, TP, TS, TW)] == \
        [118, 118, 119, 23, 54]
    assert [payoff(model, base, "US", s) for s in (T0, TP, TS, TW)] == [990, 670, 734, 222]
    assert [payoff(model, wa, "KP", s) for s in (T0, TF, TP)] == [230, 246, 231]
    assert [payoff(model, bj, "KP", s) for s in (T0, TP, TS, TW)] == [118, 247, 151, 182]
    assert [payoff(model, py, "US", s) for s in (TP, TS)] == [734, 670]


def test_base_case_is_none_of_the_perception_lenses(scenario, model):
    base = model.graph_for(scenario).payoffs
    lenses = ["washington", "beijing", "pyongyang"]
    for lz in lenses:
        assert not np.array_equal(base, model.graph_for(view(scenario, lz)).payoffs), lz
    for a, b in [("washington", "beijing"), ("washington", "pyongyang"),
                 ("beijing", "pyongyang")]:
        assert not np.array_equal(model.graph_for(view(scenario, a)).payoffs,
                                  model.graph_for(view(scenario, b)).payoffs)


def test_total_embargo_in_each_view(scenario, model):
    pol = "total_embargo_with_china"
    assert policy_state(scenario, model.space, scenario.policy(pol)) == idx(model, T0)
    t0, tf, tp = idx(model, T0), idx(model, TF), idx(model, TP)
    us, kp = 0, 2
    base = stable(model, scenario, pol)
    assert not base["nash"][kp, t0]             # escalation T0 -> TP improves 118 -> 119
    assert base["seq"][:, t0].all()             # ... but the US strike deters it
    assert not base["nash"][us, tp] and base["seq"][us, tp]  # strike deterred by war
    wa = stable(model, view(scenario, "washington"), pol)
    assert wa["nash"][:, tf].all()              # Pyongyang capitulates
    bj = stable(model, view(scenario, "beijing"), pol)
    assert not bj["seq"][kp, t0]                # escalates despite the strike
    assert bj["seq"][:, tp].all() and not bj["nash"][:, tp].all()
    py = stable(model, view(scenario, "pyongyang"), pol)
    assert py["nash"][:, tp].all()              # no strike to fear


def test_freeze_for_freeze_in_base_and_washington(scenario, model):
    """Base, freeze talks held and China brokering: KP at F0 64+32+16+8+4+0+0 = 124,
    FF 126 (reciprocates), FP 125: the deal FF is Nash stable for every actor (the US
    cannot strike during talks, China cannot cut ties while brokering).  Washington's
    Pyongyang cheats: F0 254, FF 128+64+32+16+8+4 = 252, FP 255: it escalates."""
    pol = "freeze_for_freeze"
    ff, fp = idx(model, FF), idx(model, FP)
    assert [payoff(model, scenario, "KP", s) for s in (F0, FF, FP)] == [124, 126, 125]
    assert stable(model, scenario, pol)["nash"][:, ff].all()
    wa = view(scenario, "washington")
    assert [payoff(model, wa, "KP", s) for s in (F0, FF, FP)] == [254, 252, 255]
    assert not stable(model, wa, pol)["nash"][2, ff]
    assert stable(model, wa, pol)["nash"][2, fp]


def test_agreed_responses_remove_the_gain_from_escalating(scenario, model):
    """Base.  Status quo SQ (US embargo): KP 64+32+16+8+4+2+0 = 126, escalating
    127, a Nash improvement.  Under the agreed response (China's pledge held) A0 126,
    AP 64+32+16+8+0+2+1 = 123: escalating no longer pays, so A0 is Nash stable for
    North Korea without any US strike threat (which the policy also takes away)."""
    assert [payoff(model, scenario, "KP", s) for s in (SQ, SQP, A0, AP)] == \
        [126, 127, 126, 123]
    assert not stable(model, scenario, None)["nash"][2, idx(model, SQ)]
    assert stable(model, scenario, "agreed_responses")["nash"][2, idx(model, A0)]


def test_crux_for_capitulation_under_the_embargo(scenario, model):
    """From Washington's view to Beijing's, which assumptions alone undo TF (capitulation
    under the total embargo) as a Nash equilibrium?  kp_cornered: Beijing's Pyongyang at
    TF 64+32+16+4+2 = 118 < TP 247, flips.  kp_reciprocate: no talks at TF, no effect.
    China's yielding to pressure: China's ties are held cut, no effect.  The US bilateral
    deal: the US cannot leave the embargo for talks, no effect.  One crux."""
    tf = idx(model, TF)
    pol = "total_embargo_with_china"

    def holds(sc):
        return bool(stable(model, sc, pol)["nash"][:, tf].all())

    search = find_cruxes(scenario, scenario.lens("washington"), scenario.lens("beijing"), holds)
    assert search.exhaustive
    keys = sorted(tuple(search.assumptions[i].key for i in s) for s in search.cruxes)
    assert keys == [(("KP", "kp_cornered"),)]


def _game_outcomes(scenario, lens_id, policy_id):
    from crisislab.games.policy import game_under_policy
    from crisislab.games.solve import solve_compiled

    g = scenario.games[0]
    params = dict(scenario.lens(lens_id).games.get(g.id, {})) if lens_id != "base" else {}
    sol = solve_compiled(game_under_policy(g, policy_id, params, scenario.outcome_ids()),
                         "pure")
    return [{k: round(v, 9) for k, v in e.outcome_probabilities.items() if v}
            for e in sol.equilibria]


@pytest.mark.parametrize(("lens_id", "p_deal"), [
    ("base", 0.5), ("washington", 0.8), ("beijing", 1.0), ("pyongyang", 0.3)])
def test_game_freeze_for_freeze(scenario, lens_id, p_deal):
    """Washington committed to talks: an irresolute Pyongyang freezes (deal 1 > 0), a
    resolute one refuses (testing on 2 > 1) except in Beijing's view (0.5 < 1).
    P(deal) = 1 - p_nk_resolute (1 in Beijing's view), P(war) = 0."""
    (eq,) = _game_outcomes(scenario, lens_id, "freeze_for_freeze")
    assert eq.get("deal") == pytest.approx(p_deal)
    assert "war" not in eq


@pytest.mark.parametrize("lens_id", ["base", "washington", "beijing", "pyongyang"])
def test_game_agreed_responses(scenario, lens_id):
    """No US strike; escalation now yields Pyongyang -4 < -3 for freezing, so both types
    freeze under the embargo and the US embargoes (3 > anything talks give): P(war) = 0,
    capitulation for sure, in every view — a result that rests on the -4 alone."""
    assert _game_outcomes(scenario, lens_id, "agreed_responses") == [{"capitulation": 1.0}]


def test_game_total_embargo():
    """Washington committed to the embargo.  A resolute US strikes after escalation (-2 >
    -3), an irresolute one does not (-8 < -3).  A resolute Pyongyang escalates (q * -2 +
    (1 - q) * 3 > -3 for every q < 1.2); an irresolute one iff q * -9 + (1 - q) * 3 > -3,
    i.e. q < 1/2.  Washington (p 0.2, q 0.8): war p*q = 0.16, escalation 0.04,
    capitulation 0.8.  Pyongyang (p 0.7, q 0.3): both types escalate: war = q = 0.3,
    escalation 0.7.  Base and Beijing (q = 1/2): the irresolute type is indifferent, two
    pure equilibria: war p/2 with capitulation 1 - p, or war 1/2 with escalation 1/2."""
    sc = load("korea-2017")
    pol = "total_embargo_with_china"
    assert _game_outcomes(sc, "washington", pol) == [
        {"capitulation": 0.8, "escalation": 0.04, "war": 0.16}]
    assert _game_outcomes(sc, "pyongyang", pol) == [{"escalation": 0.7, "war": 0.3}]
    assert _game_outcomes(sc, "base", pol) == [
        {"capitulation": 0.5, "escalation": 0.25, "war": 0.25}, {"escalation": 0.5, "war": 0.5}]
    assert _game_outcomes(sc, "beijing", pol) == [
        {"capitulation": 0.3, "escalation": 0.35, "war": 0.35}, {"escalation": 0.5, "war": 0.5}]


def test_agreed_responses_matter_in_pyongyangs_view(scenario, model):
    """Pyongyang's view (Washington prefers not to strike).  At SQ North Korea gains by
    escalating (126 -> 127, its own preferences).  Nothing the others prefer to do hurts
    it: a strike now costs the US 64 ("not us_strike") against nothing gained (SQP 724,
    with a strike 660); China gains nothing by cutting ties (-128) or pledging a joint
    response (-2); freeze talks cost the US 16.  So SQ is not even SEQ stable for North
    Korea: the status quo escalates.  Under the agreed responses, A0 126 against AP 123:
    escalation no longer pays, and A0 is Nash stable for North Korea."""
    py = view(scenario, "pyongyang")
    assert [payoff(model, py, "US", s) for s in
            (SQP, "us_embargo+us_strike+kp_provoke")] == [724, 660]
    assert not stable(model, py, None)["seq"][2, idx(model, SQ)]
    assert stable(model, py, "agreed_responses")["nash"][2, idx(model, A0)]


@pytest.mark.parametrize("policy_id", ["total_embargo_with_china", "freeze_for_freeze",
                                       "agreed_responses"])
def test_engine_commitment_agrees_with_the_simple_reference(scenario, model, policy_id):
    """The engine's committed graph gives the same Nash and SEQ verdicts as the simple
    reference above on every state that keeps the commitment, in every view."""
    from crisislab.conflict.commitment import committed_graph, keeps_commitment

    mask, value = commitment_bits(model.space, scenario.policy(policy_id))
    keep = keeps_commitment(model.space.codes, mask, value)
    for lz in ["base", "washington", "beijing", "pyongyang"]:
        sc = view(scenario, lz)
        ours = stable(model, sc, policy_id)
        engine = STAB(committed_graph(model.graph_for(sc), mask))
        for c in ("nash", "seq"):
            assert np.array_equal(ours[c][:, keep], engine[c][:, keep]), (lz, c)
