"""`python -m bot serve slack` in Socket Mode, as a real process, on loopback."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import sys
from pathlib import Path

import aiohttp

from tests.slack.conftest import TEAM, FakeSlack, check_blocks, wait_for
from tests.slack.test_commands import texts

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


async def test_serve_slack_round_trips_a_command_and_stops_on_sigterm(
    fake: FakeSlack, tmp_path: Path
) -> None:
    port = free_port()
    env = {
        **os.environ,
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_APP_TOKEN": "xapp-test",
        "SLACK_API_BASE_URL": fake.api_url,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cruxbot.db'}",
        "HOST": "127.0.0.1",
        "PORT": str(port),
    }
    env.pop("SLACK_SIGNING_SECRET", None)
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "serve",
        "slack",
        "--demo",
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    try:
        await wait_for(lambda: fake.sockets, seconds=20)
        opened = fake.called("apps.connections.open")
        assert opened and opened[0]["_token"] == "Bearer xapp-test"
        async with (
            aiohttp.ClientSession() as session,
            session.get(f"http://127.0.0.1:{port}/healthz") as health,
        ):
            assert health.status == 200
            assert (await health.json())["adapters"] == {"slack": True}
        command = {
            "token": "legacy",
            "team_id": TEAM,
            "team_domain": "group",
            "channel_id": "C1",
            "user_id": "U1",
            "user_name": "ann",
            "command": "/objection",
            "text": "lag",
            "api_app_id": "A1",
            "response_url": fake.response_url(),
            "trigger_id": "tr-socket",
        }
        envelope = {
            "envelope_id": "env-1",
            "type": "slash_commands",
            "payload": command,
            "accepts_response_payload": True,
        }
        await fake.sockets[0].send_str(json.dumps(envelope))
        await wait_for(lambda: fake.responses, seconds=10)
        assert any(ack.get("envelope_id") == "env-1" for ack in fake.acks)
        body = fake.responses[0][1]
        assert body["response_type"] == "in_channel"
        check_blocks(body["blocks"])
        assert "Objection `lag`" in texts(body["blocks"])
        process.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(process.wait(), 15) == 0
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
        output = (await process.stdout.read()).decode() if process.stdout else ""
        print(output)
