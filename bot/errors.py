"""Errors a user can cause and fix: they become friendly replies, never crashes."""

from __future__ import annotations


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
