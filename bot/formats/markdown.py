"""Markdown export: the map as an outline a person reads, one reading at a time.

Everything members wrote (titles, texts, names, a reading's title, author and
address) is written so that a Markdown viewer shows it as typed: on one line,
with every character Markdown gives a meaning escaped. Otherwise a title like
"x\\n# Heading" or "- item" would forge the outline's own structure, and
`<script>` or `[click](javascript:…)` would reach a rendered page as HTML or a
link. A reading's address is a link only when it is http, https or mailto.
"""

from __future__ import annotations

import re
from collections import defaultdict

from bot.domain import POSITIONS
from bot.storage.snapshot_rows import MapSnapshot, StanceRow, StatementRow, SteelmanRow

_MARK = {"objection": "Objection", "reply": "Reply", "support": "Support", "claim": "Claim"}

#: Characters that mean something wherever they stand: code, emphasis, links and
#: images, raw HTML and autolinks, entities, headings' closing marks, tables,
#: strikethrough, and the backslash itself.
_SPECIAL = re.compile(r"([\\`*_\[\]<>&#|~])")
#: What opens a block when it starts a line: list items (`-`, `+`, `1.`, `1)`),
#: a heading underline (`=`, `-`). (`#`, `>`, `*` and fences are escaped anywhere.)
_BLOCK_START = re.compile(r"^(?:[-+=]|\d+(?=[.)]))")
#: An address kept as a link: web or mail, nothing an autolink cannot hold.
_LINKABLE = re.compile(r"(?:https?://|mailto:)[^\s<>\x00-\x1f\x7f]+", re.IGNORECASE)


def _text(raw: str) -> str:
    """Member text inside a line: shown as typed, its whitespace made single spaces."""
    return _SPECIAL.sub(r"\\\1", " ".join(raw.split()))


def _line(raw: str) -> str:
    """Member text that starts a line: nor can its first characters open a block."""
    text = _text(raw)
    match = _BLOCK_START.match(text)
    if match is None:
        return text
    if match.group().isdigit():  # `1.` stays a number; its dot no longer makes a list
        return f"{match.group()}\\{text[match.end() :]}"
    return "\\" + text


def _address(url: str) -> str:
    """A reading's address: a link if it is a web or mail address, otherwise text."""
    return f"<{url}>" if _LINKABLE.fullmatch(url) else _line(url)


def to_markdown(snapshot: MapSnapshot) -> str:
    """Readings as sections; claims with their objections, replies and supports nested."""
    live = snapshot.live_statements()
    children: dict[str | None, list[StatementRow]] = defaultdict(list)
    for statement in live:
        children[statement.target].append(statement)
    steelmen: dict[str | None, list[SteelmanRow]] = defaultdict(list)
    for steelman in snapshot.steelmen:
        if steelman.deleted_at is None:
            steelmen[steelman.statement].append(steelman)
    stances: dict[str | None, list[StanceRow]] = defaultdict(list)
    for stance in snapshot.stances:
        stances[stance.statement].append(stance)
    lines = ["# Argument map", ""]
    groups = [(r.slug, r) for r in snapshot.readings] + [(None, None)]
    for reading_slug, reading in groups:
        roots = [s for s in children[None] if s.reading == reading_slug]
        if not roots:
            continue
        if reading is not None:
            by = f" by {_text(reading.author)}" if reading.author.strip() else ""
            lines += [f"## {_text(reading.title)}{by}", ""]
            if reading.url.strip():
                lines += [_address(reading.url.strip()), ""]
        else:
            lines += ["## Not tied to a reading", ""]
        for root in roots:
            _node(lines, root, 0, children, steelmen, stances)
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _node(
    lines: list[str],
    statement: StatementRow,
    depth: int,
    children: dict[str | None, list[StatementRow]],
    steelmen: dict[str | None, list[SteelmanRow]],
    stances: dict[str | None, list[StanceRow]],
) -> None:
    indent = "  " * depth
    slug = statement.slug
    lines.append(
        f"{indent}- **{_MARK[statement.kind]} `{slug}`** ({statement.status}, "
        f"{_text(statement.author_name)}): {_text(statement.title)}"
    )
    text = " ".join(statement.text.split())
    if text and text != " ".join(statement.title.split()):
        lines.append(f"{indent}  {_line(text)}")
    tally = _tally(stances.get(slug, []))
    if tally:
        lines.append(f"{indent}  *Stances:* {tally}")
    for steelman in steelmen.get(slug, []):
        endorsed = ", endorsed" if steelman.endorsed else ""
        lines.append(
            f"{indent}  *Steelman ({_text(steelman.author_name)}{endorsed}):* "
            f"{_text(steelman.text)}"
        )
    for child in children.get(slug, []):
        _node(lines, child, depth + 1, children, steelmen, stances)


def _tally(stances: list[StanceRow]) -> str:
    counts = {p: sum(1 for s in stances if s.position == p) for p in POSITIONS}
    return " · ".join(f"{p} {n}" for p, n in counts.items() if n)
