"""Workspaces never see each other's data, even with the same slugs."""

from __future__ import annotations

from dataclasses import replace

from bot.app import Cruxbot
from tests.conftest import MEMBER, MODERATOR, text_of

GUILD_A = replace(MEMBER, platform="discord", workspace_id="111")
GUILD_B = replace(MEMBER, platform="discord", workspace_id="222")
TEAM_SAME_ID = replace(MEMBER, platform="slack", workspace_id="111")


async def test_same_slug_in_two_workspaces_stays_apart(app: Cruxbot) -> None:
    await app.handle_line("/claim shared Guild A's claim.", GUILD_A)
    await app.handle_line("/claim shared Guild B's claim.", GUILD_B)
    assert (await app.handle_line("/claim shared", GUILD_A)).body == "Guild A's claim."
    assert (await app.handle_line("/claim shared", GUILD_B)).body == "Guild B's claim."
    missing = await app.handle_line("/claim shared", TEAM_SAME_ID)
    assert missing.error


async def test_lists_search_history_and_undo_stay_in_their_workspace(app: Cruxbot) -> None:
    await app.handle_line("/claim secret Only guild A knows this.", GUILD_A)
    await app.handle_line(
        "/import demo", replace(MODERATOR, platform="discord", workspace_id="222")
    )
    for line in ("/list", "/search secret", "/history", "/reading"):
        assert "guild A knows" not in text_of(await app.handle_line(line, GUILD_B)), line
        assert "`secret`" not in text_of(await app.handle_line(line, GUILD_B)), line
    assert "no change of yours" in (await app.handle_line("/undo", GUILD_B)).body
    assert "`lag`" not in text_of(await app.handle_line("/list", GUILD_A))
    await app.handle_line("/alias secret lag", GUILD_A)  # `lag` is free in guild A
    assert "Claim `secret`" in text_of(await app.handle_line("/claim lag", GUILD_A))
