"""PostgreSQL schemas for tests: empty ones, and migrated ones lent out and emptied.

Migrating a new schema costs most of a second (Alembic inspects the catalog,
and every Cruxbot process takes the same advisory lock to migrate), more than
most tests take. So a test that needs a migrated database borrows a schema
migrated once in this run; when the test ends its rows are deleted and its
sequences restarted, which leaves the schema as the migration made it, and the
next test borrows it. Tests run one after another in a process, so one schema
is normally all a run migrates; each process of a parallel run has its own.
"""

from __future__ import annotations

import asyncio
import threading
import uuid

import asyncpg
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.storage import migrate
from bot.storage.database import create_engine

#: Migrated, emptied schemas ready to lend; every one this process made, to drop at the end.
_SPARE: list[str] = []
_MADE: set[str] = set()
#: Databases being dropped while later tests run.
_DROPPING: list[threading.Thread] = []

# The rows a migration itself writes (the schema's revision) stay; every other row goes.
# A superuser (the local test server's `postgres`) deletes with foreign keys unchecked,
# which is the quickest way to empty small tables; anyone else truncates them.
_EMPTY = """
DO $empty$
DECLARE
    name text;
    fast boolean := current_setting('is_superuser') = 'on';
BEGIN
    IF fast THEN
        SET LOCAL session_replication_role = replica;
        FOR name IN SELECT tablename FROM pg_tables
                WHERE schemaname = '{schema}' AND tablename <> 'alembic_version' LOOP
            EXECUTE format('DELETE FROM %I.%I', '{schema}', name);
        END LOOP;
    ELSE
        EXECUTE (SELECT 'TRUNCATE ' || string_agg(format('%I.%I', schemaname, tablename), ', ')
                 FROM pg_tables
                 WHERE schemaname = '{schema}' AND tablename <> 'alembic_version');
    END IF;
    PERFORM setval(format('%I.%I', schemaname, sequencename), start_value, false)
        FROM pg_sequences WHERE schemaname = '{schema}';
END
$empty$
"""


async def create(admin: AsyncEngine) -> str:
    """A new, empty schema's name."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    async with admin.begin() as connection:
        await connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    return schema


async def drop(admin: AsyncEngine, schema: str) -> None:
    """Drop a schema and everything in it."""
    _MADE.discard(schema)
    async with admin.begin() as connection:
        await connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))


async def lend_migrated(admin: AsyncEngine, url: str) -> str:
    """A migrated schema holding no rows (on the server at `url`), made on first need."""
    if _SPARE:
        return _SPARE.pop()
    schema = await create(admin)
    _MADE.add(schema)
    engine = create_engine(url, connect_args={"server_settings": {"search_path": schema}})
    try:
        await migrate.upgrade(engine)
    finally:
        await engine.dispose()
    return schema


async def empty(engine: AsyncEngine, schema: str) -> None:
    """Delete a migrated schema's rows (its revision stays) and restart its sequences."""
    async with engine.begin() as connection:
        await connection.execute(text(_EMPTY.format(schema=schema)))


async def give_back(engine: AsyncEngine, admin: AsyncEngine, schema: str) -> None:
    """Empty a lent schema (through `engine`) for the next test; one that cannot be
    emptied is dropped (through `admin`)."""
    try:
        await empty(engine, schema)
    except BaseException:
        await drop(admin, schema)
        raise
    _SPARE.append(schema)


def drop_database_soon(server: str, name: str) -> None:
    """Drop a whole database while the tests go on; `drop_all` waits for it.

    PostgreSQL checkpoints to drop a database, which takes seconds on a busy
    server: nothing in a test waits for it.
    """

    async def run() -> None:
        admin = await asyncpg.connect(server)
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await admin.close()

    thread = threading.Thread(target=asyncio.run, args=(run(),), name=f"drop {name}")
    thread.start()
    _DROPPING.append(thread)


def drop_all(url: str) -> None:
    """Drop every schema this process migrated, and wait for databases being dropped."""
    for thread in _DROPPING:
        thread.join()
    _DROPPING.clear()
    if not _MADE:
        return

    async def run() -> None:
        admin = create_engine(url)
        try:
            for schema in list(_MADE):
                await drop(admin, schema)
        finally:
            await admin.dispose()

    asyncio.run(run())
    _SPARE.clear()
