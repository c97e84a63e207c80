"""Asking in chat: a message that mentions the bot is answered in a thread.

`@Cruxbot lag`, `@Cruxbot objection lag` and `@Cruxbot what did we say about
evaluation?` all go to `Cruxbot.answer_mention`. Discord delivers the content
of messages that mention the bot without the privileged message-content
intent, so none is asked for. The answer goes into a new thread on the
message (or the thread the message is in), falling back to the channel when
threads are not allowed there. `@everyone`/`@here` alone never count as
mentioning the bot.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Literal

import discord
from discord.utils import MISSING

from adapters.discord.callers import DM_REFUSAL, message_caller
from adapters.discord.direct import DirectRoute, is_direct, route_direct
from adapters.discord.render import (
    DEFAULT_FILE_LIMIT,
    FOOTER_MAX,
    NO_MENTIONS,
    Rendered,
    render,
)
from bot.app import Cruxbot
from bot.errors import unexpected_failure
from bot.render.clip import clip
from bot.render.reply import Reply

log = logging.getLogger(__name__)

THREAD_NAME_MAX = 100
#: Threads the bot starts close themselves after a day of silence.
THREAD_ARCHIVE_MINUTES: Literal[1440] = 1440


def mentions_bot(message: discord.Message, bot_id: int) -> bool:
    """Whether the bot itself was mentioned (not merely @everyone or a role)."""
    return any(user.id == bot_id for user in message.mentions)


def strip_mention(content: str, bot_id: int) -> str:
    """The message without the bot's own mention(s)."""
    return " ".join(re.sub(rf"<@!?{bot_id}>", " ", content).split())


def thread_name(reply: Reply, asked: str) -> str:
    """A readable thread title from the answer's title, or the question.

    Discord refuses an empty thread name, so a question that is nothing but
    backticks or spaces falls back to the bot's name.
    """
    for source in (reply.title, asked):
        name = " ".join((source or "").replace("`", "").split())
        if name:
            return name if len(name) <= THREAD_NAME_MAX else name[: THREAD_NAME_MAX - 1] + "…"
    return "Cruxbot"


class MentionHandler:
    """Answers chat messages addressed to the bot: mentions, and any direct message."""

    def __init__(
        self,
        core: Cruxbot,
        moderator_roles: Sequence[str] = (),
        servers: Callable[[], Sequence[discord.Guild]] = tuple,
    ) -> None:
        """`servers` gives the servers the bot is in now (a DM is answered from one)."""
        self.core = core
        self.moderator_roles = tuple(moderator_roles)
        self.servers = servers

    async def on_message(self, message: discord.Message, bot_id: int) -> None:
        """Answer `message` if it mentions the bot or is a DM to it; never raises."""
        direct = is_direct(message)
        if message.author.bot or not (direct or mentions_bot(message, bot_id)):
            return
        try:
            route = await self._route(message, strip_mention(message.content, bot_id), direct)
            asked = route.question
            if route.caller is None:
                reply = Reply.failure(route.refusal)
            else:
                # The gateway can hand a message over twice (a resumed session): the
                # key makes the second one change and answer nothing.
                keyed = replace(route.caller, request_key=f"discord:message:{message.id}")
                reply = await self.core.answer_mention(asked, keyed)
            if reply.already_handled:
                log.info("message %s was answered before; not again", message.id)
                return
            await self._send(message, reply, asked)
        except Exception as exc:
            try:
                await self._send(
                    message, unexpected_failure(f"message {message.id}", exc, logger=log), ""
                )
            except Exception:
                log.exception("could not report the failure of message %s", message.id)

    async def _route(self, message: discord.Message, asked: str, direct: bool) -> DirectRoute:
        if direct:
            return await route_direct(message, self.servers(), asked)
        return DirectRoute(message_caller(message, self.moderator_roles), asked, DM_REFUSAL)

    async def _send(self, message: discord.Message, reply: Reply, asked: str) -> None:
        limit = message.guild.filesize_limit if message.guild is not None else DEFAULT_FILE_LIMIT
        rendered = render(reply, limit)
        channel = message.channel
        if isinstance(channel, discord.Thread | discord.DMChannel):
            await _post(channel, rendered)
            return
        try:
            thread = await message.create_thread(
                name=thread_name(reply, asked), auto_archive_duration=THREAD_ARCHIVE_MINUTES
            )
        except (discord.HTTPException, ValueError):  # no right to, or no server info
            log.info("cannot start a thread in channel %s; answering in it", channel.id)
            await _post(channel, rendered)
            return
        await _post(thread, rendered)


async def _post(target: discord.abc.Messageable, rendered: Rendered) -> None:
    """Send the answer; without its file, and saying so, where files may not be attached."""
    try:
        await target.send(
            embed=rendered.embed,
            allowed_mentions=NO_MENTIONS,
            view=rendered.view or MISSING,
            file=rendered.file or MISSING,
        )
    except discord.Forbidden:
        if rendered.file is None:
            raise
        note = (
            f"I may not attach files here: use the slash command to get {rendered.file.filename}."
        )
        footer = rendered.embed.footer.text
        rendered.embed.set_footer(text=clip(f"{footer}\n{note}" if footer else note, FOOTER_MAX))
        if rendered.embed.image.url:
            rendered.embed.set_image(url=None)
        await target.send(
            embed=rendered.embed, allowed_mentions=NO_MENTIONS, view=rendered.view or MISSING
        )
