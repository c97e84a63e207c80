"""`cruxbot discord sync` and `cruxbot discord invite-url`: setting a bot up.

`sync` registers the slash commands and message menus built from the command
spec: in one server (instant, for trying it out) or globally. `invite-url`
prints the link that adds the bot with the least it needs: the `bot` and
`applications.commands` scopes, and permission to see channels, post embeds and
files in them and in threads, and start threads for answers.
"""

from __future__ import annotations

import base64
import binascii
import sys
from typing import Any
from urllib.parse import urlencode, urlsplit

import aiohttp
import discord

from adapters.discord.runner import configure_endpoints
from adapters.discord.schema import Suggestions, build_tree
from adapters.settings import Settings
from bot.commands.forms import LOG_AS
from bot.commands.spec import COMMANDS, Autocomplete, CommandSpec

SCOPES = ("bot", "applications.commands")

#: What the bot needs in a channel: see it, answer mentions in a thread with embeds and
#: files (exports, argument maps). Slash commands and buttons need none of these.
PERMISSIONS = discord.Permissions(
    view_channel=True,
    send_messages=True,
    send_messages_in_threads=True,
    create_public_threads=True,
    embed_links=True,
    attach_files=True,
)


class RegisterOnly:
    """Handlers for a tree that is only registered, never run."""

    async def slash(
        self, interaction: discord.Interaction, spec: CommandSpec, values: dict[str, Any]
    ) -> None:
        raise RuntimeError("not serving")

    async def suggest(
        self, interaction: discord.Interaction, source: Autocomplete, typed: str
    ) -> Suggestions:
        raise RuntimeError("not serving")

    async def log_message(
        self, interaction: discord.Interaction, message: discord.Message, command: str
    ) -> None:
        raise RuntimeError("not serving")


def _fail(message: str) -> int:
    print(f"cruxbot: {message}", file=sys.stderr)
    return 1


async def sync(settings: Settings, guild_id: int | None) -> int:
    """Register every command with Discord; print what was registered."""
    configure_endpoints(settings)
    client = discord.Client(intents=discord.Intents.none())
    tree = build_tree(client, RegisterOnly())
    guild = discord.Object(id=guild_id) if guild_id is not None else None
    try:
        await client.login(settings.discord_token)
        if guild is not None:
            tree.copy_global_to(guild=guild)
        registered = await tree.sync(guild=guild)
    except discord.LoginFailure as exc:
        return _fail(f"DISCORD_TOKEN was refused by Discord: {exc}")
    except discord.Forbidden as exc:
        hint = " (is the bot in that server? `cruxbot discord invite-url` adds it)" if guild else ""
        return _fail(f"Discord refused the commands: {exc}{hint}")
    except discord.HTTPException as exc:
        return _fail(f"Discord refused the commands: {exc}")
    except (aiohttp.ClientError, OSError) as exc:
        return _fail(f"cannot reach Discord at {settings.discord_api_base_url}: {exc}")
    finally:
        await client.close()
    names = {command.name for command in registered}
    slash = [spec for spec in COMMANDS if spec.name in names]
    where = f"in server {guild_id} (usable now)" if guild else "globally (may take a while)"
    print(f"Registered {len(slash)} slash commands {where}:")
    for spec in slash:
        print(f"  {spec.usage}")
    menus = [entry.label for entry in LOG_AS if entry.label in names]
    if menus:
        print("Message menus (right-click a message > Apps): " + ", ".join(menus))
    return 0


def client_id_from_token(token: str) -> str | None:
    """The application id a bot token starts with (base64 of the id), if it does."""
    first = token.strip().split(".")[0]
    if not first:
        return None
    try:
        decoded = base64.urlsafe_b64decode(first + "=" * (-len(first) % 4)).decode("ascii")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    return decoded if decoded.isdigit() else None


def build_invite_url(settings: Settings, client_id: str) -> str:
    """The OAuth2 link that adds the bot to a server with minimal rights."""
    parts = urlsplit(settings.discord_api_base_url)
    query = urlencode(
        {"client_id": client_id, "scope": " ".join(SCOPES), "permissions": PERMISSIONS.value}
    )
    return f"{parts.scheme}://{parts.netloc}/oauth2/authorize?{query}"


async def invite_url(settings: Settings, client_id: str | None) -> int:
    """Print the invite link; a clear line if the application id is unknown."""
    chosen = (client_id or "").strip() or client_id_from_token(settings.discord_token)
    if not chosen or not chosen.isdigit():
        print(
            "cruxbot: give --client-id (the Application ID from the Developer Portal) "
            "or set DISCORD_TOKEN to the bot's token",
            file=sys.stderr,
        )
        return 2
    print(build_invite_url(settings, chosen))
    return 0
