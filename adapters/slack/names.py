"""Slack names for the spec's commands.

Slack keeps some slash commands for itself (/status, /search, /rename, …) and
rejects a whole app manifest that registers one of them. Those commands are
registered as /crux-<name> instead; every other command keeps its own name,
so `/objection lag` and `/steelman blank-slate` work exactly as typed.
"""

from __future__ import annotations

import re
from dataclasses import replace

from bot.commands.spec import COMMANDS
from bot.render.reply import Field, Reply

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


#: `/status`, `/search`, `/rename` where a reply names them (not `/crux-status`, not a URL path).
_RESERVED_NAMED = re.compile(
    r"(?<![\w/-])/("
    + "|".join(sorted(c.name for c in COMMANDS if c.name in SLACK_BUILT_INS))
    + r")(?![\w/-])"
)


def slack_command_names(text: str) -> str:
    """Commands named in the bot's own words as Slack users must type them."""
    return _RESERVED_NAMED.sub(lambda m: slack_command(m.group(1)), text)


def in_slack_words(reply: Reply) -> Reply:
    """The reply with the commands it names as Slack knows them (`/crux-status`).

    Only what the bot wrote is changed: the footer (hints, paging, confirmations),
    an error's message and the whole of a help reply. A statement's text,
    written by a member, is shown exactly as written.
    """
    footer = slack_command_names(reply.footer)
    if reply.accent == "help":
        fields = tuple(
            Field(slack_command_names(f.name), slack_command_names(f.value), f.inline)
            for f in reply.fields
        )
        title, body = slack_command_names(reply.title), slack_command_names(reply.body)
        return replace(reply, title=title, body=body, fields=fields, footer=footer)
    if reply.error:
        return replace(reply, body=slack_command_names(reply.body), footer=footer)
    return replace(reply, footer=footer)


def core_command(slash: str) -> str:
    """The spec command behind a Slack slash command (`/crux-status` -> `status`)."""
    name = slash.lstrip("/")
    unprefixed = name.removeprefix(PREFIX)
    return unprefixed if unprefixed in SLACK_BUILT_INS else name
