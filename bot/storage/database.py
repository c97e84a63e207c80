"""Engine creation: SQLite (aiosqlite) by default, PostgreSQL (asyncpg) on request.

Users write database URLs the way their tools print them (`sqlite:///x.db`,
`postgres://…`); this module turns them into the async dialects SQLAlchemy
needs and applies the SQLite settings that make a single file safe to share
between concurrent commands: WAL journal, foreign keys on, a busy timeout.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

SQLITE_BUSY_TIMEOUT_MS = 10_000

#: Execution option marking connections of commands that only read (see `read_only`).
READ_ONLY_OPTION = "cruxbot_read_only"

_DRIVER_FOR_SCHEME = {
    "sqlite": "sqlite+aiosqlite",
    "sqlite+aiosqlite": "sqlite+aiosqlite",
    "postgres": "postgresql+asyncpg",
    "postgresql": "postgresql+asyncpg",
    "postgresql+asyncpg": "postgresql+asyncpg",
}


class DatabaseUrlError(ValueError):
    """The database URL cannot be used; the message says why, in one line."""


def normalise_url(raw: str) -> URL:
    """Parse a user-supplied database URL into its async-driver form.

    Raises:
        DatabaseUrlError: the URL is malformed or names an unsupported database.
    """
    try:
        url = make_url(raw.strip())
    except ArgumentError as exc:
        raise DatabaseUrlError(f"DATABASE_URL is not a valid URL: {raw!r}") from exc
    driver = _DRIVER_FOR_SCHEME.get(url.drivername)
    if driver is None:
        raise DatabaseUrlError(
            f"DATABASE_URL uses {url.drivername!r}; Cruxbot supports sqlite:/// and postgresql://"
        )
    url = url.set(drivername=driver)
    if driver.startswith("sqlite") and url.database not in (None, "", ":memory:"):
        Path(url.database or "").expanduser().parent.mkdir(parents=True, exist_ok=True)
    return url


def is_sqlite(url: URL) -> bool:
    """Whether the URL points at SQLite (which needs its own connection settings)."""
    return url.get_backend_name() == "sqlite"


def _configure_sqlite_connection(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy, not the driver, decide when transactions begin (see _begin_immediate).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # Deleted rows' bytes are overwritten, not left in free pages: /forget-me means gone.
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


def _begin_immediate(connection: Any) -> None:
    """Take SQLite's write lock when a transaction starts, not halfway through it.

    A deferred transaction that reads and then writes cannot wait for another
    writer: SQLite fails it at once with "database is locked", ignoring the busy
    timeout. Beginning every command's transaction IMMEDIATE makes concurrent
    commands queue on the busy timeout instead; WAL keeps readers of other
    connections unblocked, and a command only lasts milliseconds.
    """
    if connection.get_execution_options().get(READ_ONLY_OPTION):
        return
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def reading_engine(engine: AsyncEngine) -> AsyncEngine:
    """The same engine, for commands that only read: no transaction, no write lock.

    A read runs as one statement (or a few, each consistent on its own), so it
    needs neither SQLite's write lock (BEGIN IMMEDIATE would queue it behind
    every writer) nor a BEGIN and COMMIT round trip on PostgreSQL.
    """
    if engine.dialect.name == "sqlite":
        # The driver is already in autocommit mode (see _configure_sqlite_connection);
        # _begin_immediate sees the option and leaves the transaction unopened.
        return engine.execution_options(**{READ_ONLY_OPTION: True})
    return engine.execution_options(isolation_level="AUTOCOMMIT", **{READ_ONLY_OPTION: True})


def create_engine(raw_url: str, **kwargs: Any) -> AsyncEngine:
    """Create the async engine for a database URL, with per-backend settings."""
    url = normalise_url(raw_url)
    # A database error's message would otherwise quote the query's values (members'
    # words) into the log with its traceback.
    kwargs.setdefault("hide_parameters", True)
    if is_sqlite(url):
        kwargs.setdefault("connect_args", {})["timeout"] = SQLITE_BUSY_TIMEOUT_MS / 1000
        engine = create_async_engine(url, **kwargs)
        event.listen(engine.sync_engine, "connect", _configure_sqlite_connection)
        event.listen(engine.sync_engine, "begin", _begin_immediate)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return create_async_engine(url, **kwargs)
