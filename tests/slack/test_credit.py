"""`by:` on Slack: a `<@U…>` mention in the command's text credits that member."""

from __future__ import annotations

from testing_support.slack import SLACK_MODERATOR, SlackHarness
from tests.conftest import text_of


async def test_a_mention_after_by_credits_the_member_by_their_slack_name(
    slack: SlackHarness,
) -> None:
    await slack.command("/claim", "c1 A claim worth arguing.", user="U1")
    await slack.settle()
    await slack.command("/objection", "o1 It does not follow. to:c1 by:<@U2|bob>", user="U1")
    await slack.settle()
    shown = text_of(await slack.core.handle_line("/objection o1", SLACK_MODERATOR))
    assert "Author: Bob" in shown
    history = text_of(await slack.core.handle_line("/history o1", SLACK_MODERATOR))
    assert "Ann: logged objection `o1` for Bob" in history
