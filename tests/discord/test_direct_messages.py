"""Asking the bot in a direct message: answered from the server the member shares with it.

A DM has no server. The adapter asks Discord which of the bot's servers the
author belongs to (GET /guilds/{id}/members/{user}) and answers from that one;
a stranger gets nothing from any server's map.
"""

from __future__ import annotations

from typing import Any

import discord

from adapters.discord.direct import MAX_SERVERS_CHECKED, NOT_A_MEMBER, TOO_MANY_SERVERS
from bot.context import Caller
from testing_support.discord.fakes import Recorded
from testing_support.discord.payloads import (
    ANN_ID,
    BOB_ID,
    BOT_ID,
    BOT_USER,
    guild_payload,
    message_payload,
    snowflake,
    user,
)
from tests.discord.conftest import DiscordBot
from tests.discord.helpers import embed
from tests.questions import listed

NO_PINGS: dict[str, list[str]] = {"parse": []}
OTHER_GUILD_ID = 900000000000000050
STRANGER_ID = 900000000000000060


async def direct_message(bot: DiscordBot, text: str, author: dict[str, Any]) -> Recorded:
    """Send `text` to the bot in a DM from `author`; the one message the bot posts back."""
    state = bot.client._connection
    dm_id = snowflake()
    channel = discord.DMChannel(
        me=bot.client.user,  # type: ignore[arg-type]
        state=state,
        data={"id": str(dm_id), "type": 1, "recipients": [author]},  # type: ignore[typeddict-item]
    )
    mentions = (BOT_USER,) if f"<@{BOT_ID}>" in text else ()
    data = message_payload(text, author=author, channel_id=dm_id, mentions=mentions, guild=False)
    start = len(bot.api.requests)
    await bot.client.on_message(discord.Message(state=state, channel=channel, data=data))  # type: ignore[arg-type]
    (post,) = [r for r in bot.api.requests[start:] if r.method == "POST"]
    assert post.path == f"/channels/{dm_id}/messages"
    assert post.body["allowed_mentions"] == NO_PINGS
    return post


def add_second_server(bot: DiscordBot, name: str = "Philosophy Club") -> None:
    """The bot joins another server; Ann is a member of both."""
    payload = {**guild_payload(), "id": str(OTHER_GUILD_ID), "name": name, "channels": []}
    bot.client._connection.parse_guild_create(payload)
    bot.api.guild_members[OTHER_GUILD_ID] = {ANN_ID: "Ann"}


async def test_a_member_asking_in_a_dm_gets_the_answer_from_their_server(
    demo_bot: DiscordBot,
) -> None:
    post = await direct_message(demo_bot, "what was the lag objection again?", user(ANN_ID, "Ann"))
    shown = embed(post.body)
    assert shown["title"] == "Closest to: what was the lag objection again?"
    assert "lag" in listed(shown["description"])[:3]


async def test_a_dm_that_mentions_the_bot_is_answered_the_same(demo_bot: DiscordBot) -> None:
    post = await direct_message(demo_bot, f"<@{BOT_ID}> lag", user(ANN_ID, "Ann"))
    assert "lag" in embed(post.body)["title"]


async def test_a_stranger_gets_nothing_from_any_servers_map(demo_bot: DiscordBot) -> None:
    post = await direct_message(
        demo_bot, "what was the lag objection again?", user(STRANGER_ID, "Eve")
    )
    shown = embed(post.body)
    assert shown["description"] == NOT_A_MEMBER
    assert "title" not in shown and "fields" not in shown
    assert not post.body.get("components")


async def test_a_member_of_two_servers_names_the_one_they_mean(demo_bot: DiscordBot) -> None:
    add_second_server(demo_bot)
    post = await direct_message(demo_bot, "lag", user(ANN_ID, "Ann"))
    asked = embed(post.body)["description"]
    assert "Reading Group" in asked and "Philosophy Club" in asked
    assert "`Philosophy Club: what did we say" in asked  # how to name one
    post = await direct_message(demo_bot, "reading group: lag", user(ANN_ID, "Ann"))
    assert "lag" in embed(post.body)["title"]


async def test_a_dm_never_answers_from_a_server_the_member_is_not_in(
    demo_bot: DiscordBot,
) -> None:
    """The bot's other server holds a statement; Bob, a member of the first only, asks for it."""
    add_second_server(demo_bot)
    elsewhere = Caller(
        platform="discord",
        workspace_id=str(OTHER_GUILD_ID),
        user_id=str(ANN_ID),
        user_name="Ann",
        channel_id="1",
    )
    logged = await demo_bot.core.handle_line(
        "/claim zebra-secret Zebras keep their stripes secret", elsewhere
    )
    assert not logged.error, logged.body
    post = await direct_message(demo_bot, "zebra stripes secret", user(BOB_ID, "Bob"))
    assert "zebra-secret" not in str(embed(post.body))
    post = await direct_message(demo_bot, "Philosophy Club: zebra", user(BOB_ID, "Bob"))
    assert "zebra-secret" not in str(embed(post.body))


async def test_a_direct_message_carries_no_moderator_rights(demo_bot: DiscordBot) -> None:
    """Even a server's moderator is a plain member in a DM, which has no permissions."""
    post = await direct_message(demo_bot, "/import demo", user(BOB_ID, "Bob"))
    assert embed(post.body)["description"] == "Only a moderator can run /import in this workspace."


async def test_a_bot_in_too_many_servers_asks_for_a_channel_instead(
    demo_bot: DiscordBot,
) -> None:
    """Each server costs Discord a request: past the bound, the DM is not looked into."""
    for index in range(MAX_SERVERS_CHECKED):
        payload = {**guild_payload(), "id": str(OTHER_GUILD_ID + index), "channels": []}
        demo_bot.client._connection.parse_guild_create(payload)
    start = len(demo_bot.api.requests)
    post = await direct_message(demo_bot, "lag", user(ANN_ID, "Ann"))
    assert embed(post.body)["description"] == TOO_MANY_SERVERS
    looked_up = [r for r in demo_bot.api.requests[start:] if "/members/" in r.path]
    assert looked_up == []
