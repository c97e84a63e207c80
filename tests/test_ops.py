"""Operations: /healthz, /metrics, logs, settings, and shutdown in-process.

The HTTP routes are served in-process exactly as `cruxbot serve` builds them
(with fake adapters whose health a test sets). Shutdown of a real process is in
test_shutdown_process.py, the image files in test_image_files.py.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import logging
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import text

import cruxbot.serve as serving
from adapters.metrics import metrics_routes
from adapters.settings import Settings
from bot.app import Cruxbot
from bot.logs import setup_logging
from bot.storage.database import create_engine
from cruxbot.cli import main
from cruxbot.serve import Lifecycle, health_routes, shut_down
from testing_support.slack import TEAM, serve
from tests.command_line import run_cruxbot
from tests.conftest import MEMBER, MODERATOR

ROOT = Path(__file__).resolve().parents[1]
SLACK_MEMBER = MEMBER.__class__(
    platform="slack", workspace_id=TEAM, user_id="U1", user_name="Ann", channel_id="C1"
)


class FakeAdapter:
    """A chat adapter whose connection state the test decides."""

    def __init__(self, name: str, up: bool = True) -> None:
        self.name = name
        self.up = up

    async def start(self) -> None:
        """Nothing to connect."""

    async def close(self) -> None:
        self.up = False

    def healthy(self) -> bool:
        return self.up


async def ops_server(
    app: Cruxbot, fakes: list[FakeAdapter], lifecycle: Lifecycle
) -> tuple[web.AppRunner, str]:
    web_app = web.Application(middlewares=[lifecycle.refuse_when_stopping])
    web_app.router.add_post("/work", _ok)
    health_routes(web_app, app, fakes, lifecycle)
    metrics_routes(web_app, app, fakes)
    return await serve(web_app)


async def _ok(_: web.Request) -> web.Response:
    return web.Response(text="done")


async def get(session: aiohttp.ClientSession, url: str) -> tuple[int, str]:
    async with session.get(url) as response:
        return response.status, await response.text()


# --- /healthz ------------------------------------------------------------------------------


async def test_healthz_is_200_while_the_database_and_every_adapter_are_up(
    app: Cruxbot, http: aiohttp.ClientSession
) -> None:
    discord, slack = FakeAdapter("discord"), FakeAdapter("slack")
    runner, url = await ops_server(app, [discord, slack], Lifecycle())
    try:
        status, body = await get(http, f"{url}/healthz")
        assert status == 200
        assert json.loads(body) == {
            "status": "ok",
            "database": True,
            "adapters": {"discord": True, "slack": True},
        }
        slack.up = False  # e.g. the Socket Mode websocket dropped
        status, body = await get(http, f"{url}/healthz")
        assert status == 503
        assert json.loads(body)["adapters"] == {"discord": True, "slack": False}
    finally:
        await runner.cleanup()


async def test_healthz_is_503_when_the_database_is_unreachable(
    http: aiohttp.ClientSession, tmp_path: Path
) -> None:
    # Nothing listens on port 1: every connection attempt is refused at once.
    app = Cruxbot(create_engine("postgresql://cruxbot@127.0.0.1:1/none"))
    runner, url = await ops_server(app, [FakeAdapter("slack")], Lifecycle())
    try:
        status, body = await get(http, f"{url}/healthz")
        assert status == 503
        assert json.loads(body)["database"] is False
        status, metrics = await get(http, f"{url}/metrics")
        assert status == 200
        assert samples(metrics)[("cruxbot_database_up", ())] == 0
    finally:
        await runner.cleanup()
        await app.close()


async def test_while_stopping_new_work_is_refused_and_health_says_so(
    app: Cruxbot, http: aiohttp.ClientSession
) -> None:
    lifecycle = Lifecycle()
    runner, url = await ops_server(app, [FakeAdapter("slack")], lifecycle)
    try:
        async with http.post(f"{url}/work") as response:
            assert response.status == 200
        lifecycle.stopping.set()
        async with http.post(f"{url}/work") as response:
            assert response.status == 503
            assert response.headers["Retry-After"]
        status, body = await get(http, f"{url}/healthz")
        assert status == 503 and json.loads(body)["status"] == "stopping"
        status, _ = await get(http, f"{url}/metrics")
        assert status == 200
    finally:
        await runner.cleanup()


# --- /metrics ------------------------------------------------------------------------------


def samples(exposition: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of a Prometheus text exposition, keyed by name and sorted labels."""
    found: dict[tuple[str, tuple[tuple[str, str], ...]], float] = {}
    for family in text_string_to_metric_families(exposition):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


async def test_metrics_count_commands_errors_latency_and_open_meetings(
    demo_app: Cruxbot, http: aiohttp.ClientSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = demo_app
    runner, url = await ops_server(app, [FakeAdapter("discord", up=False)], Lifecycle())
    try:
        await app.handle_line("/objection lag", MEMBER)
        await app.handle_line("/objection lag", MEMBER)
        await app.handle_line("/objection no-such-thing", MEMBER)  # refused: a friendly error
        await app.handle_line("/objection lag", SLACK_MEMBER)  # a new Slack workspace: empty
        await app.handle_line("/meeting start alignment-optimism", MODERATOR)

        def broken(*_: Any) -> Any:
            raise RuntimeError("disk on fire")

        monkeypatch.setitem(app.handlers, "steelman", broken)
        failed = await app.handle_line("/steelman lag", MEMBER)
        assert failed.error_id

        status, body = await get(http, f"{url}/metrics")
        assert status == 200
        values = samples(body)

        def commands(name: str, platform: str, outcome: str) -> float:
            labels = (("command", name), ("outcome", outcome), ("platform", platform))
            return values.get(("cruxbot_commands_total", labels), 0)

        assert commands("objection", "console", "ok") == 2
        assert commands("objection", "console", "refused") == 1
        assert commands("objection", "slack", "refused") == 1
        assert commands("meeting", "console", "ok") == 1
        assert commands("steelman", "console", "error") == 1
        errors = (
            "cruxbot_command_errors_total",
            (("command", "steelman"), ("platform", "console")),
        )
        assert values[errors] == 1
        assert (
            "cruxbot_command_errors_total",
            (("command", "objection"), ("platform", "console")),
        ) not in values
        latency = (("command", "objection"), ("platform", "console"))
        assert values[("cruxbot_command_duration_seconds_count", latency)] == 3
        assert values[("cruxbot_command_duration_seconds_sum", latency)] > 0
        assert (
            values[
                (
                    "cruxbot_command_duration_seconds_bucket",
                    tuple(sorted((*latency, ("le", "+Inf")))),
                )
            ]
            == 3
        )
        assert values[("cruxbot_open_meetings", ())] == 1
        assert values[("cruxbot_adapter_up", (("adapter", "discord"),))] == 0
        assert values[("cruxbot_database_up", ())] == 1

        await app.handle_line("/meeting end", MODERATOR)
        _, body = await get(http, f"{url}/metrics")
        assert samples(body)[("cruxbot_open_meetings", ())] == 0
    finally:
        await runner.cleanup()


# --- logs ----------------------------------------------------------------------------------


@pytest.fixture
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


async def test_json_logs_are_one_object_a_line_with_the_error_id_the_member_sees(
    demo_app: Cruxbot, monkeypatch: pytest.MonkeyPatch, restore_logging: None
) -> None:
    stream = io.StringIO()
    setup_logging("json", logging.INFO, stream)

    def broken(*_: Any) -> Any:
        raise RuntimeError("disk on fire\nsecond line of the cause")

    monkeypatch.setitem(demo_app.handlers, "steelman", broken)
    reply = await demo_app.handle_line("/steelman lag", MEMBER)
    assert reply.error_id and reply.error_id in reply.body
    logging.getLogger("tests.ops").info("a message\nwith a newline", extra={"shard": 3})

    lines = stream.getvalue().splitlines()
    entries = [json.loads(line) for line in lines]  # every line is one JSON object
    failure = next(e for e in entries if e.get("error_id") == reply.error_id)
    assert failure["level"] == "error"
    assert reply.error_id in failure["message"]
    assert "disk on fire" in failure["exception"]  # the traceback, inside the one line
    assert failure["time"].endswith("+00:00")
    mine = next(e for e in entries if e["logger"] == "tests.ops")
    assert mine["message"] == "a message\nwith a newline" and mine["shard"] == 3


async def test_text_logs_are_readable_and_carry_the_error_id(
    demo_app: Cruxbot, monkeypatch: pytest.MonkeyPatch, restore_logging: None
) -> None:
    stream = io.StringIO()
    setup_logging("text", logging.INFO, stream)
    monkeypatch.setitem(demo_app.handlers, "steelman", lambda *_: 1 / 0)
    reply = await demo_app.handle_line("/steelman lag", MEMBER)
    output = stream.getvalue()
    line = next(line for line in output.splitlines() if reply.error_id in line)
    assert re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ ERROR bot\.app: command /steelman", line)
    assert "ZeroDivisionError" in output
    with pytest.raises(json.JSONDecodeError):
        json.loads(line)


# --- settings ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "env", "named"),
    [
        (["--shard-ids", "0,5", "--shard-count", "2"], {}, "--shard-ids"),
        (["--shard-ids", "0,zero", "--shard-count", "2"], {}, "--shard-ids"),
        (["--shard-ids", "1,1", "--shard-count", "2"], {}, "--shard-ids"),
        (["--shard-ids", "0"], {}, "DISCORD_SHARD_COUNT"),
        (["--shard-count", "none"], {}, "--shard-count"),
        ([], {"DISCORD_SHARD_IDS": "3", "DISCORD_SHARD_COUNT": "2"}, "DISCORD_SHARD_IDS"),
        ([], {"DISCORD_SHARD_COUNT": "0"}, "DISCORD_SHARD_COUNT"),
        ([], {"SHUTDOWN_GRACE_SECONDS": "soon"}, "SHUTDOWN_GRACE_SECONDS"),
    ],
)
def test_bad_shard_or_shutdown_settings_stop_serve_with_one_line(
    args: list[str], env: dict[str, str], named: str, tmp_path: Path
) -> None:
    env = {
        "DISCORD_TOKEN": "fake-token",
        "DISCORD_API_BASE_URL": "http://127.0.0.1:1/api/v10",  # never reached
        "DATABASE_URL": f"sqlite:///{tmp_path / 'never.db'}",
        **env,
    }
    result = run_cruxbot(["serve", "discord", *args], env, tmp_path)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and named in lines[0], result.stderr
    assert not (tmp_path / "never.db").exists()  # stopped before any connection


def test_shards_reach_the_adapters_settings(
    monkeypatch: pytest.MonkeyPatch, restore_logging: None, tmp_path: Path
) -> None:
    seen: list[Settings] = []

    async def fake_serve(platforms: list[str], settings: Settings, demo: bool) -> int:
        seen.append(settings)
        return 0

    monkeypatch.setattr(serving, "serve", fake_serve)
    monkeypatch.setenv("DISCORD_TOKEN", "fake-token")
    monkeypatch.setenv("DISCORD_SHARD_COUNT", "4")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'x.db'}")
    monkeypatch.delenv("DISCORD_SHARD_IDS", raising=False)
    assert main(["serve", "discord", "--shard-ids", "2, 3"]) == 0
    assert main(["serve", "discord"]) == 0
    assert main(["serve", "discord", "--shard-ids", "0", "--shard-count", "1"]) == 0
    assert [(s.discord_shard_ids, s.discord_shard_count) for s in seen] == [
        ((2, 3), 4),
        ((), 4),
        ((0,), 1),
    ]


async def test_shutdown_waits_for_a_command_holding_the_database_within_the_grace(
    app: Cruxbot,
) -> None:
    runner, _ = await ops_server(app, [], Lifecycle())
    released: list[float] = []
    connected = asyncio.Event()

    async def command_in_flight(seconds: float) -> None:
        async with app.engine.connect() as connection:
            await connection.execute(text("select 1"))
            connected.set()
            await asyncio.sleep(seconds)  # the command's own work, still holding the connection
            released.append(time.monotonic())

    holding = asyncio.create_task(command_in_flight(0.4))
    await connected.wait()
    await shut_down([], runner, app, grace=5)
    assert released  # the database closed only after the command finished
    await holding


async def test_shutdown_gives_up_on_a_command_that_outlasts_the_grace(
    app: Cruxbot, caplog: pytest.LogCaptureFixture
) -> None:
    runner, _ = await ops_server(app, [], Lifecycle())

    connected = asyncio.Event()

    async def stuck() -> None:
        async with app.engine.connect() as connection:
            await connection.execute(text("select 1"))
            connected.set()
            await asyncio.Event().wait()  # never ends on its own

    holding = asyncio.create_task(stuck())
    await connected.wait()
    started = time.monotonic()
    await shut_down([], runner, app, grace=0.3)
    assert time.monotonic() - started < 2
    assert "still running after the grace period" in caplog.text
    holding.cancel()
    with contextlib.suppress(asyncio.CancelledError, Exception):
        await holding
