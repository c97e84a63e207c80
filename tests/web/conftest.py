"""The web view served for real: the `cruxbot serve` HTTP stack on a loopback port."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlsplit

import aiohttp
import pytest
from multidict import CIMultiDictProxy

from adapters.httplimits import CappedSite, HttpLimits
from adapters.settings import Settings
from bot.app import Cruxbot
from bot.context import Caller
from cruxbot.serve import Lifecycle, build_web_app
from tests.conftest import MODERATOR

#: Where the pages say they are; links in replies are made under it.
PUBLIC = "https://pages.example"


@dataclass
class Site:
    """A served web view and a client for it."""

    app: Cruxbot
    base: str
    http: aiohttp.ClientSession

    async def link(self, caller: Caller = MODERATOR, line: str = "") -> str:
        """The path of the link `line` gives on this site; without one, the workspace's root.

        (`/web` alone links the channel's current reading when it has one.)
        """
        reply = await self.app.handle_line(line or "/web", caller)
        assert reply.link is not None, reply.body
        assert reply.link.url.startswith(PUBLIC + "/w/"), reply.link.url
        path = reply.link.url.removeprefix(PUBLIC)
        if not line:
            found = re.match(r"/w/[^/]+/", path)
            assert found is not None, path
            return found.group(0)
        return path

    async def get(self, path: str) -> tuple[int, str, CIMultiDictProxy[str]]:
        """(status, body, headers) of a GET, redirects not followed."""
        async with self.http.get(self.base + path, allow_redirects=False) as response:
            return response.status, await response.text(), response.headers


async def serve_site(app: Cruxbot) -> AsyncIterator[Site]:
    """Serve the app's web view exactly as `cruxbot serve web` builds it."""
    app.web.base_url = PUBLIC
    settings = Settings(database_url="sqlite://")
    web_app, _ = build_web_app([], app, settings, Lifecycle())
    limits = HttpLimits.of(settings)
    runner = limits.runner(web_app, shutdown_timeout=1.0)
    await runner.setup()
    site = CappedSite(runner, "127.0.0.1", 0, max_connections=limits.max_connections)
    await site.start()
    port = runner.addresses[0][1]
    try:
        async with aiohttp.ClientSession() as http:
            yield Site(app, f"http://127.0.0.1:{port}", http)
    finally:
        await runner.cleanup()
        await app.pages.drawings.close()  # before the test's engine is disposed


@pytest.fixture
async def site(demo_app: Cruxbot) -> AsyncIterator[Site]:
    """The demo reading's workspace, its web view served."""
    async for served in serve_site(demo_app):
        yield served


def path_of(url: str) -> str:
    """The path of an absolute URL."""
    return urlsplit(url).path


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def page_text(html: str) -> str:
    """The text a reader sees (entities decoded), markup left out."""
    parser = _Text()
    parser.feed(html)
    return "".join(parser.parts)
