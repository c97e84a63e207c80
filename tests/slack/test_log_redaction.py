"""LOG_LEVEL=DEBUG on a real `serve slack` process logs detail, but no secrets or messages.

A response_url lets whoever holds it post as the app for 30 minutes; tokens and
the signing secret are the app itself; members' messages are theirs. None of
them may reach the log at any level, DEBUG included, however much the Slack
libraries would like to print them.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import aiohttp

from testing_support.slack import SECRET, FakeSlack, slash_command_body
from tests.slack.processes import post_signed, start_slack_process, wait_until
from tests.slack.test_commands import texts

TYPED = "quokka marmalade lighthouse"


def phrases(payload: dict[str, Any]) -> list[str]:
    """The pieces of an answer's text long enough to recognise in a log."""
    words = re.split(r"[*_`\n]+", texts(payload.get("blocks") or []) + "\n" + payload["text"])
    return [w.strip() for w in words if len(w.strip()) >= 16]


async def test_debug_logs_hold_no_response_url_token_secret_or_message(
    fake: FakeSlack, http: aiohttp.ClientSession, tmp_path: Path
) -> None:
    served = await start_slack_process(
        fake.api_url, f"sqlite:///{tmp_path / 'c.db'}", {"LOG_LEVEL": "DEBUG"}
    )
    try:
        url = await served.ready()
        shown = slash_command_body(fake, "/objection", "lag")
        searched = slash_command_body(fake, "/crux-search", TYPED, trigger="tr-2")
        for body in (shown, searched):
            assert await post_signed(http, url, body) == 200
        await wait_until(lambda: len(fake.responses) == 2)
        assert await served.stop() == 0
    finally:
        served.kill()
        await served.process.wait()
    log = "\n".join(served.lines)
    entries = [json.loads(line) for line in served.lines]
    assert any(e["level"] == "debug" and e["logger"].startswith("slack") for e in entries)
    for response_id, _ in fake.responses:
        assert f"/respond/{response_id}" not in log  # nor any form of the response_url
    assert "respond%2F" not in log
    assert "xoxb-test" not in log and SECRET not in log
    assert TYPED not in log and "quokka+marmalade" not in log
    answered = [phrase for _, payload in fake.responses for phrase in phrases(payload)]
    assert len(answered) >= 3  # the objection's text, its title, the search's answer
    leaked = [phrase for phrase in answered if phrase in log]
    assert not leaked, leaked
