"""What a real `serve slack` process does with malformed, unsigned and slow requests.

An attacker can reach POST /slack/events without knowing the signing secret:
whatever the body, an unsigned or badly signed request is 401, a correctly
signed but malformed one is 400, and each costs the log one warning line (no
traceback). Clients that send their headers or body too slowly are cut off
after the configured timeouts rather than holding a connection for minutes.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import aiohttp
import pytest

from testing_support.slack import SECRET, FakeSlack
from tests.slack.processes import Served, start_slack_process, wait_until

TIMEOUT = 1.0  # seconds, for headers and bodies alike in the process under test


def signature(body: bytes, timestamp: str, secret: str = SECRET) -> str:
    base = b"v0:" + timestamp.encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Malformed:
    """One request an attacker (or a broken proxy) might send, and the answer it must get."""

    label: str
    body: bytes
    content_type: str
    signed: str  # "valid", "wrong", "none", "stale" or "timestamp:<text>"
    status: int


FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
CASES = [
    Malformed("unsigned broken JSON", b'{"type": "event_callback", ', JSON, "none", 401),
    Malformed("badly signed broken JSON", b'{"type": ', JSON, "wrong", 401),
    Malformed("badly signed non-UTF-8", b"payload=\xff\xfe\x00", FORM, "wrong", 401),
    Malformed("badly signed broken form", b"payload=%7B%22type", FORM, "wrong", 401),
    Malformed("non-numeric timestamp", b"command=%2Fobjection", FORM, "timestamp:soon", 401),
    Malformed("stale but well signed", b"command=%2Fobjection", FORM, "stale", 401),
    Malformed("signed broken JSON", b'{"type": "event_callback", ', JSON, "valid", 400),
    Malformed("signed JSON that is not an object", b'["event_callback"]', JSON, "valid", 400),
    Malformed("signed non-UTF-8", b"payload=\xff\xfe\x00", FORM, "valid", 400),
    Malformed("signed broken form payload", b"payload=%7B%22type%22%3A", FORM, "valid", 400),
    Malformed(
        "signed form payload not UTF-8", b"payload=%7B%22a%22%3A%22%FF%22%7D", FORM, "valid", 400
    ),
]


def headers_for(case: Malformed) -> dict[str, str]:
    now = str(int(time.time()))
    sent = {"Content-Type": case.content_type}
    if case.signed == "none":
        return sent
    if case.signed.startswith("timestamp:"):
        stamp = case.signed.removeprefix("timestamp:")
        return {
            **sent,
            "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": signature(case.body, stamp),
        }
    stamp = str(int(now) - 600) if case.signed == "stale" else now
    secret = "not-the-secret" if case.signed == "wrong" else SECRET
    return {
        **sent,
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": signature(case.body, stamp, secret),
    }


@pytest.fixture
async def served(fake: FakeSlack, tmp_path: Path) -> AsyncIterator[Served]:
    """A real process with one-second header and body timeouts."""
    process = await start_slack_process(
        fake.api_url,
        f"sqlite:///{tmp_path / 'c.db'}",
        {"HTTP_HEADER_TIMEOUT_SECONDS": str(TIMEOUT), "HTTP_BODY_TIMEOUT_SECONDS": str(TIMEOUT)},
        demo=False,
    )
    try:
        await process.ready()
        yield process
    finally:
        process.kill()
        await process.process.wait()


def entries(served: Served) -> list[dict[str, str]]:
    return [json.loads(line) for line in served.lines]


def warnings(served: Served) -> list[dict[str, str]]:
    return [e for e in entries(served) if e["level"] == "warning"]


async def test_malformed_requests_get_401_or_400_and_one_warning_line_each(
    served: Served,
) -> None:
    connector = aiohttp.TCPConnector(force_close=True)  # the server closes idle ones in 1 s
    async with aiohttp.ClientSession(connector=connector) as http:
        for number, case in enumerate(CASES, start=1):
            async with http.post(
                f"{served.url}/slack/events", data=case.body, headers=headers_for(case)
            ) as response:
                assert response.status == case.status, case.label
            await wait_until(lambda n=number: len(warnings(served)) >= n)  # type: ignore[misc]
    assert await served.stop() == 0
    logged = entries(served)
    rejected = warnings(served)
    assert len(rejected) == len(CASES)  # one line each, nothing else worth a warning
    for case, entry in zip(CASES, rejected, strict=True):
        assert f"({case.status})" in entry["message"], (case.label, entry)
        assert "exception" not in entry
    assert not any(e["level"] in ("error", "critical") for e in logged)
    assert not any("Traceback" in line for line in served.lines)


async def test_a_client_sending_its_headers_slowly_is_disconnected(served: Served) -> None:
    address = urlsplit(served.url)
    reader, writer = await asyncio.open_connection(address.hostname, address.port)
    started = time.monotonic()
    writer.write(b"POST /slack/events HTTP/1.1\r\nHost: cruxbot\r\nX-Slow: ")
    closed = asyncio.ensure_future(reader.read())
    try:
        while not closed.done() and time.monotonic() - started < 10 * TIMEOUT:
            writer.write(b"a")  # one byte at a time, never finishing the headers
            await asyncio.wait([closed], timeout=0.1)
        assert closed.done(), "the server kept a slow client's connection open"
        try:
            received = closed.result()
        except ConnectionResetError:  # the byte written after the close drew a reset
            received = b""
        assert received == b""  # closed without an answer: there was no request
        assert 0.8 * TIMEOUT <= time.monotonic() - started < 4 * TIMEOUT
    finally:
        closed.cancel()
        writer.close()


async def test_a_client_sending_its_body_slowly_gets_408_and_is_disconnected(
    served: Served,
) -> None:
    address = urlsplit(served.url)
    reader, writer = await asyncio.open_connection(address.hostname, address.port)
    body = b"command=%2Fobjection&text=lag"
    head = (
        b"POST /slack/events HTTP/1.1\r\nHost: cruxbot\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\n"
    )
    started = time.monotonic()
    writer.write(head)
    answer = asyncio.ensure_future(reader.read())
    try:
        for byte in body * 40:
            if answer.done():
                break
            writer.write(bytes([byte]))
            await asyncio.wait([answer], timeout=0.1)
        assert answer.done(), "the server kept waiting for a slow body"
        # A client still writing when the server closes may get a reset that discards
        # the 408 before it is read; either way the server cut it off (the log says why).
        if answer.exception() is None:
            assert answer.result().startswith(b"HTTP/1.1 408")
        else:
            assert isinstance(answer.exception(), ConnectionResetError)
        assert time.monotonic() - started < 4 * TIMEOUT
    finally:
        answer.cancel()
        writer.close()
    assert await served.stop() == 0
    assert ["body" in entry["message"] for entry in warnings(served)] == [True]
    assert not any(e["level"] in ("error", "critical") for e in entries(served))
