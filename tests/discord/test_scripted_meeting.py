"""The scripted meeting through Discord's slash commands gives the README's minutes."""

from __future__ import annotations

from typing import Any

from bot.commands.parser import parse_line
from testing_support.discord.payloads import ANN_ID, BOB_ID, member
from tests.discord.conftest import DiscordBot, manage_messages_member
from tests.discord.helpers import only_callback
from tests.meeting_script import MEMBERS, check_minutes, last_minutes, lines_for

ADA_ID = 900000000000000030
PEOPLE: dict[str, dict[str, Any]] = {
    "Ada": manage_messages_member(ADA_ID, "Ada"),
    "Ann": member(ANN_ID, "Ann"),
    "Bob": member(BOB_ID, "Bob"),
}


async def test_the_scripted_meeting_on_discord(demo_bot: DiscordBot) -> None:
    # `by:` is a user option: the member is picked, and Discord sends them along.
    for name, line in lines_for({n: n for n in MEMBERS}):
        parsed = parse_line(line)
        options: dict[str, Any] = dict(parsed.args)
        if "by" in options:
            options["by"] = PEOPLE[str(options["by"])]
        sent = only_callback(await demo_bot.command(parsed.name, who=PEOPLE[name], **options))
        assert "Something went wrong" not in str(sent), (line, sent)
    check_minutes(await last_minutes(demo_bot.core))
