"""A stop lets the Discord answers under way finish before the connection closes."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from pathlib import Path

from adapters.discord.runner import DiscordAdapter
from adapters.settings import Settings
from bot.app import Cruxbot


async def test_close_waits_for_answers_in_flight(tmp_path: Path) -> None:
    settings = Settings.load(
        env={"DATABASE_URL": f"sqlite:///{tmp_path / 'stop.db'}", "DISCORD_TOKEN": "fake"}
    )
    app = await Cruxbot.open(settings.database_url)
    adapter = DiscordAdapter(app, settings)
    finished: list[bool] = []
    tracked = asyncio.Event()

    async def answer() -> None:
        async with adapter.client.in_flight.track():
            tracked.set()
            await asyncio.sleep(0.3)  # the answer's own work, while close() waits for it
            finished.append(not adapter.client.is_closed())

    task = asyncio.create_task(answer())
    await tracked.wait()
    await adapter.close()
    await task
    assert finished == [True]  # the answer ended while the client was still open
    assert adapter.client.is_closed()
    await app.close()


async def test_close_gives_up_on_answers_after_the_grace(tmp_path: Path) -> None:
    settings = replace(
        Settings.load(
            env={"DATABASE_URL": f"sqlite:///{tmp_path / 'stop.db'}", "DISCORD_TOKEN": "fake"}
        ),
        shutdown_grace_seconds=0.2,
    )
    app = await Cruxbot.open(settings.database_url)
    adapter = DiscordAdapter(app, settings)
    stuck, tracked = asyncio.Event(), asyncio.Event()

    async def never_ends() -> None:
        async with adapter.client.in_flight.track():
            tracked.set()
            await stuck.wait()

    task = asyncio.create_task(never_ends())
    await tracked.wait()
    await asyncio.wait_for(adapter.close(), 5)
    assert adapter.client.is_closed()
    stuck.set()
    await task
    await app.close()
