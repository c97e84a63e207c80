"""Slash commands over signed HTTP: answers, visibility, retries, signatures, moderators."""

from __future__ import annotations

import json
import logging
import re
import time
from typing import Any

import pytest
from aiohttp import web

from adapters.settings import Settings
from adapters.slack.runner import create_slack_adapter
from bot.app import Cruxbot
from bot.commands.actions import decode_action
from bot.commands.spec import COMMANDS_BY_NAME
from testing_support.slack import SLACK_MODERATOR, SlackHarness, check_blocks, wait_for
from tests.conftest import text_of


def texts(blocks: list[dict[str, Any]]) -> str:
    """Every piece of text in the blocks, as one string."""
    parts: list[str] = []
    for block in blocks:
        parts.append((block.get("text") or {}).get("text", ""))
        parts.extend(item["text"] for item in block.get("fields") or [])
        for element in block.get("elements") or []:
            text = element.get("text")
            parts.append(text.get("text", "") if isinstance(text, dict) else str(text or ""))
    return "\n".join(parts)


async def answer(slack: SlackHarness, count: int = 1) -> dict[str, Any]:
    """The `count`-th thing posted to a response_url."""
    await wait_for(lambda: len(slack.fake.responses) >= count)
    return slack.fake.responses[count - 1][1]


async def objection_count(slack: SlackHarness) -> str:
    return (await slack.core.handle_line("/list objections", SLACK_MODERATOR)).footer


async def test_objection_lag_answers_in_channel_with_valid_blocks(slack: SlackHarness) -> None:
    status, _ = await slack.command("/objection", "lag")
    assert status == 200
    body = await answer(slack)
    assert body["response_type"] == "in_channel"
    check_blocks(body["blocks"])
    shown = texts(body["blocks"])
    assert "*Objection `lag`: Alignment progress may stay one step behind capabilities*" in shown
    assert "Priya" in shown and "Against" in shown
    buttons = [e for b in body["blocks"] if b["type"] == "actions" for e in b["elements"]]
    labels = [e["text"]["text"] for e in buttons if e["type"] == "button"]
    assert labels[:5] == ["Agree", "Disagree", "Unsure", "Steelman", "Reply"]
    assert all(decode_action(e["action_id"]).command for e in buttons)
    menu = next(e for e in buttons if e["type"] == "overflow")
    assert "open" not in [o["value"] for o in menu["options"]]  # lag is open already
    assert body["text"].startswith("Objection `lag`")


async def test_steelman_as_typed(slack: SlackHarness) -> None:
    await slack.command("/steelman", "blank-slate")
    body = await answer(slack)
    check_blocks(body["blocks"])
    assert "Steelman of `blank-slate`" in texts(body["blocks"])


async def test_text_after_the_slug_logs_once_even_when_slack_retries(slack: SlackHarness) -> None:
    before = await objection_count(slack)
    command = slack.command_body("/objection", "new-doubt Checking is not enough. to:lag")
    form = "application/x-www-form-urlencoded"
    assert (await slack.post(command, form))[0] == 200
    first = await answer(slack)
    retried = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
    assert (await slack.post(command, form, headers=retried))[0] == 200
    await slack.settle()
    assert len(slack.fake.responses) == 1
    assert "Objection `new-doubt`" in texts(first["blocks"])
    assert first["response_type"] == "in_channel"
    logged = await slack.core.handle_line("/objection new-doubt", SLACK_MODERATOR)
    assert "Author: Ann" in text_of(logged)
    assert "6 in all" in before and "7 in all" in await objection_count(slack)


async def test_bad_signature_and_stale_timestamp_get_401_and_change_nothing(
    slack: SlackHarness,
) -> None:
    before = await objection_count(slack)
    body = slack.command_body("/objection", "forged Logged by a forger. to:lag")
    form = "application/x-www-form-urlencoded"
    assert (await slack.post(body, form, secret="not-the-secret"))[0] == 401
    stale = int(time.time()) - 10 * 60
    assert (await slack.post(body, form, timestamp=stale))[0] == 401
    await slack.settle()
    assert slack.fake.responses == []
    assert [c.method for c in slack.fake.calls] == []
    assert await objection_count(slack) == before


async def test_replies_for_the_caller_alone_are_ephemeral(slack: SlackHarness) -> None:
    await slack.command("/history", "")
    history = await answer(slack)
    assert history["response_type"] == "ephemeral"
    check_blocks(history["blocks"])
    await slack.command("/objection", "", trigger="tr-2")
    refused = await answer(slack, 2)
    assert refused["response_type"] == "ephemeral"
    assert ":warning:" in texts(refused["blocks"])


async def test_admins_and_listed_users_are_moderators(slack: SlackHarness) -> None:
    await slack.command("/delete", "lag", user="U1")
    assert (await answer(slack))["response_type"] == "ephemeral"  # Ann is not Priya
    assert "lag" in text_of(await slack.core.handle_line("/objection lag", SLACK_MODERATOR))
    await slack.command("/delete", "lag", user="UMOD", trigger="tr-2")  # listed in settings
    deleted = await answer(slack, 2)
    assert ":warning:" not in texts(deleted["blocks"])
    shown = await slack.core.handle_line("/objection lag", SLACK_MODERATOR)
    assert "deleted" in text_of(shown)
    await slack.command("/restore", "lag", user="UADMIN", trigger="tr-3")  # a workspace admin
    restored = await answer(slack, 3)
    assert ":warning:" not in texts(restored["blocks"])
    shown = await slack.core.handle_line("/objection lag", SLACK_MODERATOR)
    assert "deleted" not in text_of(shown)


async def test_an_unexpected_failure_shows_an_error_id_that_is_logged(
    slack: SlackHarness, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    async def broken(line: str, caller: object) -> None:
        raise RuntimeError("the database caught fire")

    with monkeypatch.context() as patch:
        patch.setattr(slack.core, "handle_line", broken)
        await slack.command("/objection", "lag")
        failed = await answer(slack)
    assert failed["response_type"] == "ephemeral"
    found = re.search(r"error id ([0-9a-f]{8})", texts(failed["blocks"]))
    assert found is not None
    assert f"error id {found.group(1)}" in caplog.text
    assert "the database caught fire" not in texts(failed["blocks"])
    await slack.command("/objection", "lag", trigger="tr-2")  # still running
    assert "Objection `lag`" in texts((await answer(slack, 2))["blocks"])


async def test_commands_slack_keeps_for_itself_work_under_crux_names(slack: SlackHarness) -> None:
    await slack.command("/crux-search", "evaluation")
    found = await answer(slack)
    assert "Search: evaluation" in texts(found["blocks"])
    await slack.command("/crux-status", "lag parked", user="UMOD", trigger="tr-2")
    assert ":warning:" not in texts((await answer(slack, 2))["blocks"])
    assert "Status: parked" in text_of(
        await slack.core.handle_line("/objection lag", SLACK_MODERATOR)
    )


@pytest.mark.skipif("export" not in COMMANDS_BY_NAME, reason="no /export command in the spec")
async def test_export_posts_the_map_as_a_file_in_the_channel(slack: SlackHarness) -> None:
    await slack.command("/export", "md")
    said = await answer(slack)
    assert "Export: cruxbot-map.md" in texts(said["blocks"])
    completed = await wait_for(lambda: slack.fake.called("files.completeUploadExternal"))
    assert completed[0]["channel_id"] == "C1"
    assert json.loads(completed[0]["files"])[0]["title"] == "cruxbot-map.md"
    assert b"lag" in slack.fake.uploads[0]
    slack.fake.errors["files.completeUploadExternal"] = "not_in_channel"
    await slack.command("/export", "md", trigger="tr-2")
    refused = await answer(slack, 3)
    assert refused["response_type"] == "ephemeral"
    assert "/invite @Cruxbot" in texts(refused["blocks"])


async def test_help_and_hints_name_the_commands_slack_keeps_by_their_crux_names(
    slack: SlackHarness,
) -> None:
    await slack.command("/help", "")
    listed = texts((await answer(slack))["blocks"])
    assert "/crux-status" in listed and "/crux-search" in listed and "/crux-rename" in listed
    assert not re.search(r"(?<![\w-])/(status|search|rename)\b", listed)
    await slack.command("/help", "status", trigger="tr-2")
    one = texts((await answer(slack, 2))["blocks"])
    assert "/crux-status lag answered" in one
    await slack.command("/crux-search", "", trigger="tr-3")  # an error whose message names it
    refused = texts((await answer(slack, 3))["blocks"])
    assert "/crux-search evaluation" in refused


async def test_a_members_text_naming_a_command_is_shown_as_written(slack: SlackHarness) -> None:
    await slack.command("/claim", "typed Use /status and /search to triage.", trigger="tr-4")
    await answer(slack)
    await slack.command("/claim", "typed", trigger="tr-5")
    shown = texts((await answer(slack, 2))["blocks"])
    assert "Use /status and /search to triage." in shown


def test_a_token_in_the_environment_raises_no_warning_at_start(
    app: Cruxbot, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")  # as `cruxbot serve slack` is run
    settings = Settings(
        database_url="sqlite://", slack_bot_token="xoxb-test", slack_signing_secret="s"
    )
    with caplog.at_level(logging.WARNING):
        create_slack_adapter(app, settings, web.Application())
    assert "unused" not in caplog.text
