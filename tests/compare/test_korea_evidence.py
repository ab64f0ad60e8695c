"""korea-2017 shows its work: every judgement carries evidence, and every quote is
the article's own words.

An element "carries evidence" when it has a ``quote`` (with ``source``) or an
``assumption``.  Quotes are checked verbatim against the article text in
``../shared/seed/korea-2017-article.txt`` after normalising whitespace and
typographic quotes (’ ‘ -> ', “ ” -> "), so a quote that is paraphrased, spliced
with "..." or attached from memory fails.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

KOREA = Path(__file__).resolve().parents[2] / "src" / "crisislab" / "scenarios" / \
    "korea-2017.yaml"


def _data() -> dict[str, Any]:
    return YAML(typ="safe").load(KOREA.read_text())


def normalise(text: str) -> str:
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    text = text.replace("\u201c", '"').replace("\u201d", '"')
    return re.sub(r"\s+", " ", text).strip()


def _quotes(node: Any, path: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(node, dict):
        if isinstance(node.get("quote"), str):
            yield path, node["quote"]
        for k, v in node.items():
            yield from _quotes(v, f"{path}.{k}" if path else str(k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _quotes(v, f"{path}[{i}]")


def _has_evidence(item: dict[str, Any]) -> bool:
    if item.get("quote"):
        return item.get("source") == "atlantic"
    return bool(item.get("assumption"))


def test_normalise():
    assert normalise("China\u2019s  \u201cdo\n more\u201d") == 'China\'s "do more"'


def test_every_quote_is_in_the_article(shared_dir: Path):
    article = normalise((shared_dir / "seed" / "korea-2017-article.txt").read_text())
    quotes = list(_quotes(_data()))
    assert len(quotes) > 40
    missing = [(path, q) for path, q in quotes if normalise(q) not in article]
    assert missing == []


def _elements(data: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for i, a in enumerate(data["actors"]):
        yield f"actors[{i}]", a
    for i, o in enumerate(data["options"]):
        yield f"options[{i}]", o
    for i, c in enumerate(data["feasibility"]):
        yield f"feasibility[{i}]", c
    for actor, pref in data["preferences"].items():
        for i, st in enumerate(pref["prioritization"]):
            yield f"preferences.{actor}[{i}]", st
    for i, oc in enumerate(data["outcomes"]):
        yield f"outcomes[{i}]", oc
    for i, pol in enumerate(data["policies"]):
        yield f"policies[{i}]", pol
    for i, lens in enumerate(data["lenses"]):
        for j, ov in enumerate(lens.get("overrides", [])):
            yield f"lenses[{i}].overrides[{j}]", ov
        for actor, view in lens.get("views", {}).items():
            for j, ov in enumerate(view["overrides"]):
                yield f"lenses[{i}].views.{actor}[{j}]", ov
        for game, params in lens.get("games", {}).items():
            for name, value in params.items():
                yield f"lenses[{i}].games.{game}.{name}", value
        for issue, actors in lens.get("issues", {}).items():
            for actor, fields in actors.items():
                yield f"lenses[{i}].issues.{issue}.{actor}", fields
    for i, game in enumerate(data["games"]):
        yield f"games[{i}]", game
        for name, value in game["tree"]["parameters"].items():
            yield f"games[{i}].parameters.{name}", value
        for pid, mapping in game["policies"].items():
            yield f"games[{i}].policies.{pid}", mapping
            for name, value in mapping.get("parameters", {}).items():
                yield f"games[{i}].policies.{pid}.parameters.{name}", value
    for i, issue in enumerate(data["issues"]):
        yield f"issues[{i}]", issue
        for actor, pos in issue["positions"].items():
            yield f"issues[{i}].positions.{actor}", pos
    for i, item in enumerate(data.get("uncertainty", {}).get("inputs", [])):
        yield f"uncertainty.inputs[{i}]", item


def test_every_element_carries_evidence():
    data = _data()
    elements = list(_elements(data))
    bare = [path for path, item in elements
            if not isinstance(item, dict) or not _has_evidence(item)]
    assert bare == []
    # every policy is mapped in the game, so the game gives P(war)/P(deal) per policy
    policy_ids = {p["id"] for p in data["policies"]}
    assert set(data["games"][0]["policies"]) == policy_ids


@pytest.mark.parametrize("number_path", [
    ("lenses", "washington", "p_nk_resolute"), ("lenses", "washington", "q_us_resolute"),
    ("lenses", "beijing", "p_nk_resolute"), ("lenses", "pyongyang", "p_nk_resolute"),
    ("lenses", "pyongyang", "q_us_resolute")])
def test_lens_priors_are_assumptions(number_path):
    """The article gives no probabilities: each prior says it is the analyst's number."""
    _, lens_id, name = number_path
    lens = next(lz for lz in _data()["lenses"] if lz["id"] == lens_id)
    value = lens["games"]["embargo_or_talks"][name]
    assert "analyst" in value["assumption"]


def test_the_evidence_page_lists_every_element():
    """docs/reference/korea-2017-evidence.md has a row for every named element."""
    page = (KOREA.parents[3] / "docs" / "reference" / "korea-2017-evidence.md").read_text()
    data = _data()
    ids = [a["id"] for a in data["actors"]] + [o["id"] for o in data["options"]]
    ids += [st["id"] for pref in data["preferences"].values() for st in pref["prioritization"]]
    ids += [o["id"] for o in data["outcomes"]] + [p["id"] for p in data["policies"]]
    ids += [ov["id"] for lz in data["lenses"] for ov in lz.get("overrides", [])]
    ids += list(data["games"][0]["tree"]["parameters"])
    ids += [f"games.{pid}" for pid in data["games"][0]["policies"]]
    ids += [f"{lz['id']}.{name}" for lz in data["lenses"]
            for params in lz.get("games", {}).values() for name in params]
    ids += [f"{issue['id']}.{actor}" for issue in data["issues"] for actor in issue["positions"]]
    ids += [f"feasibility[{i}]" for i in range(len(data["feasibility"]))]
    missing = [i for i in ids if f"`{i}`" not in page]
    assert missing == []
