"""Getting a Reply to the member, and keeping failures short and traceable.

A reply goes where the request came from: its response_url (slash commands,
buttons, shortcuts), else the channel (chat.postMessage, or chat.postEphemeral
for replies only the caller needs), else the member's DM with the app (App
Home buttons). Files (exports, images) are uploaded to the channel. Every Web
API call carries slack_sdk's retry handlers, so 429s wait for Retry-After and
dropped connections are tried again.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from adapters.inflight import InFlight
from adapters.slack.blocks import message
from adapters.slack.mrkdwn import escape
from bot.errors import UserError, unexpected_failure
from bot.render.reply import Reply

log = logging.getLogger(__name__)

RETRIES = 3

#: How long a request's acknowledgement may wait for its command to commit. Slack gives
#: up after 3 seconds, and so does Bolt, which answers 404 when no acknowledgement came
#: by then: 1.5 s leaves time for a busy event loop to send the acknowledgement.
ACK_BUDGET = 1.5


def retry_handlers() -> list[AsyncRetryHandler]:
    """Retry rate-limited calls after Retry-After, and calls whose connection failed."""
    return [
        AsyncConnectionErrorRetryHandler(max_retry_count=RETRIES),
        AsyncRateLimitErrorRetryHandler(max_retry_count=RETRIES),
    ]


def request_key(kind: str, *parts: str) -> str:
    """A stable id for one Slack request, the same on every re-delivery of it."""
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:40]
    return f"slack:{kind}:{digest}"


@dataclass(frozen=True)
class Target:
    """Where the answer to one request goes."""

    user_id: str
    channel_id: str = ""
    response_url: str = ""
    thread_ts: str = ""


class Outbox:
    """Sends replies to a Target, falling back when a route is closed."""

    async def send(self, client: AsyncWebClient, target: Target, reply: Reply) -> None:
        """Deliver `reply`: ephemeral when it only concerns the caller, else in channel.

        A file the reply carries (an export, an image) follows in the same channel.
        """
        await self._send_message(client, target, reply)
        for name, content, comment in _files(reply):
            await self._send_file(client, target, name, content, comment)

    async def _send_message(self, client: AsyncWebClient, target: Target, reply: Reply) -> None:
        payload = message(reply)
        if target.response_url and await self._respond(target.response_url, payload, reply):
            return
        thread: dict[str, Any] = {"thread_ts": target.thread_ts} if target.thread_ts else {}
        if target.channel_id:
            try:
                if reply.ephemeral:
                    await client.chat_postEphemeral(
                        channel=target.channel_id, user=target.user_id, **thread, **payload
                    )
                else:
                    await client.chat_postMessage(channel=target.channel_id, **thread, **payload)
                return
            except SlackApiError as exc:  # e.g. not_in_channel: fall back to a DM
                log.warning(
                    "posting to %s failed: %s", target.channel_id, exc.response.get("error")
                )
        await client.chat_postMessage(channel=target.user_id, **payload)

    async def _send_file(
        self, client: AsyncWebClient, target: Target, name: str, content: bytes, comment: str
    ) -> None:
        problem = "Open the command in a channel to get the file."
        if target.channel_id:
            try:
                await client.files_upload_v2(
                    channel=target.channel_id,
                    filename=name,
                    title=name,
                    content=content,
                    initial_comment=escape(comment) if comment else None,
                    thread_ts=target.thread_ts or None,
                )
                return
            except SlackApiError as exc:
                log.warning("uploading %s failed: %s", name, exc.response.get("error"))
                problem = "Invite the app to this channel first (`/invite @Cruxbot`)."
        notice = Reply.failure(f"Cruxbot could not post the file {name} here.", problem)
        await self._send_message(client, target, notice)

    async def _respond(self, url: str, payload: dict[str, Any], reply: Reply) -> bool:
        webhook = AsyncWebhookClient(url, retry_handlers=retry_handlers())
        body = {
            **payload,
            "response_type": "ephemeral" if reply.ephemeral else "in_channel",
            "replace_original": False,
        }
        try:
            response = await webhook.send_dict(body)
        except Exception:
            log.warning("response_url failed", exc_info=True)
            return False
        if response.status_code != 200:
            log.warning("response_url answered %s: %s", response.status_code, response.body)
            return False
        return True


def _files(reply: Reply) -> list[tuple[str, bytes, str]]:
    """(file name, content, comment) of the file the reply asks to post (an export, a map)."""
    attached = reply.attachment
    if attached is None:
        return []
    return [(attached.filename, attached.content, attached.description)]


class Work:
    """In-flight work: counted for a graceful close, and never allowed to escape.

    Each request's slow part runs inside `guarded`: an unexpected exception is
    logged with an error id and the member is told that id, briefly and only
    them, while the bot keeps running.
    """

    def __init__(self) -> None:
        """Start idle."""
        self._in_flight = InFlight()

    async def guarded(
        self,
        what: str,
        work: Callable[[], Awaitable[None]],
        notify: Callable[[Reply], Awaitable[None]] | None = None,
    ) -> None:
        """Run `work`; on failure log it with an error id and `notify` the member."""
        async with self._in_flight.track():
            try:
                await work()
            except Exception as exc:
                failure = unexpected_failure(f"slack {what}", exc, logger=log)
                if notify is None:
                    return
                try:
                    await notify(failure)
                except Exception:
                    log.exception("could not report error id %s to the member", failure.error_id)

    async def answer(
        self,
        what: str,
        ack: AsyncAck,
        run: Callable[[], Awaitable[Reply | None]],
        send: Callable[[Reply], Awaitable[None]],
        *,
        working: str = "",
    ) -> None:
        """Acknowledge a request only once its command has committed, then answer it.

        Slack hears "200 OK" as "done": acknowledging first and crashing before
        the commit would lose a command Slack will not send again. Commands take
        milliseconds, so the acknowledgement waits for the commit; one that
        outlasts ACK_BUDGET is acknowledged with `working` ("working on it") and
        answered when it ends. A re-delivered request is acknowledged and
        answered nothing more. `run` returns None when it answered by itself.
        """
        async with self._in_flight.track():
            task = asyncio.ensure_future(self._reply_of(what, run))
            done, _ = await asyncio.wait({task}, timeout=ACK_BUDGET)
            if not done:
                await (ack(text=working) if working else ack())
            reply = await task
            if done:
                await ack()
            if reply is None:
                return
            if reply.already_handled:
                log.info("slack %s re-delivered; applied and answered already", what)
                return
            try:
                await send(reply)
            except Exception:
                log.exception("slack %s: the answer could not be delivered", what)

    async def _reply_of(
        self, what: str, run: Callable[[], Awaitable[Reply | None]]
    ) -> Reply | None:
        try:
            return await run()
        except UserError as exc:  # refused before reaching the core (e.g. no workspace)
            return Reply.failure(exc.message, exc.hint)
        except Exception as exc:
            return unexpected_failure(f"slack {what}", exc, logger=log)

    async def wait_idle(self, grace: float) -> bool:
        """Wait for in-flight work to finish; False if it did not in time."""
        return await self._in_flight.wait_idle(grace)
