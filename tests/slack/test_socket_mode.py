"""`python -m cruxbot serve slack` in Socket Mode, as a real process, on loopback."""

from __future__ import annotations

import json
from pathlib import Path

import aiohttp

from testing_support.slack import TEAM, FakeSlack, check_blocks, wait_for
from tests.slack.processes import start_slack_process
from tests.slack.test_commands import texts


async def test_serve_slack_round_trips_a_command_and_stops_on_sigterm(
    fake: FakeSlack, tmp_path: Path
) -> None:
    served = await start_slack_process(
        fake.api_url,
        f"sqlite:///{tmp_path / 'cruxbot.db'}",
        {"SLACK_APP_TOKEN": "xapp-test", "SLACK_SIGNING_SECRET": ""},
    )
    try:
        url = await served.ready()
        await wait_for(lambda: fake.sockets, seconds=20)
        opened = fake.called("apps.connections.open")
        assert opened and opened[0]["_token"] == "Bearer xapp-test"
        async with (
            aiohttp.ClientSession() as session,
            session.get(f"{url}/healthz") as health,
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
        # The acknowledgement may reach Slack just after the answer: wait for it too.
        await wait_for(
            lambda: any(ack.get("envelope_id") == "env-1" for ack in fake.acks), seconds=10
        )
        body = fake.responses[0][1]
        assert body["response_type"] == "in_channel"
        check_blocks(body["blocks"])
        assert "Objection `lag`" in texts(body["blocks"])
        assert await served.stop(15) == 0, "\n".join(served.lines)
    finally:
        served.kill()
