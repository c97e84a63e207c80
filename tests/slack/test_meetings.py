"""A meeting nobody ended is closed by the serving adapter and its minutes posted in its channel."""

from __future__ import annotations

from dataclasses import replace

from testing_support.slack import SLACK_MODERATOR, SlackHarness, check_blocks
from tests.conftest import age_meetings
from tests.slack.test_commands import texts


async def test_a_forgotten_meeting_is_closed_and_its_minutes_posted(slack: SlackHarness) -> None:
    facilitator = replace(SLACK_MODERATOR, channel_id="C-MEET")
    assert not (await slack.core.handle_line("/meeting start", facilitator)).error
    await slack.core.handle_line("/claim forgotten Nobody ended this. <!channel>", facilitator)
    assert await slack.adapter.sweeper.sweep() == 0  # not forgotten yet
    await age_meetings(slack.core, 7)
    assert await slack.adapter.sweeper.sweep() == 1
    posted = [p for p in slack.fake.called("chat.postMessage") if p["channel"] == "C-MEET"]
    assert len(posted) == 1
    check_blocks(posted[0]["blocks"])
    shown = texts(posted[0]["blocks"])
    assert "Minutes of meeting" in shown and "`forgotten`" in shown
    assert "so Cruxbot closed it" in shown
    assert "<!channel>" not in shown  # a member's mention is shown, never sent
    assert await slack.adapter.sweeper.sweep() == 0  # closed once
    status = await slack.core.handle_line("/meeting", facilitator)
    assert "No meeting is open" in status.title


async def test_minutes_that_cannot_be_posted_still_close_the_meeting(slack: SlackHarness) -> None:
    facilitator = replace(SLACK_MODERATOR, channel_id="C-GONE")
    await slack.core.handle_line("/meeting start", facilitator)
    await age_meetings(slack.core, 7)
    slack.fake.errors["chat.postMessage"] = "channel_not_found"
    assert await slack.adapter.sweeper.sweep() == 1
    minutes = await slack.core.handle_line("/meeting minutes", facilitator)
    assert not minutes.error and "closed automatically" in minutes.body
