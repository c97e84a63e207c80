"""Graceful shutdown of a real `python -m cruxbot serve slack` process on SIGTERM.

The fake Slack API holds answers back, so that work is in flight when the
process is told to stop.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import signal
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web

from testing_support.slack import FakeSlack, serve, slash_command_body
from tests.slack.processes import post_signed, start_slack_process, wait_until


@dataclass
class SlowSlack(FakeSlack):
    """A fake Slack whose response_url answers only after `delay` seconds."""

    delay: float = 1.5
    released: asyncio.Event | None = None

    async def respond(self, request: web.Request) -> web.Response:
        assert self.released is not None
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.released.wait(), self.delay)
        return await super().respond(request)


@pytest.fixture
async def slow_slack() -> AsyncIterator[SlowSlack]:
    fake = SlowSlack(released=asyncio.Event())
    runner, fake.base = await serve(fake.web_app())
    yield fake
    assert fake.released is not None
    fake.released.set()
    await runner.cleanup()


async def test_sigterm_finishes_work_in_flight_refuses_new_work_and_exits_zero(
    slow_slack: SlowSlack, http: aiohttp.ClientSession, tmp_path: Path
) -> None:
    served = await start_slack_process(slow_slack.api_url, f"sqlite:///{tmp_path / 'c.db'}")
    try:
        url = await served.ready()
        assert (
            await post_signed(http, url, slash_command_body(slow_slack, "/objection", "lag")) == 200
        )
        # The answer is on its way (the fake holds it 1.5 s) when the process is told to stop.
        await wait_until(lambda: slow_slack.called("users.info"))
        served.process.send_signal(signal.SIGTERM)
        await wait_until(lambda: any("SIGTERM received" in line for line in served.lines))
        late = slash_command_body(slow_slack, "/objection", "lag", trigger="tr-late")
        assert await post_signed(http, url, late) == 503  # Slack retries it elsewhere
        status = await served.stop()
        assert status == 0, "\n".join(served.lines)
        assert len(slow_slack.responses) == 1  # the in-flight answer was delivered
        assert "Objection `lag`" in json.dumps(slow_slack.responses[0][1])
        entries = [json.loads(line) for line in served.lines]  # LOG_FORMAT=json throughout
        assert entries[-1]["message"] == "stopped"
        assert not any(e["level"] in ("error", "critical") for e in entries)
    finally:
        served.kill()


async def test_shutdown_is_bounded_when_work_outlasts_the_grace_period(
    slow_slack: SlowSlack, http: aiohttp.ClientSession, tmp_path: Path
) -> None:
    slow_slack.delay = 60
    served = await start_slack_process(
        slow_slack.api_url,
        f"sqlite:///{tmp_path / 'c.db'}",
        {"SHUTDOWN_GRACE_SECONDS": "1"},
    )
    try:
        url = await served.ready()
        assert (
            await post_signed(http, url, slash_command_body(slow_slack, "/objection", "lag")) == 200
        )
        await wait_until(lambda: slow_slack.called("users.info"))
        started = time.monotonic()
        status = await served.stop(seconds=20)
        assert status == 0, "\n".join(served.lines)
        assert time.monotonic() - started < 8  # 1 s of grace, not the minute the work wanted
        assert any("grace" in line or "still running" in line for line in served.lines)
    finally:
        served.kill()
