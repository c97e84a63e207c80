"""Browsing the map: lists and search, always paged.

Lists page with "Previous"/"Next" buttons (and `page:N` typed); nothing here
loads more than one page of statements.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.commands.actions import encode_action
from bot.errors import UserError
from bot.render.reply import Action, Reply
from bot.render.statements import SNIPPET, list_reply, paging_actions
from bot.services.common import (
    PAGE_SIZE,
    find_statement,
    has_next_page,
    page_footer,
    page_offset,
)
from bot.services.registry import handles
from bot.storage.models import Statement
from bot.storage.search import highlight
from bot.storage.stemming import parse
from bot.storage.unit_of_work import UnitOfWork

_PLURAL_TO_KIND = {
    "claims": "claim",
    "objections": "objection",
    "replies": "reply",
    "supports": "support",
    "all": None,
}


@handles("list")
async def list_statements(
    uow: UnitOfWork,
    kind: str | None = None,
    status: str | None = None,
    reading: str | None = None,
    to: str | None = None,
    page: int = 1,
) -> Reply:
    """Statements filtered by kind, status, reading or target, newest first."""
    reading_id = None
    reading_label = ""
    if reading:
        row = await uow.readings.by_slug(reading)
        if row is None:
            raise UserError(f"There is no reading `{reading}`.", hint="/reading lists them.")
        reading_id, reading_label = row.id, f" of `{row.slug}`"
    target_id = None
    target_label = ""
    if to:
        target = await find_statement(uow, to)
        target_id, target_label = target.id, f" answering `{target.slug}`"
    kind_name = _PLURAL_TO_KIND.get(kind or "all")
    rows, total = await uow.statements.page(
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
            f"reading:{reading}" if reading else "",
            f"to:{to}" if to else "",
        )
        if part
    )
    args = tuple(
        (name, value)
        for name, value in (
            ("kind", kind),
            ("status", status),
            ("reading", reading),
            ("to", to),
        )
        if value
    )
    actions = paging_actions("list", args, page, has_next_page(page, total))
    footer = page_footer(page, total, command)
    return list_reply(
        title,
        rows,
        footer,
        f"No {noun} found.",
        merged_into=await _merged_into(uow, rows),
        paging=_buttons(actions),
    )


async def _merged_into(uow: UnitOfWork, rows: Sequence[Statement]) -> dict[int, str]:
    """For the merged statements of a page (only hidden ones are listed), what they went into."""
    merged = [row for row in rows if row.deleted_at is not None and row.duplicate_of_id]
    if not merged:
        return {}
    into = await uow.statements.by_ids([row.duplicate_of_id or 0 for row in merged])
    slugs = {row.id: row.slug for row in into}
    return {
        row.id: slugs[row.duplicate_of_id or 0] for row in merged if row.duplicate_of_id in slugs
    }


@handles("search")
async def search(uow: UnitOfWork, words: str, page: int = 1) -> Reply:
    """Statements matching every word, best first, each with where it matched in bold.

    Words are matched by their stems (`capability` finds "capabilities"), and
    words that say nothing about what is sought ("what did we say about") are
    left out unless nothing else was typed.

    Paging buttons carry the words joined by hyphens (`alignment-lag`), which
    the search splits into the same words again; a button id carries only such
    nickname-like values, so words that do not fit one (accents, too many) are
    paged by typing, as the footer says (see `_buttons`).
    """
    found_words = list(parse(words).keywords)
    if not found_words:
        raise UserError("Give me some words to search for, e.g. /search evaluation.")
    rows, total, terms = await uow.statements.search(found_words, page_offset(page), PAGE_SIZE)
    snippets: dict[int, str] = {}
    for statement in rows:
        found = highlight(statement.text, terms)
        if found is not None:
            snippets[statement.id] = found
    # Matched elsewhere (the nickname, the title, a steelman): look in the steelmen,
    # loaded only for these few.
    elsewhere = [s.id for s in rows if s.id not in snippets]
    steelmen = await uow.statements.steelmen_of(elsewhere) if elsewhere else {}
    for statement_id in elsewhere:
        for row in steelmen.get(statement_id, ()):
            in_steelman = highlight(row.text, terms, SNIPPET - 11)
            if in_steelman is not None:
                snippets[statement_id] = f"steelman: {in_steelman}"
                break
    query = " ".join(found_words)
    actions = paging_actions(
        "search", (("words", "-".join(found_words)),), page, has_next_page(page, total)
    )
    # Nothing at all needs no page count; past the last page, the count says where it ends.
    footer = page_footer(page, total, f"/search {query}") if total else ""
    return list_reply(
        f"Search: {query}",
        rows,
        footer,
        f"Nothing matches {query}. Try fewer or other words, or ask in plain words:"
        f" /ask what did we say about {query}?",
        snippets=snippets,
        paging=_buttons(actions),
    )


def _buttons(actions: tuple[Action, ...]) -> tuple[Action, ...]:
    """The actions that can travel as buttons; the footer names the rest as typed lines."""
    kept = []
    for action in actions:
        try:
            encode_action(action)
        except ValueError:
            continue
        kept.append(action)
    return tuple(kept)
