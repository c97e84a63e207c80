"""The migrations are the schema: they match the models and run both ways."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.schema import CreateTable

from bot.app import Cruxbot
from bot.storage import migrate
from bot.storage.database import create_engine
from bot.storage.models import Base
from bot.storage.search import include_name
from tests.conftest import MEMBER, MODERATOR, text_of


def _diff(connection: Connection) -> list[Any]:
    # The same filter migrations/env.py uses: full-text indexes live outside the models.
    context = MigrationContext.configure(
        connection, opts={"compare_type": True, "include_name": include_name}
    )
    differences: list[Any] = compare_metadata(context, Base.metadata)
    return differences


def _tables(connection: Connection) -> set[str]:
    names = set(inspect(connection).get_table_names()) - {"alembic_version"}
    return {name for name in names if include_name(name, "table", {})}


def _all_tables(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names()) - {"alembic_version"}


async def test_models_and_migrations_agree(engine: AsyncEngine) -> None:
    await migrate.upgrade(engine)
    async with engine.connect() as connection:
        assert await connection.run_sync(_diff) == []


async def test_upgrade_downgrade_upgrade(engine: AsyncEngine) -> None:
    await migrate.upgrade(engine)
    async with engine.connect() as connection:
        assert await connection.run_sync(_tables) == set(Base.metadata.tables)
    await migrate.downgrade(engine, "base")
    async with engine.connect() as connection:
        assert await connection.run_sync(_all_tables) == set()  # search tables too
    await migrate.upgrade(engine)
    async with engine.connect() as connection:
        assert await connection.run_sync(_diff) == []


async def test_upgrade_is_idempotent(engine: AsyncEngine) -> None:
    await migrate.upgrade(engine)
    await migrate.upgrade(engine)
    async with engine.connect() as connection:
        assert await connection.run_sync(_diff) == []


async def test_postgres_full_text_indexes_keep_no_pending_list(engine: AsyncEngine) -> None:
    """Searches never read a GIN pending list (0011), and 0010 had PostgreSQL's default."""
    if engine.dialect.name != "postgresql":
        return  # SQLite's FTS5 indexes have no pending list
    query = text(
        "SELECT relname, coalesce(array_to_string(reloptions, ','), '') FROM pg_class "
        "WHERE relname LIKE 'ix_%_vector' AND relkind = 'i' "
        "AND relnamespace = to_regnamespace(current_schema())::oid"
    )
    await migrate.upgrade(engine)
    async with engine.connect() as connection:
        options: dict[str, str] = {i: o for i, o in (await connection.execute(query)).all()}
    assert len(options) == 4 and set(options.values()) == {"fastupdate=off"}, options
    await migrate.downgrade(engine, "0010")
    async with engine.connect() as connection:
        options = {i: o for i, o in (await connection.execute(query)).all()}
    assert set(options.values()) == {""}, options


def _generated_id_tables() -> list[str]:
    return [t.name for t in Base.metadata.sorted_tables if "id" in t.c and t.c.id.primary_key]


def _table_sql(connection: Connection) -> dict[str, str]:
    rows = connection.exec_driver_sql("SELECT name, sql FROM sqlite_master WHERE type = 'table'")
    return {name: sql for name, sql in rows}


async def test_sqlite_tables_never_reuse_ids(tmp_path: Path) -> None:
    """AUTOINCREMENT on every table with a generated id, in the models and after migrating.

    Alembic's comparison does not look at it, so this checks it directly (SQLite
    only: PostgreSQL sequences never hand out an id twice).
    """
    engine = create_engine(f"sqlite:///{tmp_path / 'ids.db'}")
    await migrate.upgrade(engine)
    async with engine.connect() as connection:
        migrated = await connection.run_sync(_table_sql)
    for name in _generated_id_tables():
        model_sql = str(CreateTable(Base.metadata.tables[name]).compile(dialect=engine.dialect))
        assert "AUTOINCREMENT" in model_sql, name
        assert "PRIMARY KEY AUTOINCREMENT" in migrated[name], name
    await engine.dispose()


TABLE_ORDER = [t.name for t in Base.metadata.sorted_tables]


async def _every_row(engine: AsyncEngine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table the schema has at its revision (later tables are absent)."""
    async with engine.connect() as connection:
        present = set(await connection.run_sync(lambda c: inspect(c).get_table_names()))
        return {
            name: [tuple(row) for row in await connection.execute(text(f"SELECT * FROM {name}"))]
            for name in TABLE_ORDER
            if name in present
        }


async def _fill(app: Cruxbot) -> None:
    lines = [
        ("/import demo", MODERATOR),
        ("/meeting start", MODERATOR),
        ("/agree lag 60", MEMBER),
        ("/steelman lag Zebrafish outpace any lag.", MEMBER),
        ("/claim quokka A quokka claim to delete.", MEMBER),
        ("/crux lag blank-slate", MEMBER),
        ("/meeting end", MODERATOR),
        ("/delete quokka", MEMBER),
        ("/claim newest The newest claim, then undone.", MEMBER),
        ("/undo", MEMBER),
    ]
    for line, caller in lines:
        reply = await app.handle_line(line, caller)
        assert not reply.error, (line, reply.body)


async def test_upgrade_to_0005_keeps_every_row_and_search_works(engine: AsyncEngine) -> None:
    # Rows are written by today's code, then the schema is taken back to what 0004
    # made: a database as 0004 left it, holding a group's rows.
    await migrate.upgrade(engine)
    app = Cruxbot(engine)
    await _fill(app)
    await migrate.downgrade(engine, "0004")
    before = await _every_row(engine)
    assert all(before[name] for name in ("stances", "steelmen", "cruxes", "meetings"))

    await migrate.upgrade(engine, "0005")
    assert await _every_row(engine) == before
    upgraded = await _every_row(engine)
    await migrate.downgrade(engine, "0004")
    assert await _every_row(engine) == upgraded

    await migrate.upgrade(engine)
    found = text_of(await app.handle_line("/search zebrafish", MEMBER))
    assert "`lag`" in found
    assert "`blank-slate`" in text_of(await app.handle_line("/search blank slate", MEMBER))
    assert "Nothing matches" in text_of(await app.handle_line("/search quokka", MEMBER))
    # The index keeps up with changes made after the upgrade (the rebuilt triggers).
    await app.handle_line("/claim later A wombat claim made after the upgrade.", MEMBER)
    await app.handle_line("/steelman later A stronger narwhal version.", MEMBER)
    assert "`later`" in text_of(await app.handle_line("/search wombat", MEMBER))
    assert "`later`" in text_of(await app.handle_line("/search narwhal", MEMBER))
    await app.handle_line("/edit later text A platypus claim now.", MEMBER)
    assert "`later`" in text_of(await app.handle_line("/search platypus", MEMBER))
    async with engine.connect() as connection:
        newest = await connection.scalar(text("SELECT max(id) FROM statements"))
        undone = await connection.scalar(
            text(
                "SELECT entity_id FROM revisions "
                "WHERE entity_type = 'statement' AND summary LIKE 'undid: %'"
            )
        )
    assert newest > undone  # the id of the claim undone before the upgrade stays retired
