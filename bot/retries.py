"""Running a database step again when it lost a race or its connection.

Commands and delivery bookkeeping share one rule for what is worth a retry, so
a killed PostgreSQL backend or a busy SQLite file never reaches a member as an
error when running again would have worked.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from sqlalchemy.exc import DBAPIError, IntegrityError, InterfaceError, OperationalError

log = logging.getLogger(__name__)

#: How often a step that lost a database race is run again before giving up.
RETRIES = 3

T = TypeVar("T")


async def retrying(what: str, attempt: Callable[[bool], Awaitable[T]]) -> T:
    """Run `attempt` again when the database lost a race or the connection.

    Another command won a race (the same new slug, a busy SQLite file), or the
    database dropped the connection (a restart, a killed backend: the pool
    replaces it). Nothing of a failed attempt was committed, or, when the
    connection died during the commit, its request key was: running again is
    safe either way, and sees the other's effect (a taken slug becomes the usual
    refusal). `attempt` is told whether the connection died during the previous
    try, when a commit may have reached the database unconfirmed.
    """
    connection_lost = False
    for number in range(1, RETRIES + 1):
        try:
            return await attempt(connection_lost)
        except Exception as exc:
            if number == RETRIES or not lost_race_or_connection(exc):
                raise
            connection_lost = not isinstance(exc, IntegrityError)
            log.info("%s retried (attempt %d): %s", what, number, exc)
    raise AssertionError("unreachable")


def lost_race_or_connection(exc: BaseException) -> bool:
    """Whether `exc` says "try again": a lost race or a dropped connection."""
    if isinstance(exc, DBAPIError):
        retryable = isinstance(exc, IntegrityError | OperationalError | InterfaceError)
        if retryable or exc.connection_invalidated:
            return True
        exc = exc.orig or exc
    # asyncpg's own errors when a backend dies mid-conversation, raised as they are,
    # wrapped by SQLAlchemy (as an InternalError) under the same class name, or as
    # the cause of the adapter's generic `Error` ("connection was closed in the
    # middle of operation", when the backend is killed during a flush).
    cause: BaseException | None = exc
    while cause is not None:
        if type(cause).__name__ in _DROPPED_CONNECTION:
            return True
        cause = cause.__cause__
    return False


_DROPPED_CONNECTION = frozenset(
    ("ConnectionDoesNotExistError", "InternalClientError", "InterfaceError")
)
