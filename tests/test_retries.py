"""What counts as "run it again": a dropped connection however the driver wraps it."""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError

from bot.retries import lost_race_or_connection


class ConnectionDoesNotExistError(Exception):
    """Named as asyncpg's error for a backend that died mid-conversation."""


class Error(Exception):
    """Named as the asyncpg adapter's generic wrapper."""


def _wrapped(cause: BaseException) -> DBAPIError:
    adapter_error = Error("connection was closed in the middle of operation")
    adapter_error.__cause__ = cause
    return DBAPIError("INSERT INTO revisions ...", {}, adapter_error)


def test_a_backend_killed_during_a_flush_is_retried() -> None:
    """The adapter's generic Error, caused by asyncpg's dropped-connection error."""
    assert lost_race_or_connection(_wrapped(ConnectionDoesNotExistError("terminated")))


def test_other_database_errors_are_not_retried() -> None:
    assert not lost_race_or_connection(_wrapped(ValueError("a bug")))
    assert not lost_race_or_connection(ValueError("a bug"))
