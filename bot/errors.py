"""Errors a user can cause and fix, and the reply for those nobody foresaw.

Neither reaches a member as a crash: a UserError becomes a friendly reply, anything
else a short apology with an error id (see `unexpected_failure`).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import replace

from bot.render.reply import Reply

log = logging.getLogger(__name__)


class UserError(Exception):
    """Bad input or a refused action; `message` is shown to the user as is.

    Raising one inside a command rolls the command's transaction back, so a
    refused command changes nothing.
    """

    def __init__(self, message: str, *, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class PermissionDenied(UserError):
    """The caller may not do this (only the author or a moderator may)."""


def unexpected_failure(
    context: str,
    exc: BaseException | None = None,
    *,
    nothing_changed: bool = False,
    logger: logging.Logger = log,
) -> Reply:
    """Log a failure nobody foresaw under a fresh error id; the reply shows that id.

    The member sees a short apology with the id, never a traceback; the host finds
    the same id in the log (and in its JSON `error_id` field) next to the details.
    Every adapter and the core build this reply here, so it reads the same everywhere.
    """
    error_id = uuid.uuid4().hex[:8]
    logger.error(
        "%s failed (error id %s)",
        context,
        error_id,
        exc_info=exc or True,
        extra={"error_id": error_id},
    )
    changed = "; nothing was changed" if nothing_changed else ""
    return replace(
        Reply.failure(
            f"Something went wrong on our side (error id {error_id}){changed}.",
            "Please try again; if it keeps happening, tell the bot's host this id.",
        ),
        error_id=error_id,
    )


def safely(build: Callable[[], Reply]) -> Reply:
    """`build()`, or the friendly refusal of the UserError it raised."""
    try:
        return build()
    except UserError as exc:
        return Reply.failure(exc.message, exc.hint)
