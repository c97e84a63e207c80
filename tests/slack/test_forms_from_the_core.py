"""Slack draws the forms and shortcuts the core describes, and says what the core refuses.

The words of a form (its title, each field's label and whether it must be
filled in), the "Log as …" shortcuts and the rule that a duplicate names the
statement it duplicates are the core's (`bot.commands.forms`, the command
spec); the Discord adapter draws the same ones (tests/discord/test_forms_from_the_core.py).
"""

from __future__ import annotations

from typing import Any

import pytest

from bot.commands.forms import LOG_AS, Form, action_form, log_as_action
from bot.render.reply import Action
from testing_support.slack import SLACK_MODERATOR, SlackHarness, check_view, wait_for
from tests.slack.test_commands import answer, texts
from tests.slack.test_interactions import press, shown_buttons
from tests.slack.test_log_as_attribution import shortcut
from tests.slack.test_manifest import printed


def fields_shown(view: dict[str, Any]) -> list[tuple[str, str, bool]]:
    """(label, option name, required) of each input of a modal, in order."""
    return [
        (b["label"]["text"], b["block_id"], not b.get("optional", False))
        for b in view["blocks"]
        if b["type"] == "input"
    ]


def fields_of(form: Form) -> list[tuple[str, str, bool]]:
    return [(field.label, field.name, field.required) for field in form.fields]


async def opened_view(slack: SlackHarness, count: int = 1) -> dict[str, Any]:
    """The `count`-th modal the app opened."""
    opened = await wait_for(lambda: slack.fake.called("views.open")[count - 1 :])
    view: dict[str, Any] = opened[0]["view"]
    check_view(view)
    return view


async def test_the_log_as_shortcuts_are_the_cores_list(
    capsys: pytest.CaptureFixture[str],
) -> None:
    shortcuts = (await printed(capsys))["features"]["shortcuts"]
    assert [s["name"] for s in shortcuts] == [entry.label for entry in LOG_AS]
    assert [s["name"] for s in shortcuts] == ["Log as objection", "Log as claim"]
    assert [s["description"] for s in shortcuts] == [entry.description for entry in LOG_AS]


async def test_a_log_as_form_has_the_cores_title_and_labels(slack: SlackHarness) -> None:
    await slack.interact(shortcut(slack, "A point."))
    view = await opened_view(slack)
    form = action_form(log_as_action("objection"))
    assert view["title"]["text"] == form.title == "Log as objection"
    assert fields_shown(view) == fields_of(form)
    assert fields_shown(view) == [
        ("Your objection", "text", True),
        ("Nickname (optional: one is made up)", "slug", False),
        ("What it answers (a nickname)", "to", False),
    ]


async def test_the_claim_shortcut_opens_the_cores_claim_form(slack: SlackHarness) -> None:
    await slack.interact({**shortcut(slack, "Open models help."), "callback_id": "log_claim"})
    view = await opened_view(slack)
    assert fields_shown(view) == fields_of(action_form(log_as_action("claim")))
    assert [name for _, name, _ in fields_shown(view)] == ["text", "slug", "reading"]


async def test_a_buttons_form_has_the_cores_title_and_labels(slack: SlackHarness) -> None:
    buttons = await shown_buttons(slack)
    await slack.interact(press(slack, buttons["Reply"]))
    view = await opened_view(slack)
    form = action_form(Action("Reply", "reply", (("to", "lag"),), ask=("text",), offer=("slug",)))
    assert view["title"]["text"] == form.title == "Reply to lag"
    assert fields_shown(view) == fields_of(form)


async def test_a_duplicate_without_of_is_refused_with_the_reason(slack: SlackHarness) -> None:
    await slack.command("/crux-status", "lag duplicate")
    refused = texts((await answer(slack))["blocks"])
    # the core's reason, with the command as it is called on Slack
    assert (
        refused
        == ":warning: Say which statement it duplicates, e.g. /crux-status lag duplicate endgame."
    )
    unchanged = await slack.core.handle_line("/objection lag", SLACK_MODERATOR)
    assert unchanged.shows is not None and unchanged.shows.status == "open"


async def test_marking_a_duplicate_asks_for_of_in_the_cores_words(slack: SlackHarness) -> None:
    menu = (await shown_buttons(slack))["menu"]
    duplicate = {"selected_option": {"value": "duplicate", "text": {"text": "Mark duplicate"}}}
    await slack.interact(press(slack, menu, user="UMOD", **duplicate))
    view = await opened_view(slack)
    assert view["title"]["text"] == "Mark duplicate lag"
    assert fields_shown(view) == [("Duplicate of (a nickname)", "of", True)]
