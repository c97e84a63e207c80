"""Ids are never reused: SQLite tables get AUTOINCREMENT.

Without it SQLite hands out the highest id plus one, so when the newest row of
a table is deleted its id goes to the next row inserted, perhaps in another
workspace, while the first workspace's revisions (and so /undo) still name it.
With AUTOINCREMENT SQLite remembers the highest id it ever gave (in
`sqlite_sequence`) and never gives one twice.

PostgreSQL: nothing to do, and this revision does nothing there: its sequences
never hand out an id twice.

SQLite adds AUTOINCREMENT only by rebuilding a table (batch mode: copy, drop,
rename). Dropping a table deletes its rows first, and with foreign keys on
(they always are, and SQLite cannot turn them off inside the migration's
transaction) that deletes, through ON DELETE CASCADE, every row referring to
them. So the rows are kept aside in temporary tables, the tables are emptied
children first, rebuilt while empty (nothing cascades), and refilled parents
first with their ids. The rebuild drops the full-text triggers of 0004 with
the old `statements` and `steelmen`; they are created again from 0004's own
definitions and the indexes rebuilt. It is all one transaction: a failure
leaves the database as it was.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence

from alembic import op
from sqlalchemy import text

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: Every table with a generated id, each after the tables whose rows refer to it.
_CHILDREN_FIRST = (
    "cruxes",
    "stances",
    "steelmen",
    "slug_names",
    "revisions",
    "channels",
    "statements",
    "meetings",
    "readings",
    "workspaces",
)


def _search_triggers() -> list[str]:
    """0004's statements that create the full-text triggers and fill the indexes."""
    full_text = importlib.import_module("migrations.versions.0004_full_text_search")
    return [
        statement
        for statement in full_text._SQLITE_UP
        if statement.startswith("CREATE TRIGGER") or "'rebuild'" in statement
    ]


def _columns(table: str) -> str:
    rows = op.get_bind().execute(text(f"PRAGMA table_info({table})")).all()
    return ", ".join(f'"{row[1]}"' for row in rows)


#: What each table's rows are called in `revisions.entity_type`.
_ENTITY_TYPES = {
    "statements": "statement",
    "slug_names": "slug",
    "steelmen": "steelman",
    "stances": "stance",
    "readings": "reading",
    "cruxes": "crux",
}


def _retire_ids_in_history() -> None:
    """Start each table's ids above every id its history names, not just above its rows.

    A row deleted before this upgrade (an undone claim, a stance merged away)
    is gone, but revisions still name its id; AUTOINCREMENT alone would start
    after the highest row left and give that id out again.
    """
    bind = op.get_bind()
    for table, entity_type in _ENTITY_TYPES.items():
        named = bind.scalar(
            text("SELECT max(entity_id) FROM revisions WHERE entity_type = :type"),
            {"type": entity_type},
        )
        if table == "statements":
            named = max(
                named or 0, bind.scalar(text("SELECT max(statement_id) FROM revisions")) or 0
            )
        if not named:
            continue
        given = bind.scalar(
            text("SELECT seq FROM sqlite_sequence WHERE name = :name"), {"name": table}
        )
        if given is None:
            bind.execute(
                text("INSERT INTO sqlite_sequence (name, seq) VALUES (:name, :seq)"),
                {"name": table, "seq": named},
            )
        elif given < named:
            bind.execute(
                text("UPDATE sqlite_sequence SET seq = :seq WHERE name = :name"),
                {"name": table, "seq": named},
            )


def _rebuild(autoincrement: bool) -> None:
    """Rebuild every table with or without AUTOINCREMENT, keeping every row and id."""
    for table in _CHILDREN_FIRST:
        op.execute(f"CREATE TEMP TABLE kept_{table} AS SELECT * FROM {table}")
    for table in _CHILDREN_FIRST:
        op.execute(f"DELETE FROM {table}")
    for table in _CHILDREN_FIRST:
        with op.batch_alter_table(
            table, recreate="always", table_kwargs={"sqlite_autoincrement": autoincrement}
        ):
            pass
    for table in reversed(_CHILDREN_FIRST):
        columns = _columns(table)
        op.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM temp.kept_{table}")
        op.execute(f"DROP TABLE temp.kept_{table}")
    for statement in _search_triggers():
        op.execute(statement)


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _rebuild(autoincrement=True)
        _retire_ids_in_history()


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _rebuild(autoincrement=False)
