"""The HTTP server's connection cap, and the settings for its limits.

The timeouts are tested on a real `serve slack` process (tests/slack/test_http_guard.py);
the cap needs many connections held open at once, which is quicker in-process
on the same runner and site `cruxbot serve` builds.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from adapters.httplimits import CappedSite, HttpLimits
from tests.command_line import run_cruxbot as run

CAP = 3


@pytest.fixture
async def capped() -> AsyncIterator[tuple[web.AppRunner, int]]:
    """A server holding at most CAP connections; (runner, port)."""

    async def healthz(_: web.Request) -> web.Response:
        return web.Response(text="ok")

    web_app = web.Application()
    web_app.router.add_get("/healthz", healthz)
    runner = HttpLimits(30, 30, CAP).runner(web_app, shutdown_timeout=1)
    await runner.setup()
    site = CappedSite(runner, "127.0.0.1", 0, max_connections=CAP)
    await site.start()
    yield runner, runner.addresses[0][1]
    await runner.cleanup()


async def ask(port: int) -> tuple[asyncio.StreamReader, asyncio.StreamWriter, bytes]:
    """Open a connection and ask for /healthz on it, keeping it open; the status line."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"GET /healthz HTTP/1.1\r\nHost: cruxbot\r\n\r\n")
    status = await asyncio.wait_for(reader.readline(), 5)
    return reader, writer, status


async def test_connections_beyond_the_cap_are_turned_away_with_503(
    capped: tuple[web.AppRunner, int],
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    runner, port = capped
    held = [await ask(port) for _ in range(CAP)]
    assert all(status.startswith(b"HTTP/1.1 200") for _, _, status in held)
    with caplog.at_level(logging.WARNING, logger="adapters.httplimits"):
        for _ in range(2):
            reader, writer, status = await ask(port)
            assert status.startswith(b"HTTP/1.1 503")
            assert (await asyncio.wait_for(reader.read(), 5)).endswith(b"busy\n")  # then closed
            writer.close()
    assert len(caplog.records) == 1  # a flood of them is one warning, not one each
    assert "HTTP_MAX_CONNECTIONS" in caplog.records[0].getMessage()
    server = runner.server
    assert server is not None
    dropped = asyncio.Event()
    forget = server.connection_lost

    def lost(handler: Any, exc: BaseException | None) -> None:
        forget(handler, exc)
        dropped.set()

    monkeypatch.setattr(server, "connection_lost", lost)  # the server forgets a connection
    _, first, _ = held.pop()
    first.close()
    await asyncio.wait_for(dropped.wait(), 5)
    assert len(server.connections) < CAP
    _, writer, status = await ask(port)
    assert status.startswith(b"HTTP/1.1 200")  # room again once one closed
    writer.close()
    for _, other, _ in held:
        other.close()


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("HTTP_HEADER_TIMEOUT_SECONDS", "soon"),
        ("HTTP_HEADER_TIMEOUT_SECONDS", "0"),
        ("HTTP_BODY_TIMEOUT_SECONDS", "-1"),
        ("HTTP_MAX_CONNECTIONS", "lots"),
        ("HTTP_MAX_CONNECTIONS", "0"),
    ],
)
def test_bad_http_limits_stop_start_up_with_one_line_naming_them(
    name: str, value: str, tmp_path: Path
) -> None:
    result = run(["console"], env={name: value}, cwd=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and name in lines[0] and repr(value) in lines[0], result.stderr
