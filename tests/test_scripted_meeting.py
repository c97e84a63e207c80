"""The scripted meeting through the console's path gives the README's minutes."""

from __future__ import annotations

import asyncio
import html
import os
import re
from pathlib import Path

import pytest

from bot.app import Cruxbot
from bot.context import Caller
from bot.services.credit import console_member_id
from bot.services.graphviz import MAX_RATIO, picture_size
from tests.meeting_script import FACILITATOR, MEMBERS, check_minutes, last_minutes, lines_for


def console_member(name: str) -> Caller:
    """A console member as `console --as NAME` names them."""
    return Caller(
        platform="console",
        workspace_id="local",
        user_id=console_member_id(name),
        user_name=name,
        channel_id="console",
        is_moderator=name == FACILITATOR,
    )


async def test_the_scripted_meeting_in_the_console(demo_app: Cruxbot) -> None:
    callers = {name: console_member(name) for name in MEMBERS}
    for member, line in lines_for({name: name for name in MEMBERS}):
        reply = await demo_app.handle_line(line, callers[member])
        assert not reply.error, (line, reply.body)
    check_minutes(await last_minutes(demo_app))


@pytest.mark.usefixtures("graphviz")
async def test_the_scripted_meetings_map_is_the_readmes(demo_app: Cruxbot) -> None:
    """The README's map image is drawn after the scripted meeting (kept as an artefact).

    The artefact is what docs/demo-map.png is copied from; the test checks what a
    reader of the README sees in it: the meeting's new statements, the crux and
    the stances, in a picture no more than twice as wide as high.
    """
    callers = {name: console_member(name) for name in MEMBERS}
    for member, line in lines_for({name: name for name in MEMBERS}):
        await demo_app.handle_line(line, callers[member])
    drawn = {}
    for fmt in ("png", "svg"):
        reply = await demo_app.handle_line(
            f"/map alignment-optimism format:{fmt}", callers[FACILITATOR]
        )
        assert reply.attachment is not None, reply.body
        drawn[fmt] = reply.attachment.content
    width, height = picture_size(drawn["png"], "png")
    assert width <= MAX_RATIO * height
    svg = html.unescape(drawn["svg"].decode())  # Graphviz writes "-" as &#45;
    assert "evals-gap" in svg and "probes-scale" in svg and "crux for lag" in svg
    assert re.search(r"[1-9]\d* agree · [1-9]\d* disagree", svg)
    await asyncio.to_thread(keep_artefact, "meeting-map.png", drawn["png"])


def keep_artefact(name: str, content: bytes) -> None:
    """Write a file the test run keeps (CRUXBOT_ARTIFACTS, default test-artifacts/)."""
    default = Path(__file__).parent.parent / "test-artifacts"
    folder = Path(os.environ.get("CRUXBOT_ARTIFACTS", default))
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(content)
