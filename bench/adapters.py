"""Adapter figures: Slack over loopback HTTP and Discord through discord.py, against bare SDK apps.

The loopback fakes are the ones the adapters' tests use (testing_support/):
a mock Slack Web API and response_url sink, a mock Discord REST API. The
baselines are the same SDKs with a handler that only acknowledges.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import discord
import discord.http
from aiohttp import web
from discord import app_commands
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from adapters.discord.client import CruxbotClient
from adapters.settings import Settings
from adapters.slack.runner import SlackAdapter, create_slack_adapter
from bench.stats import Table, Timing, interleaved, ms, ratio, verdict
from bot.app import Cruxbot
from testing_support.discord.fakes import FakeDiscordApi
from testing_support.discord.payloads import (
    ANN_ID,
    APP_ID,
    GUILD_MODERATOR,
    guild_payload,
    interaction_payload,
    member,
)
from testing_support.slack import (
    SECRET,
    SLACK_MODERATOR,
    FakeSlack,
    serve,
    sign,
    slash_command_body,
)

_triggers = itertools.count()


def objection_lag(fake: FakeSlack) -> str:
    """A signed-to-be `/objection lag`, each with its own trigger (no two look like a retry)."""
    return slash_command_body(fake, "/objection", "lag", trigger=f"tr-{next(_triggers)}")


@dataclass
class _Fake(FakeSlack):
    """The Slack fake, telling when an answer reaches a response_url."""

    arrived: asyncio.Event = field(default_factory=asyncio.Event)

    async def respond(self, request: web.Request) -> web.Response:
        answer = await super().respond(request)
        self.arrived.set()
        return answer


async def slack(app: Cruxbot, table: Table, runs: int) -> None:
    """A signed `/objection lag` through Cruxbot's Bolt app against a bare Bolt app that acks."""
    await app.handle_line("/import demo", SLACK_MODERATOR)
    fake = _Fake()
    fake_runner, fake.base = await serve(fake.web_app())
    settings = Settings(
        database_url="sqlite://",
        slack_bot_token="xoxb-test",
        slack_signing_secret=SECRET,
        slack_api_base_url=fake.api_url,
    )
    ours_web = web.Application()
    adapter = create_slack_adapter(app, settings, ours_web)
    assert isinstance(adapter, SlackAdapter)  # HTTP mode: its work is awaited below
    ours_runner, ours_url = await serve(ours_web)
    await adapter.start()
    bare = AsyncApp(
        signing_secret=SECRET, client=AsyncWebClient(token="xoxb-test", base_url=fake.api_url)
    )

    @bare.command("/objection")
    async def only_ack(ack: Any) -> None:
        await ack()

    bare_runner, bare_url = await serve(bare.web_app(path="/slack/events"))
    answered: list[float] = []

    async with aiohttp.ClientSession() as session:

        async def post(url: str, body: str) -> None:
            stamp = int(time.time())
            headers = {
                "Content-Type": "application/x-www-form-urlencoded",
                "X-Slack-Request-Timestamp": str(stamp),
                "X-Slack-Signature": sign(body, stamp),
            }
            async with session.post(f"{url}/slack/events", data=body, headers=headers) as r:
                assert r.status == 200, await r.text()
                await r.read()

        async def ours(i: int) -> None:
            fake.arrived.clear()
            started = time.perf_counter()
            await post(ours_url, objection_lag(fake))
            await asyncio.wait_for(fake.arrived.wait(), 10)  # the answer, at response_url
            answered.append((time.perf_counter() - started) * 1000)

        async def acked(i: int) -> None:
            await post(ours_url, objection_lag(fake))

        async def floor(i: int) -> None:
            await post(bare_url, objection_lag(fake))

        mine, base = await interleaved(acked, floor, runs)
        await adapter.work.wait_idle(10)
        answered.clear()
        await interleaved(ours, floor, max(20, runs // 4))
    table.add("Slack `/objection lag`, signed, loopback HTTP: ack", ms(mine),
              "bare Bolt ack " + ms(base), ratio(mine, base),
              verdict(mine.p50 <= 1.5 * base.p50, "within 1.5x"))  # fmt: skip
    answer = Timing(answered)
    table.add("Slack: the answer reaching response_url", ms(answer), "bare Bolt ack " + ms(base),
              ratio(answer, base), "report")  # fmt: skip
    await adapter.close()
    for runner in (ours_runner, bare_runner, fake_runner):
        await runner.cleanup()


async def discord_interactions(app: Cruxbot, table: Table, runs: int) -> None:
    """`/objection lag` through discord.py and the adapter against a bare command that responds."""
    await app.handle_line("/import demo", GUILD_MODERATOR)
    fake = FakeDiscordApi()
    await fake.start()
    previous = discord.http.Route.BASE
    discord.http.Route.BASE = fake.base_url
    ours_client = CruxbotClient(app, ("Facilitator",))
    bare_client = discord.Client(intents=discord.Intents.none())
    bare_tree = app_commands.CommandTree(bare_client)

    @bare_tree.command(name="objection", description="bare")
    async def objection(interaction: discord.Interaction, slug: str) -> None:
        await interaction.response.send_message("ok")

    try:
        for client in (ours_client, bare_client):
            await client.login("fake-token")
            client._connection.parse_guild_create(guild_payload())
        data = {
            "id": str(APP_ID + 7),
            "name": "objection",
            "type": 1,
            "options": [{"name": "slug", "type": 3, "value": "lag"}],
        }

        def interaction(client: discord.Client) -> discord.Interaction[Any]:
            payload = interaction_payload(2, data, who=member(ANN_ID, "Ann"))
            return discord.Interaction(data=payload, state=client._connection)  # type: ignore[arg-type]

        async def ours(i: int) -> None:
            await ours_client.tree._call(interaction(ours_client))

        async def floor(i: int) -> None:
            await bare_tree._call(interaction(bare_client))

        mine, base = await interleaved(ours, floor, runs)
        table.add("Discord `/objection lag` through discord.py to the mock REST API", ms(mine),
                  "bare discord.py command " + ms(base), ratio(mine, base),
                  verdict(mine.p50 <= 1.5 * base.p50, "within 1.5x"))  # fmt: skip
    finally:
        for client in (ours_client, bare_client):
            await client.close()
        discord.http.Route.BASE = previous
        await fake.stop()
