"""Solve a game: closed forms for templates, backends for general trees, every answer checked.

``method`` is one of:
    auto                templates: closed form; trees: backward induction with
                        perfect information, else Gambit enumeration when
                        installed and small, else the pure-strategy search
    closed_form         the template's published solution
    backward_induction  exact, perfect-information trees only
    pure                every pure weak perfect Bayesian equilibrium (no mixed ones)
    gambit-lcp | gambit-logit | gambit-enumpoly
                        pygambit (optional extra), see solvers/gambit_backend.py
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from crisislab.errors import InputError, Problem
from crisislab.games.normal_form import NormalForm, from_tree, support_enumeration_checked
from crisislab.games.normal_form import behaviour as nf_behaviour
from crisislab.games.results import GameSolution
from crisislab.games.sizing import check_size, estimate_seconds, log_profile_count
from crisislab.games.solvers import gambit_backend
from crisislab.games.solvers.assess import Candidate, assess, deduplicate
from crisislab.games.solvers.backward import backward_induction
from crisislab.games.solvers.pure_search import MAX_PURE_PROFILES, pure_equilibria
from crisislab.games.spec import (
    CompiledGame,
    TemplateGameSpec,
    TreeGameSpec,
    apply_game_overrides,
    compile_game,
)
from crisislab.games.tree import GameTree
from crisislab.provenance import Provenance

METHODS = ("auto", "closed_form", "backward_induction", "pure", "support_enumeration",
           "gambit-lcp", "gambit-logit", "gambit-enumpoly")


def _auto_method(compiled: CompiledGame) -> str:
    if compiled.template is not None:
        return "closed_form"
    tree = compiled.tree
    if tree.is_perfect_information():
        return "backward_induction"
    if _bimatrix(tree) is not None:
        return "support_enumeration"
    small_enum = gambit_backend.available() and estimate_seconds(tree, "gambit-enumpoly") < 30
    if log_profile_count(tree) <= math.log(MAX_PURE_PROFILES):
        return "pure+gambit-enumpoly" if small_enum else "pure"
    return "gambit-logit" if gambit_backend.available() else "pure"


def run_method(compiled: CompiledGame, method: str) -> tuple[list[Candidate], bool, list[str]]:
    """Candidates from one method, whether the search was complete, and notes."""
    tree = compiled.tree
    if method == "closed_form":
        if compiled.template is None:
            raise InputError([Problem("closed_form needs a template game",
                                      value=compiled.game_id, expected="a template game")])
        cf = compiled.template.solve(compiled.parameters, tree, compiled.players)
        return list(cf.candidates), cf.complete, list(cf.notes)
    if method == "backward_induction":
        if not tree.is_perfect_information():
            raise InputError([Problem("backward induction needs perfect information; this game "
                                      "has information sets with several nodes",
                                      value=compiled.game_id,
                                      expected="method pure or gambit-*")])
        bi = backward_induction(tree)
        notes = []
        if bi.ties:
            notes.append("indifference at nodes " + ", ".join(bi.ties[:10])
                         + ("..." if len(bi.ties) > 10 else "")
                         + ": ties broken toward the first action; other subgame-perfect "
                           "equilibria exist")
        return [Candidate(bi.behaviour, "backward_induction")], not bi.ties, notes
    if method == "support_enumeration":
        return _support_enumeration(compiled)
    if method == "pure":
        found = pure_equilibria(tree)
        return ([Candidate(b, "pure_search") for b in found], False,
                ["pure-strategy search: mixed equilibria were not searched (install "
                 "crisislab[gambit] and use gambit-enumpoly for all equilibria)"])
    if "+" in method:
        cands: list[Candidate] = []
        notes = []
        for part in method.split("+"):
            c, _, n = run_method(compiled, part)
            cands.extend(c)
            notes.extend(n)
        return cands, False, notes
    if method.startswith("gambit-"):
        sub = method.removeprefix("gambit-")
        if not gambit_backend.available():
            raise InputError([Problem(f"method {method} needs the optional pygambit package",
                                      value=method,
                                      expected="pip install 'crisislab[gambit]'")])
        found = gambit_backend.solve(tree, sub)
        notes = [f"Gambit {sub} returns one equilibrium; the search was partial"
                 if sub != "enumpoly" else
                 "Gambit enumpoly lists isolated equilibria by support; where play never reaches "
                 "an information set, equilibria form components and a component may be "
                 "represented by one point that is not sequentially rational, so the list is "
                 "not guaranteed complete"]
        complete = False
        return [Candidate(b, method) for b in found], complete, notes
    raise InputError([Problem(f"unknown solution method {method!r}", value=method,
                              expected=", ".join(METHODS))])


def solve_compiled(compiled: CompiledGame, method: str = "auto", lens: str | None = None,
                   scenario: str | None = None, force: bool = False) -> GameSolution:
    """Solve an already compiled game."""
    chosen = _auto_method(compiled) if method == "auto" else method
    tree = compiled.tree
    notes = [w for part in chosen.split("+") for w in check_size(tree, part, force=force)]
    candidates, complete, more = run_method(compiled, chosen)
    notes.extend(more)
    assessed = deduplicate([assess(tree, c) for c in candidates])
    equilibria = [e for e in assessed if e.is_equilibrium]
    rejected = [e for e in assessed if not e.is_equilibrium]
    nash_only = [e for e in rejected if e.on_path_regret <= 1e-6 and e.probability_sum_error
                 <= 1e-6]
    if nash_only:
        notes.append(f"{len(nash_only)} Nash equilibrium(s) from {chosen} rest on threats that "
                     "are not sequentially rational off the path (largest regret "
                     f"{max(e.sequential_regret for e in nash_only):.3g}); listed under rejected")
    if len(rejected) > len(nash_only):
        notes.append(f"{len(rejected) - len(nash_only)} profile(s) from {chosen} fail our check "
                     "(regret on the path or probability sums); listed under rejected")
    if not equilibria:
        notes.append(f"{chosen} found no equilibrium that passes our check")
    return GameSolution(
        game_id=compiled.game_id, title=compiled.label, players=list(tree.players),
        infoset_players={s.id: s.player for s in tree.infosets}, method=chosen,
        complete=complete and bool(equilibria), equilibria=equilibria,
        rejected=rejected, notes=notes,
        size={"nodes": tree.n_nodes, "terminals": tree.n_terminals,
              "infosets": len(tree.infosets)},
        provenance=Provenance(
            method=f"games.{chosen}", lens=lens, scenario=scenario,
            parameters={"game": compiled.game_id,
                        "template": compiled.template.name if compiled.template else None,
                        "values": dict(sorted(compiled.parameters.items()))}))


def solve_game(spec: TemplateGameSpec | TreeGameSpec, method: str = "auto", *,
               overrides: dict[str, Any] | None = None, lens: str | None = None,
               scenario: str | None = None, path: str = "games[0]",
               force: bool = False) -> GameSolution:
    """Validate, apply lens overrides, and solve one game."""
    if overrides:
        spec = apply_game_overrides(spec, overrides)
    return solve_compiled(compile_game(spec, path), method, lens, scenario, force)


def solve_tree(tree: GameTree, method: str = "auto", game_id: str = "game",
               force: bool = False) -> GameSolution:
    """Solve a tree built in code or imported from ``.efg``."""
    compiled = CompiledGame(None, tree, None, {}, {p: p for p in tree.players})
    solution = solve_compiled(compiled, method, force=force)
    return solution.model_copy(update={"game_id": game_id})


def _bimatrix(tree: GameTree) -> NormalForm | None:
    nf = from_tree(tree)
    return nf if nf is not None and len(nf.players) == 2 else None


def _support_enumeration(compiled: CompiledGame) -> tuple[list[Candidate], bool, list[str]]:
    """Every equilibrium of a two-actor simultaneous-move game (normal_form.py)."""
    nf = _bimatrix(compiled.tree)
    if nf is None:
        raise InputError([Problem("support enumeration needs a two-actor simultaneous-move "
                                  "game (a normal form)", value=compiled.game_id,
                                  expected="method pure or gambit-*")])
    order = [compiled.tree.players.index(p) for p in nf.players]
    found = []
    equilibria, degenerate = support_enumeration_checked(nf)
    for x, y in equilibria:
        mixed: list[np.ndarray] = [np.zeros(0)] * 2
        mixed[order[0]], mixed[order[1]] = x, y
        found.append(Candidate(nf_behaviour(compiled.tree, mixed), "support_enumeration"))
    if not degenerate:
        return found, True, ["support enumeration: every equilibrium of this nondegenerate "
                             "game"]
    return found, False, ["support enumeration: the game is degenerate (an equilibrium "
                          "strategy has more best responses than its support), so equilibria "
                          "may form continua of which only points with supports of equal "
                          "size are listed"]
