"""Buttons, the status menu, modals and message shortcuts, end to end."""

from __future__ import annotations

import itertools
import json
from typing import Any

from testing_support.slack import (
    PERMALINK,
    SLACK_MODERATOR,
    TEAM,
    SlackHarness,
    check_view,
    user_payload,
    wait_for,
)
from tests.conftest import text_of
from tests.slack.test_commands import answer, texts

_presses = itertools.count()


async def shown_buttons(slack: SlackHarness, slug: str = "lag") -> dict[str, dict[str, Any]]:
    """Show a statement and return its buttons and menu by label ("menu" for the overflow)."""
    await slack.command("/objection", slug, trigger="tr-show")
    body = await answer(slack)
    elements = [e for b in body["blocks"] if b["type"] == "actions" for e in b["elements"]]
    return {e["text"]["text"] if e["type"] == "button" else "menu": e for e in elements}


def press(
    slack: SlackHarness, element: dict[str, Any], user: str = "U1", **extra: Any
) -> dict[str, Any]:
    """A block_actions payload for pressing `element` in a message in C1."""
    action = {
        "action_id": element["action_id"],
        "block_id": "b1",
        "type": element["type"],
        "action_ts": "1700000002.000100",
        **extra,
    }
    if element["type"] == "button":
        action |= {"text": element["text"], "value": element.get("value", "")}
    return {
        "type": "block_actions",
        "team": {"id": TEAM, "domain": "group"},
        "user": user_payload(user),
        "api_app_id": "A1",
        "token": "legacy",
        "container": {"type": "message", "message_ts": "1700000001.000100", "channel_id": "C1"},
        "trigger_id": f"tr-press-{next(_presses)}",  # unique per press, as Slack's are
        "channel": {"id": "C1", "name": "reading-group"},
        "message": {"type": "message", "ts": "1700000001.000100", "text": "", "blocks": []},
        "response_url": slack.fake.response_url(),
        "actions": [action],
    }


def submit(
    opened: dict[str, Any], values: dict[str, str], user: str = "U1", view_id: str = "V1"
) -> dict[str, Any]:
    """A view_submission for the modal the app opened, with `values` typed in."""
    view = opened["view"]
    state = {
        name: {"value": {"type": "plain_text_input", "value": value}}
        for name, value in values.items()
    }
    return {
        "type": "view_submission",
        "team": {"id": TEAM, "domain": "group"},
        "user": user_payload(user),
        "api_app_id": "A1",
        "token": "legacy",
        "trigger_id": f"tr-submit-{view_id}",
        "view": {
            **view,
            "id": view_id,
            "team_id": TEAM,
            "state": {"values": state},
            "hash": f"h-{view_id}",
        },
        "response_urls": [],
    }


async def test_agree_button_records_the_presser_stance(slack: SlackHarness) -> None:
    buttons = await shown_buttons(slack)
    status, _ = await slack.interact(press(slack, buttons["Agree"], user="U2"))
    assert status == 200
    confirmation = await answer(slack, 2)
    assert confirmation["replace_original"] is False
    shown = text_of(await slack.core.handle_line("/objection lag", SLACK_MODERATOR))
    assert "agree 3 (Priya, Kwame, Bob)" in shown


async def test_a_forged_button_is_refused_and_changes_nothing(slack: SlackHarness) -> None:
    before = text_of(await slack.core.handle_line("/objection lag", SLACK_MODERATOR))
    forged = {"type": "button", "action_id": "cx1:delete;slug=lag;", "text": {"text": "x"}}
    await slack.interact(press(slack, forged | {"action_id": "cx1:drop;;"}))
    refused = await answer(slack)
    assert refused["response_type"] == "ephemeral"
    assert "That button is not valid any more" in texts(refused["blocks"])
    # a well-formed id runs as the presser: Ann may not delete Priya's objection
    await slack.interact(press(slack, forged))
    not_allowed = await answer(slack, 2)
    assert not_allowed["response_type"] == "ephemeral"
    assert ":warning:" in texts(not_allowed["blocks"])
    await slack.settle()
    after = text_of(await slack.core.handle_line("/objection lag", SLACK_MODERATOR))
    assert after == before


async def test_steelman_button_opens_a_modal_whose_submission_logs_it(slack: SlackHarness) -> None:
    buttons = await shown_buttons(slack)
    pressed = press(slack, buttons["Steelman"])
    await slack.interact(pressed)
    opened = (await wait_for(lambda: slack.fake.called("views.open")))[0]
    assert opened["trigger_id"] == pressed["trigger_id"]
    check_view(opened["view"])
    assert [b.get("block_id") for b in opened["view"]["blocks"][1:]] == ["text"]
    text = "Even a short lag is fatal if the first misaligned system is decisive."
    assert (await slack.interact(submit(opened, {"text": text})))[0] == 200
    logged = await answer(slack, 2)  # answered where the button was pressed
    assert "Added steelman #3 of `lag`" in texts(logged["blocks"])
    best = text_of(await slack.core.handle_line("/steelman lag", SLACK_MODERATOR))
    assert text in best


async def test_reply_button_logs_a_reply_once_with_a_nickname_made_up(slack: SlackHarness) -> None:
    buttons = await shown_buttons(slack)
    await slack.interact(press(slack, buttons["Reply"]))
    opened = (await wait_for(lambda: slack.fake.called("views.open")))[0]
    check_view(opened["view"])
    submission = submit(opened, {"text": "Evaluation is easier than generation."})
    await slack.interact(submission)
    await slack.interact(submission, headers={"X-Slack-Retry-Num": "1"})
    await slack.settle()
    assert len(slack.fake.responses) == 2  # the statement, then the reply: once
    logged = slack.fake.responses[1][1]
    assert "Reply `evaluation-easier-generation`" in texts(logged["blocks"])
    assert logged["response_type"] == "in_channel"
    replies = text_of(await slack.core.handle_line("/list replies to:lag", SLACK_MODERATOR))
    assert replies.count("evaluation-easier-generation") == 1


async def test_status_menu_obeys_the_author_or_moderator_rule(slack: SlackHarness) -> None:
    menu = (await shown_buttons(slack))["menu"]
    chosen = {"selected_option": {"value": "answered", "text": {"text": "Mark answered"}}}
    await slack.interact(press(slack, menu, user="U1", **chosen))
    assert ":warning:" in texts((await answer(slack, 2))["blocks"])
    await slack.interact(press(slack, menu, user="UMOD", **chosen))
    assert ":warning:" not in texts((await answer(slack, 3))["blocks"])
    shown = text_of(await slack.core.handle_line("/objection lag", SLACK_MODERATOR))
    assert "Status: answered" in shown
    duplicate = {"selected_option": {"value": "duplicate", "text": {"text": "Mark duplicate"}}}
    await slack.interact(press(slack, menu, user="UMOD", **duplicate))
    opened = (await wait_for(lambda: slack.fake.called("views.open")))[0]
    assert [b.get("block_id") for b in opened["view"]["blocks"][1:]] == ["of"]
    await slack.interact(submit(opened, {"of": "endgame"}, user="UMOD"))
    await answer(slack, 4)
    shown = text_of(await slack.core.handle_line("/objection lag", SLACK_MODERATOR))
    assert "duplicate (duplicate of `endgame`)" in shown


async def test_log_as_objection_quotes_the_author_and_keeps_the_permalink(
    slack: SlackHarness,
) -> None:
    shortcut = {
        "type": "message_action",
        "callback_id": "log_objection",
        "trigger_id": "tr-shortcut",
        "team": {"id": TEAM, "domain": "group"},
        "user": user_payload("U1"),
        "channel": {"id": "C1", "name": "reading-group"},
        "message": {
            "type": "message",
            "user": "U2",
            "ts": "1700000000.000100",
            "text": "Can we check &lt;this&gt; at scale? cc <@U1|ann>",
        },
        "message_ts": "1700000000.000100",
        "response_url": slack.fake.response_url(),
        "token": "legacy",
    }
    await slack.interact(shortcut)
    opened = (await wait_for(lambda: slack.fake.called("views.open")))[0]
    check_view(opened["view"])
    text_input = next(b for b in opened["view"]["blocks"] if b.get("block_id") == "text")
    typed = "Can we check <this> at scale? cc @ann"
    assert text_input["element"]["initial_value"] == typed
    await slack.interact(submit(opened, {"text": typed, "slug": "check-scale", "to": "lag"}))
    logged = await answer(slack)
    assert logged["response_type"] == "in_channel"
    permalink = await wait_for(lambda: slack.fake.called("chat.getPermalink"))
    assert permalink[0]["channel"] == "C1" and permalink[0]["message_ts"] == "1700000000.000100"
    shown = text_of(await slack.core.handle_line("/objection check-scale", SLACK_MODERATOR))
    assert "Author: Ann" in shown  # who logged it; Bob is quoted
    assert "Quoted: from Bob's message" in shown
    assert f"First raised: {PERMALINK}" in shown
    assert typed in shown  # stored exactly as the member wrote it
    assert json.dumps(logged).count("&lt;this&gt;") >= 1  # and escaped on the way out


async def test_a_button_in_the_app_home_answers_in_the_members_dm(slack: SlackHarness) -> None:
    buttons = await shown_buttons(slack)
    pressed = press(slack, buttons["Unsure"], user="U2")
    del pressed["channel"], pressed["response_url"]
    pressed["container"] = {"type": "view", "view_id": "VHOME"}
    await slack.interact(pressed)
    posted = (await wait_for(lambda: slack.fake.called("chat.postMessage")))[0]
    assert posted["channel"] == "U2"  # the app's messages tab with Bob
    assert "Bob is unsure about `lag`" in texts(posted["blocks"])


async def test_closing_refuses_new_requests_and_reports_unhealthy(slack: SlackHarness) -> None:
    assert slack.adapter.healthy()
    await slack.adapter.close()
    assert not slack.adapter.healthy()
    status, _ = await slack.command("/objection", "late Too late. to:lag")
    assert status == 503
    await slack.settle()
    assert slack.fake.responses == []
