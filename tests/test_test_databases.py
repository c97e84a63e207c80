"""The test suite's own promise: a test never sees another test's rows or ids.

A PostgreSQL schema migrated once per run is lent to one test after another
(see tests/postgres.py); this proves that emptying it between tests leaves it
as the migration did: no rows, the revision kept, ids counted from 1 again.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text

from bot.app import Cruxbot
from bot.storage.database import create_engine
from bot.storage.models import Statement
from tests import postgres
from tests.conftest import MODERATOR, POSTGRES_URL


@pytest.mark.parametrize("engine", ["postgresql"], indirect=True)
async def test_an_emptied_schema_holds_no_rows_and_counts_ids_from_one(
    demo_app: Cruxbot,
) -> None:
    async with demo_app.engine.connect() as connection:
        schema = await connection.scalar(text("select current_schema()"))
    assert schema is not None and schema.startswith("t_")
    reply = await demo_app.handle_line("/claim extra One more claim.", MODERATOR)
    assert not reply.error, reply.body

    admin = create_engine(POSTGRES_URL)
    try:
        await postgres.empty(admin, schema)
    finally:
        await admin.dispose()
    async with demo_app.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Statement)) == 0
        assert await session.scalar(text("select version_num from alembic_version"))
    # The next test's Cruxbot is a new one (this one remembers the workspace it made).
    fresh = Cruxbot(demo_app.engine)
    again = await fresh.handle_line("/import demo", MODERATOR)
    assert not again.error, again.body
    async with fresh.sessions() as session:
        assert await session.scalar(select(func.min(Statement.id))) == 1
