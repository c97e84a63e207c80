"""Slack on loopback: a mock Web API, a response_url sink and a Socket Mode socket.

Shared by the tests and the benchmarks (bench/adapters.py); the pytest fixtures
built on it are in tests/slack/conftest.py.

The adapter's real Bolt AsyncApp runs in HTTP mode, mounted on an aiohttp
application exactly as `cruxbot serve` mounts it, on an ephemeral port. Tests
send it correctly signed requests and look at what reached the fake.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import itertools
import json
import time
import weakref
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import aiohttp
from aiohttp import web
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from adapters.slack.runner import SlackAdapter
from bot.app import Cruxbot
from bot.context import Caller

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
TEAM = "T1"
BOT_USER = "UBOT"
#: Slack users the fake knows: an ordinary member, a workspace admin, a listed moderator.
USERS: dict[str, dict[str, Any]] = {
    "U1": {"id": "U1", "name": "ann", "profile": {"display_name": "Ann"}},
    "U2": {"id": "U2", "name": "bob", "profile": {"display_name": "Bob"}},
    "UADMIN": {"id": "UADMIN", "name": "ada", "is_admin": True, "profile": {"real_name": "Ada"}},
    "UMOD": {"id": "UMOD", "name": "mo", "profile": {"display_name": "Mo"}},
}
PERMALINK = "https://group.slack.com/archives/C1/p1700000000000100"
SLACK_MODERATOR = Caller(
    platform="slack", workspace_id=TEAM, user_id="UADMIN", user_name="Ada", is_moderator=True
)


@dataclass
class Call:
    """One request the app made to the fake Web API."""

    method: str
    args: dict[str, Any]
    at: float


@dataclass
class FakeSlack:
    """Slack's side of the conversation, on 127.0.0.1."""

    base: str = ""
    calls: list[Call] = field(default_factory=list)
    responses: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    limited: dict[str, int] = field(default_factory=dict)
    retry_after: int = 1
    acks: list[dict[str, Any]] = field(default_factory=list)
    uploads: list[bytes] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)
    sockets: list[web.WebSocketResponse] = field(default_factory=list)
    _ids: itertools.count[int] = field(default_factory=itertools.count)

    @property
    def api_url(self) -> str:
        return f"{self.base}/api/"

    def response_url(self) -> str:
        return f"{self.base}/respond/{next(self._ids)}"

    def called(self, method: str) -> list[dict[str, Any]]:
        return [c.args for c in self.calls if c.method == method]

    def rate_limit(self, method: str, times: int = 1, retry_after: int = 1) -> None:
        """Answer the next `times` calls of `method` with 429 and Retry-After."""
        self.limited[method] = times
        self.retry_after = retry_after

    async def api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        args: dict[str, Any] = dict(request.query)
        if request.content_type == "application/json":
            args.update(await request.json())
        elif request.can_read_body:
            args.update(await request.post())
        args["_token"] = request.headers.get("Authorization", "")
        self.calls.append(Call(method, args, time.monotonic()))
        _recorded()
        if self.limited.get(method, 0) > 0:
            self.limited[method] -= 1
            return web.json_response(
                {"ok": False, "error": "ratelimited"},
                status=429,
                headers={"Retry-After": str(self.retry_after)},
            )
        if method in self.errors:
            return web.json_response({"ok": False, "error": self.errors[method]})
        return web.json_response(self._answer(method, args))

    def _answer(self, method: str, args: Mapping[str, Any]) -> dict[str, Any]:
        if method == "auth.test":
            return {
                "ok": True,
                "url": "https://group.slack.com/",
                "team": "Group",
                "user": "cruxbot",
                "team_id": TEAM,
                "user_id": BOT_USER,
                "bot_id": "BBOT",
                "is_enterprise_install": False,
            }
        if method == "users.info":
            user = USERS.get(str(args.get("user")))
            return {"ok": True, "user": user} if user else {"ok": False, "error": "user_not_found"}
        if method == "chat.getPermalink":
            return {"ok": True, "channel": args.get("channel"), "permalink": PERMALINK}
        if method == "apps.connections.open":
            return {"ok": True, "url": self.base.replace("http", "ws", 1) + "/link"}
        if method in ("chat.postMessage", "chat.postEphemeral"):
            return {"ok": True, "channel": args.get("channel"), "ts": "1700000001.000100"}
        if method == "files.getUploadURLExternal":
            return {"ok": True, "upload_url": f"{self.base}/upload", "file_id": "F1"}
        if method == "files.completeUploadExternal":
            return {"ok": True, "files": [{"id": "F1"}]}
        if method in ("views.open", "views.publish"):
            return {"ok": True, "view": {"id": "V1", **dict(args.get("view") or {})}}
        return {"ok": True}

    async def respond(self, request: web.Request) -> web.Response:
        self.responses.append((request.match_info["id"], await request.json()))
        _recorded()
        return web.Response(text="ok")

    async def upload(self, request: web.Request) -> web.Response:
        self.uploads.append(await request.read())
        _recorded()
        return web.Response(text="OK - 1")

    async def link(self, request: web.Request) -> web.WebSocketResponse:
        """A Socket Mode websocket: hello, then whatever envelopes a test sends."""
        socket = web.WebSocketResponse(autoping=True)
        await socket.prepare(request)
        self.sockets.append(socket)
        _recorded()
        await socket.send_json({"type": "hello", "num_connections": 1})
        async for frame in socket:
            if frame.type == aiohttp.WSMsgType.TEXT:
                self.acks.append(json.loads(frame.data))
                _recorded()
        return socket

    def web_app(self) -> web.Application:
        application = web.Application()
        application.router.add_route("*", "/api/{method}", self.api)
        application.router.add_post("/respond/{id}", self.respond)
        application.router.add_get("/link", self.link)
        application.router.add_post("/upload", self.upload)
        return application


#: Per event loop (each test has its own): set whenever a fake records something.
_activity: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Event] = (
    weakref.WeakKeyDictionary()
)


def _activity_event() -> asyncio.Event:
    loop = asyncio.get_running_loop()
    if loop not in _activity:
        _activity[loop] = asyncio.Event()
    return _activity[loop]


def _recorded() -> None:
    """Wake whoever waits on a fake: a call, an answer, an upload or a socket frame arrived."""
    _activity_event().set()


async def wait_for(condition: Callable[[], Any], seconds: float = 5.0) -> Any:
    """The first truthy `condition()`, looked at again each time a fake records something.

    Side effects continue after Slack's acknowledgement, and every one the
    tests look for reaches a fake (a Web API call, a response_url answer, an
    upload, a socket frame), so nothing is waited for by the clock.
    """

    async def satisfied() -> Any:
        while True:
            value = condition()
            if value:
                return value
            arrived = _activity_event()
            arrived.clear()  # nothing recorded since `condition()` was looked at
            await arrived.wait()

    try:
        return await asyncio.wait_for(satisfied(), seconds)
    except TimeoutError:
        raise AssertionError("timed out waiting for the Slack app") from None


async def serve(application: web.Application) -> tuple[web.AppRunner, str]:
    """Serve on an ephemeral loopback port; (runner, base URL)."""
    runner = web.AppRunner(application)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    return runner, f"http://{host}:{port}"


def sign(body: str, timestamp: int, secret: str = SECRET) -> str:
    base = f"v0:{timestamp}:{body}".encode()
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


@dataclass
class SlackHarness:
    """The adapter under test, the fake it talks to, and ways to reach it."""

    core: Cruxbot
    fake: FakeSlack
    adapter: SlackAdapter
    url: str
    session: aiohttp.ClientSession

    async def post(
        self,
        body: str,
        content_type: str,
        *,
        timestamp: int | None = None,
        secret: str = SECRET,
        headers: Mapping[str, str] | None = None,
    ) -> tuple[int, str]:
        """POST /slack/events with a correct (or deliberately wrong) signature."""
        ts = int(time.time()) if timestamp is None else timestamp
        sent = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": str(ts),
            "X-Slack-Signature": sign(body, ts, secret),
            **(headers or {}),
        }
        async with self.session.post(f"{self.url}/slack/events", data=body, headers=sent) as r:
            return r.status, await r.text()

    def command_body(
        self, command: str, text: str, *, user: str = "U1", trigger: str = "tr-1"
    ) -> str:
        return slash_command_body(self.fake, command, text, user=user, trigger=trigger)

    async def command(self, command: str, text: str, **kw: Any) -> tuple[int, str]:
        body = self.command_body(command, text, **kw)
        return await self.post(body, "application/x-www-form-urlencoded")

    async def interact(self, payload: Mapping[str, Any], **kw: Any) -> tuple[int, str]:
        body = urlencode({"payload": json.dumps(payload)})
        return await self.post(body, "application/x-www-form-urlencoded", **kw)

    async def event(self, event: Mapping[str, Any], event_id: str = "Ev1") -> tuple[int, str]:
        body = {
            "token": "legacy",
            "team_id": TEAM,
            "api_app_id": "A1",
            "event": dict(event),
            "type": "event_callback",
            "event_id": event_id,
            "event_time": int(time.time()),
            "authorizations": [{"team_id": TEAM, "user_id": BOT_USER, "is_bot": True}],
        }
        return await self.post(json.dumps(body), "application/json")

    async def settle(self) -> None:
        """Let work acknowledged so far finish.

        Waiting for the adapter's work to be idle is enough: each listener
        enters its tracked work (`Work.answer`, `Work.guarded`) before anything
        it awaits, and before it acknowledges, so a request whose answer the
        test has received is counted until its last reply was delivered. For
        an event, which Bolt acknowledges itself, Bolt creates the listener's
        task before answering, and that task's first step (entering the
        tracked work) runs before the test can read the answer.
        """
        assert await self.adapter.work.wait_idle(5.0)


def slash_command_body(
    fake: FakeSlack, command: str, text: str, *, user: str = "U1", trigger: str = "tr-1"
) -> str:
    """The form body Slack POSTs for a slash command, answering to a response_url of `fake`."""
    return urlencode(
        {
            "token": "legacy",
            "team_id": TEAM,
            "team_domain": "group",
            "channel_id": "C1",
            "channel_name": "reading-group",
            "user_id": user,
            "user_name": USERS.get(user, {}).get("name", user),
            "command": command,
            "text": text,
            "api_app_id": "A1",
            "is_enterprise_install": "false",
            "response_url": fake.response_url(),
            "trigger_id": trigger,
        }
    )


def user_payload(user: str = "U1") -> dict[str, Any]:
    name = USERS[user]["name"]
    return {"id": user, "username": name, "name": name, "team_id": TEAM}


def check_blocks(blocks: list[dict[str, Any]], limit: int = 50) -> None:
    """Blocks Slack would accept: slack_sdk's validation plus the documented limits."""
    assert 0 < len(blocks) <= limit
    for raw in blocks:
        block = Block.parse(raw)
        assert block is not None
        assert block.to_dict() == raw  # nothing was dropped: every attribute is known
        text = (raw.get("text") or {}).get("text", "")
        assert len(text) <= 3000
        for item in raw.get("fields") or []:
            assert len(item["text"]) <= 2000
        for element in raw.get("elements") or []:
            assert len(element.get("action_id", "")) <= 255


def check_view(view: Mapping[str, Any]) -> None:
    """A modal or home view Slack would accept."""
    View(**dict(view)).to_dict()
    check_blocks(list(view["blocks"]), limit=100)
