"""Shared fixtures: every storage test runs on SQLite and on PostgreSQL.

PostgreSQL comes from CRUXBOT_TEST_POSTGRES_URL (default: the local server,
database `test`). Each test gets a schema of its own there, so tests never see
each other's rows. When the server is unreachable the PostgreSQL variants are
skipped, unless CRUXBOT_REQUIRE_POSTGRES=1 (set by CI) makes that a failure.

Migrating costs far more than most tests, so a test that asks for `app` starts
from a copy of a SQLite file migrated once per run, or from a PostgreSQL schema
migrated once per run and emptied after each test (see tests/postgres.py).
A test that asks only for `engine` gets an empty, unmigrated database.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from sqlalchemy import text, update
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.app import Cruxbot
from bot.context import Caller
from bot.render.reply import Reply
from bot.render.text import render_text
from bot.storage import migrate
from bot.storage.database import create_engine
from bot.storage.models import Meeting, utcnow
from tests import postgres
from tests.wording import mistakes, reply_texts

POSTGRES_URL = os.environ.get(
    "CRUXBOT_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)
REQUIRE_POSTGRES = os.environ.get("CRUXBOT_REQUIRE_POSTGRES") == "1"

MODERATOR = Caller(
    platform="console",
    workspace_id="local",
    user_id="u-mod",
    user_name="Mo",
    channel_id="c1",
    is_moderator=True,
)
MEMBER = Caller(
    platform="console", workspace_id="local", user_id="u-ann", user_name="Ann", channel_id="c1"
)
OTHER_MEMBER = replace(MEMBER, user_id="u-bob", user_name="Bob")


_POSTGRES_OK: bool | None = None


def pytest_sessionfinish() -> None:
    """Drop the PostgreSQL schemas the run migrated once and lent to its tests."""
    postgres.drop_all(POSTGRES_URL)


@pytest.fixture(autouse=True)
def wording(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Reply]]:
    """Every reply the core gives during the test; at its end, none may misword.

    Wrong plurals and articles ("1 steelmen", "a objection", "Page 1 of 1 (0 in
    all)") fail the test that first shows them, whichever command produced them.
    """
    seen: list[Reply] = []
    execute = Cruxbot._execute

    async def recording(self: Cruxbot, *args: Any, **kwargs: Any) -> Reply:
        reply = await execute(self, *args, **kwargs)
        seen.append(reply)
        return reply

    monkeypatch.setattr(Cruxbot, "_execute", recording)
    yield seen
    found = sorted({m for reply in seen for text in reply_texts(reply) for m in mistakes(text)})
    if found:
        pytest.fail(f"Replies with wording mistakes: {found}")


def needs_tool(command: str, setting: str, install: str) -> None:
    """Skip a test whose optional tool is not installed, saying how to get it.

    `make test` works on a machine with only Python and make; CI sets `setting`
    (e.g. CRUXBOT_REQUIRE_GRAPHVIZ=1), which turns the skip into a failure, so
    nothing is skipped there.
    """
    if shutil.which(command) is not None:
        return
    if os.environ.get(setting) == "1":
        pytest.fail(f"{command} is required ({setting}=1) but not installed: {install}")
    pytest.skip(f"{command} not installed ({install}); {setting}=1 makes this a failure")


@pytest.fixture
def graphviz() -> None:
    """Skip the test unless Graphviz's `dot` draws maps here."""
    needs_tool("dot", "CRUXBOT_REQUIRE_GRAPHVIZ", "apt-get install graphviz")


async def postgres_available() -> bool:
    """Probe the server once per run."""
    global _POSTGRES_OK
    if _POSTGRES_OK is None:
        engine = create_engine(POSTGRES_URL)
        try:
            async with engine.connect() as connection:
                await connection.execute(text("select 1"))
            _POSTGRES_OK = True
        except Exception:
            _POSTGRES_OK = False
        finally:
            await engine.dispose()
    return _POSTGRES_OK


@pytest.fixture(params=["sqlite", "postgresql"])
async def engine(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    """A database of each kind: empty and unmigrated, or, for a test that asks for
    `app`, migrated (a PostgreSQL schema migrated once per run, emptied after each test)."""
    if request.param == "sqlite":
        sqlite_engine = create_engine(f"sqlite:///{tmp_path / 'cruxbot.db'}")
        yield sqlite_engine
        await sqlite_engine.dispose()
        return
    if not await postgres_available():
        if REQUIRE_POSTGRES:
            pytest.fail(f"PostgreSQL is required but unreachable at {POSTGRES_URL}")
        pytest.skip(f"PostgreSQL unreachable at {POSTGRES_URL}")
    migrated = "app" in request.fixturenames
    admin = create_engine(POSTGRES_URL)
    try:
        if migrated:
            schema = await postgres.lend_migrated(admin, POSTGRES_URL)
        else:
            schema = await postgres.create(admin)
        pg_engine = create_engine(
            POSTGRES_URL,
            # The application name lets a fault test find (and kill) this test's connections.
            connect_args={"server_settings": {"search_path": schema, "application_name": schema}},
        )
        try:
            yield pg_engine
        finally:
            if migrated:
                # Emptied on the test's own connection: a new one costs more than the emptying.
                await postgres.give_back(pg_engine, admin, schema)
            await pg_engine.dispose()
            if not migrated:
                await postgres.drop(admin, schema)
    finally:
        await admin.dispose()


_SQLITE_TEMPLATE: Path | None = None


async def migrated_sqlite_template() -> Path:
    """A SQLite file migrated to head once per run, for tests to start from a copy.

    Migrating a new SQLite file costs some 0.4 s (one revision rebuilds every
    table); copying a migrated one costs a millisecond.
    """
    global _SQLITE_TEMPLATE
    if _SQLITE_TEMPLATE is None:
        path = Path(tempfile.mkdtemp(prefix="cruxbot-template-")) / "template.db"
        template = create_engine(f"sqlite:///{path}")
        await migrate.upgrade(template)
        await template.dispose()  # the last connection checkpoints the WAL into the file
        _SQLITE_TEMPLATE = path
    return _SQLITE_TEMPLATE


@pytest.fixture
async def app(engine: AsyncEngine) -> AsyncIterator[Cruxbot]:
    """A migrated, empty Cruxbot.

    The database was migrated once per run (the `engine` fixture lends a migrated,
    emptied PostgreSQL schema to a test that asks for `app`); no test migrates again.
    """
    if engine.dialect.name == "sqlite" and engine.url.database:
        # The engine has not connected yet: its file can still be put in place.
        shutil.copyfile(await migrated_sqlite_template(), engine.url.database)
    yield Cruxbot(engine)


@pytest.fixture
async def demo_app(app: Cruxbot) -> Cruxbot:
    """A Cruxbot whose console workspace holds the demo pack."""
    reply = await app.handle_line("/import demo", MODERATOR)
    assert not reply.error, reply.body
    return app


Say = Callable[..., Awaitable[Reply]]


@pytest.fixture
def say(app: Cruxbot) -> Say:
    """`await say("/objection lag")` runs a line as a member (or `caller=`)."""

    async def run(line: str, caller: Caller = MEMBER) -> Reply:
        return await app.handle_line(line, caller)

    return run


def text_of(reply: Reply) -> str:
    """The reply as the console prints it."""
    return render_text(reply)


async def age_meetings(app: Cruxbot, hours: float) -> None:
    """Pretend every meeting started `hours` ago (for closing forgotten ones)."""
    async with app.sessions() as session:
        started = utcnow() - timedelta(hours=hours)
        await session.execute(update(Meeting).values(started_at=started))
        await session.commit()


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    """An HTTP client session for talking to a served bot."""
    async with aiohttp.ClientSession() as session:
        yield session
