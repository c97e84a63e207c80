"""Reading what the bot sent: interaction callbacks and messages as Discord gets them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from bot.app import Cruxbot
from bot.render.reply import Reply
from testing_support.discord.fakes import Recorded
from testing_support.discord.payloads import GUILD_MODERATOR

EPHEMERAL = 64
CHANNEL_MESSAGE = 4
DEFERRED_MESSAGE = 5
AUTOCOMPLETE_RESULT = 8
MODAL = 9


def only_callback(sent: list[Recorded]) -> dict[str, Any]:
    """The single interaction response among `sent` (fails if there is not exactly one)."""
    callbacks = [r.body for r in sent if r.method == "POST" and r.path.endswith("/callback")]
    assert len(callbacks) == 1, [(r.method, r.path) for r in sent]
    body: dict[str, Any] = callbacks[0]
    return body


def embed(message: dict[str, Any]) -> dict[str, Any]:
    """The one embed of a message body or callback `data`."""
    embeds = message["embeds"]
    assert len(embeds) == 1
    first: dict[str, Any] = embeds[0]
    return first


def embed_text(e: dict[str, Any]) -> str:
    """Every visible string of an embed, joined (for substring assertions)."""
    parts = [e.get("title", ""), e.get("description", "")]
    parts += [f"{f['name']}: {f['value']}" for f in e.get("fields", [])]
    parts.append(e.get("footer", {}).get("text", ""))
    return "\n".join(p for p in parts if p)


def field(e: dict[str, Any], name: str) -> str:
    """The value of the embed field called `name`."""
    for f in e.get("fields", []):
        if f["name"] == name:
            value: str = f["value"]
            return value
    raise AssertionError(f"no field {name!r} in {[f['name'] for f in e.get('fields', [])]}")


def custom_ids(message: dict[str, Any]) -> list[str]:
    """The custom ids of every button in a message body, in order."""
    return [
        item["custom_id"]
        for row in message.get("components", [])
        for item in row.get("components", [])
        if "custom_id" in item
    ]


def components(modal: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every component of a modal, depth first (whatever layout discord.py used)."""
    stack: list[Any] = [modal.get("components", [])]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            yield node
            stack.extend(reversed(list(node.values())))
        elif isinstance(node, list):
            stack.extend(reversed(node))


def text_inputs(modal: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """A modal's text inputs by custom id."""
    return {node["custom_id"]: node for node in components(modal) if node.get("type") == 4}


def labelled_fields(modal: dict[str, Any]) -> list[tuple[str, str, bool]]:
    """(label, custom id, required) of each labelled text input of a modal, in order."""
    return [
        (node["label"], node["component"]["custom_id"], node["component"].get("required", True))
        for node in components(modal)
        if node.get("type") == 18  # a label around one input
    ]


async def core_view(app: Cruxbot, line: str) -> Reply:
    """What the core now answers in the server's workspace (a moderator asking)."""
    return await app.handle_line(line, GUILD_MODERATOR)
