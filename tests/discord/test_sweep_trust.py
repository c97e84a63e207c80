"""The meeting sweeper posts minutes only into the meeting's own Discord server.

One server imports a file, or holds a meeting record, naming a channel of
another server: the sweep may close that meeting but never posts into the
other server's channel.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace

from adapters.discord.runner import DiscordAdapter, create_discord_adapter
from bot.app import Cruxbot
from bot.context import Caller
from testing_support.discord.fakes import FakeDiscordApi, FakeGateway
from testing_support.discord.payloads import (
    CHANNEL_ID,
    FOREIGN_GUILD_ID,
    GUILD_ID,
    GUILD_MODERATOR,
    snowflake,
)
from tests.conftest import age_meetings
from tests.discord.test_serve_process import settings_for

#: A channel of the bot's other server, where its intruding moderator works.
FOREIGN_CHANNEL_ID = snowflake()
INTRUDER = Caller(
    platform="discord",
    workspace_id=str(FOREIGN_GUILD_ID),
    user_id="intruder",
    user_name="Ivy",
    channel_id=str(FOREIGN_CHANNEL_ID),
    is_moderator=True,
)


def _posts_to(api: FakeDiscordApi, channel_id: int) -> list[object]:
    path = f"/channels/{channel_id}/messages"
    return [r for r in api.requests if r.method == "POST" and r.path == path]


async def _sweep_until_posted(
    app: Cruxbot, api: FakeDiscordApi, gateway: FakeGateway, channel_id: int
) -> None:
    """Start the adapter (it sweeps at start) and wait for the minutes in `channel_id`.

    The meeting posted there is the newest, and a sweep posts in meeting order:
    once it is posted, every older forgotten meeting has been dealt with.
    """
    adapter = create_discord_adapter(app, settings_for(api, gateway))
    assert isinstance(adapter, DiscordAdapter)
    await adapter.start()
    try:
        path = f"/channels/{channel_id}/messages"
        await api.wait_for(lambda r: r.method == "POST" and r.path == path, within=10)
    finally:
        await adapter.close()


def _export_with_an_open_meeting_in(channel_id: int) -> bytes:
    document = {
        "format": "cruxbot-map",
        "version": 1,
        "meetings": [
            {
                "ref": 1,
                "channel": str(channel_id),
                "reading": None,
                "started_by_id": "intruder",
                "started_by_name": "Ivy",
                "started_at": "2020-01-01T10:00:00+00:00",
                "ended_at": None,
                "closed_automatically": False,
                "minutes": "",
            }
        ],
        "channels": [{"channel": str(channel_id), "current_reading": None}],
    }
    return json.dumps(document).encode()


async def test_an_imported_meeting_naming_another_servers_channel_is_never_posted_there(
    app: Cruxbot, discord_api: FakeDiscordApi, gateway: FakeGateway, restore_gateway: None
) -> None:
    imported = await app.import_file(
        "map.json", _export_with_an_open_meeting_in(CHANNEL_ID), INTRUDER
    )
    assert not imported.error, imported.body
    # The victim server's own meeting, forgotten in another of its channels.
    own_channel = snowflake()
    discord_api.channel_guilds[own_channel] = GUILD_ID
    victim = replace(GUILD_MODERATOR, channel_id=str(own_channel))
    assert not (await app.handle_line("/meeting start", victim)).error
    await age_meetings(app, 7)
    await _sweep_until_posted(app, discord_api, gateway, own_channel)
    assert _posts_to(discord_api, CHANNEL_ID) == []
    here = await app.handle_line("/meeting", replace(victim, channel_id=str(CHANNEL_ID)))
    assert "No meeting is open" in here.title


async def test_the_sweep_posts_only_into_channels_of_the_meetings_own_server(
    app: Cruxbot, discord_api: FakeDiscordApi, gateway: FakeGateway, restore_gateway: None
) -> None:
    # A meeting record of the other server naming this server's channel (as an
    # import made before imports were checked could have left behind).
    forged = replace(INTRUDER, channel_id=str(CHANNEL_ID))
    assert not (await app.handle_line("/meeting start", forged)).error
    own_channel = snowflake()
    discord_api.channel_guilds[own_channel] = GUILD_ID
    victim = replace(GUILD_MODERATOR, channel_id=str(own_channel))
    assert not (await app.handle_line("/meeting start", victim)).error
    await age_meetings(app, 7)
    await _sweep_until_posted(app, discord_api, gateway, own_channel)
    assert _posts_to(discord_api, CHANNEL_ID) == []
    # Closed all the same: the other server's moderator sees it ended.
    status = await app.handle_line("/meeting", forged)
    assert "No meeting is open" in status.title


async def test_once_connected_the_sweep_knows_each_channels_server_from_the_gateway(
    app: Cruxbot, discord_api: FakeDiscordApi, gateway: FakeGateway, restore_gateway: None
) -> None:
    adapter = create_discord_adapter(app, settings_for(discord_api, gateway))
    assert isinstance(adapter, DiscordAdapter)
    await adapter.start()
    try:
        await asyncio.wait_for(adapter.client.wait_until_ready(), 10)
        await adapter.sweeper.close()  # from here on, only the sweeps below run
        forged = replace(INTRUDER, channel_id=str(CHANNEL_ID))
        assert not (await app.handle_line("/meeting start", forged)).error
        await age_meetings(app, 7)
        assert await adapter.sweeper.sweep() == 1
        assert _posts_to(discord_api, CHANNEL_ID) == []
        # The server's own meeting in that channel is posted there.
        victim = replace(GUILD_MODERATOR, channel_id=str(CHANNEL_ID))
        assert not (await app.handle_line("/meeting start", victim)).error
        await age_meetings(app, 7)
        assert await adapter.sweeper.sweep() == 1
        assert len(_posts_to(discord_api, CHANNEL_ID)) == 1
        # Both answered from the gateway's cache, not by asking Discord.
        assert discord_api.find("GET", f"/channels/{CHANNEL_ID}") == []
    finally:
        await adapter.close()
