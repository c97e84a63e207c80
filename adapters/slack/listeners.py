"""Bolt listeners: each Slack request becomes one core call and one reply.

A command, button or form is acknowledged only once its command has committed
(Slack hears the acknowledgement as "done"), within Slack's 3 seconds; see
`Work.answer`. Each request's stable id travels with the caller
(`Caller.request_key`) and commits with the command's rows, so a request Slack
re-delivers (X-Slack-Retry-Num, a Socket Mode retry) is applied and answered
once. Events are acknowledged by Bolt itself, before their listener runs.

Which workspace a request belongs to is Bolt's reading of it (its context:
the team, or the organisation of an org-wide install), see `members`; a form
is checked by the core before it closes, see `forms`.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.async_context import AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.blocks import INPUT_TEXT, WEB_LINK_ACTION, action_modal
from adapters.slack.delivery import Target, request_key
from adapters.slack.events import SlackEvents
from adapters.slack.forms import form_arguments, form_errors, metadata_of, prefilled
from adapters.slack.members import PLATFORM, workspace_of
from adapters.slack.mrkdwn import from_slack, from_slack_keeping_credit
from adapters.slack.names import core_command, slack_command
from bot.commands.actions import decode_action, encode_action
from bot.commands.forms import LOG_AS, log_as_action, with_choice
from bot.commands.spec import COMMANDS
from bot.context import Caller, QuotedMessage
from bot.errors import UserError
from bot.render.reply import Action, Reply

log = logging.getLogger(__name__)

Body = Mapping[str, Any]

#: Message shortcut callback ids and the kind of statement each one logs (the core's list).
SHORTCUTS = {f"log_{entry.kind}": entry.kind for entry in LOG_AS}
#: The acknowledgement of a command that outlasts Slack's patience; the answer follows.
WORKING = "Working on it…"


def _channel_of(body: Body) -> str:
    channel = body.get("channel") or {}
    container = body.get("container") or {}
    return str(channel.get("id") or container.get("channel_id") or "")


def _user_of(body: Body) -> tuple[str, str]:
    user = body.get("user") or {}
    return str(user.get("id", "")), str(user.get("username") or user.get("name") or "")


class SlackListeners(SlackEvents):
    """The adapter's request handlers, registered on one Bolt AsyncApp.

    They extend the event listeners (mentions, messages, App Home), which
    share the same core, member directory, reply route and work tracker.
    """

    def register(self, bolt: AsyncApp) -> None:
        """Listen for every command in the spec, every button, modal, shortcut and event."""
        for spec in COMMANDS:
            bolt.command(slack_command(spec.name))(self.on_command)
        bolt.action(re.compile(".*"))(self.on_action)
        bolt.view_submission(re.compile(".*"))(self.on_modal)
        for callback_id in SHORTCUTS:
            bolt.shortcut(callback_id)(self.on_shortcut)
        super().register(bolt)
        bolt.error(self.on_error)

    async def on_command(
        self, ack: AsyncAck, body: Body, client: AsyncWebClient, context: AsyncBoltContext
    ) -> None:
        """`/objection lag`: run the line as typed, acknowledge once committed, answer."""
        target = Target(
            user_id=str(body.get("user_id", "")),
            channel_id=str(body.get("channel_id", "")),
            response_url=str(body.get("response_url", "")),
        )
        command = str(body.get("command", ""))
        text, credited = from_slack_keeping_credit(str(body.get("text", "")))

        async def run() -> Reply:
            caller = await self.directory.request_caller(
                client,
                context,
                body,
                (target.user_id, str(body.get("user_name", ""))),
                target.channel_id,
                request_key=request_key(
                    "command",
                    *(
                        str(body.get(k, ""))
                        for k in ("team_id", "channel_id", "user_id", "command")
                    ),
                    str(body.get("text", "")),
                    str(body.get("trigger_id", "")),
                ),
            )
            names = [
                (user, (await self.directory.member(client, caller.workspace_id, user)).name)
                for user in credited
            ]
            caller = replace(caller, member_names=tuple(names))
            return await self.core.handle_line(f"/{core_command(command)} {text}", caller)

        await self.work.answer(
            f"command {command}",
            ack,
            run,
            lambda r: self.outbox.send(client, target, r),
            working=WORKING,
        )

    async def on_action(
        self, ack: AsyncAck, body: Body, client: AsyncWebClient, context: AsyncBoltContext
    ) -> None:
        """A button or the status menu: run its command as the presser, or open a modal."""
        pressed: Mapping[str, Any] = (body.get("actions") or [{}])[0]
        if pressed.get("action_id") == WEB_LINK_ACTION:
            await ack()  # Slack opened the page itself; there is nothing to run
            return
        user_id, _ = _user_of(body)
        target = Target(user_id, _channel_of(body), str(body.get("response_url", "")))
        key = request_key(
            "action",
            str(body.get("trigger_id", "")),
            str(pressed.get("action_ts", "")),
            str(pressed.get("action_id", "")),
        )

        async def run() -> Reply | None:
            chosen: Mapping[str, Any] = pressed.get("selected_option") or {}
            label = str((pressed.get("text") or chosen.get("text") or {}).get("text", ""))
            try:
                action = decode_action(str(pressed.get("action_id", "")), label)
                if pressed.get("type") in ("overflow", "static_select"):
                    action = with_choice(action, str(chosen.get("value", "")))
            except UserError as exc:
                return Reply.failure(exc.message, exc.hint)
            if action.ask or action.offer:
                if not await self.core.first_delivery(key):
                    return None
                metadata = {"a": encode_action(action), "c": target.channel_id}
                if target.response_url:
                    metadata["r"] = target.response_url
                view = action_modal(action, json.dumps(metadata))
                await client.views_open(trigger_id=str(body.get("trigger_id", "")), view=view)
                return None
            caller = await self.directory.request_caller(
                client, context, body, _user_of(body), target.channel_id, request_key=key
            )
            return await self.core.run(action.command, action.arguments, caller)

        await self.work.answer("button", ack, run, lambda r: self.outbox.send(client, target, r))

    async def on_shortcut(self, ack: AsyncAck, body: Body, client: AsyncWebClient) -> None:
        """The "Log as objection/claim" shortcut: a modal prefilled with the message."""
        await ack()
        kind = SHORTCUTS.get(str(body.get("callback_id", "")), LOG_AS[0].kind)
        posted: Mapping[str, Any] = body.get("message") or {}
        user_id, _ = _user_of(body)
        target = Target(user_id, _channel_of(body), str(body.get("response_url", "")))

        async def run() -> None:
            key = request_key("shortcut", str(body.get("trigger_id", "")))
            if not await self.core.first_delivery(key):
                return
            action = log_as_action(kind)
            metadata = {
                "a": encode_action(action),
                "c": target.channel_id,
                "r": target.response_url,
                "m": str(posted.get("ts", "")),
            }
            text = from_slack(str(posted.get("text", "")))
            if len(text) <= INPUT_TEXT:
                # The writer can be quoted only if the form holds all they wrote.
                metadata["u"] = str(posted.get("user") or posted.get("bot_id") or "")
            view = action_modal(action, json.dumps(metadata), {"text": text})
            await client.views_open(trigger_id=str(body.get("trigger_id", "")), view=view)

        await self.work.guarded("shortcut", run, lambda r: self.outbox.send(client, target, r))

    async def on_modal(
        self, ack: AsyncAck, body: Body, client: AsyncWebClient, context: AsyncBoltContext
    ) -> None:
        """A submitted modal: kept open naming what the core would refuse, else run."""
        view: Mapping[str, Any] = body.get("view") or {}
        metadata = metadata_of(view)
        user = _user_of(body)
        target = Target(user[0], metadata.get("c", ""), metadata.get("r", ""))
        refusal: Reply | None = None
        try:
            action: Action | None = decode_action(metadata.get("a", ""))
        except UserError as exc:
            action, refusal = None, Reply.failure(exc.message, exc.hint)
        if action is not None and workspace_of(context):
            args = form_arguments(view, action)
            asking = Caller(PLATFORM, workspace_of(context), user[0], user[1], target.channel_id)
            errors = await form_errors(self.core, action, args, asking, view)
            if errors:
                await ack(response_action="errors", errors=errors)
                return

        async def run() -> Reply | None:
            if action is None:
                return refusal
            origin = await _permalink(client, target.channel_id, metadata.get("m", ""))
            caller = await self.directory.request_caller(
                client,
                context,
                body,
                user,
                target.channel_id,
                origin_url=origin,
                request_key=request_key("view", str(view.get("id", "")), str(view.get("hash", ""))),
            )
            caller = await self._quoting(client, caller, metadata.get("u", ""), view)
            return await self.core.run(action.command, form_arguments(view, action), caller)

        await self.work.answer("modal", ack, run, lambda r: self.outbox.send(client, target, r))

    async def _quoting(
        self, client: AsyncWebClient, caller: Caller, writer: str, view: Mapping[str, Any]
    ) -> Caller:
        """The caller of a "Log as" form, with the message it was opened on.

        The writer comes from the form's private_metadata and the message's
        text from the form's own prefilled text input: Slack keeps the view
        we opened and sends both back in the signed submission, and a member
        can change only the values typed in. The core compares the submitted
        text with that original and decides whom the statement quotes.
        """
        if not writer:
            return caller
        original = prefilled(view, "text")
        name = (await self.directory.member(client, caller.workspace_id, writer)).name
        quoted = QuotedMessage(text=original, author_id=writer, author_name=name)
        return replace(caller, quoted=quoted)

    async def on_error(self, error: Exception, body: Body) -> None:
        """Errors Bolt itself caught (our own listeners report theirs)."""
        log.error("slack request failed: %s (type %s)", error, body.get("type"), exc_info=error)


async def _permalink(client: AsyncWebClient, channel: str, message_ts: str) -> str:
    """The link to a message, or "" if Slack will not give one."""
    if not channel or not message_ts:
        return ""
    try:
        response = await client.chat_getPermalink(channel=channel, message_ts=message_ts)
    except Exception:
        log.warning("chat.getPermalink failed", exc_info=True)
        return ""
    return str(response.get("permalink") or "")
