"""`cruxbot serve discord`: the adapter as `adapters/serve.py` runs it.

`start()` logs in (so a refused token stops start-up with one clear line),
then keeps the gateway connection in a background task that discord.py
reconnects by itself; `close()` disconnects gracefully.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

import discord
import discord.http
import yarl
from discord.gateway import DiscordWebSocket

from adapters.base import ChatAdapter
from adapters.discord.client import make_client
from adapters.discord.render import NO_MENTIONS, render
from adapters.settings import Settings, SettingsError
from adapters.sweeper import MeetingSweeper
from bot.app import Cruxbot
from bot.events import ClosedMeeting

log = logging.getLogger(__name__)


def configure_endpoints(settings: Settings) -> None:
    """Point discord.py at DISCORD_API_BASE_URL and DISCORD_GATEWAY_URL.

    Both are process-wide in discord.py: every REST call is built from
    `Route.BASE`, and a set `DEFAULT_GATEWAY` is used without asking Discord.
    """
    discord.http.Route.BASE = settings.discord_api_base_url.rstrip("/")
    if settings.discord_gateway_url:
        DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(settings.discord_gateway_url)


#: How long a stop waits for a half-finished gateway start (discord.py waits 2 s for guilds).
READY_GRACE_SECONDS = 3.0


class DiscordAdapter:
    """The Discord connection, started and stopped by `cruxbot serve`."""

    name = "discord"

    def __init__(self, core: Cruxbot, settings: Settings) -> None:
        self.settings = settings
        self.client = make_client(
            core,
            settings.discord_moderator_roles,
            settings.discord_shard_ids,
            settings.discord_shard_count,
        )
        self._connection: asyncio.Task[None] | None = None
        self.sweeper = MeetingSweeper(core, "discord", self.post_minutes)

    async def post_minutes(self, meeting: ClosedMeeting) -> None:
        """Post a forgotten meeting's minutes in its channel, if it is in the meeting's server.

        The bot sits in many servers and can post in any of their channels by
        id, while the channel id comes from stored data, which a file imported
        elsewhere may once have written: so the channel's server must be the
        meeting's own, or nothing is posted (the meeting is closed all the same).
        """
        channel_id = int(meeting.channel_id)
        guild_id = await self._guild_of(channel_id)
        if guild_id != meeting.workspace:
            log.warning(
                "not posting minutes of a meeting of server %s into channel %s of server %s",
                meeting.workspace,
                channel_id,
                guild_id or "(none)",
            )
            return
        rendered = render(meeting.minutes)
        channel = self.client.get_partial_messageable(channel_id)
        await channel.send(embed=rendered.embed, allowed_mentions=NO_MENTIONS)

    async def _guild_of(self, channel_id: int) -> str:
        """The id of the server a channel is in ("" for none): from the cache, else over REST."""
        cached = self.client.get_channel(channel_id)
        if cached is not None:
            guild = getattr(cached, "guild", None)
            return str(guild.id) if guild is not None else ""
        data = await self.client.http.get_channel(channel_id)
        return str(data.get("guild_id") or "")

    async def start(self) -> None:
        """Log in, connect to the gateway in the background, sweep forgotten meetings."""
        configure_endpoints(self.settings)
        try:
            await self.client.login(self.settings.discord_token)
        except discord.LoginFailure as exc:
            await self.client.close()
            raise SettingsError(f"DISCORD_TOKEN was refused by Discord: {exc}") from exc
        self._connection = asyncio.create_task(self._connect(), name="discord-gateway")
        self.sweeper.start()

    async def _connect(self) -> None:
        try:
            await self.client.connect(reconnect=True)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("the Discord connection stopped")

    async def close(self) -> None:
        """Finish the answers under way (bounded), then disconnect.

        A stop that arrives while discord.py is still assembling READY would
        leave its pending "ready" dispatch without a loop (a logged traceback),
        so let that finish first: it takes at most discord.py's guild wait.
        """
        await self.sweeper.close()
        connected = self._connection is not None and not self._connection.done()
        if connected and not self.client.is_ready():
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.client.wait_until_ready(), READY_GRACE_SECONDS)
        # Answers under way still need the HTTP session to reach Discord.
        if not await self.client.in_flight.wait_idle(self.settings.shutdown_grace_seconds):
            log.warning(
                "stopping with %d Discord answers unfinished", self.client.in_flight.running
            )
        await self.client.close()
        if self._connection is not None:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await asyncio.wait_for(self._connection, 5)

    def healthy(self) -> bool:
        """Up while the gateway connection is ready and its task alive."""
        return (
            self._connection is not None
            and not self._connection.done()
            and self.client.is_ready()
            and not self.client.is_closed()
        )


def create_discord_adapter(core: Cruxbot, settings: Settings) -> ChatAdapter:
    """The adapter `cruxbot serve discord` starts."""
    return DiscordAdapter(core, settings)
