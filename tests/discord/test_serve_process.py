"""`cruxbot serve discord` as a real process, against a fake gateway and REST API."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from adapters.discord.runner import DiscordAdapter, create_discord_adapter
from adapters.settings import Settings, SettingsError
from bot.app import Cruxbot
from testing_support.discord.fakes import FakeDiscordApi, FakeGateway, Recorded
from testing_support.discord.payloads import (
    ANN_ID,
    APP_ID,
    BOT_ID,
    BOT_USER,
    CHANNEL_ID,
    GUILD_MODERATOR,
    REFUSED_TOKEN,
    interaction_payload,
    message_payload,
    snowflake,
    user,
)
from tests.conftest import age_meetings

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 60.0


def _answer_of(api: FakeDiscordApi, interaction_id: int) -> Recorded | None:
    """The request that carried the answer: the callback, or the edit after a deferral."""
    for request in api.requests:
        callback = request.path.startswith(f"/interactions/{interaction_id}/")
        if callback and request.body and request.body.get("type") == 4:
            return request
        if request.method == "PATCH" and f"token-{interaction_id}" in request.path:
            return request
    return None


def _embeds(request: Recorded) -> list[dict[str, Any]]:
    body = request.body.get("data", request.body)
    embeds: list[dict[str, Any]] = body["embeds"]
    return embeds


async def test_serve_discord_answers_commands_and_mentions_then_stops_cleanly(
    tmp_path: Path, discord_api: FakeDiscordApi, gateway: FakeGateway
) -> None:
    env = {
        **os.environ,
        "DISCORD_TOKEN": "fake-token",
        "DISCORD_API_BASE_URL": discord_api.base_url,
        "DISCORD_GATEWAY_URL": gateway.url,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cruxbot.db'}",
        "HOST": "127.0.0.1",
        "PORT": "0",
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "cruxbot",
        "serve",
        "discord",
        "--demo",
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    try:
        await asyncio.wait_for(gateway.identified.wait(), START_TIMEOUT)

        interaction_id = snowflake()
        command = {
            "id": str(APP_ID + 7),
            "name": "objection",
            "type": 1,
            "options": [{"name": "slug", "type": 3, "value": "lag"}],
        }
        await gateway.dispatch(
            "INTERACTION_CREATE", interaction_payload(2, command, interaction_id=interaction_id)
        )
        answer = await discord_api.wait_for(
            lambda _: _answer_of(discord_api, interaction_id) is not None, within=30
        )
        answer = _answer_of(discord_api, interaction_id) or answer
        assert _embeds(answer)[0]["title"].startswith("Objection `lag`")

        message_id = snowflake()
        await gateway.dispatch(
            "MESSAGE_CREATE",
            message_payload(
                f"<@{BOT_ID}> blank-slate",
                author=user(ANN_ID, "Ann"),
                message_id=message_id,
                mentions=(BOT_USER,),
            ),
        )
        thread_path = f"/channels/{CHANNEL_ID}/messages/{message_id}/threads"
        await discord_api.wait_for(lambda r: r.path == thread_path, within=30)
        post = await discord_api.wait_for(
            lambda r: (
                r.method == "POST"
                and r.path.endswith("/messages")
                and r.path != f"/channels/{CHANNEL_ID}/messages"
            ),
            within=30,
        )
        assert "blank-slate" in _embeds(post)[0]["title"]
        assert post.body["allowed_mentions"] == {"parse": []}

        process.send_signal(signal.SIGTERM)
        status = await asyncio.wait_for(process.wait(), 30)
        output = (await process.stdout.read()).decode() if process.stdout else ""
        assert status == 0, output
        assert "Traceback" not in output, output
    finally:
        if process.returncode is None:
            process.kill()
            with contextlib.suppress(Exception):
                await process.wait()


def settings_for(discord_api: FakeDiscordApi, gateway: FakeGateway) -> Settings:
    """Settings pointing the adapter at the REST and gateway fakes."""
    return Settings(
        database_url="sqlite://",
        discord_token="fake-token",
        discord_api_base_url=discord_api.base_url,
        discord_gateway_url=gateway.url,
    )


async def test_the_adapter_reports_health_while_connected(
    app: Cruxbot, discord_api: FakeDiscordApi, gateway: FakeGateway, restore_gateway: None
) -> None:
    settings = settings_for(discord_api, gateway)
    adapter = create_discord_adapter(app, settings)
    assert adapter.name == "discord" and not adapter.healthy()
    await adapter.start()
    try:
        await asyncio.wait_for(gateway.identified.wait(), 10)
        assert isinstance(adapter, DiscordAdapter)
        await asyncio.wait_for(adapter.client.wait_until_ready(), 10)  # READY arrived
        assert adapter.healthy()
    finally:
        await adapter.close()
    assert not adapter.healthy()


async def test_a_refused_token_stops_start_up_with_a_line_naming_it(
    app: Cruxbot, discord_api: FakeDiscordApi, restore_gateway: None
) -> None:
    settings = Settings(
        database_url="sqlite://",
        discord_token=REFUSED_TOKEN,
        discord_api_base_url=discord_api.base_url,
    )
    adapter = create_discord_adapter(app, settings)
    with pytest.raises(SettingsError, match="DISCORD_TOKEN"):
        await adapter.start()
    assert not adapter.healthy()


async def test_a_process_connects_only_its_own_shards(
    tmp_path: Path, discord_api: FakeDiscordApi, gateway: FakeGateway
) -> None:
    settings = Settings.load(
        env={
            "DISCORD_TOKEN": "fake-token",
            "DISCORD_API_BASE_URL": discord_api.base_url,
            "DISCORD_GATEWAY_URL": gateway.url,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'shards.db'}",
            "DISCORD_SHARD_IDS": "1",
            "DISCORD_SHARD_COUNT": "2",
        }
    )
    app = await Cruxbot.open(settings.database_url)
    adapter = create_discord_adapter(app, settings)
    try:
        await adapter.start()
        await asyncio.wait_for(gateway.identified.wait(), START_TIMEOUT)
        assert [identify.get("shard") for identify in gateway.identifies] == [[1, 2]]
    finally:
        await adapter.close()
        await app.close()


async def test_a_forgotten_meeting_is_closed_and_its_minutes_posted_in_its_channel(
    app: Cruxbot, discord_api: FakeDiscordApi, gateway: FakeGateway, restore_gateway: None
) -> None:
    settings = settings_for(discord_api, gateway)
    facilitator = replace(GUILD_MODERATOR, channel_id=str(CHANNEL_ID))
    assert not (await app.handle_line("/meeting start", facilitator)).error
    await app.handle_line("/claim forgotten Nobody ended this. @everyone", facilitator)
    await age_meetings(app, 7)
    adapter = create_discord_adapter(app, settings)
    assert isinstance(adapter, DiscordAdapter)
    await adapter.start()  # sweeps once at start
    try:
        post = await discord_api.wait_for(
            lambda r: r.method == "POST" and r.path == f"/channels/{CHANNEL_ID}/messages",
            within=10,
        )
        embed = _embeds(post)[0]
        assert embed["title"].startswith("Minutes") and "`forgotten`" in embed["description"]
        assert "so Cruxbot closed it" in embed["footer"]["text"]
        assert post.body["allowed_mentions"] == {"parse": []}
        assert await adapter.sweeper.sweep() == 0  # closed once
    finally:
        await adapter.close()
    status = await app.handle_line("/meeting", facilitator)
    assert "No meeting is open" in status.title
