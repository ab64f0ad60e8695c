"""Import and export of KTAB's SMP CSV format.

Line 1: ``scenario name, description, #actors, #dimensions``; line 2: a
header ``Actor, Description, Influence, (Position_d, Salience_d)...``; then
one row per actor.  Positions are on 0-100, saliences 0-100 per dimension
with an actor's total at most 100, influence positive.  Files shipped with
KTAB end rows with a trailing comma; both forms are read.  Every problem is
reported with the file, line and column (1-based).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from pathlib import Path

from crisislab.errors import InputError, Problem
from crisislab.model.issue_spec import IssueSpec


def _slug(text: str) -> str:
    out = "".join(ch if ch.isalnum() or ch in "_-." else "_" for ch in text.strip())
    out = out.strip("_") or "dim"
    return out if (out[0].isalpha() or out[0] == "_") else "d_" + out


def _cells(line: str) -> list[str]:
    row = next(csv.reader([line], skipinitialspace=True), [])
    while row and row[-1].strip() == "":
        row.pop()                                    # trailing commas
    return [c.strip() for c in row]


def _column_of(line: str, index: int) -> int:
    """1-based column where cell ``index`` of a CSV line starts."""
    col, cell, quoted = 0, 0, False
    for pos, ch in enumerate(line):
        if cell == index:
            col = pos
            while col < len(line) and line[col] == " ":
                col += 1
            return col + 1
        if ch == '"':
            quoted = not quoted
        elif ch == "," and not quoted:
            cell += 1
    return len(line) + 1


def read_ktab_csv(text: str, *, file: str | None = None,
                  issue_id: str | None = None) -> IssueSpec:
    """Parse KTAB CSV text into an :class:`IssueSpec` (scale 0-100, salience 0-100)."""
    lines = [ln for ln in text.splitlines()]
    problems: list[Problem] = []

    def fail(msg: str, line: int, col: int | None = None, value: object = None,
             expected: str | None = None) -> InputError:
        return InputError([Problem(msg, file=file, line=line, column=col, value=value,
                                   expected=expected)])

    if len(lines) < 2:
        raise fail("a KTAB CSV file needs a scenario line and a header line", len(lines) or 1,
                   expected="line 1: scenario, description, #actors, #dimensions; "
                            "line 2: header")
    head = _cells(lines[0])
    if len(head) < 4:
        raise fail("line 1 must hold scenario, description, number of actors, number of "
                   "dimensions", 1, 1, lines[0], "4 fields")
    try:
        n_act = int(float(head[2]))
    except ValueError:
        raise fail("number of actors is not a number", 1, _column_of(lines[0], 2), head[2],
                   "a positive integer") from None
    try:
        n_dim = int(float(head[3]))
    except ValueError:
        raise fail("number of dimensions is not a number", 1, _column_of(lines[0], 3),
                   head[3], "a positive integer") from None
    if n_dim < 1:
        raise fail("number of dimensions must be at least 1", 1, _column_of(lines[0], 3),
                   n_dim, ">= 1")
    if n_act < 1:
        raise fail("number of actors must be at least 1", 1, _column_of(lines[0], 2), n_act,
                   ">= 1")
    header = _cells(lines[1])
    need = 3 + 2 * n_dim
    if len(header) < need:
        raise fail(f"the header has {len(header)} fields; {n_dim} dimension(s) need {need}",
                   2, 1, lines[1], "Actor, Description, Influence, then position and salience "
                                   "per dimension")
    dims = [header[3 + 2 * d] for d in range(n_dim)]
    rows = [(i + 3, ln) for i, ln in enumerate(lines[2:]) if ln.strip(" ,")]
    if len(rows) != n_act:
        raise fail(f"line 1 announces {n_act} actors but {len(rows)} rows follow",
                   1, _column_of(lines[0], 2), n_act, f"{len(rows)}")
    positions: dict[str, dict[str, object]] = {}
    stakeholders = []
    for lineno, ln in rows:
        parsed = _actor_row(ln, lineno, header, n_dim, file, problems, positions)
        if parsed is not None:
            aid, name, position = parsed
            stakeholders.append({"id": aid, "name": name})
            positions[aid] = position
    if problems:
        raise InputError(problems)
    data: dict[str, object] = {
        "id": issue_id or _slug(head[0]), "label": head[0], "description": head[1] or None,
        "salience_max": 100.0, "stakeholders": stakeholders, "positions": positions}
    if n_dim == 1:
        data["scale"] = {"min": 0.0, "max": 100.0}
    else:
        ids = [_slug(d) for d in dims]
        if len(set(ids)) != len(ids):
            ids = [f"{i}_{k}" for k, i in enumerate(ids)]
        data["dimensions"] = [{"id": i, "label": d, "scale": {"min": 0.0, "max": 100.0}}
                              for i, d in zip(ids, dims, strict=True)]
    try:
        return IssueSpec.model_validate(data)
    except Exception as exc:
        raise fail(f"invalid issue: {exc}", 1) from exc


def _actor_row(ln: str, lineno: int, header: list[str], n_dim: int, file: str | None,
               problems: list[Problem], positions: Mapping[str, object]) \
        -> tuple[str, str, dict[str, object]] | None:
    """One actor's row as (id, name, position entry), or None after recording its
    problems (every bad row is reported, not only the first)."""
    need = 3 + 2 * n_dim
    cells = _cells(ln)
    if len(cells) < need:
        problems.append(Problem(f"row has {len(cells)} fields, expected {need}", file=file,
                                line=lineno, column=1, value=ln.strip(),
                                expected=f"{need} fields"))
        return None
    name = cells[0]
    if not name:
        problems.append(Problem("empty actor name", file=file, line=lineno, column=1))
        return None
    aid = _slug(name)
    if aid in positions:
        problems.append(Problem(f"duplicate actor {name!r}", file=file, line=lineno,
                                column=1, value=name, expected="unique actor names"))
        return None
    nums: list[float] = []
    bad = False
    for k in range(2, need):
        try:
            nums.append(float(cells[k]))
        except ValueError:
            problems.append(Problem("not a number", file=file, line=lineno,
                                    column=_column_of(ln, k), value=cells[k],
                                    expected=f"a number for {header[k]!r}"))
            bad = True
    if bad:
        return None
    infl, rest = nums[0], nums[1:]
    pos = rest[0::2]
    sal = rest[1::2]
    checks = [(infl > 0, 2, infl, "influence > 0")]
    checks += [(0 <= p <= 100, 3 + 2 * d, p, "position in [0, 100]")
               for d, p in enumerate(pos)]
    checks += [(0 <= s <= 100, 4 + 2 * d, s, "salience in [0, 100]")
               for d, s in enumerate(sal)]
    for ok, k, v, exp in checks:
        if not ok:
            problems.append(Problem("value out of range", file=file, line=lineno,
                                    column=_column_of(ln, k), value=v, expected=exp))
            bad = True
    if sum(sal) > 100 + 1e-9:
        problems.append(Problem("saliences of one actor total more than 100", file=file,
                                line=lineno, column=_column_of(ln, 4), value=sum(sal),
                                expected="a total of at most 100"))
        bad = True
    if bad:
        return None
    return aid, cells[1] or name, {"position": pos[0] if n_dim == 1 else pos,
                                   "salience": sal[0] if n_dim == 1 else sal,
                                   "capability": infl}


def load_ktab_csv(path: str | Path, *, issue_id: str | None = None) -> IssueSpec:
    """Read a KTAB CSV file (I/O lives here, not in the engines)."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InputError([Problem(f"cannot read {p}: {exc.strerror}", file=str(p))]) from exc
    return read_ktab_csv(text, file=str(p), issue_id=issue_id)


def write_ktab_csv(spec: IssueSpec) -> str:
    """KTAB CSV text of an issue; positions rescaled to 0-100, saliences to 0-100."""
    scales = spec.scales()
    dims = ([d.label for d in spec.dimensions] if spec.dimensions else [spec.label])
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    # KTAB reads one record per line: text fields are folded onto one line
    w.writerow([_one_line(spec.label), _one_line(spec.description or spec.id),
                len(spec.positions), len(scales)])
    hdr = ["Actor", "Description", "Influence"]
    for d in dims:
        hdr += [f"{d} Position", f"{d} Salience"]
    w.writerow(hdr)
    names = {s.id: s.name for s in spec.stakeholders}
    for aid, ap in spec.positions.items():
        pos = ap.position if isinstance(ap.position, list) else [ap.position]
        sal = ap.salience if isinstance(ap.salience, list) else [ap.salience]
        row: list[object] = [aid, names.get(aid, aid), _num(ap.capability)]
        for x, s, sc in zip(pos, sal, scales, strict=True):
            row += [_num(100.0 * (x - sc.min) / (sc.max - sc.min)),
                    _num(100.0 * s / spec.salience_max)]
        w.writerow(row)
    return out.getvalue()


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _num(x: float) -> str:
    return repr(float(round(x, 10))).removesuffix(".0") if float(x).is_integer() is False \
        else str(int(x))
