"""The scripted meeting through the console's path gives the README's minutes."""

from __future__ import annotations

from bot.app import Cruxbot
from bot.context import Caller
from tests.meeting_script import FACILITATOR, MEMBERS, check_minutes, last_minutes, lines_for


def console_member(name: str) -> Caller:
    """A console member as `console --as NAME` names them."""
    return Caller(
        platform="console",
        workspace_id="local",
        user_id=f"console:{name}",
        user_name=name,
        channel_id="console",
        is_moderator=name == FACILITATOR,
    )


async def test_the_scripted_meeting_in_the_console(demo_app: Cruxbot) -> None:
    callers = {name: console_member(name) for name in MEMBERS}
    for member, line in lines_for({name: name for name in MEMBERS}):
        reply = await demo_app.handle_line(line, callers[member])
        assert not reply.error, (line, reply.body)
    check_minutes(await last_minutes(demo_app))
