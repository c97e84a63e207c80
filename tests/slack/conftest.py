"""Fixtures for the Slack adapter: the loopback fake of testing_support.slack, served.

The adapter's real Bolt AsyncApp runs in HTTP mode, mounted on an aiohttp
application exactly as `cruxbot serve` mounts it, on an ephemeral port.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest
from aiohttp import web

from adapters.settings import Settings
from adapters.slack.runner import SlackAdapter, create_slack_adapter
from bot.app import Cruxbot
from testing_support.slack import SECRET, SLACK_MODERATOR, FakeSlack, SlackHarness, serve


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    slack = FakeSlack()
    runner, slack.base = await serve(slack.web_app())
    yield slack
    for socket in slack.sockets:
        await socket.close()
    await runner.cleanup()


@pytest.fixture
async def slack(app: Cruxbot, fake: FakeSlack) -> AsyncIterator[SlackHarness]:
    """The adapter in HTTP mode, its workspace T1 holding the demo reading."""
    reply = await app.handle_line("/import demo", SLACK_MODERATOR)
    assert not reply.error, reply.body
    settings = Settings(
        database_url="sqlite://",
        slack_bot_token="xoxb-test",
        slack_signing_secret=SECRET,
        slack_api_base_url=fake.api_url,
        slack_moderators=("UMOD",),
    )
    web_app = web.Application()
    adapter = create_slack_adapter(app, settings, web_app)
    assert isinstance(adapter, SlackAdapter)
    runner, url = await serve(web_app)
    await adapter.start()
    async with aiohttp.ClientSession() as session:
        yield SlackHarness(app, fake, adapter, url, session)
    await adapter.close()
    await runner.cleanup()
