"""The Slack app manifest, generated from the command spec.

A self-hoster pastes it into "Create an app > From a manifest": every command
in `COMMANDS` becomes a slash command (under /crux-<name> where Slack keeps the
name for itself), and the scopes, shortcuts, events and Socket Mode setting are
exactly what the adapter uses.
"""

from __future__ import annotations

from typing import Any

import yaml

from adapters.slack.listeners import SHORTCUTS
from adapters.slack.names import slack_command
from adapters.slack.runner import EVENTS_PATH
from bot.commands.forms import LOG_AS_BY_KIND
from bot.commands.spec import COMMANDS

APP_NAME = "Cruxbot"
DESCRIPTION = "A shared map of a reading group's claims, objections, replies and steelmen."

#: Bot scopes, each for something the adapter does.
BOT_SCOPES = (
    "commands",  # slash commands and message shortcuts
    "chat:write",  # answers in channels, threads and the app's DM
    "chat:write.public",  # answers after a modal in channels the bot has not joined
    "files:write",  # /export posts the map as a file
    "files:read",  # @Cruxbot import with a file attached: the bot downloads it
    "app_mentions:read",  # @Cruxbot questions
    "im:history",  # questions sent to the bot in its messages tab (DMs)
    "users:read",  # users.info: display names, and admins/owners as moderators
)
BOT_EVENTS = ("app_mention", "message.im", "app_home_opened")


def build_manifest(request_url: str | None = None) -> dict[str, Any]:
    """The manifest as data; Socket Mode unless a public `request_url` is given."""
    events_url = f"{request_url.rstrip('/')}{EVENTS_PATH}" if request_url else None
    with_url: dict[str, str] = {"url": events_url} if events_url else {}
    commands = [
        {
            "command": slack_command(spec.name),
            "description": spec.summary,
            "usage_hint": spec.usage.removeprefix(f"/{spec.name}").strip(),
            # Escaped, a mention arrives as `<@U…>`, the member's id: `by:@ann` credits Ann.
            "should_escape": True,
            **with_url,
        }
        for spec in COMMANDS
    ]
    for command in commands:
        if not command["usage_hint"]:
            del command["usage_hint"]
    shortcuts = [
        {
            "name": LOG_AS_BY_KIND[kind].label,
            "type": "message",
            "callback_id": callback_id,
            "description": LOG_AS_BY_KIND[kind].description,
        }
        for callback_id, kind in SHORTCUTS.items()
    ]
    events: dict[str, Any] = {"bot_events": list(BOT_EVENTS)}
    interactivity: dict[str, Any] = {"is_enabled": True}
    if events_url:
        events = {"request_url": events_url, **events}
        interactivity["request_url"] = events_url
    return {
        "display_information": {"name": APP_NAME, "description": DESCRIPTION},
        "features": {
            "app_home": {
                "home_tab_enabled": True,
                "messages_tab_enabled": True,
                "messages_tab_read_only_enabled": False,
            },
            "bot_user": {"display_name": APP_NAME, "always_online": True},
            "shortcuts": shortcuts,
            "slash_commands": commands,
        },
        "oauth_config": {"scopes": {"bot": list(BOT_SCOPES)}},
        "settings": {
            "event_subscriptions": events,
            "interactivity": interactivity,
            "org_deploy_enabled": False,
            "socket_mode_enabled": events_url is None,
            "token_rotation_enabled": False,
        },
    }


def manifest_yaml(request_url: str | None = None) -> str:
    """The manifest as YAML, in a stable order."""
    return yaml.safe_dump(
        build_manifest(request_url), sort_keys=False, allow_unicode=True, width=100
    )
