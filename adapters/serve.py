"""`cruxbot serve`: run the chosen adapters in one asyncio process.

One aiohttp server carries GET /healthz for every deployment, and Slack's
POST /slack/events in HTTP mode. The process runs until SIGTERM or SIGINT,
then closes the adapters, the HTTP server and the database, and exits 0.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Sequence

from aiohttp import web
from sqlalchemy import text

from adapters.base import ChatAdapter
from bot.app import Cruxbot
from bot.config import Settings

log = logging.getLogger(__name__)

PLATFORMS = ("discord", "slack")
SHUTDOWN_GRACE_SECONDS = 10.0


async def _database_ok(app: Cruxbot) -> bool:
    try:
        async with app.engine.connect() as connection:
            await connection.execute(text("select 1"))
    except Exception:
        log.warning("health check: database unreachable", exc_info=True)
        return False
    return True


def health_routes(web_app: web.Application, app: Cruxbot, adapters: list[ChatAdapter]) -> None:
    """GET /healthz: 200 when the database and every adapter are up, else 503."""

    async def healthz(_: web.Request) -> web.Response:
        database = await _database_ok(app)
        states = {adapter.name: adapter.healthy() for adapter in adapters}
        ok = database and all(states.values())
        body = {"status": "ok" if ok else "unavailable", "database": database, "adapters": states}
        return web.json_response(body, status=200 if ok else 503)

    web_app.router.add_get("/healthz", healthz)


def create_adapters(
    platforms: Sequence[str], app: Cruxbot, settings: Settings, web_app: web.Application
) -> list[ChatAdapter]:
    """Build the chosen adapters (imported only when chosen)."""
    adapters: list[ChatAdapter] = []
    if "discord" in platforms:
        from adapters.discord.runner import create_discord_adapter

        adapters.append(create_discord_adapter(app, settings))
    if "slack" in platforms:
        from adapters.slack.runner import create_slack_adapter

        adapters.append(create_slack_adapter(app, settings, web_app))
    return adapters


async def serve(platforms: Sequence[str], settings: Settings, demo: bool) -> int:
    """Run until told to stop; the exit status for the process."""
    app = await settings.open_app(demo_for_new_workspaces=demo)
    web_app = web.Application()
    adapters = create_adapters(platforms, app, settings, web_app)
    health_routes(web_app, app, adapters)
    runner = web.AppRunner(web_app, handle_signals=False)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    try:
        await runner.setup()
        site = web.TCPSite(runner, settings.host, settings.port)
        await site.start()
        for adapter in adapters:
            await adapter.start()
        log.info(
            "cruxbot ready: %s on http://%s:%s",
            ", ".join(platforms) or "no adapters",
            settings.host,
            settings.port,
        )
        await stop.wait()
        log.info("shutting down")
    finally:
        for adapter in adapters:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(adapter.close(), SHUTDOWN_GRACE_SECONDS)
        await runner.cleanup()
        await app.close()
    return 0
