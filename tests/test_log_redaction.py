"""LOG_LEVEL, and what the log never holds: tokens, secrets, response_urls, messages.

The real-process check with Slack is tests/slack/test_log_redaction.py; here
are the lines other libraries print at DEBUG (discord.py, Bolt) and the
property that no member's text survives inside a library's payload.
"""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.logs import setup_logging
from tests.command_line import run_cruxbot as run

SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
DISCORD_TOKEN = "MTIzNDU2Nzg5MDEyMzQ1Njc4.GaBcDe.abcdefghijklmnopqrstuvwxyz0123456789AB"
RESPONSE_URL = "https://hooks.slack.com/commands/T1/1234/abcdEFGHsecret"
INTERACTION_TOKEN = "aW50ZXJhY3Rpb246MTIzNDU2Nzg5MDEyMzQ1Njc4OnNlY3JldA"


@pytest.fixture
def written() -> Iterator[io.StringIO]:
    """Logging set up as `cruxbot serve` does at DEBUG, into a buffer."""
    stream = io.StringIO()
    setup_logging("text", logging.DEBUG, stream, secrets=[SIGNING_SECRET, DISCORD_TOKEN])
    yield stream
    setup_logging("text", logging.WARNING)


def debug(logger: str, message: str, *args: object) -> None:
    """Log at DEBUG on `logger`, whatever level an earlier test left it at.

    Bolt gives its app logger the root logger's level when an app is built.
    """
    source = logging.getLogger(logger)
    level = source.level
    source.setLevel(logging.DEBUG)
    try:
        source.debug(message, *args)
    finally:
        source.setLevel(level)


@pytest.mark.parametrize(
    ("logger", "line", "kept"),
    [
        (
            "discord.http",
            f"POST https://discord.com/api/v10/interactions/99/{INTERACTION_TOKEN}/callback "
            'with {"type": 4, "data": {"content": "my private objection"}} has returned 204',
            "has returned 204",
        ),
        (
            "discord.gateway",
            "For Shard ID None: WebSocket Event: {'t': 'MESSAGE_CREATE', 'd': "
            "{'content': 'my private objection', 'token': 'x'}}",
            "WebSocket Event",
        ),
        (
            "slack_bolt.AsyncApp",
            "Invalid request signature detected (signature: v0=abc, timestamp: 1, body: "
            f"token=legacy&text=my+private+objection&response_url={RESPONSE_URL})",
            "Invalid request signature detected",
        ),
        (
            "adapters.slack.delivery",
            f"response_url failed: {RESPONSE_URL} answered 404",
            "answered 404",
        ),
        ("discord.client", f"logging in using static token {DISCORD_TOKEN}", "static token"),
        ("slack_sdk.socket_mode", f"signing with {SIGNING_SECRET} and xapp-1-A1-2-abc", "signing"),
    ],
)
def test_secrets_and_messages_never_reach_the_log(
    written: io.StringIO, logger: str, line: str, kept: str
) -> None:
    debug(logger, line)
    out = written.getvalue()
    assert kept in out  # the line is still there, saying what happened
    for secret in (
        "my private objection",
        "my+private+objection",
        RESPONSE_URL,
        "abcdEFGHsecret",
        INTERACTION_TOKEN,
        DISCORD_TOKEN,
        SIGNING_SECRET,
        "xapp-1",
    ):
        assert secret not in out


def test_a_traceback_is_redacted_too(written: io.StringIO) -> None:
    try:
        raise ConnectionError(f"cannot reach {RESPONSE_URL}")
    except ConnectionError:
        logging.getLogger("adapters.slack.delivery").exception("response_url failed")
    out = written.getvalue()
    assert "Traceback" in out and "ConnectionError" in out
    assert "abcdEFGHsecret" not in out


#: The fixed words of the lines below, which a generated text must not be part of.
SCAFFOLD = (
    "Sending a request - url: POST https://slack.com/api/chat.postMessage, json: {…}, "
    "headers: {…} Received the following response - status: 200, body: {…} section text"
)


@settings(max_examples=60, deadline=None)
@given(text=st.text(min_size=6, max_size=40).filter(lambda t: t.strip() and t not in SCAFFOLD))
def test_no_member_text_survives_inside_a_library_payload(text: str) -> None:
    stream = io.StringIO()
    setup_logging("json", logging.DEBUG, stream)
    try:
        payload = {"text": text, "blocks": [{"type": "section", "text": {"text": text}}]}
        log = "slack_sdk.web.async_base_client"
        debug(
            log,
            "Sending a request - url: POST https://slack.com/api/chat.postMessage, "
            "json: %s, headers: %s",
            payload,
            {"Authorization": "(redacted)"},
        )
        debug(
            log,
            "Received the following response - status: 200, body: %s",
            json.dumps(payload, ensure_ascii=False),
        )
    finally:
        setup_logging("text", logging.WARNING)
    lines = [json.loads(line)["message"] for line in stream.getvalue().splitlines()]
    assert len(lines) == 2 and "chat.postMessage" in lines[0]
    assert all(text not in line for line in lines), lines


def test_a_bad_log_level_stops_start_up_with_one_line_naming_it(tmp_path: Path) -> None:
    result = run(["console"], env={"LOG_LEVEL": "loud"}, cwd=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "LOG_LEVEL" in lines[0] and "'LOUD'" in lines[0], result.stderr
