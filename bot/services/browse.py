"""Browsing the map: lists and search, always paged."""

from __future__ import annotations

import re

from bot.errors import UserError
from bot.render.reply import Reply
from bot.render.statements import list_reply
from bot.services.common import PAGE_SIZE, find_statement, page_footer, page_offset
from bot.storage.unit_of_work import UnitOfWork

_PLURAL_TO_KIND = {
    "claims": "claim",
    "objections": "objection",
    "replies": "reply",
    "supports": "support",
    "all": None,
}


async def list_statements(
    uow: UnitOfWork,
    kind: str | None,
    status: str | None,
    reading_slug: str | None,
    target_slug: str | None,
    page: int,
) -> Reply:
    """Statements filtered by kind, status, reading or target, newest first."""
    reading_id = None
    reading_label = ""
    if reading_slug:
        reading = await uow.repos.reading_by_slug(reading_slug)
        if reading is None:
            raise UserError(f"There is no reading `{reading_slug}`.", hint="/reading lists them.")
        reading_id, reading_label = reading.id, f" of `{reading.slug}`"
    target_id = None
    target_label = ""
    if target_slug:
        target = await find_statement(uow, target_slug)
        target_id, target_label = target.id, f" answering `{target.slug}`"
    kind_name = _PLURAL_TO_KIND.get(kind or "all")
    rows, total = await uow.repos.list_statements(
        kind_name, status, reading_id, page_offset(page), PAGE_SIZE, target_id
    )
    noun = kind if kind and kind != "all" else "statements"
    title = f"{(status + ' ') if status else ''}{noun}{reading_label}{target_label}".capitalize()
    command = " ".join(
        part
        for part in (
            "/list",
            kind or "",
            status or "",
            f"reading:{reading_slug}" if reading_slug else "",
            f"to:{target_slug}" if target_slug else "",
        )
        if part
    )
    return list_reply(title, rows, page_footer(page, total, command), f"No {noun} found.")


async def search(uow: UnitOfWork, text: str, page: int) -> Reply:
    """Statements whose nickname, title, text or steelmen contain every word."""
    words = [w for w in re.split(r"\W+", text.lower()) if w][:8]
    if not words:
        raise UserError("Give me some words to search for, e.g. /search evaluation.")
    rows, total = await uow.repos.search(words, page_offset(page), PAGE_SIZE)
    title = f"Search: {' '.join(words)}"
    footer = page_footer(page, total, f"/search {' '.join(words)}")
    return list_reply(title, rows, footer, "Nothing matches. Try fewer or other words.")
