"""Markdown export: the map as an outline a person reads, one reading at a time."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from bot.storage.snapshot import MapSnapshot

_MARK = {"objection": "Objection", "reply": "Reply", "support": "Support", "claim": "Claim"}


def to_markdown(snapshot: MapSnapshot) -> str:
    """Readings as sections; claims with their objections, replies and supports nested."""
    live = snapshot.live_statements()
    children: dict[str | None, list[dict[str, Any]]] = defaultdict(list)
    for statement in live:
        children[statement["target"]].append(statement)
    steelmen: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for steelman in snapshot.steelmen:
        if steelman["deleted_at"] is None:
            steelmen[steelman["statement"]].append(steelman)
    stances: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for stance in snapshot.stances:
        stances[stance["statement"]].append(stance)
    lines = ["# Argument map", ""]
    groups = [(r["slug"], r) for r in snapshot.readings] + [(None, None)]
    for reading_slug, reading in groups:
        roots = [s for s in children[None] if s["reading"] == reading_slug]
        if not roots:
            continue
        if reading is not None:
            by = f" by {reading['author']}" if reading["author"] else ""
            lines += [f"## {reading['title']}{by}", ""]
            if reading["url"]:
                lines += [f"<{reading['url']}>", ""]
        else:
            lines += ["## Not tied to a reading", ""]
        for root in roots:
            _node(lines, root, 0, children, steelmen, stances)
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _node(
    lines: list[str],
    statement: dict[str, Any],
    depth: int,
    children: dict[str | None, list[dict[str, Any]]],
    steelmen: dict[str, list[dict[str, Any]]],
    stances: dict[str, list[dict[str, Any]]],
) -> None:
    indent = "  " * depth
    slug = statement["slug"]
    lines.append(
        f"{indent}- **{_MARK[statement['kind']]} `{slug}`** ({statement['status']}, "
        f"{statement['author_name']}): {statement['title']}"
    )
    if statement["text"].strip() != statement["title"].strip():
        lines.append(f"{indent}  {' '.join(statement['text'].split())}")
    tally = _tally(stances.get(slug, []))
    if tally:
        lines.append(f"{indent}  *Stances:* {tally}")
    for steelman in steelmen.get(slug, []):
        endorsed = ", endorsed" if steelman["endorsed"] else ""
        lines.append(
            f"{indent}  *Steelman ({steelman['author_name']}{endorsed}):* "
            f"{' '.join(steelman['text'].split())}"
        )
    for child in children.get(slug, []):
        _node(lines, child, depth + 1, children, steelmen, stances)


def _tally(stances: list[dict[str, Any]]) -> str:
    counts = {
        p: sum(1 for s in stances if s["position"] == p) for p in ("agree", "disagree", "unsure")
    }
    return " · ".join(f"{p} {n}" for p, n in counts.items() if n)
