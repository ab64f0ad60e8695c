"""A small two-actor scenario with uncertain inputs, shared by the sweep tests.

A (options a: press, w: withdraw) and B (option b: resist).  Outcomes: clash
(a and b), deal (not a and not b), other.  A's statement 'a_first' (A wants
to press) holds with probability 0.6; B's statement 'b_resists' (B resists
when pressed) holds with probability 0.3.  One perfect-information game with a
chance prior p (uniform on [0.2, 0.8]).
"""

from __future__ import annotations

GAME = """\
games:
  - id: g
    tree:
      players: [A, B]
      parameters: {p: 0.5}
      nodes:
        - id: n
          chance:
            - {action: hi, probability: p, to: x}
            - {action: lo, probability: 1 - p, to: y}
        - {id: x, player: A, infoset: ax, moves: {go: x1, stop: x2}}
        - {id: x1, payoffs: {A: 2, B: 0}, outcome: war}
        - {id: x2, payoffs: {A: 1, B: 1}, outcome: deal}
        - {id: y, player: A, infoset: ay, moves: {go: y1, stop: y2}}
        - {id: y1, payoffs: {A: 0, B: 0}, outcome: war}
        - {id: y2, payoffs: {A: 1, B: 1}, outcome: deal}
"""
"""A two-actor game with a chance move on p: shared by the cases below."""

TEXT = """
metadata: {title: small}
actors: [{id: A, name: Aland}, {id: B, name: Bland}]
options:
  - {id: a, label: press, owner: A}
  - {id: w, label: withdraw, owner: A}
  - {id: b, label: resist, owner: B}
feasibility: ["not (a and w)"]
preferences:
  A:
    prioritization:
      - {id: a_first, formula: a}
      - {id: a_no_clash, formula: not (a and b)}
  B:
    prioritization:
      - {id: b_resists, formula: if a then b}
      - {id: b_calm, formula: not b}
status_quo: none
outcomes:
  - {id: clash, label: Clash, when: a and b}
  - {id: deal, label: Deal, when: not a and not b}
  - {id: other, label: Other, when: "true"}
policies:
  - {id: hold, label: A holds back, commit: {a: false}}
lenses:
  - id: bview
    name: B's view
    kind: perception
    holder: B
    overrides:
      - {id: b_thinks_a_soft, actor: A, statement: a_first, formula: not a}
    games:
      g: {p: 0.9}
""" + GAME + """uncertainty:
  inputs:
    - {id: a_first, actor: A, statement: a_first, probability: 0.6}
    - {id: b_resists, actor: B, statement: b_resists, probability: 0.3}
    - {id: prior, game: g, parameter: p, distribution: uniform, low: 0.2, high: 0.8}
"""


def text(inputs: str | None = None) -> str:
    """The scenario, with another 'inputs' list when given."""
    if inputs is None:
        return TEXT
    head = TEXT.split("uncertainty:")[0]
    return head + "uncertainty:\n  inputs:\n" + inputs


TWO = """
metadata: {title: two}
actors: [{id: A, name: Aland}, {id: B, name: Bland}]
options:
  - {id: a, label: act, owner: A}
  - {id: b, label: build, owner: B}
preferences:
  A:
    prioritization:
      - {id: likes_a, formula: a}
      - {id: dislikes_a, formula: not a}
  B:
    prioritization: [b]
status_quo: none
outcomes:
  - {id: both, label: Both, when: a and b}
  - {id: b_only, label: B only, when: b and not a}
  - {id: rest, label: Rest, when: "true"}
""" + GAME + """uncertainty:
  inputs:
    - {id: likes_a, actor: A, statement: likes_a, probability: 0.6}
    - {id: prior, game: g, parameter: p, distribution: uniform, low: 0.2, high: 0.8}
"""
"""Hand-derived two-actor case (probabilistic preferences).

With probability 0.6 A holds [a, not a] (weights 2, 1: A prefers taking a);
otherwise only [not a] (A prefers leaving a).  B always prefers b.  Nash
equilibria: (a, b) in the first case, (not a, b) in the second, so from the
status quo (nothing taken) the credible paths end in 'both' with probability
exactly 0.6 and in 'b_only' with 0.4 (A's move to a is a unilateral
improvement no sanction deters: B's only reply, taking b, leaves A better off).

Game g: A goes at x (2 > 1) and stops at y (1 > 0), so P(war) = p; with p
uniform on [0.2, 0.8], P(P(war) > 0.5) = 0.3 / 0.6 = 0.5.
"""
