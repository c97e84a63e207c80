"""The argument map: Graphviz DOT for the picture, an indented tree without it."""

from __future__ import annotations

import textwrap
from collections import defaultdict
from collections.abc import Iterable
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

    def walk(parent: str | None, depth: int) -> None:
        for statement in children.get(parent, []):
            count = steelman_counts.get(statement["slug"], 0)
            steel = f", {count} steelmen" if count else ""
            lines.append(
                f"{'  ' * depth}- {statement['kind']} `{statement['slug']}` "
                f"[{statement['status']}{steel}]: {statement['title']}"
            )
            walk(statement["slug"], depth + 1)

    walk(None, 0)
    return "\n".join(lines)
