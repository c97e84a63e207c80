"""Who is asking, and where: the only platform facts the core needs."""

from __future__ import annotations

from dataclasses import dataclass


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
    """

    platform: str
    workspace_id: str
    user_id: str
    user_name: str
    channel_id: str = ""
    is_moderator: bool = False
    origin_url: str = ""
    workspace_name: str = ""
