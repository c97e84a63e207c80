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

from bot.domain import count
from bot.render.map_layout import fold
from bot.render.map_legend import EDGE_STYLES, legend_node
from bot.render.palette import EDGE_SWATCHES, NEUTRAL, STATUS_SWATCHES

_SHAPE = {"claim": "box", "objection": "box", "reply": "note", "support": "box"}
_STYLE = {"claim": "filled", "objection": "filled", "reply": "filled", "support": "rounded,filled"}
#: What a statement answering no other statement answers: the reading itself.
_TO_READING = {
    "objection": "against the whole reading",
    "support": "for the whole reading",
    "reply": "on the whole reading",
}
#: Characters of a title per line, and lines: boxes of one width fold the map evenly.
TITLE_WIDTH = 26
TITLE_LINES = 4


def _quote(text: str) -> str:
    """A DOT string literal; user text can hold quotes and backslashes."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _to_reading(statement: dict[str, Any]) -> str:
    """ "against the whole reading" for an objection to the reading itself, else "".

    Such a statement is drawn at the top like a claim, with no arrow to follow:
    its box says what it answers instead.
    """
    return _TO_READING.get(statement["kind"], "") if statement["target"] is None else ""


def _label(statement: dict[str, Any], steelmen: int) -> str:
    """Kind and nickname, the wrapped title, status and stances, steelmen and crux."""
    title = "\n".join(textwrap.wrap(statement["title"], TITLE_WIDTH)[:TITLE_LINES])
    counts = [statement["status"], _to_reading(statement)]
    agree, disagree = statement.get("agree", 0), statement.get("disagree", 0)
    if agree or disagree:
        counts.append(f"{agree} agree · {disagree} disagree")
    extras = [count(steelmen, "steelman")] if steelmen else []
    crux_for = statement.get("crux_for") or []
    if crux_for:
        more = f" +{len(crux_for) - 2}" if len(crux_for) > 2 else ""
        extras.append("crux for " + ", ".join(crux_for[:2]) + more)
    lines = [f"{statement['kind']} {statement['slug']}", title, " · ".join(filter(None, counts))]
    return "\n".join(lines + ([" · ".join(extras)] if extras else []))


def _node(statement: dict[str, Any], steelmen: int, order: int) -> str:
    swatch = STATUS_SWATCHES.get(statement["status"], NEUTRAL)
    kind = statement["kind"]
    penwidth = 2.5 if kind == "claim" else 1
    peripheries = 2 if statement.get("crux_for") else 1
    return (
        f"  {_quote(statement['slug'])} [label={_quote(_label(statement, steelmen))}, "
        f"shape={_SHAPE[kind]}, style={_quote(_STYLE[kind])}, penwidth={penwidth}, "
        f"peripheries={peripheries}, fillcolor={_quote(swatch.hex)}, sortv={order}];"
    )


def to_dot(
    statements: Iterable[dict[str, Any]], steelman_counts: dict[str, int], title: str
) -> str:
    """DOT source: statements coloured by status, answers as arrows, a legend, folded.

    Claims are on top and each answer hangs below what it answers, its arrow
    pointing up at it (drawn as an edge from the target with `dir=back`, so that
    Graphviz ranks top down and packs the trees into rows: see map_layout).
    """
    rows = list(statements)
    shown = {s["slug"] for s in rows}
    folded = fold(rows)
    lines = [
        "digraph argument_map {",
        f"  graph [fontname=Helvetica, fontsize=16, label={_quote(title)}, labelloc=t, "
        f'concentrate=true, pack=true, packmode="array_u{folded.columns}", '
        "nodesep=0.25, ranksep=0.45];",
        '  node [fontname=Helvetica, fontsize=11, margin="0.12,0.06"];',
        "  edge [penwidth=2];",
    ]
    # Each tree is ordered by its claim's place, so the grid reads as the reading does.
    place = {slug: index for index, slug in enumerate(dict.fromkeys(folded.tree_of.values()))}
    for statement in rows:
        order = place.get(folded.tree_of.get(statement["slug"], ""), 0)
        lines.append(_node(statement, steelman_counts.get(statement["slug"], 0), order))
    lines.append(legend_node())
    for statement in rows:
        target, kind = statement["target"], statement["kind"]
        if target in shown and kind in EDGE_SWATCHES:
            lines.append(
                f"  {_quote(target)} -> {_quote(statement['slug'])} [dir=back, "
                f"color={_quote(EDGE_SWATCHES[kind].hex)}, style={EDGE_STYLES[kind]}];"
            )
    for lower, upper in folded.wrap_edges:
        lines.append(f"  {_quote(upper)} -> {_quote(lower)} [style=invis, weight=10];")
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
        steelmen = steelman_counts.get(statement["slug"], 0)
        notes = [statement["status"], _to_reading(statement)]
        notes += [count(steelmen, "steelman")] if steelmen else []
        lines.append(
            f"{'  ' * depth}- {statement['kind']} `{statement['slug']}` "
            f"[{', '.join(note for note in notes if note)}]: {statement['title']}"
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
