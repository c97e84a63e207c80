"""`cruxbot serve slack`: the Bolt app in Socket Mode or HTTP mode.

Socket Mode (SLACK_APP_TOKEN set) needs no public URL: the app dials out to
Slack. HTTP mode adds POST /slack/events to the process's web server, where
each request's signature is checked with SLACK_SIGNING_SECRET before Bolt
parses it (bad or stale ones get 401, signed but malformed ones 400: see
guard.py). Either way the Web API client talks to SLACK_API_BASE_URL with
retries for rate limits and dropped connections.
"""

from __future__ import annotations

import logging

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped
from slack_sdk.web.async_client import AsyncWebClient

from adapters.base import ChatAdapter
from adapters.settings import Settings
from adapters.slack.blocks import message
from adapters.slack.delivery import Outbox, Work, retry_handlers
from adapters.slack.guard import SlackGuard
from adapters.slack.listeners import SlackListeners
from adapters.slack.members import MemberDirectory, installation_id
from adapters.sweeper import MeetingSweeper
from bot.app import Cruxbot
from bot.events import ClosedMeeting

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"


class _TokenGivenTwice(logging.Filter):
    """Drops Bolt's "`token` will be unused" warning.

    Bolt reads SLACK_BOT_TOKEN from the environment even when given a client,
    and warns that the token is unused; here the client holds that very token
    (see build_client), so the warning would only alarm whoever reads the log.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != warning_client_prioritized_and_token_skipped()


logging.getLogger(f"slack_bolt.{AsyncApp.__name__}").addFilter(_TokenGivenTwice())


def build_client(settings: Settings) -> AsyncWebClient:
    """The Web API client: the bot token, the configured base URL, retry handlers."""
    base_url = settings.slack_api_base_url
    if not base_url.endswith("/"):
        base_url += "/"
    return AsyncWebClient(
        token=settings.slack_bot_token, base_url=base_url, retry_handlers=retry_handlers()
    )


class SlackAdapter:
    """One Slack app (one workspace's bot token), served in one of Slack's two modes."""

    name = "slack"

    def __init__(self, core: Cruxbot, settings: Settings, web_app: web.Application) -> None:
        """Build the Bolt app and, in HTTP mode, mount POST /slack/events on `web_app`."""
        self.socket_mode = bool(settings.slack_app_token)
        #: How long close() waits for requests already acknowledged to finish.
        self.close_grace = settings.shutdown_grace_seconds
        self.work = Work()
        self.bolt = AsyncApp(
            client=build_client(settings),
            signing_secret=settings.slack_signing_secret,
            request_verification_enabled=not self.socket_mode,
            process_before_response=False,
            name="cruxbot",
        )
        self.listeners = SlackListeners(
            core, MemberDirectory(settings.slack_moderators), Outbox(), self.work
        )
        self.listeners.register(self.bolt)
        self.handler: AsyncSocketModeHandler | None = None
        if self.socket_mode:
            self.handler = AsyncSocketModeHandler(self.bolt, app_token=settings.slack_app_token)
        else:
            guard = SlackGuard(settings.slack_signing_secret)
            web_app.router.add_post(EVENTS_PATH, guard.protect(self.handle_http))
        self._started = False
        self._closing = False
        self._team: str | None = None
        self.sweeper = MeetingSweeper(core, "slack", self.post_minutes)

    async def post_minutes(self, meeting: ClosedMeeting) -> None:
        """Post a forgotten meeting's minutes in its channel, if the meeting is this token's.

        The sweep closes every Slack workspace's forgotten meetings, and the bot
        token posts into its own workspace's channels, whatever channel id it is
        given. So a meeting of another workspace (whose channel id may name one
        of ours, if a file imported there once said so) is closed, not posted.
        """
        team = await self._team_id()
        if meeting.workspace != team:
            log.warning(
                "not posting minutes of a meeting of workspace %s with the token of %s",
                meeting.workspace,
                team,
            )
            return
        await self.bolt.client.chat_postMessage(
            channel=meeting.channel_id, **message(meeting.minutes)
        )

    async def _team_id(self) -> str:
        """The workspace the bot token belongs to (asked once, with auth.test).

        For an org-wide install that is the organisation, as for requests
        (see `members`).
        """
        if self._team is None:
            answer = await self.bolt.client.auth_test()
            self._team = installation_id(
                answer.get("team_id"),
                answer.get("enterprise_id"),
                bool(answer.get("is_enterprise_install")),
            )
        return self._team

    async def handle_http(self, request: web.Request) -> web.Response:
        """POST /slack/events: Bolt verifies, acknowledges and dispatches."""
        if self._closing:
            return web.Response(status=503, text="shutting down")
        bolt_response = await self.bolt.async_dispatch(await to_bolt_request(request))
        return await to_aiohttp_response(bolt_response)

    async def start(self) -> None:
        """Connect the Socket Mode websocket (HTTP mode is served by the runner)."""
        if self.handler is not None:
            await self.handler.connect_async()  # type: ignore[no-untyped-call]
        self._started = True
        self.sweeper.start()
        log.info("slack adapter started in %s mode", "Socket" if self.socket_mode else "HTTP")

    async def close(self) -> None:
        """Refuse new requests, let acknowledged ones finish, then disconnect."""
        self._closing = True
        await self.sweeper.close()
        if not await self.work.wait_idle(self.close_grace):
            log.warning("slack: closing with work still running")
        if self.handler is not None:
            await self.handler.close_async()  # type: ignore[no-untyped-call]

    def healthy(self) -> bool:
        """Started, not closing, and (in Socket Mode) the websocket is open."""
        if not self._started or self._closing:
            return False
        if self.handler is None:
            return True
        session = self.handler.client.current_session
        return session is not None and not session.closed


def create_slack_adapter(
    core: Cruxbot, settings: Settings, web_app: web.Application
) -> ChatAdapter:
    """The factory `cruxbot serve` calls."""
    return SlackAdapter(core, settings, web_app)
