"""Stemmed full-text indexes, for questions in plain words and for /search.

The indexes of 0004 tokenise words as they are, which suits what they are
used for now: completing nicknames and titles while a member types, where
`evalua` must still find "evaluation" as a prefix. A stemmed index cannot do
that (it stores `evalu`, and `evalua` is not a prefix of it), so stemming gets
indexes of its own next to them instead of replacing them:

SQLite: two FTS5 tables with the `porter` tokenizer over `statements` (slug,
title, text) and `steelmen` (text), external-content like those of 0004, kept
in step by triggers. PostgreSQL: a generated `stems_vector` column on each
table with the `english` text search configuration (Snowball stemmer, English
stop words) and a GIN index on each.

None of this is in the SQLAlchemy models; `bot.storage.search.include_name`
tells Alembic's comparison to leave it out.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TOKENIZER = "porter unicode61 remove_diacritics 2"

_SQLITE_UP = (
    f"""CREATE VIRTUAL TABLE statement_stems USING fts5(
        slug, title, text, content='statements', content_rowid='id', tokenize='{_TOKENIZER}')""",
    f"""CREATE VIRTUAL TABLE steelman_stems USING fts5(
        text, content='steelmen', content_rowid='id', tokenize='{_TOKENIZER}')""",
    """CREATE TRIGGER statement_stems_insert AFTER INSERT ON statements BEGIN
        INSERT INTO statement_stems(rowid, slug, title, text)
        VALUES (new.id, new.slug, new.title, new.text);
    END""",
    """CREATE TRIGGER statement_stems_delete AFTER DELETE ON statements BEGIN
        INSERT INTO statement_stems(statement_stems, rowid, slug, title, text)
        VALUES ('delete', old.id, old.slug, old.title, old.text);
    END""",
    """CREATE TRIGGER statement_stems_update AFTER UPDATE OF slug, title, text ON statements
    BEGIN
        INSERT INTO statement_stems(statement_stems, rowid, slug, title, text)
        VALUES ('delete', old.id, old.slug, old.title, old.text);
        INSERT INTO statement_stems(rowid, slug, title, text)
        VALUES (new.id, new.slug, new.title, new.text);
    END""",
    """CREATE TRIGGER steelman_stems_insert AFTER INSERT ON steelmen BEGIN
        INSERT INTO steelman_stems(rowid, text) VALUES (new.id, new.text);
    END""",
    """CREATE TRIGGER steelman_stems_delete AFTER DELETE ON steelmen BEGIN
        INSERT INTO steelman_stems(steelman_stems, rowid, text)
        VALUES ('delete', old.id, old.text);
    END""",
    """CREATE TRIGGER steelman_stems_update AFTER UPDATE OF text ON steelmen BEGIN
        INSERT INTO steelman_stems(steelman_stems, rowid, text)
        VALUES ('delete', old.id, old.text);
        INSERT INTO steelman_stems(rowid, text) VALUES (new.id, new.text);
    END""",
    "INSERT INTO statement_stems(statement_stems) VALUES ('rebuild')",
    "INSERT INTO steelman_stems(steelman_stems) VALUES ('rebuild')",
)

_SQLITE_DOWN = (
    "DROP TRIGGER IF EXISTS steelman_stems_update",
    "DROP TRIGGER IF EXISTS steelman_stems_delete",
    "DROP TRIGGER IF EXISTS steelman_stems_insert",
    "DROP TRIGGER IF EXISTS statement_stems_update",
    "DROP TRIGGER IF EXISTS statement_stems_delete",
    "DROP TRIGGER IF EXISTS statement_stems_insert",
    "DROP TABLE IF EXISTS steelman_stems",
    "DROP TABLE IF EXISTS statement_stems",
)

_POSTGRES_UP = (
    """ALTER TABLE statements ADD COLUMN stems_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english', replace(slug, '-', ' ')), 'A')
        || setweight(to_tsvector('english', title), 'B')
        || setweight(to_tsvector('english', text), 'C')
    ) STORED""",
    "CREATE INDEX ix_statements_stems_vector ON statements USING gin (stems_vector)",
    """ALTER TABLE steelmen ADD COLUMN stems_vector tsvector GENERATED ALWAYS AS (
        to_tsvector('english', text)
    ) STORED""",
    "CREATE INDEX ix_steelmen_stems_vector ON steelmen USING gin (stems_vector)",
)

_POSTGRES_DOWN = (
    "DROP INDEX IF EXISTS ix_steelmen_stems_vector",
    "ALTER TABLE steelmen DROP COLUMN IF EXISTS stems_vector",
    "DROP INDEX IF EXISTS ix_statements_stems_vector",
    "ALTER TABLE statements DROP COLUMN IF EXISTS stems_vector",
)


def _run(statements: Sequence[str]) -> None:
    for statement in statements:
        op.execute(statement)


def upgrade() -> None:
    """Create the stemmed indexes and fill them from the rows already there."""
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _run(_SQLITE_UP)
    elif dialect == "postgresql":
        _run(_POSTGRES_UP)


def downgrade() -> None:
    """Drop them; the unstemmed indexes of 0004 stay."""
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _run(_SQLITE_DOWN)
    elif dialect == "postgresql":
        _run(_POSTGRES_DOWN)
