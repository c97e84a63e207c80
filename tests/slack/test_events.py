"""Mentions, the App Home tab, and Web API rate limits."""

from __future__ import annotations

from testing_support.slack import BOT_USER, SlackHarness, check_blocks, check_view, wait_for
from tests.slack.test_commands import texts

MENTION_TS = "1700000003.000100"


def mention(text: str, thread_ts: str | None = None) -> dict[str, str]:
    event = {
        "type": "app_mention",
        "user": "U1",
        "text": text,
        "ts": MENTION_TS,
        "channel": "C1",
        "event_ts": MENTION_TS,
    }
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event


async def test_a_mention_is_answered_in_its_thread_once(slack: SlackHarness) -> None:
    assert (await slack.event(mention(f"<@{BOT_USER}> lag")))[0] == 200
    posted = (await wait_for(lambda: slack.fake.called("chat.postMessage")))[0]
    assert posted["channel"] == "C1" and posted["thread_ts"] == MENTION_TS
    check_blocks(posted["blocks"])
    assert "Objection `lag`" in texts(posted["blocks"])
    await slack.event(mention(f"<@{BOT_USER}> lag"))  # Slack re-delivers the same event id
    await slack.settle()
    assert len(slack.fake.called("chat.postMessage")) == 1


async def test_a_question_in_a_thread_is_asked_and_answered_there(slack: SlackHarness) -> None:
    asked = mention(f"<@{BOT_USER}> what did we say about evaluation?", thread_ts="1699.1")
    await slack.event(asked, event_id="Ev2")
    posted = (await wait_for(lambda: slack.fake.called("chat.postMessage")))[0]
    assert posted["thread_ts"] == "1699.1"
    check_blocks(posted["blocks"])
    shown = texts(posted["blocks"])
    assert "Closest to: what did we say about evaluation?" in shown
    assert "`rigorous-evals`" in shown and "Open rigorous-evals" in shown
    assert "/crux-search evaluation" in shown  # Slack's own name for /search


async def test_opening_the_app_home_publishes_a_valid_view(slack: SlackHarness) -> None:
    opened = {"type": "app_home_opened", "user": "U1", "channel": "D1", "tab": "home"}
    await slack.event(opened, event_id="Ev3")
    published = (await wait_for(lambda: slack.fake.called("views.publish")))[0]
    assert published["user_id"] == "U1"
    check_view(published["view"])
    shown = texts(published["view"]["blocks"])
    for heading in ("*Ask in plain words*", "*Readings*", "*Open objections*", "*Recent changes*"):
        assert heading in shown
    assert "Ask a question" in shown  # a button opening a form for the question
    assert "alignment-optimism" in shown and "`lag`" in shown


async def test_a_rate_limited_call_is_retried_after_retry_after(slack: SlackHarness) -> None:
    slack.fake.rate_limit("chat.postMessage", times=1, retry_after=1)
    await slack.event(mention(f"<@{BOT_USER}> lag"), event_id="Ev4")
    await wait_for(lambda: len(slack.fake.called("chat.postMessage")) == 2, seconds=8)
    first, second = [c for c in slack.fake.calls if c.method == "chat.postMessage"]
    assert second.at - first.at >= 1.0
    assert second.args["thread_ts"] == MENTION_TS
