"""Direct messages: which server's map a DM is answered from, and as whom.

A workspace is a server, and a DM has none. The author's servers are found by
asking Discord, for each server the bot is in, whether they are a member there
(the member list itself needs the privileged members intent, which the bot
does not ask for). One shared server answers; with several, the member names
one at the start ("Reading Group: what did we say about evaluation?"); with
none, nothing from any map is shown. A DM carries no channel permissions, so
its author is never a moderator there.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass

import discord

from adapters.discord.callers import PLATFORM, message_guild_id
from bot.context import Caller

log = logging.getLogger(__name__)

#: Servers looked through for one DM: each costs a request to Discord.
MAX_SERVERS_CHECKED = 25
NOT_A_MEMBER = (
    "I answer members of the servers I'm in, from their group's map, and you are in none "
    "of them: ask in a channel of a server I was added to."
)
TOO_MANY_SERVERS = (
    "I'm in too many servers to find yours from a direct message: ask in a channel of your "
    "server instead."
)


@dataclass(frozen=True)
class DirectRoute:
    """Where a DM goes: a caller and the question, or a refusal to send back."""

    caller: Caller | None
    question: str
    refusal: str = ""


def is_direct(message: discord.Message) -> bool:
    """Whether the message was sent to the bot privately, outside any server.

    Bots cannot join group DMs, so a message from no server is a DM to the bot.
    """
    return message_guild_id(message) is None


async def route_direct(
    message: discord.Message, servers: Sequence[discord.Guild], question: str
) -> DirectRoute:
    """The caller a DM runs as, from the servers the author shares with the bot."""
    if len(servers) > MAX_SERVERS_CHECKED:
        return DirectRoute(None, question, TOO_MANY_SERVERS)
    # One request per server, at once: a bot in a dozen servers answers as fast as in one.
    found = await asyncio.gather(*(_membership(guild, message.author.id) for guild in servers))
    shared = [
        (guild, member) for guild, member in zip(servers, found, strict=True) if member is not None
    ]
    if not shared:
        return DirectRoute(None, question, NOT_A_MEMBER)
    if len(shared) > 1:
        named, _, rest = question.partition(":")
        chosen = [pair for pair in shared if pair[0].name.casefold() == named.strip().casefold()]
        if len(chosen) != 1 or not rest.strip():
            return DirectRoute(None, question, _which_server([guild for guild, _ in shared]))
        shared, question = chosen, rest.strip()
    guild, member = shared[0]
    caller = Caller(
        platform=PLATFORM,
        workspace_id=str(guild.id),
        user_id=str(member.id),
        user_name=member.display_name,
        channel_id=str(message.channel.id),
        workspace_name=guild.name,
    )
    return DirectRoute(caller, question)


async def _membership(guild: discord.Guild, user_id: int) -> discord.Member | None:
    """The author as a member of `guild`, or None if they are not in it."""
    cached = guild.get_member(user_id)
    if cached is not None:
        return cached
    try:
        return await guild.fetch_member(user_id)
    except discord.NotFound:
        return None
    except discord.HTTPException as exc:  # not reachable now: treat as not shared
        log.warning("could not check membership in server %s: %s", guild.id, exc)
        return None


def _which_server(servers: Sequence[discord.Guild]) -> str:
    names = sorted(guild.name for guild in servers)
    listed = ", ".join(f"**{name}**" for name in names)
    return (
        f"You share several servers with me ({listed}). Start your message with the one "
        f"you mean and a colon, e.g. `{names[0]}: what did we say about evaluation?`"
    )
