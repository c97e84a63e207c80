"""The scripted meeting through Slack's slash commands gives the README's minutes."""

from __future__ import annotations

from adapters.slack.names import slack_command
from bot.commands.parser import split_command
from testing_support.slack import SlackHarness
from tests.meeting_script import check_minutes, last_minutes, lines_for

#: The Slack users of the fake workspace (tests/slack/conftest.py USERS).
USER_IDS = {"Ada": "UADMIN", "Ann": "U1", "Bob": "U2"}


async def test_the_scripted_meeting_on_slack(slack: SlackHarness) -> None:
    # `by:` is a mention, which Slack delivers as <@U…> (the manifest asks it to).
    mentions = {name: f"<@{user}>" for name, user in USER_IDS.items()}
    for name, line in lines_for(mentions):
        command, text = split_command(line)
        status, _ = await slack.command(slack_command(command), text, user=USER_IDS[name])
        assert status == 200, line
        await slack.settle()
    check_minutes(await last_minutes(slack.core))
