"""`/web` in the console: the pages served for the console session, on 127.0.0.1.

With PUBLIC_URL set, `/web` answers with a link there (a `cruxbot serve web`
on the same database serves it). Without it, the first `/web` starts the web
view on a free local port inside the console process, with the same HTTP
stack and limits as `cruxbot serve`, and the link points there; the server
stops when the console does.
"""

from __future__ import annotations

import logging

from aiohttp import web

from adapters.httplimits import CappedSite, HttpLimits
from adapters.settings import Settings
from adapters.web.routes import add_security_headers, web_routes
from bot.app import Cruxbot

log = logging.getLogger(__name__)
LOCAL_HOST = "127.0.0.1"


def asks_for_web(line: str) -> bool:
    """Whether a console line runs /web."""
    words = line.split()
    return bool(words) and words[0].lstrip("/").lower() == "web"


class ConsoleWeb:
    """The console session's own web server, started by its first `/web`."""

    def __init__(self, app: Cruxbot, settings: Settings) -> None:
        """Nothing runs until a `/web` needs it."""
        self.app = app
        self.settings = settings
        self.runner: web.AppRunner | None = None

    async def before(self, line: str) -> None:
        """Start the local server if this line is a `/web` and no public address is set."""
        if self.runner is not None or self.app.web.base_url or not asks_for_web(line):
            return
        web_app = web.Application()
        web_app.on_response_prepare.append(add_security_headers)
        web_routes(web_app, self.app.pages)
        limits = HttpLimits.of(self.settings)
        runner = limits.runner(web_app, shutdown_timeout=1.0)
        await runner.setup()
        site = CappedSite(runner, LOCAL_HOST, 0, max_connections=limits.max_connections)
        await site.start()
        port = runner.addresses[0][1]
        self.runner = runner
        self.app.web.base_url = f"http://{LOCAL_HOST}:{port}"
        log.info("web view for this console session on %s", self.app.web.base_url)

    async def close(self) -> None:
        """Stop the local server, if one was started."""
        if self.runner is not None:
            await self.runner.cleanup()
            self.runner = None
