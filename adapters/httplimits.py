"""Limits that keep slow or greedy clients from holding the HTTP server.

aiohttp waits as long as a client likes: an hour for a request's headers (its
idle timeout) and without end for a body, so a client sending one byte every
thirty seconds holds a connection, a task and a file descriptor for as long as
it likes, and a few thousand such clients exhaust the process. Three limits,
each a setting (see adapters/settings.py):

- headers: a connection must deliver a complete request's headers within
  HTTP_HEADER_TIMEOUT_SECONDS of opening, or of the previous answer. aiohttp's
  keep-alive timeout is exactly that clock (it closes a connection still
  waiting for a request), so it is set to this value; idle keep-alive
  connections close after it too.
- body: `read_body_within` reads each request's body within
  HTTP_BODY_TIMEOUT_SECONDS of its headers, or answers 408 and closes.
- connections: `CappedSite` turns connections beyond HTTP_MAX_CONNECTIONS away
  with 503 as soon as they are accepted.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from aiohttp import web
from aiohttp.typedefs import Middleware

from adapters.settings import Settings

log = logging.getLogger(__name__)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
#: What a connection over the cap reads before it is closed.
BUSY = (
    b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n"
    b"Retry-After: 5\r\nConnection: close\r\n\r\nbusy\n"
)
#: How long a turned-away client gets to read the 503 before its connection is closed.
BUSY_LINGER_SECONDS = 1.0
#: At most one "turning connections away" warning in this many seconds (it may go on).
BUSY_LOG_SECONDS = 60.0


@dataclass(frozen=True)
class HttpLimits:
    """How long a client may take and how many may be connected at once."""

    header_timeout: float
    body_timeout: float
    max_connections: int

    @classmethod
    def of(cls, settings: Settings) -> HttpLimits:
        """The limits a deployment configured."""
        return cls(
            settings.http_header_timeout, settings.http_body_timeout, settings.http_max_connections
        )

    def runner(self, web_app: web.Application, *, shutdown_timeout: float) -> web.AppRunner:
        """An AppRunner whose connections must send each request's headers in time."""
        return web.AppRunner(
            web_app,
            handle_signals=False,
            shutdown_timeout=shutdown_timeout,
            keepalive_timeout=self.header_timeout,
        )


def read_body_within(seconds: float) -> Middleware:
    """Middleware: read the whole body in `seconds` (handlers then reuse it), or answer 408.

    aiohttp keeps the body it read, so `request.read()`, `text()` and `post()`
    in the handler return it at once. A client that has not sent it in time is
    answered and cut off at once, rather than read on for aiohttp's lingering
    close.
    """

    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.can_read_body:
            try:
                async with asyncio.timeout(seconds):
                    await request.read()
            except TimeoutError:
                log.warning(
                    "%s %s: request body not received within %g s; connection closed",
                    request.method,
                    request.path,
                    seconds,
                )
                return await _answer_and_close(request, 408, "request body too slow")
        return await handler(request)

    return middleware


async def _answer_and_close(request: web.Request, status: int, text: str) -> web.StreamResponse:
    response = web.Response(status=status, text=text)
    response.force_close()
    await response.prepare(request)
    await response.write_eof()
    request.protocol.force_close()  # no lingering to read the rest of a slow body
    return response


class _Busy(asyncio.Protocol):
    """A connection over the cap: told 503 and closed, never handed to aiohttp.

    The answer is followed by a half-close, and whatever the client sends is
    read and dropped until it closes too (or BUSY_LINGER_SECONDS pass): closing
    with its request unread would reset the connection, and the client could
    lose the 503 it was sent.
    """

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        transport.write(BUSY)
        transport.write_eof()
        asyncio.get_running_loop().call_later(BUSY_LINGER_SECONDS, transport.close)

    def data_received(self, data: bytes) -> None:
        """Dropped: the request is not read."""

    def eof_received(self) -> bool:
        return False  # the client is done too: close


class CappedSite(web.TCPSite):
    """A TCP site that accepts no more than `max_connections` connections at once.

    The count is aiohttp's own (connections it is serving), checked as each
    connection is accepted; the ones turned away cost a write and a close.
    """

    def __init__(
        self, runner: web.AppRunner, host: str, port: int, *, max_connections: int
    ) -> None:
        """Listen on host:port once started."""
        super().__init__(runner, host, port)
        self.max_connections = max_connections
        self._last_warning = -BUSY_LOG_SECONDS

    async def start(self) -> None:
        """Listen, handing each accepted connection to aiohttp unless the cap is reached."""
        await web.BaseSite.start(self)  # registers the site with its runner
        server = self._runner.server
        assert server is not None

        def accept() -> asyncio.BaseProtocol:
            if len(server.connections) >= self.max_connections:
                self._turned_away()
                return _Busy()
            return server()

        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(
            accept,
            self._host,
            self._port,
            backlog=self._backlog,
            reuse_address=self._reuse_address,
            reuse_port=self._reuse_port,
        )
        sockets = self._server.sockets
        self._bound_port = sockets[0].getsockname()[1] if sockets else self._port

    def _turned_away(self) -> None:
        now = time.monotonic()
        if now - self._last_warning >= BUSY_LOG_SECONDS:
            self._last_warning = now
            log.warning(
                "%d connections open: turning new ones away with 503 (HTTP_MAX_CONNECTIONS)",
                self.max_connections,
            )
