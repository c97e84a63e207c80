"""Slack's events: a mention, a direct message, the App Home opened.

Unlike commands, buttons and forms (adapters/slack/listeners.py), Slack does
not wait on an event: Bolt acknowledges it before its listener runs, so the
answer is posted to the conversation afterwards, and a re-delivered event is
recognised by its event id (the core records it with the command it runs).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.blocks import home_view
from adapters.slack.delivery import Outbox, Target, Work
from adapters.slack.files import import_shared_file, wants_import
from adapters.slack.members import MemberDirectory, workspace_of
from adapters.slack.mrkdwn import from_slack
from bot.app import Cruxbot
from bot.errors import UserError
from bot.render.reply import Reply

log = logging.getLogger(__name__)

Body = Mapping[str, Any]

#: What the App Home shows, each run as the member who opened it.
HOME_LINES = ("/ask", "/reading", "/list objections open", "/history")
_LEADING_MENTION = re.compile(r"^\s*<@[A-Z0-9]+(?:\|[^>]*)?>")


class SlackEvents:
    """The event listeners; `SlackListeners` adds commands, buttons and forms to them."""

    def __init__(
        self, core: Cruxbot, directory: MemberDirectory, outbox: Outbox, work: Work
    ) -> None:
        """Share the core, the member directory, the reply route and the work tracker."""
        self.core = core
        self.directory = directory
        self.outbox = outbox
        self.work = work

    def register(self, bolt: AsyncApp) -> None:
        """Listen for mentions, direct messages and the App Home."""
        bolt.event("app_mention")(self.on_mention)
        bolt.event("message")(self.on_message)
        bolt.event("app_home_opened")(self.on_home)

    async def on_mention(
        self, body: Body, event: Body, client: AsyncWebClient, context: AsyncBoltContext
    ) -> None:
        """`@Cruxbot lag`: answer in the message's thread.

        `@Cruxbot import` with a file attached imports that file.
        """
        await self._answer_message(body, event, client, context, in_thread=True)

    async def on_message(
        self, body: Body, event: Body, client: AsyncWebClient, context: AsyncBoltContext
    ) -> None:
        """A direct message to the bot is answered as a mention is, in the conversation.

        Only messages members type in the app's messages tab count: edits,
        joins and other subtypes, and anything a bot posted, are left alone.
        """
        if event.get("channel_type") != "im" or event.get("subtype") or event.get("bot_id"):
            return
        await self._answer_message(body, event, client, context, in_thread=False)

    async def _answer_message(
        self,
        body: Body,
        event: Body,
        client: AsyncWebClient,
        context: AsyncBoltContext,
        *,
        in_thread: bool,
    ) -> None:
        """Run a message addressed to the bot (a mention or a DM) and post the answer."""
        channel = str(event.get("channel", ""))
        thread = event.get("thread_ts") or (event.get("ts") if in_thread else "")
        target = Target(
            user_id=str(event.get("user", "")), channel_id=channel, thread_ts=str(thread or "")
        )

        async def run() -> None:
            if not body.get("event_id"):
                return
            raw = str(event.get("text", ""))
            if context.bot_user_id:
                raw = re.sub(rf"<@{re.escape(context.bot_user_id)}(?:\|[^>]*)?>", " ", raw)
            else:
                raw = _LEADING_MENTION.sub(" ", raw, count=1)
            try:
                caller = await self.directory.request_caller(
                    client,
                    context,
                    body,
                    (target.user_id, ""),
                    channel,
                    request_key=f"slack:event:{body['event_id']}",
                )
            except UserError as exc:
                await self.outbox.send(client, target, Reply.failure(exc.message, exc.hint))
                return
            asked = from_slack(raw).strip()
            files = event.get("files") or []
            if wants_import(asked, files):
                reply = await import_shared_file(self.core, client, files, caller)
            else:
                reply = await self.core.answer_mention(asked, caller)
            if reply.already_handled:
                log.info("event %s re-delivered; answered already", body["event_id"])
                return
            if not reply.error:  # asked in the open, answered in the open (the thread)
                reply = replace(reply, ephemeral=False)
            await self.outbox.send(client, target, reply)

        await self.work.guarded("mention", run, lambda r: self.outbox.send(client, target, r))

    async def on_home(
        self, body: Body, event: Body, client: AsyncWebClient, context: AsyncBoltContext
    ) -> None:
        """The App Home tab: a button to ask, readings, open objections and recent activity."""
        if event.get("tab", "home") != "home":
            return
        user_id = str(event.get("user", ""))

        async def run() -> None:
            key = f"slack:event:{body.get('event_id', '')}"
            if body.get("event_id") and not await self.core.first_delivery(key):
                return
            if not workspace_of(context):
                log.warning("app home opened in an installation the event does not name")
                return
            caller = await self.directory.request_caller(client, context, body, (user_id, ""), "")
            replies = [await self.core.handle_line(line, caller) for line in HOME_LINES]
            await client.views_publish(user_id=user_id, view=home_view(replies))

        await self.work.guarded("app home", run)
