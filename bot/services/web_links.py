"""Which replies link to a web page, and `/web` itself (the link, or revoking every link).

The tokens behind the links are made and checked in `bot.services.web_access`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.errors import UserError
from bot.render.reply import Link, Reply
from bot.services.registry import Rules, handles
from bot.services.web_access import LINK_LABEL, WebAccess
from bot.storage.unit_of_work import UnitOfWork

NOT_SET_UP = "The web view is not set up here: the host sets PUBLIC_URL (see docs/self-hosting.md)."


def web_path(command: str, args: Mapping[str, object], reply: Reply) -> str | None:
    """The page a command's reply is about, relative to the workspace's root (None: none)."""
    if reply.minutes_of is not None:
        return f"m/{reply.minutes_of}"
    slug = args.get("slug")
    if command in ("objection", "claim", "reply", "support", "steelman") and slug:
        return f"s/{slug}"
    if command == "map":
        return f"go/{slug}" if slug else ""
    return None


async def attach_link(
    access: WebAccess,
    sessions: async_sessionmaker[AsyncSession],
    workspace_id: int,
    command: str,
    args: Mapping[str, object],
    reply: Reply,
) -> Reply:
    """The reply with an "Open on the web" link to its page, when there is one to give."""
    if not access.base_url or reply.error or reply.link is not None or reply.already_handled:
        return reply
    path = web_path(command, args, reply)
    if path is None:
        return reply
    link = await access.link_for(sessions, workspace_id, path)
    return reply if link is None else replace(reply, link=link)


@handles("web")
async def web_command(uow: UnitOfWork, reading: str | None = None, *, rules: Rules) -> Reply:
    """`/web [reading]` answers with the link; `/web revoke` kills every link (moderators).

    Without a reading it links the channel's current one, else the workspace's only
    one, else the list of its readings.
    """
    access = rules.web
    if reading == "revoke":
        if not uow.caller.is_moderator:
            raise UserError("Only a moderator can revoke the web links.")
        await access.revoke(uow.web_links)
        return Reply.done(
            "Every web link of this workspace stops working now. /web gives a new one.",
            ephemeral=True,
        )
    if not access.base_url:
        raise UserError(NOT_SET_UP)
    path = ""
    if reading is not None:
        found = await uow.readings.by_slug(reading)
        if found is None:
            raise UserError(f"There is no reading `{reading}`.", hint="/reading lists them.")
        path = f"r/{found.slug}"
    elif uow.caller.channel_id:  # the channel's current reading, as /map draws it
        channel = await uow.channels.get(uow.caller.channel_id)
        current = await uow.readings.by_id(channel.current_reading_id)
        if current is not None:
            reading, path = current.slug, f"r/{current.slug}"
    if not path:  # a workspace of one reading (the demo's): that reading
        only = await uow.readings.newest(limit=2)
        if len(only) == 1:
            reading, path = only[0].slug, f"r/{only[0].slug}"
    url = access.url(await access.ensure_token(uow.web_links), path)
    return Reply(
        title="The web view" + (f" of {reading}" if reading else ""),
        body="Read-only pages of this workspace's readings, for anyone with the link.",
        footer="A moderator's /web revoke makes every link given out so far stop working.",
        link=Link(LINK_LABEL, url),
    )
