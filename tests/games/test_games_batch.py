"""The batched path of a sweep's games equals the single solver, setting by setting.

:func:`crisislab.games.batch.solve_settings` compiles a tree once per policy,
substitutes each setting's numbers and runs the pure-strategy search over every
(setting, profile) row at once.  The reference is deliberately plain: for each
setting, ``solve_compiled(game_under_policy(spec, policy, setting))`` — the
solution's JSON must be the same, byte for byte, on random parameter draws.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import crisislab
from crisislab.errors import ScenarioError
from crisislab.formats.scenario import load_text
from crisislab.games.batch import solve_settings
from crisislab.games.policy import game_under_policy
from crisislab.games.solve import solve_compiled
from crisislab.model.game_spec import GamePolicy, TemplateGameSpec, TreeGameSpec

KOREA = crisislab.load()
GAME = KOREA.games[0]  # embargo_or_talks: chance on both sides' resolve, 8 information sets
POLICIES = [None, *GAME.policies]

CHANCE_TREE = """
metadata: {title: chance}
actors: [{id: A, name: Aland}, {id: B, name: Bland}]
games:
  - id: g
    tree:
      players: [A, B]
      parameters: {p: 0.5, c: 1}
      nodes:
        - id: n
          chance:
            - {action: hi, probability: p, to: x}
            - {action: lo, probability: 1 - p, to: y}
        - {id: x, player: A, infoset: ax, moves: {go: x1, stop: x2}}
        - {id: x1, payoffs: {A: 2 * c, B: 0}, outcome: war}
        - {id: x2, payoffs: {A: 1, B: 1}, outcome: deal}
        - {id: y, player: A, infoset: ay, moves: {go: y1, stop: y2}}
        - {id: y1, payoffs: {A: 0, B: "-c"}, outcome: war}
        - {id: y2, payoffs: {A: 1 / c, B: 1}, outcome: deal}
"""

BRINK = """
metadata: {title: brink}
actors: [{id: A, name: Aland}, {id: B, name: Bland}]
games:
  - id: brink
    template: brinkmanship
    players: {threatener: A, target: B}
"""

probability = st.floats(0.0, 1.0, allow_nan=False)


def _reference(spec: TemplateGameSpec | TreeGameSpec, policy: str | None,
               draws: list[dict[str, float]], method: str,
               lenses: list[str | None]) -> list[str]:
    return [solve_compiled(game_under_policy(spec, policy, d), method, lens, "t",
                           select=False).model_dump_json()
            for d, lens in zip(draws, lenses, strict=True)]


def _batched(spec: TemplateGameSpec | TreeGameSpec, policy: str | None,
             draws: list[dict[str, float]], method: str,
             lenses: list[str | None]) -> list[str]:
    return [s.model_dump_json() for s in solve_settings(spec, policy, draws, method, lenses,
                                                        "t", select=False)]


@settings(max_examples=12, deadline=None)
@given(st.lists(st.tuples(probability, probability,
                          st.floats(-9, 3) | st.sampled_from([-3.0, -1.0, 0.0])),
                min_size=1, max_size=6),
       st.sampled_from(POLICIES))
def test_korea_game_batched_equals_single_solves(draws: list[tuple[float, float, float]],
                                                 policy: str | None) -> None:
    """Priors on both sides' resolve and a payoff (the US's war payoff when resolute,
    which decides whether it strikes; -3 ties it with not striking) drawn at random,
    several settings per batch; priors of 0 or 1 leave information sets unreached;
    the lens names only the provenance."""
    params = [{"p_nk_resolute": p, "q_us_resolute": q, "us_war_resolute": w}
              for p, q, w in draws]
    lenses: list[str | None] = [None if i % 2 else "beijing" for i in range(len(params))]
    assert _batched(GAME, policy, params, "pure", lenses) == \
        _reference(GAME, policy, params, "pure", lenses)


@settings(max_examples=15, deadline=None)
@given(st.lists(st.tuples(probability, st.floats(0.1, 5)), min_size=1, max_size=6))
def test_chance_tree_batched_equals_single_solves(draws: list[tuple[float, float]]) -> None:
    """A chance move and formulas in the payoffs (2c, -c, 1/c), by backward induction
    and by the pure search."""
    spec = load_text(CHANCE_TREE, "c.yaml").games[0]
    params = [{"p": p, "c": c} for p, c in draws]
    lenses: list[str | None] = [None] * len(params)
    for method in ("backward_induction", "pure"):
        assert _batched(spec, None, params, method, lenses) == \
            _reference(spec, None, params, method, lenses)


@settings(max_examples=15, deadline=None)
@given(st.lists(st.floats(0.01, 0.99), min_size=1, max_size=5))
def test_template_batched_equals_single_solves(qs: list[float]) -> None:
    """A template game (brinkmanship's closed form) for random q."""
    spec = load_text(BRINK, "b.yaml").games[0]
    params = [{"q": q} for q in qs]
    lenses: list[str | None] = [None] * len(params)
    assert _batched(spec, None, params, "closed_form", lenses) == \
        _reference(spec, None, params, "closed_form", lenses)


def test_a_setting_a_compilation_refuses_raises_the_same_error() -> None:
    """p = 1.5 puts a chance probability outside [0, 1] and c = 0 divides by zero (in
    y2's payoff 1 / c, also under a policy committing A to 'go' at y, which cuts y2
    away: the compilation evaluates it all the same): such a setting takes the
    single path and raises its located ScenarioError, whatever the other settings of
    the batch."""
    plain = load_text(CHANCE_TREE, "c.yaml").games[0]
    assert isinstance(plain, TreeGameSpec)
    spec = plain.model_copy(update={"policies": {"go": GamePolicy(actions={"ay": "go"})}})
    for policy, bad in ((None, {"p": 1.5, "c": 1.0}), (None, {"p": 0.5, "c": 0.0}),
                        ("go", {"p": 0.5, "c": 0.0})):
        with pytest.raises(ScenarioError) as single:
            game_under_policy(spec, policy, bad)
        with pytest.raises(ScenarioError) as batched:
            solve_settings(spec, policy, [{"p": 0.3, "c": 1.0}, bad], "pure", [None, None])
        assert [p.path for p in batched.value.problems] == \
            [p.path for p in single.value.problems]
    ok = [{"p": 0.3, "c": 2.0}, {"p": 1.0, "c": 0.5}]
    assert _batched(spec, "go", ok, "pure", [None, None]) == \
        _reference(spec, "go", ok, "pure", [None, None])


def test_settings_split_into_groups_give_the_same_solutions(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """With room for two settings' rows at a time, five settings take three groups; the
    solutions do not change."""
    import crisislab.games.batch as batch

    tree = game_under_policy(GAME, None).tree
    monkeypatch.setattr(batch, "ELEMENTS", 2 * tree.pure_profile_count() * tree.n_nodes
                        * len(tree.players))
    params = [{"p_nk_resolute": p, "q_us_resolute": 1 - p} for p in (0.0, 0.2, 0.5, 0.8, 1.0)]
    lenses: list[str | None] = [None] * len(params)
    assert _batched(GAME, None, params, "pure", lenses) == \
        _reference(GAME, None, params, "pure", lenses)
