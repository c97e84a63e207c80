"""Alembic environment.

Cruxbot runs migrations itself (on start and through `cruxbot migrate`), handing
Alembic an open connection in `config.attributes["connection"]`. Run directly
(`alembic upgrade head` in a checkout), it connects to DATABASE_URL instead.
"""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy.engine import Connection

from bot.config import database_url_from_env
from bot.storage.database import create_engine
from bot.storage.models import Base
from bot.storage.search import include_name

target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        # The full-text indexes live outside the models (migration 0004).
        include_name=include_name,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_with_own_engine() -> None:
    engine = create_engine(database_url_from_env())
    async with engine.connect() as connection:
        await connection.run_sync(_run)
        await connection.commit()
    await engine.dispose()


def run_migrations_online() -> None:
    """Run on the connection Cruxbot gave us, or on one of our own."""
    connection = context.config.attributes.get("connection")
    if connection is None:
        asyncio.run(_run_with_own_engine())
    else:
        _run(connection)


if context.is_offline_mode():
    raise SystemExit("Cruxbot migrations run online only: use `cruxbot migrate`.")
run_migrations_online()
