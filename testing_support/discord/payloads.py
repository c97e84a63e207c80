"""Real Discord payloads for the fakes and tests: users, members, a server, messages, interactions.

Shapes follow what Discord sends (INTERACTION_CREATE, MESSAGE_CREATE, GUILD_CREATE),
so discord.py parses them exactly as it would in production.
"""

from __future__ import annotations

import itertools
from typing import Any

from bot.context import Caller

APP_ID = 900000000000000001
BOT_ID = APP_ID
GUILD_ID = 900000000000000002
#: A server the bot was never added to: Discord refuses to register commands there.
FOREIGN_GUILD_ID = 900000000000000099
CHANNEL_ID = 900000000000000003
ANN_ID = 900000000000000010
BOB_ID = 900000000000000011
MOD_ROLE_ID = 900000000000000020
TIMESTAMP = "2025-01-01T00:00:00.000000+00:00"
MANAGE_MESSAGES = 1 << 13
MEMBER_PERMISSIONS = (1 << 10) | (1 << 11)  # view channel, send messages
#: The REST fake answers 401 Unauthorized to this token, as Discord does to a bad one.
REFUSED_TOKEN = "refused-token"

_ids = itertools.count(910000000000000000)


def snowflake() -> int:
    """A fresh id, unique within the test run."""
    return next(_ids)


def user(user_id: int, name: str, *, bot: bool = False) -> dict[str, Any]:
    """A user object."""
    return {
        "id": str(user_id),
        "username": name.lower(),
        "global_name": name,
        "discriminator": "0",
        "avatar": None,
        "bot": bot,
    }


BOT_USER = user(BOT_ID, "Cruxbot", bot=True)


def member(
    user_id: int, name: str, *, permissions: int = MEMBER_PERMISSIONS, roles: tuple[int, ...] = ()
) -> dict[str, Any]:
    """A guild member as interactions carry it (with resolved permissions)."""
    return {
        "user": user(user_id, name),
        "roles": [str(r) for r in roles],
        "joined_at": TIMESTAMP,
        "deaf": False,
        "mute": False,
        "flags": 0,
        "permissions": str(permissions),
    }


def text_channel(channel_id: int, name: str, guild_id: int | None = None) -> dict[str, Any]:
    """A text channel as Discord sends it; inside a guild's payload it names no guild."""
    return {
        "id": str(channel_id),
        "type": 0,
        **({"guild_id": str(guild_id)} if guild_id is not None else {}),
        "name": name,
        "position": 0,
        "permission_overwrites": [],
        "nsfw": False,
        "parent_id": None,
        "topic": None,
        "rate_limit_per_user": 0,
        "last_message_id": None,
    }


def guild_payload() -> dict[str, Any]:
    """GUILD_CREATE data: one text channel and a role named "Facilitator"."""
    return {
        "id": str(GUILD_ID),
        "name": "Reading Group",
        "owner_id": str(BOB_ID + 100),
        "icon": None,
        "splash": None,
        "discovery_splash": None,
        "afk_channel_id": None,
        "afk_timeout": 300,
        "verification_level": 0,
        "default_message_notifications": 0,
        "explicit_content_filter": 0,
        "features": [],
        "mfa_level": 0,
        "system_channel_id": None,
        "system_channel_flags": 0,
        "rules_channel_id": None,
        "vanity_url_code": None,
        "description": None,
        "banner": None,
        "premium_tier": 0,
        "preferred_locale": "en-US",
        "public_updates_channel_id": None,
        "nsfw_level": 0,
        "premium_progress_bar_enabled": False,
        "unavailable": False,
        "member_count": 3,
        "large": False,
        "joined_at": TIMESTAMP,
        "emojis": [],
        "stickers": [],
        "roles": [
            {
                "id": str(GUILD_ID),
                "name": "@everyone",
                "permissions": str(MEMBER_PERMISSIONS),
                "position": 0,
                "color": 0,
                "hoist": False,
                "managed": False,
                "mentionable": False,
                "flags": 0,
            },
            {
                "id": str(MOD_ROLE_ID),
                "name": "Facilitator",
                "permissions": str(MEMBER_PERMISSIONS),
                "position": 1,
                "color": 0,
                "hoist": False,
                "managed": False,
                "mentionable": True,
                "flags": 0,
            },
        ],
        "channels": [
            text_channel(CHANNEL_ID, "reading-group"),
        ],
        "threads": [],
        "members": [],
        "voice_states": [],
        "presences": [],
        "stage_instances": [],
        "guild_scheduled_events": [],
        "soundboard_sounds": [],
    }


def message_payload(
    content: str,
    *,
    author: dict[str, Any],
    message_id: int | None = None,
    channel_id: int = CHANNEL_ID,
    mentions: tuple[dict[str, Any], ...] = (),
    guild: bool = True,
    embeds: list[Any] | None = None,
    components: list[Any] | None = None,
) -> dict[str, Any]:
    """A message object (also MESSAGE_CREATE data)."""
    data: dict[str, Any] = {
        "id": str(message_id or snowflake()),
        "channel_id": str(channel_id),
        "author": author,
        "content": content,
        "timestamp": TIMESTAMP,
        "edited_timestamp": None,
        "tts": False,
        "mention_everyone": False,
        "mentions": list(mentions),
        "mention_roles": [],
        "attachments": [],
        "embeds": embeds or [],
        "components": components or [],
        "pinned": False,
        "type": 0,
        "flags": 0,
    }
    if guild:
        data["guild_id"] = str(GUILD_ID)
        data["member"] = {k: v for k, v in member(int(author["id"]), "x").items() if k != "user"}
    return data


def interaction_payload(
    kind: int,
    data: dict[str, Any],
    *,
    who: dict[str, Any] | None = None,
    interaction_id: int | None = None,
    in_guild: bool = True,
) -> dict[str, Any]:
    """An INTERACTION_CREATE payload as Discord sends it."""
    interaction_id = interaction_id or snowflake()
    payload: dict[str, Any] = {
        "id": str(interaction_id),
        "application_id": str(APP_ID),
        "type": kind,
        "data": data,
        "token": f"token-{interaction_id}",
        "version": 1,
        "locale": "en-US",
        "app_permissions": str((1 << 50) - 1),
        "attachment_size_limit": 8 * 1024 * 1024,
        "entitlements": [],
        "authorizing_integration_owners": {"0": str(GUILD_ID)},
    }
    if in_guild:
        payload.update(
            guild_id=str(GUILD_ID),
            guild_locale="en-US",
            guild={"id": str(GUILD_ID), "locale": "en-US", "features": []},
            channel_id=str(CHANNEL_ID),
            channel={
                "id": str(CHANNEL_ID),
                "type": 0,
                "guild_id": str(GUILD_ID),
                "name": "reading-group",
                "position": 0,
                "permission_overwrites": [],
                "nsfw": False,
                "parent_id": None,
            },
            member=who or member(ANN_ID, "Ann"),
            context=0,
        )
    else:
        dm_user = (who or member(ANN_ID, "Ann"))["user"]
        payload.update(
            channel_id=str(CHANNEL_ID + 50),
            channel={"id": str(CHANNEL_ID + 50), "type": 1, "recipients": [dm_user]},
            user=dm_user,
            context=1,
        )
    return payload


#: A Discord moderator of the fake guild, as the adapter would describe them to the core.
GUILD_MODERATOR = Caller(
    platform="discord",
    workspace_id=str(GUILD_ID),
    user_id="mod",
    user_name="Mo",
    is_moderator=True,
)
