"""Who is asking, and where: the only platform facts the core needs."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class QuotedMessage:
    """A chat message a member turns into a statement (the "Log as …" message menu).

    Adapters pass what the platform told them about the message, never what the
    submitted form claims: the core decides from it whether the statement still
    quotes the message's writer (see `bot.services.statements.quoted_source`).

    Attributes:
        text: the message's text as the form was prefilled with (platform markup
            already turned into what the member saw).
        author_id: the message's writer, on the platform.
        author_name: how the writer is shown to others.
    """

    text: str
    author_id: str
    author_name: str


@dataclass(frozen=True)
class Caller:
    """The member running a command, as the adapter saw them.

    Attributes:
        platform: "discord", "slack" or "console": with `workspace_id` it names the tenant.
        workspace_id: the guild or team id on that platform.
        user_id: the member's id on that platform.
        user_name: how the member is shown to others.
        channel_id: where the command was typed (for the channel's current reading).
        is_moderator: the adapter's verdict (Manage Messages, workspace admin, console).
        origin_url: a link to the message that raised the statement, if any.
        workspace_name: a human name for the tenant, for display only.
        quoted: the chat message the member is logging through a message menu, as
            the platform gave it to the adapter (never as the member's form says).
        request_key: the platform's stable id for this request (the same on every
            re-delivery of it), or "" if it has none. A command that changes
            anything records it in its own transaction, so a re-delivered request
            is applied once, and a request that failed is applied when retried.
        is_operator: the host at the command line (`cruxbot import`), who owns the
            whole database: a backup it restores keeps every platform id in it,
            where a chat moderator's import keeps only the ids its workspace owns.
        member_names: (id, name) of members the command mentions, as the platform
            named them (a Discord user option, a Slack mention): `by:` credit shows
            the member by that name.
    """

    platform: str
    workspace_id: str
    user_id: str
    user_name: str
    channel_id: str = ""
    is_moderator: bool = False
    origin_url: str = ""
    workspace_name: str = ""
    quoted: QuotedMessage | None = None
    request_key: str = ""
    is_operator: bool = False
    member_names: tuple[tuple[str, str], ...] = ()
