"""Slack: who may change what, forged buttons and other workspaces, and replayed requests."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import func, select

from adapters.slack.blocks import action_modal
from adapters.slack.mrkdwn import escape
from bot.app import Cruxbot
from bot.commands.actions import encode_action
from bot.context import Caller
from bot.render.reply import Action
from bot.storage.models import Revision
from testing_support.slack import (
    BOT_USER,
    SLACK_MODERATOR,
    SlackHarness,
    wait_for,
)
from tests.conftest import text_of
from tests.slack.test_conformance import OTHER_TEAM, check_sent, posts, run_command, unique
from tests.slack.test_interactions import press, submit
from tests.test_conformance_console import (
    OBJECTION_TEXT,
)

# -- permissions, forged buttons and other workspaces -----------------------------------------

GUARDED: dict[str, tuple[str, dict[str, str]]] = {
    "edit": ("mine text Changed by someone.", {"slug": "mine", "field": "text"}),
    "delete": ("mine", {"slug": "mine"}),
    "rename": ("mine renamed", {"slug": "mine", "new": "renamed"}),
    "merge": ("mine lag", {"slug": "mine", "into": "lag"}),
    "status": ("mine parked", {"slug": "mine", "status": "parked"}),
    "undo": ("mine", {"slug": "mine"}),
}


async def state_of(app: Cruxbot, caller: Caller, slug: str) -> str:
    """What a statement and its history look like now, to a moderator of that workspace."""
    shown = await app.handle_line(f"/objection {slug}", caller)
    history = await app.handle_line(f"/history {slug}", caller)
    return text_of(shown) + text_of(history)


async def press_for(
    slack: SlackHarness, command: str, args: dict[str, str], user: str
) -> dict[str, Any]:
    """Press a button running `command` with `args` as `user` (edit goes through its form)."""
    before = len(slack.fake.responses)
    if command == "edit":
        action = Action("Edit", "edit", tuple(args.items()), ask=("value",))
        metadata = {"a": encode_action(action), "c": "C1", "r": slack.fake.response_url()}
        opened = {"view": action_modal(action, json.dumps(metadata)).to_dict()}
        await slack.interact(submit(opened, {"value": "Changed."}, user, view_id=unique("V")))
    else:
        custom_id = encode_action(Action(command, command, tuple(args.items())))
        button = {
            "type": "button",
            "action_id": custom_id,
            "text": {"type": "plain_text", "text": command},
        }
        await slack.interact(press(slack, button, user=user))
    await wait_for(lambda: len(slack.fake.responses) > before)
    await slack.settle()
    return slack.fake.responses[before][1]


@pytest.mark.parametrize("command", list(GUARDED))
async def test_only_the_author_or_a_moderator_may_change_a_statement(
    slack: SlackHarness, command: str
) -> None:
    typed, args = GUARDED[command]
    await run_command(slack, "objection", "mine Mine. to:lag", "U1")
    before = await state_of(slack.core, SLACK_MODERATOR, "mine")
    refused = [
        await run_command(slack, command, typed, "U2"),
        await press_for(slack, command, args, "U2"),
    ]
    for answer in refused:
        assert answer["response_type"] == "ephemeral"
        assert ":warning:" in check_sent(answer)
    assert await state_of(slack.core, SLACK_MODERATOR, "mine") == before
    done = await press_for(slack, command, args, "UMOD")
    assert ":warning:" not in check_sent(done)
    assert await state_of(slack.core, SLACK_MODERATOR, "mine") != before


@pytest.mark.parametrize("command", list(GUARDED))
async def test_a_button_naming_another_workspaces_statement_acts_only_here(
    slack: SlackHarness, command: str
) -> None:
    app, (_, args) = slack.core, GUARDED[command]
    assert not (await app.handle_line("/import demo", OTHER_TEAM)).error
    assert not (await app.handle_line("/objection mine Theirs. to:lag", OTHER_TEAM)).error
    assert not (await app.handle_line("/objection theirs Only there. to:lag", OTHER_TEAM)).error
    theirs = [await state_of(app, OTHER_TEAM, s) for s in ("mine", "theirs", "lag")]
    missing = await press_for(slack, command, {**args, "slug": "theirs"}, "UMOD")
    assert missing["response_type"] == "ephemeral" and "theirs" in check_sent(missing)
    await run_command(slack, "objection", "mine Ours. to:lag", "U1")
    await press_for(slack, command, args, "UMOD")  # "mine" exists in both workspaces
    assert [await state_of(app, OTHER_TEAM, s) for s in ("mine", "theirs", "lag")] == theirs


# -- replays ---------------------------------------------------------------------------------


async def revisions(app: Cruxbot) -> int:
    async with app.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(Revision)) or 0)


async def test_a_request_delivered_three_times_is_handled_once(slack: SlackHarness) -> None:
    form = "application/x-www-form-urlencoded"
    command = slack.command_body("/steelman", "lag Thrice delivered, once logged.", user="U2")
    agree = {
        "type": "button",
        "text": {"type": "plain_text", "text": "Agree"},
        "action_id": encode_action(Action("Agree", "agree", (("slug", "lag"),))),
    }
    pressed = press(slack, agree, user="U2")
    event = {
        "type": "app_mention",
        "user": "U2",
        "ts": "1700000007.000100",
        "channel": "C1",
        "text": f"<@{BOT_USER}> objection thrice Mentioned three times. to:lag",
    }

    async def deliver(retry: str) -> None:
        headers = {"X-Slack-Retry-Num": retry, "X-Slack-Retry-Reason": "http_timeout"}
        assert (await slack.post(command, form, headers=headers if retry else None))[0] == 200
        assert (await slack.interact(pressed))[0] == 200
        assert (await slack.event(event, event_id="Ev-thrice"))[0] == 200
        await wait_for(lambda: len(slack.fake.responses) == 2 and posts(slack))
        await slack.settle()

    await deliver("")
    once = await revisions(slack.core)
    await deliver("1")
    await deliver("2")
    assert await revisions(slack.core) == once
    assert len(slack.fake.responses) == 2  # the steelman, the stance
    assert len(posts(slack)) == 1  # the mention's answer
    lag = await slack.core.handle_line("/objection lag", SLACK_MODERATOR)
    assert next(f.value for f in lag.fields if f.name == "Steelmen").startswith("3 ")
    listed = text_of(await slack.core.handle_line("/list objections", SLACK_MODERATOR))
    assert listed.count("`thrice`") == 1 and "7 in all" in listed


async def test_the_meeting_script_text_arrives_exactly(slack: SlackHarness) -> None:
    await run_command(slack, "objection", escape(f"evals-gap {OBJECTION_TEXT} to:lag"))
    stored = await slack.core.handle_line("/objection evals-gap", SLACK_MODERATOR)
    assert stored.body == OBJECTION_TEXT  # typed with & < >, delivered as entities
