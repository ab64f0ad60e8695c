"""Evaluator and solvers against a deliberately simple recursive reference, on random trees."""

from __future__ import annotations

import itertools

import numpy as np
from game_helpers import random_profile, random_tree, template
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from crisislab.games.profile import evaluate_profile
from crisislab.games.solve import solve_game, solve_tree
from crisislab.games.solvers.backward import backward_induction
from crisislab.games.tree import CHANCE, TERMINAL, GameTree, TreeBuilder


def ref_value(tree: GameTree, b: np.ndarray, node: int = 0) -> np.ndarray:
    """Expected payoffs below ``node`` by plain recursion."""
    if tree.kind[node] == TERMINAL:
        return tree.payoffs[node]
    total = np.zeros(len(tree.players))
    for j, c in enumerate(tree.children[node]):
        if tree.kind[node] == CHANCE:
            pr = tree.edge_chance[c]
        else:
            k = tree.infoset_of[node]
            pr = b[tree.slot_offset[k] + j]
        total = total + pr * ref_value(tree, b, c)
    return total


def ref_reach(tree: GameTree, b: np.ndarray) -> np.ndarray:
    reach = np.zeros(tree.n_nodes)

    def walk(node: int, pr: float) -> None:
        reach[node] = pr
        for j, c in enumerate(tree.children[node]):
            if tree.kind[node] == CHANCE:
                walk(c, pr * tree.edge_chance[c])
            else:
                walk(c, pr * b[tree.slot_offset[tree.infoset_of[node]] + j])

    walk(0, 1.0)
    return reach


def ref_spe_value(tree: GameTree, node: int = 0) -> np.ndarray:
    """Backward induction by recursion, first maximiser on ties."""
    if tree.kind[node] == TERMINAL:
        return tree.payoffs[node]
    vals = [ref_spe_value(tree, c) for c in tree.children[node]]
    if tree.kind[node] == CHANCE:
        return sum(tree.edge_chance[c] * v for c, v in zip(tree.children[node], vals,
                                                            strict=True))
    owner = tree.player_index(tree.infosets[tree.infoset_of[node]].player)
    best = max(range(len(vals)), key=lambda j: (vals[j][owner], -j))
    return vals[best]


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10_000), st.integers(0, 10_000))
def test_evaluation_matches_recursive_reference(tree_seed, profile_seed):
    tree = random_tree(tree_seed)
    b = random_profile(tree, profile_seed)
    ev = evaluate_profile(tree, b)
    assert np.allclose(ev.expected_payoffs, ref_value(tree, b), atol=1e-12)
    assert np.allclose(ev.reach, ref_reach(tree, b), atol=1e-12)
    assert abs(sum(ev.outcome_probabilities.values()) - 1.0) < 1e-9
    for mu in ev.beliefs:
        assert abs(mu.sum() - 1.0) < 1e-9 and (mu >= -1e-12).all()


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10_000))
def test_backward_induction_matches_reference_and_has_no_regret(seed):
    tree = random_tree(seed, perfect_information=True)
    bi = backward_induction(tree)
    assert np.allclose(bi.values[0], ref_spe_value(tree), atol=1e-12)
    ev = evaluate_profile(tree, bi.behaviour)
    assert ev.sequential_regret <= 1e-9


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10_000))
def test_pure_search_agrees_with_brute_force(seed):
    tree = random_tree(seed, max_depth=3)
    assume(tree.pure_profile_count() <= 300)
    sol = solve_tree(tree, "pure")
    found = {tuple(np.round([p for acts in e.behaviour.values() for p in acts.values()], 9))
             for e in sol.equilibria}
    # brute force: every pure profile, judged one by one with the evaluator
    brute = set()
    for choice in itertools.product(*[range(len(s.actions)) for s in tree.infosets]):
        b = np.zeros(tree.n_slots)
        for k, j in enumerate(choice):
            b[tree.slot_offset[k] + j] = 1.0
        if evaluate_profile(tree, b).sequential_regret <= 1e-9:
            brute.add(tuple(np.round(b, 9)))
    assert found == brute


def _relabelled(tree: GameTree, pmap: dict[str, str]) -> GameTree:
    """Same game with players renamed and every node's actions listed in reverse."""
    b = TreeBuilder(tree.title, [pmap[p] for p in reversed(tree.players)])
    for i in range(tree.n_nodes):
        nid = tree.node_ids[i]
        kids = [tree.node_ids[c] for c in tree.children[i]]
        acts = [f"x_{a}" for a in tree.actions[i]]
        if tree.kind[i] == TERMINAL:
            oc = tree.outcome[i]
            b.terminal(nid, {pmap[p]: float(tree.payoffs[i, j]) for j, p in
                             enumerate(tree.players)}, oc)
        elif tree.kind[i] == CHANCE:
            b.chance(nid, {a: (float(tree.edge_chance[c]), tree.node_ids[c])
                           for a, c in reversed(list(zip(acts, tree.children[i], strict=True)))})
        else:
            s = tree.infosets[tree.infoset_of[i]]
            b.decision(nid, pmap[s.player], "I_" + s.id,
                       dict(reversed(list(zip(acts, kids, strict=True)))))
    return b.build(root=tree.node_ids[0])


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10_000))
def test_results_identical_under_relabelling(seed):
    tree = random_tree(seed, max_depth=3)
    assume(tree.pure_profile_count() <= 300)
    pmap = {"A": "Zed", "B": "Alpha"}
    other = _relabelled(tree, pmap)

    def summary(sol, rename):
        return sorted((tuple(sorted(e.outcome_probabilities.items())),
                       tuple(sorted((rename.get(p, p), v) for p, v in e.expected_payoffs.items())))
                      for e in sol.equilibria)

    a = summary(solve_tree(tree, "pure"), pmap)
    b = summary(solve_tree(other, "pure"), {})
    assert a == b


def test_template_relabelling_of_players():
    one = solve_game(template("crisis_escalation"), "closed_form").equilibria[0]
    spec = template("crisis_escalation").model_copy(
        update={"players": {"challenger": "P", "defender": "Q"}})
    two = solve_game(spec, "closed_form").equilibria[0]
    assert one.outcome_probabilities["war"] == two.outcome_probabilities["war"]
    assert one.outcome_probabilities["capitulation_NK"] == \
        two.outcome_probabilities["capitulation_P"]
    assert one.expected_payoffs["US"] == two.expected_payoffs["Q"]


def test_json_is_deterministic():
    a = solve_game(template("trust_reassurance"), "closed_form").to_json()
    b = solve_game(template("trust_reassurance"), "closed_form").to_json()
    assert a == b
