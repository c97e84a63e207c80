"""What the app reports to the adapters that serve it, besides replies.

Commands handled (for metrics) and meetings the sweep closed (whose minutes the
adapter posts): plain data, so adapters need nothing else from the app's inside.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.render.reply import Reply


@dataclass(frozen=True)
class CommandEvent:
    """One command handled, for metrics: what, where, how long, how it ended.

    `outcome` is "ok", "refused" (a friendly error: bad input, no permission) or
    "error" (an unexpected failure, logged with `error_id`).
    """

    name: str
    platform: str
    seconds: float
    outcome: str
    error_id: str = ""


CommandObserver = Callable[[CommandEvent], None]

#: Who closes forgotten meetings, in the revision log and minutes.
SWEEPER_ID = "cruxbot"


@dataclass(frozen=True)
class ClosedMeeting:
    """A forgotten meeting just closed: where to post its minutes."""

    workspace: str
    channel_id: str
    minutes: Reply
