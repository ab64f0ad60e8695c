"""One game solved for many parameter settings at once: what a sweep asks of its games.

A sweep solves the same game, under the same policy, for every sample of the
uncertain parameters.  Only the numbers change between samples, never the
tree, so the work that depends on the tree alone is done once:

* the tree is compiled (and a policy's committed moves cut out of it) once per
  policy; each setting only evaluates the payoff and chance formulas, for all
  settings together as arrays, and gets a copy of the tree with its own
  payoff and chance arrays (:func:`compiled_settings`);
* the pure-strategy search evaluates every (setting, pure profile) pair as one
  array row (:func:`pure_candidates`): the same row-wise arithmetic as
  :func:`crisislab.games.solvers.pure_search.pure_equilibria` with the settings
  stacked beside the profiles, then the per-setting off-path checks;
* every candidate is judged per setting by the same code as a single solve
  (:func:`crisislab.games.solve.checked_solution`).

Template games keep their closed forms, solved per setting (their solutions are
Python code per template, not arrays), and so does any setting whose numbers a
single compilation would refuse (a probability outside [0, 1], a division by
zero): it goes through :func:`crisislab.games.policy.game_under_policy` and
raises the same located error.  The result for every setting equals
:func:`crisislab.games.solve.solve_compiled` on
:func:`~crisislab.games.policy.game_under_policy`, which a property test checks.
"""

from __future__ import annotations

import ast
import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from crisislab.errors import InputError, ScenarioError
from crisislab.games.expressions import ExpressionError, parse_expression
from crisislab.games.policy import game_under_policy, policy_actions, policy_parameters
from crisislab.games.profile import REACH_TOLERANCE, evaluate_profile, reach_probabilities
from crisislab.games.results import GameSolution
from crisislab.games.sizing import check_size
from crisislab.games.solve import PURE_FOUND_BY, PURE_NOTE, checked_solution, solve_compiled
from crisislab.games.solvers.assess import Candidate
from crisislab.games.solvers.pure_search import BATCH, MAX_PURE_PROFILES, pure_profiles
from crisislab.games.spec import (
    CompiledGame,
    Expr,
    TemplateGameSpec,
    TreeGameSpec,
    apply_game_overrides,
)
from crisislab.games.tree import CHANCE, PROB_TOLERANCE, TERMINAL, GameTree
from crisislab.model.game_spec import number

ELEMENTS = 1 << 22
"""Most node values (rows x nodes x players, 8 bytes each) the pure search holds at once:
its (setting, profile) rows are taken in groups of settings that fit."""
SURE_SCALE = 1e4
"""Largest payoff (absolute) for which the pure search accepts a profile on its bounds
alone: below it, rounding stays far under half the equilibrium tolerance."""


class _Refused(Exception):
    """A setting the fast path does not take: the single solve decides (and raises)."""


# -- formulas for many settings at once ------------------------------------------------
def _vector(expr: Expr, params: Mapping[str, np.ndarray], n: int
            ) -> tuple[np.ndarray, np.ndarray]:
    """An expression's value for n settings, and where it is not what
    :func:`crisislab.games.expressions.evaluate` returns (a division by zero or a
    value that is not finite on the way).  The same IEEE operations in the same
    order as the scalar evaluation, so the values agree to the bit."""
    if isinstance(expr, bool):
        raise _Refused
    if isinstance(expr, int | float):
        return np.full(n, float(expr)), np.zeros(n, dtype=bool)
    bad = np.zeros(n, dtype=bool)

    def ev(node: ast.expr) -> np.ndarray:
        nonlocal bad
        if isinstance(node, ast.Constant) and isinstance(node.value, int | float) \
                and not isinstance(node.value, bool):
            return np.full(n, float(node.value))
        if isinstance(node, ast.Name):
            if node.id not in params:
                raise _Refused
            return params[node.id]
        if isinstance(node, ast.UnaryOp):
            inner = ev(node.operand)
            return -inner if isinstance(node.op, ast.USub) else inner
        if isinstance(node, ast.BinOp):
            left, right = ev(node.left), ev(node.right)
            with np.errstate(all="ignore"):
                if isinstance(node.op, ast.Add):
                    out = left + right
                elif isinstance(node.op, ast.Sub):
                    out = left - right
                elif isinstance(node.op, ast.Mult):
                    out = left * right
                elif isinstance(node.op, ast.Div):
                    bad = bad | (right == 0)
                    out = left / right
                else:  # pragma: no cover - parse_expression refuses it
                    raise _Refused
            bad = bad | ~np.isfinite(out)
            return np.asarray(out, dtype=float)
        raise _Refused  # pragma: no cover - parse_expression refuses it

    try:
        value = ev(parse_expression(expr))
    except (ExpressionError, OverflowError):
        raise _Refused from None
    return value, bad | ~np.isfinite(value)


# -- a tree compiled once per policy ---------------------------------------------------
@dataclass(frozen=True)
class TreeForm:
    """A tree game under one policy, compiled once: where each setting's numbers go.

    ``terminals``: (node of the compiled tree, one formula per player);
    ``chances``: (children of a chance node of the compiled tree, one formula per
    move); ``checks``: every chance node of the full tree (also those a committed
    move cuts away), whose probabilities a compilation checks; ``pruned``: the
    payoffs of the terminals a committed move cuts away, which a compilation still
    evaluates (and refuses where not finite)."""

    spec: TreeGameSpec
    policy: str | None
    compiled: CompiledGame
    terminals: tuple[tuple[int, tuple[Expr, ...]], ...]
    chances: tuple[tuple[tuple[int, ...], tuple[Expr, ...]], ...]
    checks: tuple[tuple[Expr, ...], ...]
    pruned: tuple[Expr, ...]
    restricted: bool


def tree_form(spec: TreeGameSpec, policy: str | None) -> TreeForm:
    """Compile the game under ``policy`` once (ScenarioError as
    :func:`~crisislab.games.policy.game_under_policy` raises it)."""
    compiled = game_under_policy(spec, policy)
    tree = compiled.tree
    by_id = {n.id: n for n in spec.tree.nodes}
    terminals = []
    chances = []
    for i, nid in enumerate(tree.node_ids):
        node = by_id[nid]
        if tree.kind[i] == TERMINAL:
            assert node.payoffs is not None
            terminals.append((i, tuple(node.payoffs[p] for p in tree.players)))
        elif tree.kind[i] == CHANCE:
            assert node.chance is not None
            prob = {m.action: m.probability for m in node.chance}
            chances.append((tuple(tree.children[i]),
                            tuple(prob[a] for a in tree.actions[i])))
    checks = tuple(tuple(m.probability for m in n.chance) for n in spec.tree.nodes
                   if n.chance is not None)
    kept = set(tree.node_ids)
    pruned = tuple(e for n in spec.tree.nodes if n.payoffs is not None and n.id not in kept
                   for e in n.payoffs.values())
    return TreeForm(spec, policy, compiled, tuple(terminals), tuple(chances), checks,
                    pruned, bool(policy_actions(spec, policy)))


def _setting(spec: TreeGameSpec, policy: str | None, lens_parameters: Mapping[str, object]
             ) -> tuple[TreeGameSpec, dict[str, float]]:
    """The game's specification and parameter values under a lens and a policy, as
    :func:`~crisislab.games.policy.game_under_policy` applies them."""
    s = apply_game_overrides(spec, dict(lens_parameters)) if lens_parameters else spec
    own = policy_parameters(s, policy)
    if own:
        s = apply_game_overrides(s, own)
    assert isinstance(s, TreeGameSpec)
    return s, {k: number(v) for k, v in s.tree.parameters.items()}


def compiled_settings(form: TreeForm, settings: Sequence[Mapping[str, object]]
                      ) -> list[CompiledGame | None]:
    """The compiled game for each setting (lens parameters), sharing the form's
    structure; None where a compilation would refuse the numbers."""
    n = len(settings)
    specs: list[TreeGameSpec | None] = []
    values: list[dict[str, float] | None] = []
    for lens_parameters in settings:
        try:
            s, v = _setting(form.spec, form.policy, lens_parameters)
        except ScenarioError:
            s, v = None, None
        specs.append(s)
        values.append(v)
    names = list(form.compiled.parameters)
    ok = np.array([v is not None and list(v) == names for v in values], dtype=bool)
    params = {k: np.array([v[k] if v is not None and ok[i] else 0.0
                           for i, v in enumerate(values)]) for k in names}
    try:
        payoffs, chance = _numbers(form, params, n, ok)
    except _Refused:
        return [None] * n
    tree = form.compiled.tree
    out: list[CompiledGame | None] = []
    for i in range(n):
        s, v = specs[i], values[i]
        if not ok[i] or s is None or v is None:
            out.append(None)
            continue
        t = copy.copy(tree)
        object.__setattr__(t, "payoffs", payoffs[i])
        object.__setattr__(t, "edge_chance", chance[i])
        out.append(CompiledGame(s, t, None, v, dict(form.compiled.players)))
    return out


def _numbers(form: TreeForm, params: Mapping[str, np.ndarray], n: int, ok: np.ndarray
             ) -> tuple[np.ndarray, np.ndarray]:
    """(settings, nodes, players) payoffs and (settings, nodes) chance probabilities;
    clears ``ok`` where a compilation would refuse a setting's numbers."""
    tree = form.compiled.tree
    payoffs = np.zeros((n, tree.n_nodes, len(tree.players)))
    chance = np.full((n, tree.n_nodes), np.nan)
    for node, exprs in form.terminals:
        for k, e in enumerate(exprs):
            payoffs[:, node, k], bad = _vector(e, params, n)
            ok &= ~bad
    for e in form.pruned:
        ok &= ~_vector(e, params, n)[1]
    for exprs in form.checks:
        cols = []
        for e in exprs:
            p, bad = _vector(e, params, n)
            ok &= ~bad
            cols.append(p)
        probs = np.column_stack(cols)
        ok &= ~(np.any(probs < -PROB_TOLERANCE, axis=1)
                | np.any(probs > 1 + PROB_TOLERANCE, axis=1))
        ok &= ~(np.abs(probs.sum(axis=1) - 1.0) > 1e-9)
        if form.restricted:  # the restricted tree is built again from the clipped values
            ok &= ~(np.abs(np.maximum(0.0, probs).sum(axis=1) - 1.0) > 1e-9)
    for kids, exprs in form.chances:
        for c, e in zip(kids, exprs, strict=True):
            chance[:, c] = np.maximum(0.0, _vector(e, params, n)[0])
    return payoffs, chance


# -- the pure-strategy search over many settings -----------------------------------------
def pure_candidates(trees: Sequence[GameTree], tolerance: float = 1e-9
                    ) -> list[list[np.ndarray]]:
    """:func:`~crisislab.games.solvers.pure_search.pure_equilibria` for trees that
    differ only in their payoffs and chance probabilities: rows are (tree, pure
    profile) pairs, so every row gets the arithmetic a single search gives it."""
    if not trees:
        return []
    tree = trees[0]
    count = tree.pure_profile_count()
    if sum(np.log(len(s.actions)) for s in tree.infosets) > np.log(MAX_PURE_PROFILES) \
            or count > MAX_PURE_PROFILES:
        raise ValueError(f"{count} pure profiles exceed the search limit {MAX_PURE_PROFILES}")
    profiles = pure_profiles(tree)
    pay = np.stack([t.payoffs for t in trees])
    cha = np.stack([t.edge_chance for t in trees])
    chance_edges = np.flatnonzero(~np.isnan(tree.edge_chance))
    dec = np.flatnonzero(tree.edge_slot >= 0)
    term = tree.kind == TERMINAL
    siblings = _sibling_ranks(tree)
    found: list[list[np.ndarray]] = [[] for _ in trees]
    for start in range(0, len(profiles), BATCH):
        batch = profiles[start:start + BATCH]
        per = max(1, ELEMENTS // (len(batch) * tree.n_nodes * len(tree.players)))
        for g0 in range(0, len(trees), per):
            g = min(per, len(trees) - g0)
            which = np.repeat(np.arange(g0, g0 + g), len(batch))
            b = np.tile(batch, (g, 1))
            ep = np.ones((b.shape[0], tree.n_nodes))
            ep[:, chance_edges] = cha[which][:, chance_edges]
            ep[:, dec] = b[:, tree.edge_slot[dec]]
            reach = reach_probabilities(tree, ep)
            vals = np.zeros((ep.shape[0], tree.n_nodes, len(tree.players)))
            vals[:, term, :] = pay[which][:, term]
            for lvl, ranks in zip(reversed(tree.levels), reversed(siblings), strict=True):
                contrib = ep[:, lvl, None] * vals[:, lvl, :]
                for pos, parents in ranks:
                    vals[:, parents] += contrib[:, pos]
            ok = np.ones(b.shape[0], dtype=bool)
            sure = np.abs(pay[which]).max(axis=(1, 2), initial=0.0) <= SURE_SCALE
            for k, s in enumerate(tree.infosets):
                members = np.array(s.members)
                r = reach[:, members]
                tot = r.sum(axis=1)
                on = tot > REACH_TOLERANCE
                owner = tree.player_index(s.player)
                q = vals[:, tree.infoset_children[k], owner]
                mu = np.where(on[:, None], r / np.where(on, tot, 1.0)[:, None], 0.0)
                qa = np.einsum("pm,pma->pa", mu, q)
                probs = b[:, tree.slot_offset[k]: tree.slot_offset[k] + len(s.actions)]
                regret = qa.max(axis=1) - (probs * qa).sum(axis=1)
                ok &= ~on | (regret <= tolerance)
                lower, upper = _off_path_bounds(q, probs)
                margin = 1e-7 * (1.0 + np.abs(q).max(axis=(1, 2)))
                ok &= on | ~(lower > tolerance + margin)
                if len(s.members) > 2:  # the single check solves an LP here: no shortcut
                    upper = np.full_like(upper, np.inf)
                sure &= np.where(on, regret, upper) <= tolerance / 2
            for row in np.flatnonzero(ok):
                i = int(which[row])
                if sure[row] or evaluate_profile(trees[i], b[row], rule="weak"
                                                 ).sequential_regret <= tolerance:
                    found[i].append(b[row].copy())
    return found


def _sibling_ranks(tree: GameTree) -> list[list[tuple[np.ndarray, np.ndarray]]]:
    """Per level of the tree, its nodes split by rank among their siblings: (positions
    in the level, parents), each parent at most once per rank.  Adding the ranks in
    order sums each parent's children in the order ``np.add.at`` does in
    :func:`crisislab.games.profile.node_values` (the same values to the bit), with
    plain indexed additions, which are many times faster on long arrays."""
    out = []
    for lvl in tree.levels:
        parents = tree.parent[lvl]
        seen: dict[int, int] = {}
        rank = np.zeros(len(lvl), dtype=np.int64)
        for i, p in enumerate(parents.tolist()):
            rank[i] = seen.get(p, 0)
            seen[p] = rank[i] + 1
        out.append([(np.flatnonzero(rank == r), parents[rank == r])
                    for r in range(int(rank.max(initial=-1)) + 1)])
    return out


def _off_path_bounds(q: np.ndarray, probs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Bounds on the least regret over beliefs of a pure profile at an information set,
    the quantity the single check computes where the set is not reached
    (:func:`crisislab.games.profile._best_off_path_regret`, any belief allowed).

    ``q`` is (rows, members, actions), ``probs`` (rows, actions).  With d = q minus
    the value of the action played, per member, the regret under belief mu is
    max_a mu.d[:, a]: at least max_a min_m d[m, a] (``lower``) and at most its value
    at the best single member, min_m max_a d[m, a] (``upper``), both exact for one
    member.  The single check's closed form for two members evaluates every member
    as a belief (exactly: the weights are 0 and 1), so its answer is at most
    ``upper`` plus its 1e-12 tie allowance.  A row is rejected only when ``lower``
    clears the tolerance by a margin far above rounding, and accepted without the
    single check only when ``upper`` (or the regret where the set is reached) is
    below half the tolerance, on payoffs below :data:`SURE_SCALE`: the rows kept are
    exactly those the single check keeps."""
    played = (probs[:, None, :] * q).sum(axis=2)  # (rows, members): exact for pure probs
    d = q - played[:, :, None]
    return d.min(axis=1).max(axis=1), d.max(axis=2).min(axis=1)


# -- the entry point ---------------------------------------------------------------------
def solve_settings(spec: TemplateGameSpec | TreeGameSpec, policy: str | None,
                   settings: Sequence[Mapping[str, object]], method: str,
                   lenses: Sequence[str | None], scenario: str | None = None, *,
                   select: bool = True) -> list[GameSolution]:
    """The game under ``policy`` solved for every setting (a lens's parameter
    values; ``lenses``: the view each is recorded under): equal, setting by setting,
    to ``solve_compiled(game_under_policy(spec, policy, setting), method, lens,
    scenario, select=select)``."""
    if len(lenses) != len(settings):
        raise ValueError("one lens per setting")

    def single(i: int) -> GameSolution:
        return solve_compiled(game_under_policy(spec, policy, settings[i]), method,
                              lenses[i], scenario, select=select)

    if isinstance(spec, TemplateGameSpec) or method == "auto" or not settings:
        return [single(i) for i in range(len(settings))]
    try:
        form = tree_form(spec, policy)
    except ScenarioError:
        return [single(i) for i in range(len(settings))]
    games = compiled_settings(form, settings)
    fast = [i for i, g in enumerate(games) if g is not None]
    out: dict[int, GameSolution] = {}
    if method == "pure" and fast:
        try:
            notes = [*check_size(form.compiled.tree, "pure"), PURE_NOTE]
            found = pure_candidates([g.tree for g in games if g is not None])
        except (InputError, ValueError):
            fast = []
        else:
            for i, cands in zip(fast, found, strict=True):
                g = games[i]
                assert g is not None
                out[i] = checked_solution(g, "pure", [Candidate(b, PURE_FOUND_BY)
                                                      for b in cands], False, notes,
                                          lenses[i], scenario, select=select)
    else:
        for i in fast:
            g = games[i]
            assert g is not None
            out[i] = solve_compiled(g, method, lenses[i], scenario, select=select)
    return [out[i] if i in out else single(i) for i in range(len(settings))]
