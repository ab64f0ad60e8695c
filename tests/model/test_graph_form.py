"""Graph-form scenarios: explicit states and moves, analysed like option form.

Chicken in graph form (Fang, Hipel & Kilgour 1993): each driver swerves (S) or
goes straight (D).  States: ss, sd, ds, dd (first letter: driver 1).  Each
driver moves between its own choices.  Preferences (4 best):

    driver 1:  ds 4 > ss 3 > sd 2 > dd 1
    driver 2:  sd 4 > ss 3 > ds 2 > dd 1

By hand, Nash: at sd driver 1 would go from 2 to dd = 1 (worse) and driver 2
is at its best: stable; likewise ds.  At ss each improves by going straight;
at dd each improves by swerving.  Nash equilibria: {sd, ds}.
GMR at ss for driver 1: its improvement ss -> ds is sanctioned by driver 2
moving ds -> dd (1 <= 3), and symmetrically: ss is GMR-stable, so GMR
equilibria: {ss, sd, ds}.
"""

from __future__ import annotations

import textwrap

import pytest

from crisislab.compare.analysis import analyse
from crisislab.errors import ScenarioError
from crisislab.formats.scenario import load_text

CHICKEN = textwrap.dedent("""\
    metadata: {title: Chicken in graph form}
    actors: [{id: D1, name: Driver 1}, {id: D2, name: Driver 2}]
    graph:
      states:
        - {id: ss, label: both swerve}
        - {id: sd, label: driver 2 goes straight}
        - {id: ds, label: driver 1 goes straight}
        - {id: dd, label: crash}
      moves:
        D1: [[ss, ds], [ds, ss], [sd, dd], [dd, sd]]
        D2: [[ss, sd], [sd, ss], [ds, dd], [dd, ds]]
    preferences:
      D1: {ranking: [ds, ss, sd, dd]}
      D2: {scores: {sd: 4, ss: 3, ds: 2, dd: 1}}
    status_quo: ss
    """)


def test_chicken_in_graph_form_matches_the_hand_derivation():
    res = analyse(load_text(CHICKEN), concepts=("nash", "gmr"), what_if=False)
    assert res.equilibria("nash") == [1, 2]
    assert res.equilibria("gmr") == [0, 1, 2]
    assert res.describe(3) == "crash"
    # from ss both drivers improve by going straight; the paths end in sd or ds
    assert sorted(res.view().paths["status_quo"]["nash"]) == [1, 2]


@pytest.mark.parametrize(("old", "new", "fragment"), [
    ("[sd, dd], [dd, sd]", "[sd, xx], [dd, sd]", "unknown state 'xx'"),
    ("[ss, ds], [ds, ss]", "[ss, ss], [ds, ss]", "to itself"),
    ("D1: {ranking: [ds, ss, sd, dd]}", "D1: {prioritization: [ds]}", "needs option form"),
    ("D1: {ranking: [ds, ss, sd, dd]}", "D1: {ranking: [ds, ss, sd]}", "omits 1 feasible"),
])
def test_graph_form_errors(old, new, fragment):
    with pytest.raises(ScenarioError) as info:
        load_text(CHICKEN.replace(old, new), "chicken.yaml")
    assert any(fragment in p.message for p in info.value.problems), info.value
    assert all(p.line is not None for p in info.value.problems)
