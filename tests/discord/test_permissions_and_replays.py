"""Discord: who may change what, forged buttons and other servers, and replayed interactions."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from bot.app import Cruxbot
from bot.commands.actions import encode_action
from bot.context import Caller
from bot.render.palette import ERROR
from bot.render.reply import Action
from bot.storage.models import Revision
from testing_support.discord.payloads import GUILD_ID, interaction_payload
from tests.conftest import text_of
from tests.discord.accepted import BOB, MO, OTHER_GUILD
from tests.discord.conftest import DiscordBot
from tests.discord.helpers import (
    EPHEMERAL,
    core_view,
    embed,
    embed_text,
    only_callback,
)
from tests.test_conformance_console import (
    OBJECTION_TEXT,
)

# -- permissions, forged buttons and other servers -----------------------------------------

GUARDED: dict[str, dict[str, Any]] = {
    "edit": {"slug": "mine", "field": "text", "value": "Changed by someone."},
    "delete": {"slug": "mine"},
    "rename": {"slug": "mine", "new": "renamed"},
    "merge": {"slug": "mine", "into": "lag"},
    "status": {"slug": "mine", "status": "parked"},
    "undo": {"slug": "mine"},
}


async def state_of(app: Cruxbot, caller: Caller, slug: str) -> str:
    """What a statement and its history look like now, to a moderator of `caller`'s server."""
    shown = await app.handle_line(f"/objection {slug}", caller)
    history = await app.handle_line(f"/history {slug}", caller)
    return text_of(shown) + text_of(history)


async def press_for(
    bot: DiscordBot, command: str, args: dict[str, str], who: dict[str, Any]
) -> dict[str, Any]:
    """Press a button running `command` with `args` (free text goes through its form)."""
    fixed = {k: v for k, v in args.items() if k != "value"}
    asked = ("value",) if "value" in args else ()
    custom_id = encode_action(Action(command, command, tuple(fixed.items()), ask=asked))
    if asked:
        sent = await bot.submit(custom_id, {"value": args["value"]}, who=who)
    else:
        sent = await bot.press(custom_id, who=who)
    data: dict[str, Any] = only_callback(sent)["data"]
    return data


@pytest.mark.parametrize("command", list(GUARDED))
async def test_only_the_author_or_a_moderator_may_change_a_statement(
    demo_bot: DiscordBot, command: str
) -> None:
    app, args = demo_bot.core, GUARDED[command]
    only_callback(await demo_bot.command("objection", slug="mine", text="Mine.", to="lag"))
    ours = Caller("discord", str(GUILD_ID), "mod", "Mo", is_moderator=True)
    before = await state_of(app, ours, "mine")
    typed = only_callback(await demo_bot.command(command, who=BOB, **args))["data"]
    pressed = await press_for(demo_bot, command, args, BOB)
    for refused in (typed, pressed):
        assert refused["flags"] & EPHEMERAL
        assert embed(refused)["color"] == ERROR.rgb
    assert await state_of(app, ours, "mine") == before
    done = await press_for(demo_bot, command, args, MO)
    assert not done.get("flags", 0) & EPHEMERAL or embed(done)["color"] != ERROR.rgb
    assert await state_of(app, ours, "mine") != before


@pytest.mark.parametrize("command", list(GUARDED))
async def test_a_button_naming_another_servers_statement_acts_only_here(
    demo_bot: DiscordBot, command: str
) -> None:
    app, args = demo_bot.core, GUARDED[command]
    assert not (await app.handle_line("/import demo", OTHER_GUILD)).error
    assert not (await app.handle_line("/objection mine Theirs. to:lag", OTHER_GUILD)).error
    assert not (await app.handle_line("/objection theirs Only there. to:lag", OTHER_GUILD)).error
    theirs = [await state_of(app, OTHER_GUILD, s) for s in ("mine", "theirs", "lag")]
    elsewhere = {**args, "slug": "theirs"}
    missing = await press_for(demo_bot, command, elsewhere, MO)
    assert missing["flags"] & EPHEMERAL and "theirs" in embed(missing)["description"]
    only_callback(await demo_bot.command("objection", slug="mine", text="Ours.", to="lag"))
    await press_for(demo_bot, command, args, MO)  # "mine" exists in both servers
    assert [await state_of(app, OTHER_GUILD, s) for s in ("mine", "theirs", "lag")] == theirs


# -- replays ---------------------------------------------------------------------------------


async def revisions(app: Cruxbot) -> int:
    async with app.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(Revision)) or 0)


async def test_a_replayed_button_press_or_form_logs_once(demo_bot: DiscordBot) -> None:
    before = await revisions(demo_bot.core)
    agree = encode_action(Action("Agree", "agree", (("slug", "lag"),)))
    first = await demo_bot.press(agree, who=BOB, interaction_id=777001)
    assert "Bob" in embed_text(embed(only_callback(first)["data"]))
    assert await demo_bot.press(agree, who=BOB, interaction_id=777001) == []
    assert await revisions(demo_bot.core) == before + 1
    steelman = encode_action(Action("Steelman", "steelman", (("slug", "lag"),), ask=("text",)))
    data = {
        "custom_id": steelman,
        "components": [
            {
                "type": 18,
                "id": 1,
                "component": {"type": 4, "id": 2, "custom_id": "text", "value": "Once only."},
            }
        ],
    }
    for _ in range(2):
        await demo_bot._event(interaction_payload(5, data, who=BOB, interaction_id=777002))
    best = await core_view(demo_bot.core, "/objection lag")
    assert next(f.value for f in best.fields if f.name == "Steelmen").startswith("3 ")
    assert await revisions(demo_bot.core) == before + 2


async def test_the_meeting_script_text_arrives_exactly(demo_bot: DiscordBot) -> None:
    only_callback(
        await demo_bot.command("objection", slug="evals-gap", text=OBJECTION_TEXT, to="lag")
    )
    assert (await core_view(demo_bot.core, "/objection evals-gap")).body == OBJECTION_TEXT
