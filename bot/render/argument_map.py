"""The argument map: Graphviz DOT for the picture, an indented tree without it.

Everything here is linear in the statements given, and a map draws at most a
few hundred of them (`choose`): Graphviz's layout grows much faster than that,
and no reader follows a picture of thousands of boxes.
"""

from __future__ import annotations

import textwrap
from collections import defaultdict, deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

STATUS_COLOURS = {
    "open": "#fff4c2",
    "answered": "#cfe8ff",
    "conceded": "#d4f5d0",
    "withdrawn": "#e0e0e0",
    "duplicate": "#eeeeee",
    "parked": "#e8dcf5",
}
_SHAPE = {"claim": "box", "objection": "box", "reply": "note", "support": "ellipse"}
_EDGE = {
    "objection": ('"#c0392b"', "attacks"),
    "reply": ('"#2c6fbb"', "answers"),
    "support": ('"#2e8b57"', "supports"),
}


def _quote(text: str) -> str:
    """A DOT string literal; user text can hold quotes and backslashes."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _label(statement: dict[str, Any], steelmen: int) -> str:
    title = "\n".join(textwrap.wrap(statement["title"], 32)[:4])
    noun = "steelman" if steelmen == 1 else "steelmen"
    extra = f"\n{steelmen} {noun}" if steelmen else ""
    return f"{statement['kind']} {statement['slug']}\n{title}{extra}\n[{statement['status']}]"


def to_dot(
    statements: Iterable[dict[str, Any]], steelman_counts: dict[str, int], title: str
) -> str:
    """DOT source: statements as nodes coloured by status, answers as labelled edges."""
    rows = list(statements)
    shown = {s["slug"] for s in rows}
    lines = [
        "digraph argument_map {",
        f"  graph [rankdir=BT, fontname=Helvetica, label={_quote(title)}, labelloc=t];",
        "  node [fontname=Helvetica, fontsize=10, style=filled];",
        "  edge [fontname=Helvetica, fontsize=9];",
    ]
    for statement in rows:
        style = '"filled,bold"' if statement["kind"] == "claim" else "filled"
        label = _label(statement, steelman_counts.get(statement["slug"], 0))
        lines.append(
            f"  {_quote(statement['slug'])} [label={_quote(label)}, "
            f"shape={_SHAPE[statement['kind']]}, style={style}, "
            f"fillcolor={_quote(STATUS_COLOURS.get(statement['status'], '#ffffff'))}];"
        )
    for statement in rows:
        target = statement["target"]
        if target in shown and statement["kind"] in _EDGE:
            colour, verb = _EDGE[statement["kind"]]
            lines.append(
                f"  {_quote(statement['slug'])} -> {_quote(target)} "
                f"[color={colour}, label={_quote(verb)}];"
            )
    lines.append("}")
    return "\n".join(lines) + "\n"


def to_text_tree(statements: Iterable[dict[str, Any]], steelman_counts: dict[str, int]) -> str:
    """The same map as an indented outline, for when Graphviz is not installed."""
    rows = list(statements)
    shown = {s["slug"] for s in rows}
    children: dict[str | None, list[dict[str, Any]]] = defaultdict(list)
    for statement in rows:
        parent = statement["target"] if statement["target"] in shown else None
        children[parent].append(statement)
    lines: list[str] = []
    # Depth first without recursion: a long chain of replies is deeper than Python's stack.
    stack = [(statement, 0) for statement in reversed(children.get(None, []))]
    while stack:
        statement, depth = stack.pop()
        count = steelman_counts.get(statement["slug"], 0)
        steel = f", {count} steelmen" if count else ""
        lines.append(
            f"{'  ' * depth}- {statement['kind']} `{statement['slug']}` "
            f"[{statement['status']}{steel}]: {statement['title']}"
        )
        stack.extend((child, depth + 1) for child in reversed(children.get(statement["slug"], [])))
    return "\n".join(lines)


@dataclass(frozen=True)
class Selection:
    """What one map draws, and what it leaves out."""

    drawn: list[dict[str, Any]]
    left_out: int
    #: A statement just past the edge: `/map <it>` draws the part around it.
    next_slug: str | None


def choose(
    statements: Sequence[dict[str, Any]], limit: int, around: str | None = None
) -> Selection:
    """At most `limit` statements, nearest first, in their original order.

    Without `around`: the claims and what answers them, level by level. With
    `around`: that statement, what it answers up to its claim, and everything
    answering it, nearest first both ways. One pass over the statements builds
    the links, so this is linear however long a chain of replies is.
    """
    by_slug = {s["slug"]: s for s in statements}
    children: dict[str | None, list[str]] = defaultdict(list)
    for statement in statements:
        target = statement["target"] if statement["target"] in by_slug else None
        children[target].append(statement["slug"])
    # (slug, may go up to what it answers, may go down to its answers)
    queue: deque[tuple[str, bool, bool]] = deque()
    if around is None:
        queue.extend((slug, False, True) for slug in children[None])
    else:
        queue.append((around, True, True))
    order: list[str] = []
    seen: set[str] = {slug for slug, _, _ in queue}
    while queue:
        slug, up, down = queue.popleft()
        order.append(slug)
        target = by_slug[slug]["target"]
        if up and target in by_slug and target not in seen:
            seen.add(target)
            queue.append((target, True, False))
        if down:
            for child in children[slug]:
                if child not in seen:
                    seen.add(child)
                    queue.append((child, False, True))
    chosen = set(order[:limit])
    return Selection(
        drawn=[s for s in statements if s["slug"] in chosen],
        left_out=len(order) - len(chosen),
        next_slug=order[limit] if len(order) > limit else None,
    )
