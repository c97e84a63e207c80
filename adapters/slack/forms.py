"""Submitted modals: what they hold, and what the core says is wrong with it.

Once a modal has closed, a refusal can only be posted, and what the member
typed is gone. So before running a form's command the listener asks the core
what it would refuse (`Cruxbot.problems`: a missing target, an unknown or
taken nickname, text too long) and, if anything, answers the submission with
Slack's `response_action: "errors"`, naming each field: the modal stays open
with the text in it. The rules are the core's; this module only translates
them into Slack's shape.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Mapping
from typing import Any

from adapters.slack.blocks import modal_values
from adapters.slack.mrkdwn import plain
from adapters.slack.names import slack_command_names
from bot.app import Cruxbot
from bot.commands import actions
from bot.context import Caller
from bot.render.reply import Action

log = logging.getLogger(__name__)

#: How long the check may take: it comes out of Slack's 3 seconds for the answer.
CHECK_SECONDS = 1.0
#: Slack shows an error under its field; a short line reads best there.
ERROR_TEXT = 300


def metadata_of(view: Mapping[str, Any]) -> dict[str, str]:
    """The private_metadata the app put in a modal it opened ({} if unreadable)."""
    try:
        metadata = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        return {}
    return {str(k): str(v) for k, v in metadata.items()} if isinstance(metadata, dict) else {}


def form_arguments(view: Mapping[str, Any], action: Action) -> dict[str, str]:
    """The options to run, by the core's one rule for forms (`actions.form_arguments`)."""
    return actions.form_arguments(action, modal_values(view))


def input_blocks(view: Mapping[str, Any]) -> set[str]:
    """The block ids of the modal's input fields (the names its errors may use)."""
    return {
        str(block.get("block_id"))
        for block in view.get("blocks") or []
        if isinstance(block, Mapping) and block.get("type") == "input"
    }


async def form_errors(
    core: Cruxbot, action: Action, args: Mapping[str, str], caller: Caller, view: Mapping[str, Any]
) -> dict[str, str]:
    """Slack's `errors` for a submission: field (block id) -> what to fix; {} to run it.

    Only fields the member can change are named (Slack refuses errors for
    other blocks); anything else, and a check that fails or takes too long,
    is left to the command, which still decides.
    """
    try:
        problems = await asyncio.wait_for(
            core.problems(action.command, args, caller, action.ask), CHECK_SECONDS
        )
    except Exception:
        log.warning("checking a form of /%s failed; it runs unchecked", action.command)
        return {}
    editable = input_blocks(view) - set(action.arguments)
    return {
        name: plain(slack_command_names(message), ERROR_TEXT)
        for name, message in problems.items()
        if name in editable
    }


def prefilled(view: Mapping[str, Any], block_id: str) -> str:
    """The initial value of a text input in a view as Slack sent it back ("" if none)."""
    for block in view.get("blocks") or []:
        if isinstance(block, Mapping) and block.get("block_id") == block_id:
            element = block.get("element") or {}
            return str(element.get("initial_value") or "")
    return ""
