"""Slack names for the spec's commands.

Slack keeps some slash commands for itself (/status, /search, /rename, …) and
rejects a whole app manifest that registers one of them. Those commands are
registered as /crux-<name> instead; every other command keeps its own name,
so `/objection lag` and `/steelman blank-slate` work exactly as typed.
"""

from __future__ import annotations

#: Slack's built-in slash commands (and their aliases), which apps cannot register.
SLACK_BUILT_INS = frozenset(
    {
        "active", "apps", "archive", "away", "call", "close", "collapse", "dm", "dnd",
        "expand", "feed", "feedback", "invite", "invite_people", "join", "kick", "leave",
        "me", "msg", "mute", "open", "part", "prefs", "pro", "remind", "remove", "rename",
        "search", "shortcuts", "shrug", "star", "status", "topic", "who",
    }
)  # fmt: skip
PREFIX = "crux-"
#: Slack lets one app register at most this many slash commands.
MAX_SLASH_COMMANDS = 50


def slack_command(name: str) -> str:
    """The slash command a spec command is registered as: `/objection`, `/crux-status`."""
    return f"/{PREFIX}{name}" if name in SLACK_BUILT_INS else f"/{name}"


def core_command(slash: str) -> str:
    """The spec command behind a Slack slash command (`/crux-status` -> `status`)."""
    name = slash.lstrip("/")
    unprefixed = name.removeprefix(PREFIX)
    return unprefixed if unprefixed in SLACK_BUILT_INS else name
