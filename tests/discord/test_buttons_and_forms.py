"""Buttons, forms and message menus: pressing and filling in as a Discord member."""

from __future__ import annotations

from bot.commands.actions import encode_action
from bot.render.palette import ERROR
from bot.render.reply import Action
from testing_support.discord.payloads import BOB_ID, CHANNEL_ID, GUILD_ID, member, user
from tests.discord.conftest import DiscordBot
from tests.discord.helpers import (
    CHANNEL_MESSAGE,
    EPHEMERAL,
    MODAL,
    core_view,
    embed,
    embed_text,
    field,
    only_callback,
    text_inputs,
)

BOB = member(BOB_ID, "Bob")


async def _buttons_of(bot: DiscordBot, slug: str) -> dict[str, str]:
    """The buttons under `/objection slug`, as label -> custom id."""
    callback = only_callback(await bot.command("objection", slug=slug))
    rows = callback["data"]["components"]
    return {b["label"]: b["custom_id"] for row in rows for b in row["components"]}


async def test_pressing_agree_records_the_pressers_stance(demo_bot: DiscordBot) -> None:
    buttons = await _buttons_of(demo_bot, "lag")
    callback = only_callback(await demo_bot.press(buttons["Agree"], who=BOB))
    assert callback["type"] == CHANNEL_MESSAGE
    assert callback["data"]["allowed_mentions"] == {"parse": []}
    assert "Bob" in embed_text(embed(callback["data"]))
    shown = await core_view(demo_bot.core, "/objection lag")
    assert "Bob" in next(f.value for f in shown.fields if f.name == "Stances")


async def test_a_forged_button_is_refused_and_changes_nothing(demo_bot: DiscordBot) -> None:
    before = await core_view(demo_bot.core, "/history")
    for forged in ("cx1:drop;;", "cx1:agree;slug=Bad Slug;", "not-ours", "x" * 100):
        callback = only_callback(await demo_bot.press(forged))
        assert callback["data"]["flags"] & EPHEMERAL
        assert "not valid" in embed(callback["data"])["description"]
    assert await core_view(demo_bot.core, "/history") == before


async def test_an_author_only_button_pressed_by_someone_else_is_refused(
    demo_bot: DiscordBot,
) -> None:
    only_callback(
        await demo_bot.command("objection", slug="evals-gap", text="It may not scale.", to="lag")
    )
    delete = encode_action(Action("Delete", "delete", (("slug", "evals-gap"),)))
    callback = only_callback(await demo_bot.press(delete, who=BOB))
    assert callback["data"]["flags"] & EPHEMERAL
    assert embed(callback["data"])["color"] == ERROR.rgb
    still_there = await core_view(demo_bot.core, "/objection evals-gap")
    assert not still_there.error and not still_there.footer


async def test_steelman_button_opens_a_form_whose_text_is_added(demo_bot: DiscordBot) -> None:
    buttons = await _buttons_of(demo_bot, "lag")
    modal = only_callback(await demo_bot.press(buttons["Steelman"]))
    assert modal["type"] == MODAL
    inputs = text_inputs(modal["data"])
    assert set(inputs) == {"text"}
    assert inputs["text"]["required"] is True
    assert inputs["text"]["max_length"] == 4000
    assert modal["data"]["title"] == "Steelman lag"
    long_text = "Even if alignment keeps pace on average, one bad lag is enough. " * 50
    callback = only_callback(
        await demo_bot.submit(modal["data"]["custom_id"], {"text": long_text[:3900]})
    )
    assert "#3" in embed(callback["data"])["description"]
    best = await core_view(demo_bot.core, "/steelman lag")
    assert not best.error


async def test_reply_button_asks_for_text_and_offers_a_nickname(demo_bot: DiscordBot) -> None:
    buttons = await _buttons_of(demo_bot, "lag")
    modal = only_callback(await demo_bot.press(buttons["Reply"]))
    assert modal["data"]["title"] == "Reply to lag"
    inputs = text_inputs(modal["data"])
    assert inputs["text"]["required"] is True
    assert inputs["slug"]["required"] is False
    text = "Evaluation is easier than generation, so checking can keep up."
    callback = only_callback(await demo_bot.submit(modal["data"]["custom_id"], {"text": text}))
    shown = embed(callback["data"])
    assert shown["title"].startswith("Reply `")
    assert "objection `lag`" in field(shown, "Answers")
    assert shown["description"] == text


async def test_log_as_objection_quotes_the_messages_author_and_links_it(
    demo_bot: DiscordBot,
) -> None:
    content = "Interpretability tools will not scale to frontier models."
    sent, message_id = await demo_bot.menu("Log as objection", content, user(BOB_ID, "Bob"))
    modal = only_callback(sent)
    assert modal["type"] == MODAL
    inputs = text_inputs(modal["data"])
    assert inputs["text"]["value"] == content
    assert inputs["slug"]["required"] is False
    assert inputs["to"]["required"] is False  # without `to:` it answers the reading
    callback = only_callback(
        await demo_bot.submit(
            modal["data"]["custom_id"], {"slug": "no-scale", "to": "lag", "text": content}
        )
    )
    shown = embed(callback["data"])
    assert field(shown, "Author") == "Ann"  # who logged it; Bob is quoted
    assert field(shown, "Quoted") == "from Bob's message"
    link = f"https://discord.com/channels/{GUILD_ID}/{CHANNEL_ID}/{message_id}"
    assert field(shown, "First raised") == link
    stored = await core_view(demo_bot.core, "/objection no-scale")
    assert stored.body == content


async def test_log_as_claim_offers_a_reading_instead_of_a_target(demo_bot: DiscordBot) -> None:
    sent, _ = await demo_bot.menu("Log as claim", "Open models help safety.", user(BOB_ID, "Bob"))
    inputs = text_inputs(only_callback(sent)["data"])
    assert set(inputs) == {"slug", "reading", "text"}
    assert inputs["reading"]["required"] is False


async def test_a_form_submitted_twice_or_forged_logs_nothing_more(demo_bot: DiscordBot) -> None:
    sent, _ = await demo_bot.menu("Log as objection", "A point.", user(BOB_ID, "Bob"))
    form_id = only_callback(sent)["data"]["custom_id"]
    values = {"slug": "a-point", "to": "lag", "text": "A point."}
    only_callback(await demo_bot.submit(form_id, values))
    again = only_callback(await demo_bot.submit(form_id, values))
    assert again["data"]["flags"] & EPHEMERAL
    assert "expired" in embed(again["data"])["description"]
    forged = only_callback(await demo_bot.submit("cxf:made-up", values))
    assert "expired" in embed(forged["data"])["description"]
