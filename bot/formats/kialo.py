"""Kialo's plain-text export ("1. thesis", "1.1. Con: …") as a map to import.

The discussion becomes a reading; the thesis (and any other top-level point) a
claim; a Con under an objection a reply, any other Con an objection, and a Pro
a support. Lines without a number continue the point above. Every problem is
reported with its line number, and nothing is imported then.

Parsing is linear in the file (continuation lines are joined once, repeated
nicknames numbered from a counter), and CPU-bound: a running bot calls it off
the event loop.
"""

from __future__ import annotations

import re
from typing import Any

from bot.domain import SLUG_MAX, TEXT_MAX, control_characters, derive_title, slugify
from bot.formats.json_format import ExportFormatError
from bot.storage.models import utcnow
from bot.storage.snapshot import MapSnapshot, iso

_TITLE = re.compile(r"^\s*Discussion Title:\s*(.+)$", re.IGNORECASE)
_ITEM = re.compile(r"^\s*(\d+(?:\.\d+)*)\.\s+(?:(Pro|Con):\s*)?(.*)$", re.IGNORECASE)


def is_kialo(text: str) -> bool:
    """Whether text looks like a Kialo export (a title line or a numbered thesis first)."""
    for line in text.splitlines():
        if line.strip():
            return bool(_TITLE.match(line)) or line.strip().startswith("1. ")
    return False


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
            title = heading.group(1).strip()
            continue
        match = _ITEM.match(line)
        if match is None:
            if not items:
                raise ExportFormatError(
                    f"Line {number}: expected `Discussion Title: …` or `1. <thesis>`."
                )
            items[-1]["parts"].append(line.strip())
            continue
        path, side, body = match.group(1), match.group(2), match.group(3).strip()
        if path in by_number:
            raise ExportFormatError(f"Line {number}: point {path} appears twice.")
        parent_path = path.rpartition(".")[0]
        if parent_path and parent_path not in by_number:
            raise ExportFormatError(f"Line {number}: point {path} has no parent {parent_path}.")
        if parent_path and side is None:
            raise ExportFormatError(f"Line {number}: point {path} needs `Pro:` or `Con:`.")
        if not body:
            raise ExportFormatError(f"Line {number}: point {path} has no text.")
        parent = by_number.get(parent_path)
        item = {
            "path": path,
            "line": number,
            "parts": [body],
            "parent": parent,
            "kind": _kind(side, parent),
        }
        items.append(item)
        by_number[path] = item
    if not items:
        raise ExportFormatError("Line 1: the file holds no numbered points.")
    return _snapshot(title, items, importer)


def _kind(side: str | None, parent: dict[str, Any] | None) -> str:
    if parent is None:
        return "claim"
    if side is not None and side.lower() == "pro":
        return "support"
    return "reply" if parent["kind"] == "objection" else "objection"


def _snapshot(title: str, items: list[dict[str, Any]], importer: str) -> MapSnapshot:
    now = iso(utcnow())
    reading_slug = slugify(title)
    used: dict[str, int] = {}
    snapshot = MapSnapshot(
        readings=[
            {
                "slug": reading_slug,
                "title": title[:300],
                "author": "",
                "url": "",
                "created_by": f"kialo:{importer}",
                "created_at": now,
            }
        ]
    )
    for item in items:
        item["text"] = " ".join(item["parts"])
        if len(item["text"]) > TEXT_MAX:
            raise ExportFormatError(
                f"Line {item['line']}: point {item['path']} is "
                f"{len(item['text']):,} characters; the limit is {TEXT_MAX:,}."
            )
        item["slug"] = _unique(slugify(item["text"]), used)
        parent = item["parent"]
        snapshot.statements.append(
            {
                "slug": item["slug"],
                "aliases": [],
                "kind": item["kind"],
                "title": derive_title(item["text"]),
                "text": item["text"],
                "quote": "",
                "source_url": "",
                "source_page": "",
                "author_id": f"kialo:{importer}",
                "author_name": importer,
                "status": "open",
                "target": parent["slug"] if parent else None,
                "duplicate_of": None,
                "reading": reading_slug,
                "origin_url": "",
                "meeting": None,
                "created_at": now,
                "updated_at": now,
                "deleted_at": None,
            }
        )
    return snapshot


def _unique(base: str, used: dict[str, int]) -> str:
    """`base`, or `base-2`, `base-3`…: the next number is kept per base, so a file
    of many alike points costs one step each, not a scan of all before it."""
    candidate = base
    number = used.get(base, 1)
    while candidate in used:
        number += 1
        suffix = f"-{number}"
        candidate = base[: SLUG_MAX - len(suffix)].rstrip("-") + suffix
    used[base] = number
    used.setdefault(candidate, 1)
    return candidate
