"""The "Log as …" message menu: the statement is the logger's; the message's writer is quoted.

Ann uses the menu on Bob's message. Unchanged, the statement is Ann's and
says it is from Bob's message; reworded, it is Ann's and names nobody else.
"""

from __future__ import annotations

from typing import Any

from bot.commands.actions import encode_action
from bot.render.reply import Action
from testing_support.discord.payloads import BOB_ID, CHANNEL_ID, GUILD_ID, member, user
from tests.discord.conftest import DiscordBot
from tests.discord.helpers import EPHEMERAL, core_view, embed, field, only_callback

BOBS_WORDS = "Interpretability tools will not scale to frontier models."
BOB = user(BOB_ID, "Bob")
CY = member(900000000000000012, "Cy")


async def _log_bobs_message(bot: DiscordBot, text: str) -> tuple[dict[str, Any], str]:
    """Ann opens the menu on Bob's message and submits `text`; the embed and the link."""
    sent, message_id = await bot.menu("Log as objection", BOBS_WORDS, BOB)
    form_id = only_callback(sent)["data"]["custom_id"]
    values = {"slug": "no-scale", "to": "lag", "text": text}
    callback = only_callback(await bot.submit(form_id, values))
    link = f"https://discord.com/channels/{GUILD_ID}/{CHANNEL_ID}/{message_id}"
    return embed(callback["data"]), link


async def test_bobs_message_logged_unchanged_by_ann_is_hers_quoting_bob(
    demo_bot: DiscordBot,
) -> None:
    shown, link = await _log_bobs_message(demo_bot, BOBS_WORDS)
    assert field(shown, "Author") == "Ann"
    assert field(shown, "Quoted") == "from Bob's message"
    assert field(shown, "First raised") == link


async def test_bobs_message_reworded_by_ann_names_only_ann(demo_bot: DiscordBot) -> None:
    reworded = "Interpretability tools might not scale to frontier models."
    shown, link = await _log_bobs_message(demo_bot, reworded)
    assert field(shown, "Author") == "Ann"
    assert "Quoted" not in [f["name"] for f in shown["fields"]]
    assert "Bob" not in str(shown)
    assert field(shown, "First raised") == link  # still where it came from
    stored = await core_view(demo_bot.core, "/objection no-scale")
    assert stored.body == reworded


async def test_a_forged_form_cannot_put_words_in_anyones_mouth(demo_bot: DiscordBot) -> None:
    # Someone else's open form: its id is not theirs to submit.
    sent, _ = await demo_bot.menu("Log as objection", BOBS_WORDS, BOB)
    anns_form = only_callback(sent)["data"]["custom_id"]
    values = {"slug": "no-scale", "to": "lag", "text": BOBS_WORDS}
    stolen = only_callback(await demo_bot.submit(anns_form, values, who=CY))
    assert stolen["data"]["flags"] & EPHEMERAL
    assert "expired" in embed(stolen["data"])["description"]
    assert (await core_view(demo_bot.core, "/objection no-scale")).error
    # A made-up form naming an author among its values: the values are only options.
    logging = Action("Log", "objection", (("to", "lag"),), ask=("text",), offer=("slug",))
    claimed = {**values, "author": str(BOB_ID), "author_id": str(BOB_ID), "source": "Bob"}
    forged = only_callback(await demo_bot.submit(encode_action(logging), claimed, who=CY))
    shown = embed(forged["data"])
    assert field(shown, "Author") == "Cy"
    assert "Bob" not in str(shown)
    # Ann's own form still works, once, as hers.
    mine = embed(
        only_callback(await demo_bot.submit(anns_form, {**values, "slug": "mine"}))["data"]
    )
    assert (field(mine, "Author"), field(mine, "Quoted")) == ("Ann", "from Bob's message")
