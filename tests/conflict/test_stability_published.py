"""Stability results from the literature and from hand derivations written out here.

Sources:
- Fang, L., Hipel, K.W. & Kilgour, D.M. (1993), *Interactive Decision Making:
  The Graph Model for Conflict Resolution*, Wiley: Prisoner's Dilemma and
  Chicken in graph form, and the Elmira groundwater conflict.
- Hipel, K.W., Kilgour, D.M., Fang, L. & Peng, X. (1997), "The decision support
  system GMCR in environmental conflict management", Applied Mathematics and
  Computation 83: the Elmira model (3 DMs, 9 feasible states).  The model is the
  one fixture ``tests/cases/gmcr/elmira.yaml`` (citations there); the stability
  table below is hand-derived from it, step by step, and its Nash equilibria are
  the published ones.
"""

from __future__ import annotations

import numpy as np
import pytest
from elmira_case import ELMIRA, elmira_graph

from crisislab.conflict.concepts import Concept
from crisislab.conflict.moves import build_graph, build_option_graph
from crisislab.conflict.stability import analyze_stability
from crisislab.errors import InputError

ALL4: tuple[Concept, ...] = ("nash", "gmr", "smr", "seq")


def ids(mask: np.ndarray) -> list[int]:
    """1-based ordinal ids of the true entries."""
    return (np.flatnonzero(mask) + 1).tolist()


# --------------------------------------------------------------------------
# Prisoner's Dilemma.  Option 0: prisoner 1 cooperates (C1), option 1:
# prisoner 2 cooperates (C2).  Codes: 0 = DD, 1 = C1 D2, 2 = D1 C2, 3 = CC;
# ordinal ids 1..4 in that order.  Ordinal payoffs 4 (best) .. 1:
#   P1: D1C2 4 > CC 3 > DD 2 > C1D2 1;  P2 symmetric.
# P1 toggles bit 0 (1<->2, 3<->4 by id), P2 toggles bit 1 (1<->3, 2<->4).
#
# Nash, P1: id1 DD(2)->C1D2(1) no UI: stable; id2 C1D2(1)->DD(2) UI: unstable;
#   id3 D1C2(4)->CC(3) no: stable; id4 CC(3)->D1C2(4) UI: unstable.
#   P2 by symmetry: stable at ids 1, 2; unstable at 3, 4.  Equilibrium: DD only.
# GMR, P1 at CC (3): UI to D1C2; P2 answers D1C2 -> DD, worth 2 <= 3 to P1:
#   deterred, stable.  At C1D2 (1): UI to DD; P2's only reply DD -> D1C2 is
#   worth 4 > 1: unstable.  Equilibria DD and CC.
# SMR at CC: after the sanction DD, P1's only move DD -> C1D2 is worth 1 <= 3:
#   stable.  SEQ at CC: P2's sanction D1C2 -> DD improves P2 (1 -> 2): credible,
#   stable.  So GMR = SMR = SEQ equilibria {DD, CC}, Nash {DD}.
# SIM at CC for P1: P1 defects while P2 simultaneously defects (its UI from
#   CC): the result DD is worth 2 <= 3: stable.  At C1D2 P2 has no UI, so P1's
#   UI is not simultaneously sanctioned: unstable.  SIM equilibria {DD, CC}.
# --------------------------------------------------------------------------
def prisoners_dilemma():
    codes = [0, 1, 2, 3]
    p1 = [2, 1, 4, 3]
    p2 = [2, 4, 1, 3]
    return build_option_graph(["P1", "P2"], codes, [0b01, 0b10], [p1, p2])


def test_prisoners_dilemma_all_concepts():
    res = analyze_stability(prisoners_dilemma(), ("nash", "gmr", "smr", "seq", "sim", "seqsim"))
    assert ids(res.stable["nash"][0]) == [1, 3]
    assert ids(res.stable["nash"][1]) == [1, 2]
    assert (res.equilibria("nash") + 1).tolist() == [1]
    for c in ("gmr", "smr", "seq", "sim", "seqsim"):
        assert ids(res.stable[c][0]) == [1, 3, 4], c
        assert ids(res.stable[c][1]) == [1, 2, 4], c
        assert (res.equilibria(c) + 1).tolist() == [1, 4], c


def test_prisoners_dilemma_witness_names_the_sanction():
    res = analyze_stability(prisoners_dilemma())
    w = res.witness("P1", 3, "seq")  # CC, index 3
    assert w.stable
    (d,) = w.deterrences
    assert d.improvement == 2 and d.kind == "sequence"
    assert [tuple(s) for s in d.steps] == [(1, 2, 0)]  # P2 moves D1C2 -> DD
    w = res.witness("P1", 1, "gmr")
    assert not w.stable and w.undeterred is not None and w.undeterred.improvement == 0


# --------------------------------------------------------------------------
# Chicken.  Option 0: driver 1 goes straight, option 1: driver 2 goes
# straight.  Codes/ids: 0/1 both swerve, 1/2 only D1 straight, 2/3 only D2
# straight, 3/4 crash.  Payoffs: D1: 4 for id2, 3 for id1, 2 for id3, 1 for id4;
# D2 symmetric (4 for id3, 3 id1, 2 id2, 1 id4).
#
# Nash, D1: id1 (3) -> id2 (4) UI: unstable; id2 stable; id3 (2) -> id4 (1) no:
#   stable; id4 (1) -> id3 (2) UI: unstable.  D2: stable at 2, 3.  Eq {2, 3}.
# GMR, D1 at id1: UI to id2; D2 replies id2 -> id4 worth 1 <= 3: stable.
#   At id4: UI to id3; D2 replies id3 -> id1 worth 3 > 1: unstable.
#   GMR equilibria {1, 2, 3}.
# SMR at id1: after the sanction id4, D1's only move id4 -> id3 is worth 2 <= 3:
#   stable.  SMR equilibria {1, 2, 3}.
# SEQ at id1: D2's reply id2 -> id4 takes D2 from 2 to 1, not an improvement,
#   so it is not credible: unstable.  SEQ equilibria {2, 3}.
# SIM at id1: D1 goes straight while D2 simultaneously goes straight (its UI
#   from id1): crash, worth 1 <= 3: stable.  At id4: D1's UI is to swerve (id3),
#   D2's UI from id4 is to swerve (id2); together both swerve (id1), worth
#   3 > 1 to D1: unstable.  SIM equilibria {1, 2, 3}; SEQ+SIM likewise.
# --------------------------------------------------------------------------
def chicken():
    d1 = [3, 4, 2, 1]
    d2 = [3, 2, 4, 1]
    return build_option_graph(["D1", "D2"], [0, 1, 2, 3], [0b01, 0b10], [d1, d2])


@pytest.mark.parametrize("variant", ["any", "unstable"])
def test_chicken_all_concepts(variant):
    res = analyze_stability(chicken(), ("nash", "gmr", "smr", "seq", "sim", "seqsim"),
                            sim_variant=variant)
    assert ids(res.stable["nash"][0]) == [2, 3]
    assert ids(res.stable["nash"][1]) == [2, 3]
    assert ids(res.stable["gmr"][0]) == [1, 2, 3]
    assert ids(res.stable["smr"][1]) == [1, 2, 3]
    assert ids(res.stable["seq"][0]) == [2, 3]
    expected = {"nash": [2, 3], "gmr": [1, 2, 3], "smr": [1, 2, 3], "seq": [2, 3],
                "sim": [1, 2, 3], "seqsim": [1, 2, 3]}
    for c, eq in expected.items():
        assert (res.equilibria(c) + 1).tolist() == eq, c
    assert res.sim_variant == variant
    assert res.provenance.parameters["sim_variant"] == variant
    w = res.witness("D1", 0, "sim")
    (d,) = w.deterrences
    assert d.kind == "simultaneous" and d.endpoint == 3
    assert [tuple(s) for s in d.steps] == [(0, 0, 1), (1, 0, 2)]


# --------------------------------------------------------------------------
# Elmira groundwater conflict (3 DMs, 9 states).
# DMs: MoE (option Modify the control order, irreversible once taken),
# Uniroyal (exactly one of Delay [can only be given up], Accept, Abandon
# [irreversible]), Local Government (Insist on the original order, reversible).
#   state:   1 2 3 4 5 6 7 8 9
#   Modify:  N Y N Y N Y N Y -
#   Delay:   Y Y N N Y Y N N -
#   Accept:  N N Y Y N N Y Y -
#   Abandon: N N N N N N N N Y
#   Insist:  N N N N Y Y Y Y -
# Moves: MoE 1->2, 3->4, 5->6, 7->8; Uniroyal from Delay to Accept or Abandon,
# from Accept to Abandon (1->3, 1->9, 2->4, 2->9, 3->9, 4->9, 5->7, 5->9, 6->8,
# 6->9, 7->9, 8->9); LG toggles Insist (1<->5, 2<->6, 3<->7, 4<->8).  Nobody
# moves from 9 (Uniroyal has abandoned Elmira).
# Preferences, most to least preferred (tests/cases/gmcr/elmira.yaml, Fang et al. 1993):
#   MoE: 7 3 4 8 5 1 2 6 9;  Uniroyal: 1 4 8 5 9 3 7 2 6;  LG: 7 3 5 1 8 6 4 2 9.
# (gmcr-py's Elmira.gmcr orders Uniroyal's 2, 3, 7 as 2 3 7; nothing below depends on it.)
#
# Hand derivation.
# MoE: each of its moves (1->2, 3->4, 5->6, 7->8) goes down its ranking, so it
#   has no UI anywhere: stable at every state under every concept.
# Uniroyal UIs: 2->4, 2->9, 3->9, 6->8, 6->9, 7->9; none from 1, 4, 5, 8, 9.
#   Nash-stable: 1, 4, 5, 8, 9.  GMR at 2: UI 2->4; from 4 only LG moves
#   (4->8, then back 8->4), Uniroyal ranks 4 and 8 above 2: undeterred.  At 3, 6,
#   7 the UI to 9 cannot be answered at all.  So Uniroyal is stable exactly at
#   1, 4, 5, 8, 9 under Nash, GMR, SMR and SEQ.
# LG UIs: 1->5, 2->6, 3->7, 4->8.  Nash-stable: 5, 6, 7, 8, 9.
#   GMR at 1 (LG value of 1 is 6th of 9): after 1->5 MoE can modify 5->6, which
#     LG ranks below 1: deterred.  At 2: after 2->6 Uniroyal abandons 6->9, LG's
#     worst: deterred.  At 3: 3->7 answered by 7->9; at 4: 4->8 by 8->9.  So LG
#     is GMR-stable everywhere.
#   SMR: the same sanctions; LG's only counter-move from 6 is back to 2 (below 1),
#     from 9 none: SMR-stable everywhere.
#   SEQ at 1: the sanction 5->6 hurts MoE (MoE ranks 5 above 6) and Uniroyal's
#     moves from 5 (to 7 or 9) hurt Uniroyal: no credible sanction, unstable.
#     At 2: Uniroyal's 6->9 improves Uniroyal: stable.  At 3: 7->9 improves
#     Uniroyal: stable.  At 4: from 8 Uniroyal's only move 8->9 hurts it and MoE
#     cannot move: unstable.  LG SEQ-stable: 2, 3, 5, 6, 7, 8, 9.
# Equilibria: Nash and SEQ {5, 8, 9}; GMR and SMR {1, 4, 5, 8, 9}.  State 9 is
# absorbing (Uniroyal has left); the published discussion centres on 5 and 8,
# 8 (modified order accepted, LG insisting) being the historical outcome.
# Every sanction above is a single opponent move, so the three sanctioning
# modes agree.
# --------------------------------------------------------------------------
def elmira_option_form():
    """The same model in option form: Modify=bit0, Delay=1, Accept=2, Abandon=3, Insist=4.

    Abandon states are kept distinct here (12 states), so this form is only
    used for the option-form checks below, not for the 9-state table.
    """
    codes = sorted(m | u | i for m in (0, 1) for u in (2, 4, 8) for i in (0, 16))
    return codes


@pytest.mark.parametrize("uniroyal", ["published", "gmcr_py"])
@pytest.mark.parametrize("mode", ["legal", "each_once", "single"])
def test_elmira_stability_table(mode, uniroyal):
    ranking = ELMIRA["uniroyal_ranking_gmcr_py"] if uniroyal == "gmcr_py" else None
    res = analyze_stability(elmira_graph(ranking), ALL4, mode=mode)
    moe, uni, lg = 0, 1, 2
    for c in ALL4:
        assert ids(res.stable[c][moe]) == list(range(1, 10)), c
        assert ids(res.stable[c][uni]) == [1, 4, 5, 8, 9], c
    assert ids(res.stable["nash"][lg]) == [5, 6, 7, 8, 9]
    assert ids(res.stable["gmr"][lg]) == list(range(1, 10))
    assert ids(res.stable["smr"][lg]) == list(range(1, 10))
    assert ids(res.stable["seq"][lg]) == [2, 3, 5, 6, 7, 8, 9]
    assert (res.equilibria("nash") + 1).tolist() == ELMIRA["published_nash_equilibria"]
    assert (res.equilibria("seq") + 1).tolist() == [5, 8, 9]
    assert (res.equilibria("gmr") + 1).tolist() == [1, 4, 5, 8, 9]
    assert (res.equilibria("smr") + 1).tolist() == [1, 4, 5, 8, 9]


def test_elmira_witnesses():
    res = analyze_stability(elmira_graph())
    # State 1, LG insists (1 -> 5).  Both MoE's 5 -> 6 and Uniroyal's 5 -> 9
    # deter it; the witness reports the harshest sanction, LG's worst state 9.
    w = res.witness("L", 0, "gmr")
    (d,) = w.deterrences
    assert d.improvement == 4 and [tuple(s) for s in d.steps] == [(1, 4, 8)]
    w = res.witness("L", 0, "seq")
    assert not w.stable and w.undeterred is not None and w.undeterred.improvement == 4
    w = res.witness("U", 1, "gmr")  # state 2: two UIs, neither deterred
    assert [d.improvement for d in w.deterrences] == [3, 8]
    assert not any(d.deterred for d in w.deterrences)


def test_sim_is_refused_in_graph_form():
    with pytest.raises(InputError, match="option form"):
        analyze_stability(elmira_graph(), ("sim",))


def test_elmira_option_form_matches_the_option_rules():
    # Irreversibility from every state: Modify (once) never 1 -> 0, Delay
    # (drop_only) never 0 -> 1, Abandon (once) never 1 -> 0.
    codes = elmira_option_form()
    g = build_option_graph(["MoE", "Uniroyal", "LG"], codes, [0b00001, 0b01110, 0b10000],
                           np.zeros((3, len(codes))), once_mask=0b01001,
                           drop_only_mask=0b00010)
    c = np.asarray(codes)
    for i, mat in enumerate(g.moves):
        coo = mat.tocoo()
        s, t = c[coo.row], c[coo.col]
        assert np.all((s & 0b01001 & ~t) == 0)
        assert np.all((~s & 0b00010 & t) == 0)
        assert np.all(((s ^ t) & ~g.owner_masks[i]) == 0)  # type: ignore[index]
    # Uniroyal from Delay (code 2): Accept (4) and Abandon (8); from Accept only Abandon.
    uni = g.moves[1].toarray()
    pos = {code: k for k, code in enumerate(codes)}
    assert sorted(codes[k] for k in np.flatnonzero(uni[pos[2]])) == [4, 8]
    assert sorted(codes[k] for k in np.flatnonzero(uni[pos[4]])) == [8]
    assert not uni[pos[8]].any()


# --------------------------------------------------------------------------
# A sanction that needs opponent A, then B, then A again (hand-built, graph form).
# DMs: F (focal), A, B.  States 0..4.  F: 0 -> 1 (its only move).
# A: 1 -> 2 and 3 -> 4.  B: 2 -> 3.  Nothing else moves.
# F's payoffs: state0 1, state1 2, state2 3, state3 3, state4 0.
# The only state F likes no better than 0 is 4, reached by A, B, A.
# legal: A-B-A is a legal sequence (no one twice in a row): F stable at 0.
# each_once: A may not move a second time; F's opponents reach only 2, 3 (both
#   worth 3 > 1): unstable.  single: only 2: unstable.
# For SEQ the sanctioners' moves are improvements: A 0 -> 1 -> 2 along 1, 2 / 3, 4;
#   B 0 -> 1 along 2, 3; so the same verdicts hold for SEQ.
# --------------------------------------------------------------------------
def aba_graph():
    edges = [[(0, 1)], [(1, 2), (3, 4)], [(2, 3)]]
    pay = [[1, 2, 3, 3, 0],   # F
           [0, 0, 1, 1, 2],   # A: 1->2 and 3->4 are improvements
           [0, 0, 0, 1, 1]]   # B: 2->3 is an improvement
    return build_graph(["F", "A", "B"], 5, edges, pay)


def test_three_party_sanction_needs_a_b_a():
    g = aba_graph()
    for c in ("gmr", "seq", "smr"):
        assert analyze_stability(g, (c,), mode="legal").stable[c][0, 0], c
        assert not analyze_stability(g, (c,), mode="each_once").stable[c][0, 0], c
        assert not analyze_stability(g, (c,), mode="single").stable[c][0, 0], c
    w = analyze_stability(g, ("gmr",)).witness("F", 0, "gmr")
    assert [tuple(s) for s in w.deterrences[0].steps] == [(1, 1, 2), (2, 2, 3), (1, 3, 4)]
