"""Solve a game: closed forms for templates, backends for general trees, every answer checked.

``method`` is one of:
    auto                templates: closed form; trees: backward induction with
                        perfect information, else the pure-strategy search plus
                        the logit QRE limit (plus support enumeration when at
                        most 256 supports, and Gambit enumeration when
                        installed and small); beyond the pure search's limit
                        the logit limit alone (Gambit's tracing when installed)
    closed_form         the template's published solution
    backward_induction  exact, perfect-information trees only
    pure                every pure equilibrium (no mixed ones)
    support-enum        agent-form support enumeration (mixed; small trees;
                        not guaranteed complete)
    sequence-lcp        Lemke's algorithm on the sequence-form LCP (Koller, Megiddo
                        & von Stengel 1996), two actors: one exact equilibrium (and
                        that one re-solved off the path when it is not credible);
                        never a complete list
    qre-limit           the polished limit of the principal logit QRE branch
                        (a sequential equilibrium; McKelvey & Palfrey 1998)
    qre                 the agent quantal response equilibrium at ``lam``
                        (``link`` logit or probit); no equilibria listed
    gambit-lcp | gambit-logit | gambit-enumpoly
                        pygambit (optional extra), see solvers/gambit_backend.py
    openspiel-cfr       OpenSpiel's CFR+ (optional extra), large trees; the average
                        profile with its NashConv, polished on its support

Every candidate is checked by :mod:`crisislab.games.refinements`; only those
meeting ``refinement`` (default ``pbe``: consistent beliefs, credible) are
listed as equilibria.  Where several remain, the limit of the logit QRE
branch selects one (``selected``, ``selection_rule``).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from crisislab.errors import InputError, Problem
from crisislab.games import qre as qre_mod
from crisislab.games.methods import CREDIBLE, METHODS, REFINEMENTS
from crisislab.games.normal_form import NormalForm, from_tree, support_enumeration_checked
from crisislab.games.normal_form import behaviour as nf_behaviour
from crisislab.games.profile import evaluate_profile
from crisislab.games.results import Equilibrium, GameSolution, QREPoint, QREResult, tidy
from crisislab.games.sizing import check_size, estimate_seconds, log_profile_count
from crisislab.games.solvers import gambit_backend, openspiel_backend
from crisislab.games.solvers.assess import Candidate, assess, deduplicate
from crisislab.games.solvers.backward import backward_induction
from crisislab.games.solvers.pure_search import MAX_PURE_PROFILES, pure_equilibria
from crisislab.games.solvers.repair import repair_off_path
from crisislab.games.solvers.sequence_form import LemkeError, sequence_lcp
from crisislab.games.solvers.support_enum import support_count, support_equilibria
from crisislab.games.spec import (
    CompiledGame,
    TemplateGameSpec,
    TreeGameSpec,
    apply_game_overrides,
    compile_game,
)
from crisislab.games.tree import GameTree
from crisislab.provenance import Provenance

AUTO_MAX_SUPPORTS = 256
"""``auto`` adds support enumeration when a tree has at most this many support profiles."""
SELECTION_MAX_SLOTS = 400
"""Above this many action slots the QRE selection is skipped (numerical Jacobians)."""
QRE_CURVE_POINTS = 25
PURE_FOUND_BY = "pure_search"
PURE_NOTE = ("pure-strategy search: mixed equilibria are not searched by it (the QRE "
             "limit adds the one it selects; gambit-enumpoly lists more)")
"""How ``pure`` marks its candidates and what it notes (shared with games/batch.py)."""


def _auto_method(compiled: CompiledGame) -> str:
    if compiled.template is not None:
        return "closed_form"
    tree = compiled.tree
    if tree.is_perfect_information():
        return "backward_induction"
    if _bimatrix(tree) is not None:
        return "support-enum"
    small_enum = gambit_backend.available() and estimate_seconds(tree, "gambit-enumpoly") < 2
    if log_profile_count(tree) <= math.log(MAX_PURE_PROFILES):
        base = "pure+qre-limit"
        if support_count(tree) <= AUTO_MAX_SUPPORTS:
            base += "+support-enum"
        return base + "+gambit-enumpoly" if small_enum else base
    # beyond the pure search: Gambit's logit tracing is faster where installed; both end in
    # the polished logit limit
    return "gambit-logit" if gambit_backend.available() else "qre-limit"


def auto_method(compiled: CompiledGame) -> str:
    """The method ``auto`` resolves to for this game (parts joined by '+')."""
    return _auto_method(compiled)


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
    if method == "qre-limit":
        limit = qre_mod.qre_limit(tree, "logit")
        if limit.behaviour is None:
            return ([Candidate(limit.traced.behaviour, "qre-limit:unpolished")], False,
                    [f"the logit QRE branch at lambda = {limit.traced.lam:.4g} did not polish "
                     "to an exact equilibrium; the traced point is listed under rejected"])
        return [Candidate(limit.behaviour, "qre-limit")], False, []
    if method == "support-enum":
        if _bimatrix(tree) is not None:
            return _support_enumeration(compiled)
        try:
            found = support_equilibria(tree)
        except ValueError as exc:
            raise InputError([Problem(str(exc), value=compiled.game_id,
                                      expected="a smaller game, or method auto")]) from None
        return ([Candidate(b, "support-enum") for b in found], False,
                ["support enumeration: one root per support and equal weights on off-path "
                 "deviation classes; the list is not guaranteed complete"])
    if method == "sequence-lcp":
        return _sequence_lcp(compiled)
    if method == "openspiel-cfr":
        return _openspiel_cfr(compiled)
    if method == "pure":
        found = pure_equilibria(tree)
        return [Candidate(b, PURE_FOUND_BY) for b in found], False, [PURE_NOTE]
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
        if sub == "logit":  # off-path moves converge only as 1/lambda: polish the end point
            smooth = [qre_mod.polish_any(tree, b) for b in found]
            found = [p if p is not None else b for p, b in zip(smooth, found, strict=True)]
        out = [Candidate(b, method) for b in found]
        if sub == "lcp":  # Lemke's choice off the path is arbitrary: offer a credible repair
            out += [Candidate(r, f"{method}:repaired") for r in
                      (repair_off_path(tree, b) for b in found) if r is not None]
        notes = [f"Gambit {sub} returns one equilibrium; the search was partial"
                 if sub != "enumpoly" else
                 "Gambit enumpoly lists isolated equilibria by support; where play never reaches "
                 "an information set, equilibria form components and a component may be "
                 "represented by one point that is not sequentially rational, so the list is "
                 "not guaranteed complete"]
        return out, False, notes
    raise InputError([Problem(f"unknown solution method {method!r}", value=method,
                              expected=", ".join(METHODS))])


def _sequence_lcp(compiled: CompiledGame) -> tuple[list[Candidate], bool, list[str]]:
    """Lemke on the sequence form (solvers/sequence_form.py), polished to exact values on
    its support, plus the same profile re-solved off the path (solvers/repair.py)."""
    tree = compiled.tree
    try:
        b = sequence_lcp(tree)
    except (ValueError, LemkeError) as exc:
        raise InputError([Problem(str(exc), value=compiled.game_id,
                                  expected="a two-actor game, or another method")]) from None
    polished = qre_mod.polish_any(tree, b)  # floating pivots: exact on the support
    if polished is not None:
        b = polished
    found = [Candidate(b, "sequence-lcp")]
    repaired = repair_off_path(tree, b)
    if repaired is not None:
        found.append(Candidate(repaired, "sequence-lcp:repaired"))
    return found, False, ["sequence-form Lemke: one complementary path gives one "
                          "equilibrium; the list is not complete (other equilibria may exist)"]


def _openspiel_cfr(compiled: CompiledGame) -> tuple[list[Candidate], bool, list[str]]:
    """CFR+ (solvers/openspiel_backend.py): its average profile, polished on its support
    where that gives an exact equilibrium, with its NashConv in the summary and notes."""
    if not openspiel_backend.available():
        raise InputError([Problem("method openspiel-cfr needs the optional OpenSpiel package",
                                  value="openspiel-cfr",
                                  expected="pip install 'crisislab[openspiel]'")])
    tree = compiled.tree
    res = openspiel_backend.cfr(tree)
    polished = qre_mod.polish_any(tree, res.behaviour)
    notes = [f"OpenSpiel CFR+ ({res.iterations} iterations): NashConv of the average profile "
             f"{res.nash_conv:.3g} (0 at an equilibrium; CFR converges to one in two-actor "
             "zero-sum games, not in general); one profile, the search was partial"]
    if polished is None:
        notes.append("the CFR+ profile did not polish to an exact equilibrium on its support")
        return ([Candidate(res.behaviour, "openspiel-cfr",
                           summary={"nash_conv": res.nash_conv})], False, notes)
    return ([Candidate(polished, "openspiel-cfr", summary={"nash_conv": res.nash_conv})],
            False, notes)


def _ranges(equilibria: list[Equilibrium]) -> dict[str, tuple[float, float]]:
    keys = sorted({k for e in equilibria for k in e.outcome_probabilities})
    return {k: (min(e.outcome_probabilities.get(k, 0.0) for e in equilibria),
                max(e.outcome_probabilities.get(k, 0.0) for e in equilibria)) for k in keys}


def _match(equilibria: list[Equilibrium], other: Equilibrium, tol: float = 1e-6) -> int | None:
    for i, e in enumerate(equilibria):
        if all(abs(e.behaviour[k][a] - other.behaviour[k][a]) <= tol
               for k in e.behaviour for a in e.behaviour[k]):
            return i
    return None


def _select(tree: GameTree, equilibria: list[Equilibrium], candidates: list[Candidate],
            refinement: str) -> tuple[list[Equilibrium], int | None, str, list[str]]:
    """Pick one equilibrium by the logit-QRE limit; none if the limit is not listed."""
    if not equilibria:
        return equilibria, None, "none: no equilibrium", []
    if len(equilibria) == 1:
        return equilibria, 0, "only", []
    if tree.n_slots > SELECTION_MAX_SLOTS:
        return equilibria, None, (f"none: the game has {tree.n_slots} action slots, more than "
                                  f"the QRE selection's {SELECTION_MAX_SLOTS}"), []
    limit = next((c.behaviour for c in candidates if c.found_by == "qre-limit"), None)
    if limit is None:
        try:
            limit = qre_mod.qre_limit(tree, "logit").behaviour
        except qre_mod.QREError as exc:
            return equilibria, None, f"none: {exc}", []
    if limit is None:
        return equilibria, None, ("none: the logit QRE branch did not polish to an exact "
                                  "equilibrium"), []
    eq = assess(tree, Candidate(limit, "qre-limit"), standard=refinement)
    i = _match(equilibria, eq)
    if i is not None:
        return equilibria, i, "logit-qre-limit", []
    if eq.is_equilibrium:
        return equilibria, None, ("none: the logit QRE limit is an equilibrium the method did "
                                  "not list (method auto or qre-limit includes it)"), []
    return equilibria, None, ("none: the logit QRE limit fails the refinement check "
                              f"(regret {eq.sequential_regret:.3g})"), []


def _qre_result(tree: GameTree, lam: float, link: str) -> QREResult:
    """AQRE at ``lam`` with the principal branch sampled on a square-root grid up to it."""
    grid = sorted({lam * (i / (QRE_CURVE_POINTS - 1)) ** 2 for i in range(QRE_CURVE_POINTS)})
    points = qre_mod.qre_curve(tree, grid, link)

    def readout(p: qre_mod.QREPoint) -> QREPoint:
        ev = evaluate_profile(tree, p.behaviour)
        return QREPoint(
            lam=tidy(p.lam),
            behaviour={k: {a: tidy(x) for a, x in acts.items()}
                       for k, acts in tree.profile_to_mapping(p.behaviour).items()},
            beliefs={s.id: {tree.node_ids[m]: tidy(x) for m, x in zip(s.members, ev.beliefs[k],
                                                                       strict=True)}
                     for k, s in enumerate(tree.infosets)},
            outcome_probabilities={k: tidy(v) for k, v in
                                   sorted(ev.outcome_probabilities.items())},
            expected_payoffs={p_: tidy(v) for p_, v in zip(tree.players, ev.expected_payoffs,
                                                           strict=True)})

    return QREResult(link=link, lam=tidy(lam), point=readout(points[-1]),
                     curve=[readout(p) for p in points])


def _recorded(compiled: CompiledGame, refinement: str) -> tuple[dict[str, Any], dict[str, int]]:
    """What every solution records of its game: the provenance parameters (game,
    template, parameter values, refinement) and the tree's size."""
    tree = compiled.tree
    params: dict[str, Any] = {
        "game": compiled.game_id,
        "template": compiled.template.name if compiled.template else None,
        "values": dict(sorted(compiled.parameters.items())), "refinement": refinement}
    return params, {"nodes": tree.n_nodes, "terminals": tree.n_terminals,
                    "infosets": len(tree.infosets)}


def solve_compiled(compiled: CompiledGame, method: str = "auto", lens: str | None = None,
                   scenario: str | None = None, force: bool = False, *,
                   exceed_limits: bool = False, refinement: str = CREDIBLE,
                   lam: float | None = None, link: str = "logit",
                   select: bool = True) -> GameSolution:
    """Solve an already compiled game (``force`` is the old name of ``exceed_limits``).

    ``select=False`` skips the equilibrium selection (tracing the logit QRE branch is
    most of the time on small games) for callers that use every equilibrium, such as
    the crux search; the equilibria are the same either way.
    """
    if refinement not in REFINEMENTS:
        raise InputError([Problem(f"unknown refinement {refinement!r}", value=refinement,
                                  expected=", ".join(REFINEMENTS))])
    if link not in qre_mod.LINKS:
        raise InputError([Problem(f"unknown QRE link {link!r}", value=link,
                                  expected=", ".join(qre_mod.LINKS))])
    exceed_limits = exceed_limits or force
    chosen = _auto_method(compiled) if method == "auto" else method
    tree = compiled.tree
    provenance_params, size = _recorded(compiled, refinement)
    if chosen == "qre":
        if lam is None or not lam >= 0:
            raise InputError([Problem("method qre needs a precision lambda >= 0", value=lam,
                                      expected="lam=2.5 (--lambda 2.5)")])
        notes = check_size(tree, "qre", exceed_limits)
        try:
            qres = _qre_result(tree, float(lam), link)
        except qre_mod.QREError as exc:
            raise InputError([Problem(str(exc), value=lam,
                                      expected="a smaller lambda")]) from None
        return GameSolution(
            game_id=compiled.game_id, title=compiled.label, players=list(tree.players),
            infoset_players={s.id: s.player for s in tree.infosets}, method="qre",
            complete=False, refinement=refinement, equilibria=[],
            selection_rule="none: a quantal response equilibrium is not an equilibrium "
                           "selection", qre=qres, notes=notes, size=size,
            provenance=Provenance(method="games.qre", lens=lens, scenario=scenario,
                                  parameters={**provenance_params, "lambda": float(lam),
                                              "link": link}))
    notes = [w for part in chosen.split("+") for w in check_size(tree, part, exceed_limits)]
    candidates, complete, more = run_method(compiled, chosen)
    notes.extend(more)
    return checked_solution(compiled, chosen, candidates, complete, notes, lens, scenario,
                            refinement=refinement, select=select)


def checked_solution(compiled: CompiledGame, chosen: str, candidates: list[Candidate],
                     complete: bool, notes: list[str], lens: str | None = None,
                     scenario: str | None = None, *, refinement: str = CREDIBLE,
                     select: bool = True) -> GameSolution:
    """The solution from a method's candidates: each checked by
    :func:`~crisislab.games.solvers.assess.assess`, sorted into equilibria, profiles
    that are not credible and rejected ones, then (``select``) one selected.

    Split from :func:`solve_compiled` so that candidates found for many parameter
    settings at once (:mod:`crisislab.games.batch`) are judged by the same code."""
    tree = compiled.tree
    notes = list(notes)
    provenance_params, size = _recorded(compiled, refinement)
    assessed = deduplicate([assess(tree, c, standard=refinement) for c in candidates])
    equilibria = [e for e in assessed if e.is_equilibrium]
    failed = [e for e in assessed if not e.is_equilibrium]
    not_credible = [e for e in failed if e.refinements and e.probability_sum_error <= 1e-6]
    rejected = [e for e in failed if not (e.refinements and e.probability_sum_error <= 1e-6)]
    if not_credible:
        notes.append(f"{len(not_credible)} equilibrium(s) from {chosen} fail the {refinement} "
                     "standard (threats or beliefs off the path that are not credible); "
                     "listed under not_credible")
    if rejected:
        notes.append(f"{len(rejected)} profile(s) from {chosen} fail our check "
                     "(regret on the path or probability sums); listed under rejected")
    if select:
        equilibria, selected, rule, sel_notes = _select(tree, equilibria, candidates,
                                                        refinement)
    else:
        selected, rule, sel_notes = None, "none: selection not requested", []
    if rule == "only" and not complete:
        rule = "only-found"
    notes.extend(sel_notes)
    if not equilibria:
        notes.append(f"{chosen} found no equilibrium that passes our check")
    return GameSolution(
        game_id=compiled.game_id, title=compiled.label, players=list(tree.players),
        infoset_players={s.id: s.player for s in tree.infosets}, method=chosen,
        complete=complete and bool(equilibria), refinement=refinement, equilibria=equilibria,
        selected=selected, selection_rule=rule, outcome_ranges=_ranges(equilibria),
        not_credible=not_credible, rejected=rejected, notes=notes, size=size,
        provenance=Provenance(method=f"games.{chosen}", lens=lens, scenario=scenario,
                              parameters=provenance_params))


def solve_game(spec: TemplateGameSpec | TreeGameSpec, method: str = "auto", *,
               overrides: dict[str, Any] | None = None, lens: str | None = None,
               scenario: str | None = None, path: str = "games[0]",
               force: bool = False, exceed_limits: bool = False,
               refinement: str = CREDIBLE, lam: float | None = None,
               link: str = "logit") -> GameSolution:
    """Validate, apply lens overrides, and solve one game.

    ``refinement`` is the standard an equilibrium must meet to be listed; ``lam``
    and ``link`` are for ``method="qre"``; ``exceed_limits`` runs a method beyond
    its size limit (``force`` is its old name).
    """
    if overrides:
        spec = apply_game_overrides(spec, overrides)
    return solve_compiled(compile_game(spec, path), method, lens, scenario,
                          exceed_limits=exceed_limits or force, refinement=refinement,
                          lam=lam, link=link)


def solve_tree(tree: GameTree, method: str = "auto", game_id: str = "game",
               force: bool = False, *, exceed_limits: bool = False,
               refinement: str = CREDIBLE, lam: float | None = None,
               link: str = "logit") -> GameSolution:
    """Solve a tree built in code or imported from ``.efg``."""
    compiled = CompiledGame(None, tree, None, {}, {p: p for p in tree.players})
    solution = solve_compiled(compiled, method, exceed_limits=exceed_limits or force,
                              refinement=refinement, lam=lam, link=link)
    return solution.model_copy(update={"game_id": game_id})


def _bimatrix(tree: GameTree) -> NormalForm | None:
    nf = from_tree(tree)
    return nf if nf is not None and len(nf.players) == 2 else None


def _support_enumeration(compiled: CompiledGame) -> tuple[list[Candidate], bool, list[str]]:
    """Every equilibrium of a two-actor simultaneous-move game (normal_form.py): what
    ``support-enum`` does on a bimatrix game, where it is complete when nondegenerate."""
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
        found.append(Candidate(nf_behaviour(compiled.tree, mixed), "support-enum"))
    if not degenerate:
        return found, True, ["support enumeration: every equilibrium of this nondegenerate "
                             "game"]
    return found, False, ["support enumeration: the game is degenerate (an equilibrium "
                          "strategy has more best responses than its support), so equilibria "
                          "may form continua of which only points with supports of equal "
                          "size are listed"]
