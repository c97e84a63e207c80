"""/map: a reading's (or one statement's) argument map as a PNG or SVG from Graphviz."""

from __future__ import annotations

import asyncio
from typing import Any

from bot.domain import count
from bot.errors import UserError
from bot.render.argument_map import Selection, choose, to_dot, to_text_tree
from bot.render.reply import Attachment, Reply
from bot.services.graphviz import FORMATS, draw
from bot.services.registry import handles
from bot.storage.unit_of_work import UnitOfWork

#: The most statements one map draws (see bot.render.argument_map).
MAX_NODES = 300
INSTALL_HINT = (
    "Install Graphviz for a picture (Debian/Ubuntu: apt-get install graphviz; "
    "macOS: brew install graphviz); here is the map as text."
)


@handles("map")
async def argument_map(uow: UnitOfWork, slug: str | None = None, format: str = "png") -> Reply:
    """The map of a reading, of one statement's neighbourhood, or of the channel's reading.

    `format` is png (what chat previews show) or svg (sharp at any zoom, for a
    browser or a slide).

    Reading the rows is two light queries; choosing, laying out and drawing
    run off the event loop (a thread, then Graphviz's own process).
    """
    fmt = format
    if fmt not in FORMATS:
        raise UserError(f"The map comes as png or svg, not `{fmt}`.", hint="/map format:svg")
    reading_id = None
    statement_slug = None
    name = "map"
    if slug is not None:
        reading = await uow.readings.by_slug(slug)
        if reading is not None:
            reading_id, name = reading.id, reading.slug
        else:
            found = await uow.statements.by_slug(slug)
            if found is None or found.deleted_at is not None:
                raise UserError(
                    f"There is no reading or statement `{slug}`.",
                    hint="/reading lists readings; /list shows statements.",
                )
            statement_slug = name = found.slug
    elif uow.caller.channel_id:
        channel = await uow.channels.get(uow.caller.channel_id)
        current = await uow.readings.by_id(channel.current_reading_id)
        if current is not None:
            reading_id, name = current.id, current.slug
    statements = await uow.exports.map_rows(reading_id)
    # Nothing more is written: end the transaction (on SQLite it holds the write
    # lock) before drawing, which takes Graphviz a second or more on a big map.
    await uow.commit_early()
    if not statements:
        raise UserError("There is nothing to map yet.", hint="Log a claim first: /claim …")
    title = f"Argument map: {name}"
    selection, dot_source = await asyncio.to_thread(_prepare, statements, statement_slug, title)
    note = _left_out_note(selection, len(statements) if statement_slug is None else None)
    counts = {s["slug"]: s["steelmen"] for s in selection.drawn}
    picture = await draw(dot_source, fmt)
    if picture is None:
        tree = await asyncio.to_thread(to_text_tree, selection.drawn, counts)
        return Reply(title=title, body=tree, footer=f"{note}\n{INSTALL_HINT}".strip())
    return Reply(
        title=title,
        body=f"{count(len(selection.drawn), 'statement')}; the legend in the picture says "
        "what colours, arrows and double borders mean." + (f"\n{note}" if note else ""),
        attachment=Attachment(f"cruxbot-{name}.{fmt}", picture, "the argument map"),
    )


def _prepare(
    statements: list[dict[str, Any]], around: str | None, title: str
) -> tuple[Selection, str]:
    """The statements to draw and their DOT source (CPU-bound: run in a thread)."""
    selection = choose(statements, MAX_NODES, around)
    counts = {s["slug"]: s["steelmen"] for s in selection.drawn}
    return selection, to_dot(selection.drawn, counts, title)


def _left_out_note(selection: Selection, total: int | None) -> str:
    """What a capped map left out, and the command that shows it; "" when nothing was."""
    if not selection.left_out:
        return ""
    shown = len(selection.drawn)
    return (
        f"Only the {shown} statements nearest "
        + ("the claims" if total is not None else "this one")
        + f" are drawn; {selection.left_out:,} more are left out. "
        f"To see them, map a statement further out: /map {selection.next_slug}"
    )
