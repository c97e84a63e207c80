"""Who is asking: a core `Caller` from a Discord interaction or message.

A workspace is a Discord server (guild). Direct messages have no server, so
they get no caller: the adapter then answers with `DM_REFUSAL` instead of
inventing a private workspace nobody else could see.
"""

from __future__ import annotations

from collections.abc import Iterable

import discord

from bot.context import Caller

PLATFORM = "discord"
DM_REFUSAL = (
    "Cruxbot works inside a server, where your group shares one map: "
    "use it in a channel of a server it was added to."
)


def _role_names(user: discord.abc.User) -> set[str]:
    if not isinstance(user, discord.Member):
        return set()
    return {role.name.casefold() for role in user.roles if role is not None}


def is_moderator(
    user: discord.abc.User, permissions: discord.Permissions, moderator_roles: Iterable[str]
) -> bool:
    """Manage Messages (or Administrator), or a role named in DISCORD_MODERATOR_ROLES."""
    if permissions.manage_messages or permissions.administrator:
        return True
    wanted = {name.casefold() for name in moderator_roles}
    return bool(wanted & _role_names(user))


def jump_url(guild_id: int, channel_id: int, message_id: int) -> str:
    """The link that opens a message in Discord (its "First raised" link)."""
    return f"https://discord.com/channels/{guild_id}/{channel_id}/{message_id}"


def message_guild_id(message: discord.Message) -> int | None:
    """The server a message was sent in, even when that server is not cached."""
    if message.guild is not None:
        return message.guild.id
    guild_id = getattr(message.channel, "guild_id", None)
    return guild_id if isinstance(guild_id, int) else None


def _guild_name(guild: discord.Guild | None) -> str:
    return (getattr(guild, "name", None) or "") if guild is not None else ""


def interaction_caller(
    interaction: discord.Interaction, moderator_roles: Iterable[str]
) -> Caller | None:
    """The member behind an interaction, or None outside a server."""
    if interaction.guild_id is None:
        return None
    user = interaction.user
    return Caller(
        platform=PLATFORM,
        workspace_id=str(interaction.guild_id),
        user_id=str(user.id),
        user_name=user.display_name,
        channel_id=str(interaction.channel_id or ""),
        is_moderator=is_moderator(user, interaction.permissions, moderator_roles),
        workspace_name=_guild_name(interaction.guild),
    )


def message_caller(message: discord.Message, moderator_roles: Iterable[str]) -> Caller | None:
    """The author of a chat message, or None outside a server."""
    guild_id = message_guild_id(message)
    if guild_id is None:
        return None
    author = message.author
    permissions = discord.Permissions.none()
    if isinstance(author, discord.Member):
        try:
            permissions = message.channel.permissions_for(author)
        except Exception:  # an uncached channel or guild: only roles can tell
            permissions = discord.Permissions.none()
    return Caller(
        platform=PLATFORM,
        workspace_id=str(guild_id),
        user_id=str(author.id),
        user_name=author.display_name,
        channel_id=str(message.channel.id),
        is_moderator=is_moderator(author, permissions, moderator_roles),
        origin_url=jump_url(guild_id, message.channel.id, message.id),
        workspace_name=_guild_name(message.guild),
    )
