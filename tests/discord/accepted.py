"""What Discord accepts, checked on everything the bot sent; the members and fake to send it.

Shared by the conformance tests of this package: every message, embed, modal
and suggestion list must fit Discord's documented limits and ping nobody.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from bot.context import Caller
from testing_support.discord.fakes import FakeDiscordApi, Recorded
from testing_support.discord.payloads import BOB_ID, member
from testing_support.typed_text import typed_text
from tests.discord.conftest import manage_messages_member
from tests.discord.helpers import MODAL

MO_ID = BOB_ID + 1
#: A member who may manage messages: a moderator on Discord.
MO = manage_messages_member(MO_ID, "Mo")
BOB = member(BOB_ID, "Bob")
#: Another server using the same bot: its statements must be out of reach from ours.
OTHER_GUILD = Caller("discord", "900000000000000077", "999", "Zed", is_moderator=True)
NO_PINGS: dict[str, list[str]] = {"parse": []}
PINGS = ("@everyone", "@here", "<@&900000000000000020>", "<@900000000000000011>")
#: Text a member could type on Discord, its pings and markup, and Slack's as plain text.
nasty = typed_text(
    [
        *PINGS,
        "**bold** __u__ ~~s~~ `code` ```block``` > quote || spoiler ||",
        "<!channel> <!here> <@U123> <#C1> &amp; &lt;",
    ],
    "a\u0301 \U0001f600 ",
)


@dataclass
class KeepingDiscordApi(FakeDiscordApi):
    """The REST fake, also keeping uploaded files and serving attachments (Discord's CDN)."""

    files: list[tuple[str, bytes]] = field(default_factory=list)
    attachments: dict[str, bytes] = field(default_factory=dict)

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        if request.path.startswith("/attachments/"):
            self.record(Recorded(request.method, request.path, {}, None))
            content = self.attachments.get(request.path)
            if content is None:
                return web.Response(status=404)
            return web.Response(body=content, content_type="application/octet-stream")
        if request.content_type.startswith("multipart/"):
            form = await request.post()  # cached: the base class reads the same form
            for value in form.values():
                if isinstance(value, web.FileField):
                    self.files.append((value.filename, value.file.read()))
                    value.file.seek(0)
        return await super()._handle(request)


def check_embed(e: dict[str, Any]) -> int:
    """Fail unless the embed is one Discord accepts; its size towards the 6000 total."""
    title, description = e.get("title", ""), e.get("description", "")
    assert len(title) <= 256 and len(description) <= 4096
    assert title or description or e.get("fields")
    fields = e.get("fields", [])
    assert len(fields) <= 25
    for f in fields:
        assert 1 <= len(f["name"]) <= 256 and 1 <= len(f["value"]) <= 1024
    footer = e.get("footer", {}).get("text", "")
    assert len(footer) <= 2048
    return (
        len(title)
        + len(description)
        + len(footer)
        + sum(len(f["name"]) + len(f["value"]) for f in fields)
    )


def check_message(body: dict[str, Any]) -> None:
    """A message (or interaction response data) Discord accepts, pinging nobody."""
    assert body["allowed_mentions"] == NO_PINGS
    assert len(body.get("content") or "") <= 2000
    embeds = body.get("embeds") or []
    assert len(embeds) <= 10
    assert sum(check_embed(e) for e in embeds) <= 6000
    rows = body.get("components") or []
    assert len(rows) <= 5
    for row in rows:
        assert len(row["components"]) <= 5
        for button in row["components"]:
            assert len(button["custom_id"]) <= 100 and 1 <= len(button["label"]) <= 80


def check_modal(data: dict[str, Any]) -> None:
    """A form Discord accepts."""
    assert 1 <= len(data["title"]) <= 45 and len(data["custom_id"]) <= 100
    text = json.dumps(data)
    assert text.count('"type": 4') <= 5


def check_sent(sent: list[Recorded]) -> list[dict[str, Any]]:
    """Every message among `sent` is valid; at least one answer went out. The bodies."""
    bodies: list[dict[str, Any]] = []
    for request in sent:
        if request.path.startswith("/attachments/") or request.method == "DELETE":
            continue
        body = request.body
        if request.path.endswith("/callback"):
            if body["type"] == MODAL:
                check_modal(body["data"])
                continue
            if body["type"] == 8:  # autocomplete
                choices = body["data"]["choices"]
                assert len(choices) <= 25
                assert all(1 <= len(c["name"]) <= 100 and len(c["value"]) <= 100 for c in choices)
                continue
            if body["type"] == 5:  # deferred: the answer follows
                continue
            body = body["data"]
        if request.path.endswith("/threads"):
            assert 1 <= len(body["name"]) <= 100
            continue
        check_message(body)
        bodies.append(body)
    assert bodies or any(r.path.endswith("/callback") for r in sent), sent
    return bodies


def never_failed(bodies: list[dict[str, Any]]) -> None:
    """No answer is the adapter's or the core's "something went wrong"."""
    for body in bodies:
        for e in body.get("embeds") or []:
            assert "error id" not in e.get("description", ""), e
