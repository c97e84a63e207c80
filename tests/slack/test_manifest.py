"""`cruxbot slack manifest`: exactly the spec's commands, the right mode and URLs."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from adapters.settings import Settings
from adapters.slack.cli import manifest
from adapters.slack.names import MAX_SLASH_COMMANDS, SLACK_BUILT_INS
from bot.commands.spec import COMMANDS

SETTINGS = Settings(database_url="sqlite://")


async def printed(capsys: pytest.CaptureFixture[str], url: str | None = None) -> dict[str, Any]:
    assert await manifest(SETTINGS, url) == 0
    loaded: dict[str, Any] = yaml.safe_load(capsys.readouterr().out)
    return loaded


async def test_socket_mode_manifest_lists_exactly_the_spec_commands(
    capsys: pytest.CaptureFixture[str],
) -> None:
    app = await printed(capsys)
    commands = app["features"]["slash_commands"]
    registered = [c["command"] for c in commands]
    expected = [
        f"/crux-{spec.name}" if spec.name in SLACK_BUILT_INS else f"/{spec.name}"
        for spec in COMMANDS
    ]
    assert registered == expected
    assert "/objection" in registered and "/steelman" in registered
    assert "/crux-status" in registered and "/status" not in registered  # Slack's own
    assert not {name.lstrip("/") for name in registered} & SLACK_BUILT_INS
    assert len(registered) <= MAX_SLASH_COMMANDS
    objection = commands[0]
    assert objection["usage_hint"] == "<slug> [text…] [to:slug] [by:@member]"
    assert all(c["should_escape"] for c in commands)  # mentions arrive as <@U…> ids
    assert objection["description"] == COMMANDS[0].summary
    assert all("url" not in c for c in commands)
    settings = app["settings"]
    assert settings["socket_mode_enabled"] is True
    assert settings["event_subscriptions"]["bot_events"] == [
        "app_mention",
        "message.im",
        "app_home_opened",
    ]
    assert settings["interactivity"] == {"is_enabled": True}
    shortcuts = {s["name"]: s for s in app["features"]["shortcuts"]}
    assert set(shortcuts) == {"Log as objection", "Log as claim"}
    assert {s["type"] for s in shortcuts.values()} == {"message"}
    assert app["features"]["app_home"]["home_tab_enabled"] is True
    scopes = app["oauth_config"]["scopes"]["bot"]
    assert {"commands", "chat:write", "app_mentions:read", "users:read"} <= set(scopes)


async def test_http_mode_manifest_points_every_url_at_slack_events(
    capsys: pytest.CaptureFixture[str],
) -> None:
    app = await printed(capsys, "https://bot.example.org/")
    expected = "https://bot.example.org/slack/events"
    assert app["settings"]["socket_mode_enabled"] is False
    assert app["settings"]["event_subscriptions"]["request_url"] == expected
    assert app["settings"]["interactivity"]["request_url"] == expected
    assert {c["url"] for c in app["features"]["slash_commands"]} == {expected}


async def test_a_non_https_url_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert await manifest(SETTINGS, "bot.example.org") == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "--http-url" in captured.err
