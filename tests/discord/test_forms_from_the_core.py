"""Discord draws the forms and menus the core describes, and says what the core refuses.

The words of a form (its title, each field's label and whether it must be
filled in), the "Log as …" menus and the rule that a duplicate names the
statement it duplicates are the core's (`bot.commands.forms`, the command
spec); the Slack adapter draws the same ones (tests/slack/test_forms_from_the_core.py).
"""

from __future__ import annotations

import discord

from bot.commands.forms import LOG_AS, Form, action_form, log_as_action
from bot.render.reply import Action
from testing_support.discord.payloads import BOB_ID, user
from tests.discord.conftest import DiscordBot
from tests.discord.helpers import (
    EPHEMERAL,
    MODAL,
    core_view,
    custom_ids,
    embed,
    labelled_fields,
    only_callback,
)


def fields_of(form: Form) -> list[tuple[str, str, bool]]:
    return [(field.label, field.name, field.required) for field in form.fields]


async def test_the_log_as_menus_are_the_cores_list(demo_bot: DiscordBot) -> None:
    menus = demo_bot.client.tree.get_commands(type=discord.AppCommandType.message)
    assert [menu.name for menu in menus] == [entry.label for entry in LOG_AS]
    assert [menu.name for menu in menus] == ["Log as objection", "Log as claim"]


async def test_a_log_as_form_has_the_cores_title_and_labels(demo_bot: DiscordBot) -> None:
    sent, _ = await demo_bot.menu("Log as objection", "A point.", user(BOB_ID, "Bob"))
    modal = only_callback(sent)
    assert modal["type"] == MODAL
    form = action_form(log_as_action("objection"))
    assert modal["data"]["title"] == form.title == "Log as objection"
    assert labelled_fields(modal["data"]) == fields_of(form)
    assert labelled_fields(modal["data"]) == [
        ("Your objection", "text", True),
        ("Nickname (optional: one is made up)", "slug", False),
        ("What it answers (a nickname)", "to", False),
    ]


async def test_a_buttons_form_has_the_cores_title_and_labels(demo_bot: DiscordBot) -> None:
    shown = only_callback(await demo_bot.command("objection", slug="lag"))["data"]
    reply_id = next(i for i in custom_ids(shown) if i.startswith("cx1:reply;"))
    modal = only_callback(await demo_bot.press(reply_id))
    form = action_form(Action("Reply", "reply", (("to", "lag"),), ask=("text",), offer=("slug",)))
    assert modal["data"]["title"] == form.title == "Reply to lag"
    assert labelled_fields(modal["data"]) == fields_of(form)


async def test_a_duplicate_without_of_is_refused_with_the_reason(demo_bot: DiscordBot) -> None:
    refused = only_callback(await demo_bot.command("status", slug="lag", status="duplicate"))
    assert refused["data"]["flags"] & EPHEMERAL
    assert embed(refused["data"])["description"] == (
        "Say which statement it duplicates, e.g. /status lag duplicate endgame."
    )
    unchanged = await core_view(demo_bot.core, "/objection lag")
    assert unchanged.shows is not None and unchanged.shows.status == "open"
