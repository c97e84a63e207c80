"""Asking by mentioning the bot on Slack: the question set of tests/data/questions/mentions."""

from __future__ import annotations

from testing_support.slack import BOT_USER, SlackHarness, check_blocks, wait_for
from tests.questions import listed, load
from tests.slack.test_commands import texts
from tests.slack.test_events import mention


async def test_mentioned_questions_are_answered_in_the_first_three(slack: SlackHarness) -> None:
    for number, question in enumerate(load("mentions")):
        await slack.event(mention(f"<@{BOT_USER}> {question.ask}"), event_id=f"EvAsk{number}")
        await slack.settle()
        blocks = slack.fake.called("chat.postMessage")[number]["blocks"]
        check_blocks(blocks)
        shown = texts(blocks)
        assert f"Closest to: {question.ask}" in shown
        first_three = listed(shown)[:3]
        assert question.answers & set(first_three), (question.ask, first_three)
        assert all(f"Open {slug}" in shown for slug in first_three)


def direct_message(text: str, **extra: str) -> dict[str, str]:
    return {
        "type": "message",
        "channel_type": "im",
        "channel": "D1",
        "user": "U1",
        "text": text,
        "ts": "1700000004.000100",
        "event_ts": "1700000004.000100",
        **extra,
    }


async def test_a_direct_message_is_answered_as_a_mention_is(slack: SlackHarness) -> None:
    await slack.event(direct_message("what was the lag objection again?"), event_id="EvDm1")
    posted = (await wait_for(lambda: slack.fake.called("chat.postMessage")))[0]
    assert posted["channel"] == "D1" and "thread_ts" not in posted  # in the conversation
    assert listed(texts(posted["blocks"]))[0] == "lag"
    await slack.event(direct_message("lag"), event_id="EvDm1")  # re-delivered: once only
    await slack.settle()
    assert len(slack.fake.called("chat.postMessage")) == 1


async def test_messages_the_bot_must_not_answer_are_left_alone(slack: SlackHarness) -> None:
    await slack.event(direct_message("lag", bot_id="B1"), event_id="EvDm2")  # its own
    await slack.event(direct_message("lag", subtype="message_changed"), event_id="EvDm3")
    await slack.event(direct_message("lag", channel_type="channel"), event_id="EvDm4")
    await slack.settle()
    assert slack.fake.called("chat.postMessage") == []
