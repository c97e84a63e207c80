"""Kialo's plain-text export ("1. thesis", "1.1. Con: …") as a map to import.

The discussion becomes a reading; the thesis (and any other top-level point) a
claim; a Con under an objection a reply, any other Con an objection, and a Pro
a support. Lines without a number continue the point above. Every problem is
reported with its line number, and nothing is imported then.

Kialo shows one point in several places; its export writes the second place
as a cross-link (`1.6.4. Pro: -> See 1.2.2.`). That is not a point of its own,
so it becomes a nickname of the point it names, saying where else the point
stands: `also-for-<the link's parent>` (or `also-against-…` for a Con).

Kialo's text is Markdown: `[text](url)` links are kept as written (renderers
show them as each platform can, see bot.render.links), backslash escapes
(`\\(`) are undone, and titles and nicknames are made from the words alone,
never from addresses. Nicknames are generated, so a workspace that already
has one gets the next free number instead (see bot.services.generated_names).

Parsing is linear in the file (continuation lines are joined once, repeated
nicknames numbered from a counter), and CPU-bound: a running bot calls it off
the event loop.
"""

from __future__ import annotations

import re
from typing import Any

from bot.domain import SLUG_MAX, TEXT_MAX, control_characters, derive_title, slugify, unique_slug
from bot.formats.json_rows import ExportFormatError, snapshot_from_sections
from bot.render.links import without_addresses
from bot.storage.models import utcnow
from bot.storage.snapshot_rows import MapSnapshot, iso

_TITLE = re.compile(r"^\s*Discussion (?:Title|Name):\s*(.+)$", re.IGNORECASE)
_ITEM = re.compile(r"^\s*(\d+(?:\.\d+)*)\.\s+(?:(Pro|Con):\s*)?(.*)$", re.IGNORECASE)
_CROSS_LINK = re.compile(r"^->\s*See\s+(\d+(?:\.\d+)*)\.?$", re.IGNORECASE)
# A backslash before ASCII punctuation is Markdown's escape; Kialo writes `\(`, `\[`…
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


def is_kialo(text: str) -> bool:
    """Whether text looks like a Kialo export (a title line or a numbered thesis first)."""
    for line in text.splitlines():
        if line.strip():
            return bool(_TITLE.match(line)) or line.strip().startswith("1. ")
    return False


def unescape(text: str) -> str:
    """Kialo's text without its Markdown backslash escapes: `\\(Trolls\\)` is `(Trolls)`."""
    return _ESCAPE.sub(r"\1", text)


def parse_kialo(text: str, importer: str) -> MapSnapshot:
    """The discussion as a snapshot; ExportFormatError names the first bad line."""
    title = "Kialo discussion"
    items: list[dict[str, Any]] = []
    by_number: dict[str, dict[str, Any]] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        bad = control_characters(line)
        if bad:
            raise ExportFormatError(f"Line {number}: control character U+{ord(bad[0]):04X}.")
        heading = _TITLE.match(line)
        if heading and not items:
            title = unescape(heading.group(1).strip())
            continue
        match = _ITEM.match(line)
        if match is None:
            if not items:
                raise ExportFormatError(
                    f"Line {number}: expected `Discussion Title: …` or `1. <thesis>`."
                )
            items[-1]["parts"].append(line.strip())
            continue
        item = _item(number, match, by_number)
        items.append(item)
        by_number[item["path"]] = item
    if not items:
        raise ExportFormatError("Line 1: the file holds no numbered points.")
    return _snapshot(title, items, by_number, importer)


def _item(number: int, match: re.Match[str], by_number: dict[str, Any]) -> dict[str, Any]:
    """One numbered point, checked against the points above it."""
    path, side, body = match.group(1), match.group(2), match.group(3).strip()
    if path in by_number:
        raise ExportFormatError(f"Line {number}: point {path} appears twice.")
    parent_path = path.rpartition(".")[0]
    parent = by_number.get(parent_path)
    if parent_path and parent is None:
        raise ExportFormatError(f"Line {number}: point {path} has no parent {parent_path}.")
    if parent_path and side is None:
        raise ExportFormatError(f"Line {number}: point {path} needs `Pro:` or `Con:`.")
    if not body:
        raise ExportFormatError(f"Line {number}: point {path} has no text.")
    if parent is not None and parent["link"]:
        raise ExportFormatError(
            f"Line {number}: point {path} is under {parent_path}, a link to "
            f"{parent['link']}; put it under {parent['link']} instead."
        )
    link = _CROSS_LINK.match(body)
    if link is not None and parent is None:
        raise ExportFormatError(f"Line {number}: point {path}, a thesis, cannot be a link.")
    return {
        "path": path,
        "line": number,
        "parts": [body],
        "parent": parent,
        "pro": side is not None and side.lower() == "pro",
        "kind": _kind(side, parent),
        "link": link.group(1) if link else None,
    }


def _kind(side: str | None, parent: dict[str, Any] | None) -> str:
    if parent is None:
        return "claim"
    if side is not None and side.lower() == "pro":
        return "support"
    return "reply" if parent["kind"] == "objection" else "objection"


def _linked(item: dict[str, Any], by_number: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The point a cross-link names, following links to links."""
    seen = {item["path"]}
    current = item
    while current["link"] is not None:
        wanted = current["link"]
        if wanted == item["path"] and current is item:
            raise ExportFormatError(f"Line {item['line']}: point {wanted} links to itself.")
        if wanted not in by_number:
            raise ExportFormatError(
                f"Line {item['line']}: point {item['path']} links to {wanted}, "
                "which is not in the file."
            )
        if wanted in seen:
            raise ExportFormatError(
                f"Line {item['line']}: point {item['path']} links to {item['link']}, "
                "which only links back; no point is named."
            )
        seen.add(wanted)
        current = by_number[wanted]
    return current


def _reading(title: str, importer: str, now: str | None) -> dict[str, Any]:
    return {
        "slug": slugify(without_addresses(title)),
        "title": without_addresses(title)[:300],
        "author": "",
        "url": "",
        "created_by": f"kialo:{importer}",
        "created_at": now,
    }


def _snapshot(
    title: str, items: list[dict[str, Any]], by_number: dict[str, Any], importer: str
) -> MapSnapshot:
    now = iso(utcnow())
    reading = _reading(title, importer, now)
    used: dict[str, int] = {}
    points = [item for item in items if item["link"] is None]
    for item in points:
        item["text"] = unescape(" ".join(item["parts"]))
        if len(item["text"]) > TEXT_MAX:
            raise ExportFormatError(
                f"Line {item['line']}: point {item['path']} is "
                f"{len(item['text']):,} characters; the limit is {TEXT_MAX:,}."
            )
        item["plain"] = without_addresses(item["text"])
        item["slug"] = unique_slug(slugify(item["plain"]), used)
        item["aliases"] = []
    for item in items:
        if item["link"] is not None:
            named = _linked(item, by_number)
            side = "for" if item["pro"] else "against"
            base = f"also-{side}-{item['parent']['slug']}"[:SLUG_MAX].rstrip("-")
            named["aliases"].append(unique_slug(base, used))
    statements = [_statement(item, reading["slug"], importer, now) for item in points]
    return snapshot_from_sections({"readings": [reading], "statements": statements})


def _statement(
    item: dict[str, Any], reading: str, importer: str, now: str | None
) -> dict[str, Any]:
    parent = item["parent"]
    return {
        "slug": item["slug"],
        "aliases": item["aliases"],
        "kind": item["kind"],
        "title": derive_title(item["plain"]) or item["slug"],
        "text": item["text"],
        "quote": "",
        "source_url": "",
        "source_page": "",
        "author_id": f"kialo:{importer}",
        "author_name": importer,
        "status": "open",
        "target": parent["slug"] if parent else None,
        "duplicate_of": None,
        "reading": reading,
        "origin_url": "",
        "meeting": None,
        "created_at": now,
        "updated_at": now,
        "deleted_at": None,
    }
