"""Discord against the reference: the scripted meeting's minutes, maps, stored mentions.

Everything goes in as real INTERACTION_CREATE payloads through discord.py's
CommandTree (the fixtures of conftest.py), and what the bot sent is read back
from the REST fake: minutes must match the console's, every message must fit
Discord's limits (`accepted.py`) and ping nobody. Attached imports are in
test_attached_imports.py, any input at all in test_any_input.py, permissions,
forged buttons and replays in test_permissions_and_replays.py.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.commands.actions import encode_action
from bot.render.palette import STATUS_SWATCHES
from bot.render.reply import Action
from tests.conftest import MODERATOR
from tests.discord.accepted import BOB, MO, NO_PINGS, PINGS, KeepingDiscordApi, check_sent
from tests.discord.conftest import ANN, DiscordBot, serving
from tests.discord.helpers import CHANNEL_MESSAGE, EPHEMERAL, embed, only_callback
from tests.test_conformance_console import ANN as ANN_ROLE
from tests.test_conformance_console import BOB as BOB_ROLE
from tests.test_conformance_console import (
    DOUBLE_CRUX_STEP,
    READING,
    SCRIPT,
    check_minutes,
    console_minutes,
    normalise_minutes,
)
from tests.test_conformance_console import MOD as MOD_ROLE

MEMBERS = {MOD_ROLE: MO, ANN_ROLE: ANN, BOB_ROLE: BOB}
PNG = b"\x89PNG\r\n\x1a\n"
ANSWERED_COLOUR = STATUS_SWATCHES["answered"].rgb


@pytest.fixture
async def discord_api() -> AsyncIterator[KeepingDiscordApi]:
    """Replaces conftest's fake for this module, with discord.py pointed at it."""
    async with serving(KeepingDiscordApi()) as fake:
        yield fake


# -- the scripted meeting ----------------------------------------------------------------


async def run_script(bot: DiscordBot) -> list[dict[str, Any]]:
    """The script as Discord members run it; the data of each answer."""
    answers = []
    for step in SCRIPT:
        options: dict[str, Any] = dict(step.options)
        sent = await bot.command(step.command, who=MEMBERS[step.who], **options)
        check_sent(sent)
        answers.append(only_callback(sent)["data"])
    return answers


async def test_the_scripted_meeting_gives_the_consoles_minutes(demo_bot: DiscordBot) -> None:
    assert not (await demo_bot.core.handle_line("/import demo", MODERATOR)).error
    reference = await console_minutes(demo_bot.core)
    answers = await run_script(demo_bot)
    assert [a for a in answers if a.get("flags", 0) & EPHEMERAL] == []
    assert embed(answers[DOUBLE_CRUX_STEP])["title"].startswith("Double crux on `lag`")
    minutes = embed(answers[-1])
    assert minutes["color"] == ANSWERED_COLOUR  # posted in the channel, as an embed
    shown = normalise_minutes(minutes["title"], minutes["description"])
    check_minutes(shown)
    assert shown == reference
    again = only_callback(await demo_bot.command("meeting", who=BOB, action="minutes"))
    assert (
        normalise_minutes(embed(again["data"])["title"], embed(again["data"])["description"])
        == shown
    )


@pytest.mark.usefixtures("graphviz")
async def test_the_map_is_posted_as_an_image_in_the_answer(demo_bot: DiscordBot) -> None:
    api = demo_bot.api
    assert isinstance(api, KeepingDiscordApi)
    callback = only_callback(await demo_bot.command("map", slug=READING))
    assert callback["type"] == CHANNEL_MESSAGE
    name = f"cruxbot-{READING}.png"
    assert [a["filename"] for a in callback["data"]["attachments"]] == [name]
    assert embed(callback["data"])["image"]["url"] == f"attachment://{name}"
    ((uploaded, content),) = api.files
    assert uploaded == name and content.startswith(PNG)


# -- stored mentions ping nobody, wherever they are shown --------------------------------


async def test_mentions_in_stored_text_are_inert_everywhere_they_show(
    demo_bot: DiscordBot,
) -> None:
    hostile = " ".join(PINGS) + " read this"
    start = len(demo_bot.api.requests)
    await demo_bot.command("meeting", who=MO, action="start")
    await demo_bot.command("objection", slug="pings", text=hostile, to="lag")
    await demo_bot.command("reply", who=BOB, slug="pong", text=hostile, to="pings")
    await demo_bot.command("steelman", slug="lag", text=hostile)
    await demo_bot.command("list", kind="objections")
    await demo_bot.command("search", words="read this")
    await demo_bot.command("history")
    await demo_bot.command("steelman", slug="lag")
    await demo_bot.press(encode_action(Action("Replies", "list", (("to", "pings"),))))
    await demo_bot.mention("pings")
    await demo_bot.command("meeting", who=MO, action="end")
    bodies = check_sent(demo_bot.api.requests[start:])
    shown = [b for b in bodies if any(p in json.dumps(b) for p in PINGS)]
    assert len(shown) >= 8  # the hostile text really was shown back
    for body in bodies:
        assert body["allowed_mentions"] == NO_PINGS
        assert not any(p in (body.get("content") or "") for p in PINGS)
