"""Readings: add one, show one, and set a channel's current reading."""

from __future__ import annotations

import re

from bot.domain import URL_MAX, validate_text
from bot.errors import UserError
from bot.render.reply import Field, Reply
from bot.services.registry import handles
from bot.storage.models import Reading
from bot.storage.revisions import snapshot
from bot.storage.unit_of_work import UnitOfWork

_URL = re.compile(r"^https?://\S+$", re.IGNORECASE)
READING_TITLE_MAX = 300


def split_title_and_url(text: str) -> tuple[str, str]:
    """`Superintelligence https://…` -> ("Superintelligence", "https://…")."""
    words = text.split()
    if words and _URL.match(words[-1]):
        return " ".join(words[:-1]), words[-1]
    return " ".join(words), ""


@handles("reading")
async def reading(uow: UnitOfWork, slug: str | None = None, title: str | None = None) -> Reply:
    """Without a slug: the current reading and the list. With one: show or add, then switch.

    `title` is the title to add the reading with, a URL at its end kept apart.
    """
    if slug is None:
        return await _overview(uow)
    row = await uow.readings.by_slug(slug)
    if row is None:
        if not title:
            raise UserError(
                f"There is no reading `{slug}`.",
                hint=f"To add it: /reading {slug} <title> [url]",
            )
        name, url = split_title_and_url(validate_text(title, "title", READING_TITLE_MAX + URL_MAX))
        if not name:
            raise UserError("The reading needs a title before its URL.")
        _check_lengths(name, url)
        row = Reading(
            workspace_id=uow.workspace_id,
            slug=slug,
            title=name,
            url=url,
            created_by=uow.caller.user_id,
        )
        await uow.add(row, f"added reading {slug}")
        verb = "Added"
    elif title:  # on a reading that exists: `author|title|url <value>`
        await _edit(uow, row, title)
        verb = "Changed"
    else:
        verb = "Showing"
    switched = await _make_current(uow, row)
    footer = "It is now this channel's current reading." if switched else ""
    return Reply(
        title=f"Reading `{row.slug}`: {row.title}",
        body=f"{verb} reading `{row.slug}`.",
        fields=tuple(f for f in (Field("Author", row.author), Field("Link", row.url)) if f.value),
        footer=footer,
    )


#: What `/reading <slug> <field> <value>` may change on an existing reading.
EDITABLE = {"title": READING_TITLE_MAX, "author": 200, "url": URL_MAX}


async def _edit(uow: UnitOfWork, row: Reading, text: str) -> None:
    """`/reading lag-post author Ann Smith`: correct a reading's title, author or link.

    Its creator or a moderator may; the change is recorded, so /undo reverts it.
    """
    field, _, value = text.strip().partition(" ")
    field = field.lower()
    if field not in EDITABLE or not value.strip():
        raise UserError(
            f"The reading `{row.slug}` exists already.",
            hint=f"/reading {row.slug} (without a title) makes it this channel's reading; "
            f"/reading {row.slug} title|author|url <new value> corrects it.",
        )
    if row.created_by != uow.caller.user_id and not uow.caller.is_moderator:
        raise UserError("Only whoever added the reading, or a moderator, can change it.")
    value = validate_text(value.strip(), field, EDITABLE[field])
    if field == "url" and not _URL.match(value):
        raise UserError("The link must start with http:// or https://.")
    before = snapshot(row)
    setattr(row, field, value)
    await uow.record(row, before, f"changed the {field} of reading {row.slug}")


def _check_lengths(title: str, url: str) -> None:
    if len(title) > READING_TITLE_MAX:
        raise UserError(f"The title is {len(title)} characters; the limit is {READING_TITLE_MAX}.")
    if len(url) > URL_MAX:
        raise UserError(f"The URL is {len(url)} characters; the limit is {URL_MAX}.")


async def _make_current(uow: UnitOfWork, row: Reading) -> bool:
    if not uow.caller.channel_id:
        return False
    channel = await uow.channels.get(uow.caller.channel_id)
    if channel.current_reading_id != row.id:
        channel.current_reading_id = row.id
        await uow.flush()
    return True


async def _overview(uow: UnitOfWork) -> Reply:
    current = None
    if uow.caller.channel_id:
        channel = await uow.channels.get(uow.caller.channel_id)
        current = await uow.readings.by_id(channel.current_reading_id)
    rows = await uow.readings.newest()
    if not rows:
        return Reply(
            title="No readings yet",
            body="Add one with /reading <slug> <title> [url], or load the demo with /import demo.",
            ephemeral=True,
        )
    lines = [
        f"`{r.slug}` — {r.title}" + (" (current)" if current and r.id == current.id else "")
        for r in rows
    ]
    return Reply(
        title="Readings",
        body="\n".join(lines),
        footer="/reading <slug> makes one this channel's current reading.",
    )
