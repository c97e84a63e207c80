"""How members reach the pages: `/web` in the console, `cruxbot serve web`, link buttons."""

from __future__ import annotations

import io
import os
import re
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pytest

from adapters.console.members import Acting
from adapters.console.repl import run_lines
from adapters.console.web import ConsoleWeb
from adapters.discord.render import render as discord_render
from adapters.settings import Settings
from adapters.slack.blocks import WEB_LINK_ACTION, reply_blocks
from bot.app import Cruxbot
from bot.render.reply import Link, Reply
from bot.render.text import render_text
from tests.command_line import CRUXBOT
from tests.command_line import run_cruxbot as run
from tests.conftest import MODERATOR

SECRET = "s" * 40
LINK = re.compile(r"Open on the web: (\S+)")


async def test_console_web_starts_a_local_server_and_prints_its_link(demo_app: Cruxbot) -> None:
    web = ConsoleWeb(demo_app, Settings(database_url="sqlite://"))
    out = io.StringIO()
    try:
        await run_lines(
            demo_app,
            io.StringIO("/web alignment-optimism\n"),
            out,
            Acting(me=MODERATOR, caller=MODERATOR),
            web,
        )
        found = LINK.search(out.getvalue())
        assert found is not None, out.getvalue()
        url = found.group(1)
        assert url.startswith("http://127.0.0.1:") and url.endswith("/r/alignment-optimism")
        async with aiohttp.ClientSession() as http, http.get(url) as response:
            assert response.status == 200
            assert "easy-to-train" in await response.text()
    finally:
        await web.close()


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"PUBLIC_URL": "https://pages.example"}, "WEB_SECRET"),
        ({"PUBLIC_URL": "https://pages.example", "WEB_SECRET": "short"}, "WEB_SECRET"),
        ({"PUBLIC_URL": "javascript:alert(1)", "WEB_SECRET": SECRET}, "PUBLIC_URL"),
    ],
)
def test_web_settings_are_checked_before_anything_starts(
    env: dict[str, str], named: str, tmp_path: Path
) -> None:
    result = run(["console", "--db", f"sqlite:///{tmp_path / 'x.db'}"], env)
    assert result.returncode == 2
    assert named in result.stderr and len(result.stderr.strip().splitlines()) == 1


@pytest.fixture
def served_web(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """`cruxbot serve web` on a free port, with no chat token set: (base URL, database)."""
    db = f"sqlite:///{tmp_path / 'web.db'}"
    env = {**os.environ, "WEB_SECRET": SECRET, "LOG_FORMAT": "text"}
    for name in ("DISCORD_TOKEN", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "PUBLIC_URL"):
        env.pop(name, None)
    process = subprocess.Popen(
        [*CRUXBOT, "serve", "web", "--db", db, "--port", "0"],
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert process.stderr is not None
    deadline = time.monotonic() + 60
    base = ""
    while not base and time.monotonic() < deadline:
        line = process.stderr.readline()
        found = re.search(r"ready: .* on (http://\S+)", line)
        if found:
            base = found.group(1)
        if not line and process.poll() is not None:
            break
    try:
        assert base, "cruxbot serve web did not start"
        yield base, db
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0


async def test_serve_web_needs_no_chat_token_and_opens_a_console_link(
    served_web: tuple[str, str],
) -> None:
    base, db = served_web
    env = {"PUBLIC_URL": base, "WEB_SECRET": SECRET}
    result = run(["console", "--db", db, "--demo"], env, stdin="/web\n")
    assert result.returncode == 0, result.stderr
    found = LINK.search(result.stdout)
    assert found is not None and found.group(1).startswith(base + "/w/"), result.stdout
    async with aiohttp.ClientSession() as http:
        async with http.get(found.group(1)) as response:
            assert response.status == 200
            assert "alignment-optimism" in await response.text()
        async with http.get(base + "/healthz") as response:
            assert response.status == 200


REPLY = Reply(
    title="Objection `lag`", body="…", link=Link("Open on the web", "https://x/w/t/s/lag")
)


def test_the_console_prints_the_link_on_a_line_of_its_own() -> None:
    assert "\nOpen on the web: https://x/w/t/s/lag" in render_text(REPLY)


def test_discord_shows_the_link_as_a_link_button() -> None:
    view = discord_render(REPLY).view
    assert view is not None
    buttons = [item for item in view.children if getattr(item, "url", None)]
    assert [(b.label, b.url) for b in buttons] == [  # type: ignore[attr-defined]
        ("Open on the web", "https://x/w/t/s/lag")
    ]


def test_slack_shows_the_link_as_a_url_button() -> None:
    blocks = [block.to_dict() for block in reply_blocks(REPLY)]
    buttons = [e for b in blocks if b["type"] == "actions" for e in b["elements"]]
    assert {"action_id": WEB_LINK_ACTION, "url": "https://x/w/t/s/lag"}.items() <= buttons[
        -1
    ].items()
    assert buttons[-1]["text"]["text"] == "Open on the web"
