"""Full-text search indexes: FTS5 on SQLite, tsvector + GIN on PostgreSQL.

SQLite: two FTS5 tables over `statements` (slug, title, text) and `steelmen`
(text), with `content=` pointing at those tables so the text is not stored
twice, and triggers that keep the index in step with every insert, update and
delete. A later migration that rebuilds `statements` or `steelmen` in batch
mode (copy, drop, rename) drops these triggers with the old table and must
create them again.

PostgreSQL: a generated `search_vector` column on each table (the database
keeps it in step), a GIN index on each, and a byte-order (`COLLATE "C"`) index
on nicknames so that a prefix is one index range whatever the database's
collation.

None of this is in the SQLAlchemy models; `bot.storage.search.include_name`
tells Alembic's comparison to leave it out.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SQLITE_UP = (
    """CREATE VIRTUAL TABLE statement_search USING fts5(
        slug, title, text, content='statements', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2', prefix='2 3')""",
    """CREATE VIRTUAL TABLE steelman_search USING fts5(
        text, content='steelmen', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2', prefix='2 3')""",
    """CREATE TRIGGER statement_search_insert AFTER INSERT ON statements BEGIN
        INSERT INTO statement_search(rowid, slug, title, text)
        VALUES (new.id, new.slug, new.title, new.text);
    END""",
    """CREATE TRIGGER statement_search_delete AFTER DELETE ON statements BEGIN
        INSERT INTO statement_search(statement_search, rowid, slug, title, text)
        VALUES ('delete', old.id, old.slug, old.title, old.text);
    END""",
    """CREATE TRIGGER statement_search_update AFTER UPDATE OF slug, title, text ON statements
    BEGIN
        INSERT INTO statement_search(statement_search, rowid, slug, title, text)
        VALUES ('delete', old.id, old.slug, old.title, old.text);
        INSERT INTO statement_search(rowid, slug, title, text)
        VALUES (new.id, new.slug, new.title, new.text);
    END""",
    """CREATE TRIGGER steelman_search_insert AFTER INSERT ON steelmen BEGIN
        INSERT INTO steelman_search(rowid, text) VALUES (new.id, new.text);
    END""",
    """CREATE TRIGGER steelman_search_delete AFTER DELETE ON steelmen BEGIN
        INSERT INTO steelman_search(steelman_search, rowid, text)
        VALUES ('delete', old.id, old.text);
    END""",
    """CREATE TRIGGER steelman_search_update AFTER UPDATE OF text ON steelmen BEGIN
        INSERT INTO steelman_search(steelman_search, rowid, text)
        VALUES ('delete', old.id, old.text);
        INSERT INTO steelman_search(rowid, text) VALUES (new.id, new.text);
    END""",
    "INSERT INTO statement_search(statement_search) VALUES ('rebuild')",
    "INSERT INTO steelman_search(steelman_search) VALUES ('rebuild')",
)

_SQLITE_DOWN = (
    "DROP TRIGGER IF EXISTS steelman_search_update",
    "DROP TRIGGER IF EXISTS steelman_search_delete",
    "DROP TRIGGER IF EXISTS steelman_search_insert",
    "DROP TRIGGER IF EXISTS statement_search_update",
    "DROP TRIGGER IF EXISTS statement_search_delete",
    "DROP TRIGGER IF EXISTS statement_search_insert",
    "DROP TABLE IF EXISTS steelman_search",
    "DROP TABLE IF EXISTS statement_search",
)

_POSTGRES_UP = (
    """ALTER TABLE statements ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', replace(slug, '-', ' ')), 'A')
        || setweight(to_tsvector('simple', title), 'B')
        || setweight(to_tsvector('simple', text), 'C')
    ) STORED""",
    "CREATE INDEX ix_statements_search_vector ON statements USING gin (search_vector)",
    """ALTER TABLE steelmen ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        to_tsvector('simple', text)
    ) STORED""",
    "CREATE INDEX ix_steelmen_search_vector ON steelmen USING gin (search_vector)",
    'CREATE INDEX ix_slug_names_prefix ON slug_names (workspace_id, slug COLLATE "C")',
)

_POSTGRES_DOWN = (
    "DROP INDEX IF EXISTS ix_slug_names_prefix",
    "DROP INDEX IF EXISTS ix_steelmen_search_vector",
    "ALTER TABLE steelmen DROP COLUMN IF EXISTS search_vector",
    "DROP INDEX IF EXISTS ix_statements_search_vector",
    "ALTER TABLE statements DROP COLUMN IF EXISTS search_vector",
)


def _run(statements: Sequence[str]) -> None:
    for statement in statements:
        op.execute(statement)


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _run(_SQLITE_UP)
    elif dialect == "postgresql":
        _run(_POSTGRES_UP)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _run(_SQLITE_DOWN)
    elif dialect == "postgresql":
        _run(_POSTGRES_DOWN)
