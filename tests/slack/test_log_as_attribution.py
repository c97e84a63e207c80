"""The "Log as …" message shortcut: the statement is the logger's; the writer is quoted.

Ann (U1) uses the shortcut on Bob's (U2) message and submits the form, through
signed requests to the real Bolt app. Unchanged, the statement is Ann's and
says it is from Bob's message; reworded, it is Ann's and names nobody else.
"""

from __future__ import annotations

from typing import Any

from adapters.slack.blocks import INPUT_TEXT
from testing_support.slack import (
    PERMALINK,
    SLACK_MODERATOR,
    TEAM,
    SlackHarness,
    user_payload,
    wait_for,
)
from tests.conftest import text_of
from tests.slack.test_commands import answer
from tests.slack.test_interactions import submit

BOBS_WORDS = "Can we check <this> at scale? cc @ann"


def shortcut(
    slack: SlackHarness, text: str, user: str = "U1", author: str = "U2"
) -> dict[str, Any]:
    """The message_action payload for "Log as objection" on `author`'s message."""
    return {
        "type": "message_action",
        "callback_id": "log_objection",
        "trigger_id": "tr-shortcut",
        "team": {"id": TEAM, "domain": "group"},
        "user": user_payload(user),
        "channel": {"id": "C1", "name": "reading-group"},
        "message": {"type": "message", "user": author, "ts": "1700000000.000100", "text": text},
        "message_ts": "1700000000.000100",
        "response_url": slack.fake.response_url(),
        "token": "legacy",
    }


async def _log(slack: SlackHarness, posted: str, typed: str | None = None) -> str:
    """Ann logs Bob's message `posted`, submitting `typed` (the prefilled text if None)."""
    await slack.interact(shortcut(slack, posted))
    opened = (await wait_for(lambda: slack.fake.called("views.open")))[0]
    text_input = next(b for b in opened["view"]["blocks"] if b.get("block_id") == "text")
    prefilled = text_input["element"]["initial_value"]
    values = {"text": typed if typed is not None else prefilled, "slug": "check", "to": "lag"}
    await slack.interact(submit(opened, values))
    await answer(slack)
    return text_of(await slack.core.handle_line("/objection check", SLACK_MODERATOR))


async def test_bobs_message_logged_unchanged_by_ann_is_hers_quoting_bob(
    slack: SlackHarness,
) -> None:
    shown = await _log(slack, "Can we check &lt;this&gt; at scale? cc <@U1|ann>")
    assert "Author: Ann" in shown
    assert "Quoted: from Bob's message" in shown
    assert f"First raised: {PERMALINK}" in shown
    assert BOBS_WORDS in shown


async def test_bobs_message_reworded_by_ann_names_only_ann(slack: SlackHarness) -> None:
    reworded = "Can we check this at scale?"
    shown = await _log(slack, "Can we check &lt;this&gt; at scale? cc <@U1|ann>", reworded)
    assert "Author: Ann" in shown
    assert "Quoted" not in shown and "Bob" not in shown
    assert f"First raised: {PERMALINK}" in shown  # still where it came from


async def test_a_message_too_long_for_the_form_is_not_quoted(slack: SlackHarness) -> None:
    # The form holds only the start of it: submitted as is, that is not all Bob said.
    long_message = ("Scaling oversight is hard. " * 200).strip()
    assert len(long_message) > INPUT_TEXT
    shown = await _log(slack, long_message)
    assert "Author: Ann" in shown
    assert "Quoted" not in shown and "Bob" not in shown
