"""A worked hypergame, derived by hand: a deterrent threat that is believed but not real.

Two DMs.  A may attack (option ``atk``); B may retaliate (option ``ret``).
States by decimal code (atk = bit 0, ret = bit 1):

    code 0 = s1: peace            code 1 = s2: A attacks
    code 2 = s3: B retaliates     code 3 = s4: A attacks and B retaliates

A's true preferences (scores):   s2 (4) > s1 (3) > s3 (2) > s4 (1)
B's true preferences:            s1 (4) > s2 (3) > s3 (2) > s4 (1)   -- B never retaliates
A's perception of B (lens "a_believes_threat"):
                                 s1 (4) > s4 (3) > s2 (2) > s3 (1)   -- B would retaliate

Stability of s1 (peace) for A.  A's only improvement is s1 -> s2 (4 > 3).
* In the true game B's only move from s2 is to s4, which B dislikes (1 < 3):
  not an improvement, so under SEQ nothing credible sanctions A: s1 is
  SEQ-unstable for A and the true game has no SEQ equilibrium at s1.
  Under GMR any move counts: s2 -> s4 leaves A at 1 <= 3, so s1 is GMR-stable.
* In A's perceived game B improves from s2 to s4 (3 > 2) and s4 is worse for A
  than s1 (1 <= 3): s1 is SEQ-stable for A *only because A believes a threat B
  would not carry out*.
* B at s1: B's only move is to s3 (2 < 4), so s1 is Nash-stable for B in every game.
So s1 is a first-level hypergame equilibrium under SEQ, but not a SEQ
equilibrium of the true game; GMR stability of A does not change (it uses only
A's own preferences and the moves).

Second level.  A's view of B's view defaults to A's own view, so A expects s1
to persist.  B holds no lens: it sees the true game and, by default, believes
A sees it too, so B expects A to attack (s1 not in B's expected equilibria).
If B knows of A's belief ("views" below: in B's view of A's view, B would
retaliate), B expects s1 to persist as well.
"""

from __future__ import annotations

import textwrap

import pytest

from crisislab.compare.analysis import analyse
from crisislab.formats.scenario import load_text

BASE = textwrap.dedent("""\
    metadata: {title: believed threat}
    actors: [{id: A, name: Attacker}, {id: B, name: Defender}]
    options:
      - {id: atk, label: A attacks, owner: A}
      - {id: ret, label: B retaliates, owner: B}
    preferences:
      A: {scores: {"1": 4, "0": 3, "2": 2, "3": 1}}
      B: {scores: {"0": 4, "1": 3, "2": 2, "3": 1}}
    lenses:
      - id: a_believes_threat
        name: A's view
        kind: perception
        holder: A
        overrides:
          - actor: B
            preferences: {scores: {"0": 4, "3": 3, "1": 2, "2": 1}}
            assumption: A believes B would retaliate.
    """)

WITH_VIEWS = BASE + "\n".join([
    "  - id: b_view",
    "    name: B's view",
    "    kind: perception",
    "    holder: B",
    "    views:",
    "      A:",
    "        overrides:",
    "          - actor: B",
    '            preferences: {scores: {"0": 4, "3": 3, "1": 2, "2": 1}}',
    "",
])



@pytest.fixture(scope="module")
def result():
    return analyse(load_text(BASE), concepts=("nash", "gmr", "seq"), what_if=False)


def test_true_game_has_no_peace_equilibrium_under_seq(result):
    base = result.view("base")
    assert not base.stable["seq"][0, 0]  # A would attack: nothing credible deters it
    assert base.stable["gmr"][0, 0]  # B *could* retaliate
    assert 0 not in result.equilibria("seq")


def test_peace_holds_only_through_the_believed_threat(result):
    hg = result.hypergame
    assert hg is not None
    assert hg.stable["seq"][0, 0]  # A, in its own game, is deterred
    assert hg.stable["seq"][1, 0]  # B never wants to retaliate from peace
    assert 0 in hg.equilibria("seq").tolist()
    # GMR for A does not depend on B's preferences: same verdict in both games
    assert (hg.stable["gmr"][0] == result.view("base").stable["gmr"][0]).all()


def test_second_level_expectations():
    res = analyse(load_text(BASE), concepts=("seq",), what_if=False, cruxes=False)
    sl = res.second_level
    assert sl is not None
    assert 0 in sl.expected_equilibria("seq", 0).tolist()  # A expects peace
    assert 0 not in sl.expected_equilibria("seq", 1).tolist()  # B expects an attack
    assert 0 not in sl.equilibria("seq").tolist()
    res2 = analyse(load_text(WITH_VIEWS), concepts=("seq",), what_if=False, cruxes=False)
    sl2 = res2.second_level
    assert sl2 is not None
    # B knows A believes the threat: B expects peace too
    assert 0 in sl2.expected_equilibria("seq", 1).tolist()
    assert 0 in sl2.equilibria("seq").tolist()
