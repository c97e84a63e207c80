"""Loopback stand-ins for Discord: a REST API and a gateway.

The REST fake answers what discord.py asks during login, interaction
responses, follow-ups, messages, threads and command sync, and records every
request (JSON body, or `payload_json` of a multipart upload) so tests can
assert on exactly what the bot sent. The gateway fake speaks just enough of
the protocol (HELLO, heartbeat ACKs, READY and GUILD_CREATE, then dispatches)
for a real `discord.Client` to connect.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from testing_support.discord.payloads import (
    ANN_ID,
    APP_ID,
    BOB_ID,
    BOT_ID,
    BOT_USER,
    CHANNEL_ID,
    FOREIGN_GUILD_ID,
    GUILD_ID,
    REFUSED_TOKEN,
    TIMESTAMP,
    guild_payload,
    member,
    message_payload,
    snowflake,
    text_channel,
    user,
)


async def serve_on_loopback(app: web.Application) -> tuple[web.AppRunner, int]:
    """Start `app` on 127.0.0.1 at a free port: (its runner, the port). Both fakes need it."""
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    return runner, site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]


@dataclass
class Recorded:
    """One request the bot made to the REST fake."""

    method: str
    path: str
    query: dict[str, str]
    body: Any


@dataclass
class FakeDiscordApi:
    """A mock Discord REST API on 127.0.0.1; see the module docstring."""

    requests: list[Recorded] = field(default_factory=list)
    fail_threads: bool = False
    fail_files: bool = False
    #: Which guild each channel the fake knows lies in (GET /channels/{id}).
    channel_guilds: dict[int, int] = field(default_factory=lambda: {CHANNEL_ID: GUILD_ID})
    #: Who is a member of which guild (GET /guilds/{id}/members/{user}); Discord answers
    #: 404 "Unknown Member" for anyone else.
    guild_members: dict[int, dict[int, str]] = field(
        default_factory=lambda: {GUILD_ID: {ANN_ID: "Ann", BOB_ID: "Bob"}}
    )
    _runner: web.AppRunner | None = None
    port: int = 0
    #: Set whenever a request is recorded: `wait_for` waits on it, not on a clock.
    _arrived: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v10"

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner, self.port = await serve_on_loopback(app)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def find(self, method: str, contains: str) -> list[Recorded]:
        """Requests with this method whose path contains `contains`."""
        return [r for r in self.requests if r.method == method and contains in r.path]

    def callbacks(self) -> list[dict[str, Any]]:
        """Bodies of every interaction callback, oldest first."""
        return [r.body for r in self.find("POST", "/callback")]

    def record(self, request: Recorded) -> None:
        """Keep a request the bot made, and wake whoever waits for one."""
        self.requests.append(request)
        self._arrived.set()

    async def wait_for(
        self, predicate: Callable[[Recorded], bool], within: float = 10.0
    ) -> Recorded:
        """The first request matching `predicate`, waiting for it if need be."""

        async def first_match() -> Recorded:
            while True:
                for request in self.requests:
                    if predicate(request):
                        return request
                self._arrived.clear()  # nothing recorded since the look above
                await self._arrived.wait()

        try:
            return await asyncio.wait_for(first_match(), within)
        except TimeoutError:
            seen = [(r.method, r.path) for r in self.requests]
            raise AssertionError(f"no such request; saw {seen}") from None

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        body: Any = None
        if request.content_type.startswith("multipart/"):
            form = await request.post()
            body = json.loads(str(form["payload_json"]))
            body["_files"] = [k for k in form if k.startswith("files[")]
        elif request.can_read_body:
            raw = await request.read()
            body = json.loads(raw) if raw else None
        path = request.path.removeprefix("/api/v10")
        self.record(Recorded(request.method, path, dict(request.query), body))
        authorization = request.headers.get("Authorization", "")
        return self._answer(request.method, path, body, authorization)

    def _answer(self, method: str, path: str, body: Any, authorization: str) -> web.StreamResponse:
        parts = path.strip("/").split("/")
        if path == "/users/@me":
            if authorization == f"Bot {REFUSED_TOKEN}":
                return _json({"message": "401: Unauthorized", "code": 0}, status=401)
            return _json(BOT_USER)
        if path == "/oauth2/applications/@me":
            return _json(_application())
        if parts[0] == "interactions" and parts[-1] == "callback":
            kind = body.get("type", 4) if isinstance(body, dict) else 4
            return _json(
                {
                    "interaction": {
                        "id": parts[1],
                        "type": 2,
                        "response_message_loading": kind == 5,
                        "response_message_ephemeral": False,
                    },
                    "resource": {"type": kind},
                }
            )
        if parts[0] == "webhooks":
            if method == "DELETE":
                return web.Response(status=204)
            return _json(message_payload("", author=BOT_USER, embeds=_embeds(body)))
        if parts[0] == "applications" and parts[-1] == "commands" and method == "PUT":
            if str(FOREIGN_GUILD_ID) in parts:
                return _json({"message": "Missing Access", "code": 50001}, status=403)
            return _json([_registered(c, i) for i, c in enumerate(body)])
        if parts[0] == "channels" and parts[-1] == "threads":
            if self.fail_threads:
                return _json({"message": "Missing Permissions", "code": 50013}, status=403)
            return _json(_thread(int(parts[1]), (body or {}).get("name", "thread")))
        if parts[0] == "guilds" and len(parts) == 4 and parts[2] == "members" and method == "GET":
            name = self.guild_members.get(int(parts[1]), {}).get(int(parts[3]))
            if name is None:
                return _json({"message": "Unknown Member", "code": 10007}, status=404)
            return _json(member(int(parts[3]), name))
        if parts[0] == "channels" and len(parts) == 2 and method == "GET":
            guild = self.channel_guilds.get(int(parts[1]))
            if guild is None:
                return _json({"message": "Unknown Channel", "code": 10003}, status=404)
            return _json(text_channel(int(parts[1]), f"channel-{parts[1]}", guild))
        if parts[0] == "channels" and parts[-1] == "messages" and method == "POST":
            if self.fail_files and isinstance(body, dict) and body.get("_files"):
                return _json({"message": "Missing Permissions", "code": 50013}, status=403)
            return _json(
                message_payload("", author=BOT_USER, channel_id=int(parts[1]), embeds=_embeds(body))
            )
        return _json({"message": "404: Not Found", "code": 0}, status=404)


def _embeds(body: Any) -> list[Any]:
    return list(body.get("embeds", [])) if isinstance(body, dict) else []


def _json(data: Any, status: int = 200) -> web.Response:
    # discord.py insists on exactly `application/json` (no charset) when logging in.
    return web.Response(
        body=json.dumps(data).encode(), status=status, content_type="application/json"
    )


def _application() -> dict[str, Any]:
    return {
        "id": str(APP_ID),
        "name": "Cruxbot",
        "icon": None,
        "description": "",
        "rpc_origins": [],
        "bot_public": True,
        "bot_require_code_grant": False,
        "owner": user(BOB_ID + 100, "Owner"),
        "summary": "",
        "verify_key": "00",
        "team": None,
        "flags": 0,
        "bot": BOT_USER,
    }


def _registered(command: dict[str, Any], index: int) -> dict[str, Any]:
    return {
        **command,
        "id": str(APP_ID + 1000 + index),
        "application_id": str(APP_ID),
        "version": "1",
        "description": command.get("description", ""),
    }


def _thread(parent_id: int, name: str) -> dict[str, Any]:
    return {
        "id": str(snowflake()),
        "type": 11,
        "guild_id": str(GUILD_ID),
        "parent_id": str(parent_id),
        "name": name,
        "owner_id": str(BOT_ID),
        "member_count": 1,
        "message_count": 0,
        "rate_limit_per_user": 0,
        "flags": 0,
        "last_message_id": None,
        "thread_metadata": {
            "archived": False,
            "auto_archive_duration": 1440,
            "archive_timestamp": TIMESTAMP,
            "locked": False,
        },
    }


class FakeGateway:
    """A gateway on 127.0.0.1: HELLO, heartbeat ACKs, READY + GUILD_CREATE, dispatches."""

    def __init__(self) -> None:
        self.identified = asyncio.Event()
        #: Every IDENTIFY payload received (its "shard" says which shard connected).
        self.identifies: list[dict[str, Any]] = []
        self._sockets: list[web.WebSocketResponse] = []
        self._sequence = 0
        self._runner: web.AppRunner | None = None
        self.port = 0

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/"

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/{tail:.*}", self._handle)
        self._runner, self.port = await serve_on_loopback(app)

    async def stop(self) -> None:
        for socket in self._sockets:
            await socket.close()
        if self._runner is not None:
            await self._runner.cleanup()

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        """Send an op 0 dispatch to every connected client."""
        self._sequence += 1
        frame = {"op": 0, "t": event, "s": self._sequence, "d": data}
        for socket in self._sockets:
            await socket.send_str(json.dumps(frame))

    async def _handle(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        self._sockets.append(socket)
        await socket.send_str(json.dumps({"op": 10, "d": {"heartbeat_interval": 45000}}))
        async for frame in socket:
            if frame.type is not WSMsgType.TEXT:
                continue
            message = json.loads(frame.data)
            if message.get("op") == 1:
                await socket.send_str(json.dumps({"op": 11}))
            elif message.get("op") == 2:
                self.identifies.append(message.get("d") or {})
                await self.dispatch(
                    "READY",
                    {
                        "v": 10,
                        "user": BOT_USER,
                        "guilds": [{"id": str(GUILD_ID), "unavailable": True}],
                        "session_id": "session",
                        "resume_gateway_url": self.url,
                        "application": {"id": str(APP_ID), "flags": 0},
                    },
                )
                await self.dispatch("GUILD_CREATE", guild_payload())
                self.identified.set()
        return socket
