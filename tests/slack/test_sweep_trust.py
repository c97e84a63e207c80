"""The meeting sweeper posts minutes only for the workspace its bot token belongs to.

A Slack bot token posts into its own workspace's channels. A meeting record of
another workspace (which may name any channel id) is closed by the sweep, but
its minutes are not posted with this workspace's token.
"""

from __future__ import annotations

from dataclasses import replace

from testing_support.slack import SLACK_MODERATOR, TEAM, SlackHarness
from tests.conftest import age_meetings

OTHER_TEAM = "T2"


async def test_minutes_of_another_workspaces_meeting_are_not_posted_with_this_token(
    slack: SlackHarness,
) -> None:
    await slack.adapter.sweeper.close()  # from here on, only the sweep below runs
    # Another workspace's meeting record naming this workspace's channel.
    forged = replace(SLACK_MODERATOR, workspace_id=OTHER_TEAM, channel_id="C-VICTIM")
    assert not (await slack.core.handle_line("/meeting start", forged)).error
    own = replace(SLACK_MODERATOR, channel_id="C-OWN")
    assert own.workspace_id == TEAM
    assert not (await slack.core.handle_line("/meeting start", own)).error
    await age_meetings(slack.core, 7)
    assert await slack.adapter.sweeper.sweep() == 2
    channels = [p["channel"] for p in slack.fake.called("chat.postMessage")]
    assert channels == ["C-OWN"]
    status = await slack.core.handle_line("/meeting", forged)
    assert "No meeting is open" in status.title  # closed all the same
