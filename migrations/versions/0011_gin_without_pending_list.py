"""PostgreSQL's full-text indexes write each row's words straight into the index.

A GIN index with `fastupdate` on (PostgreSQL's default) puts new entries in a
pending list, merged into the index only when the list reaches 4 MB or a
vacuum runs, and every search reads the whole list meanwhile: on a million
statements, a search of the steelmen read 455 pages of it (4 to 8 ms) to find
446 matches that the index proper gives in 0.1 ms. Off, each write updates
the index itself (a little more work per write), and no search reads a list.
What is pending when this runs is merged into the index now.

SQLite's FTS5 indexes have no such list: nothing changes there.

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: The GIN indexes of 0004 (words as written) and 0007 (stemmed).
_GIN_INDEXES = (
    "ix_statements_search_vector",
    "ix_steelmen_search_vector",
    "ix_statements_stems_vector",
    "ix_steelmen_stems_vector",
)


def upgrade() -> None:
    """Turn the pending list off and merge what it holds (PostgreSQL only)."""
    if op.get_bind().dialect.name != "postgresql":
        return
    for index in _GIN_INDEXES:
        op.execute(f"ALTER INDEX {index} SET (fastupdate = off)")
        op.execute(f"SELECT gin_clean_pending_list('{index}'::regclass)")


def downgrade() -> None:
    """Back to PostgreSQL's default (a pending list)."""
    if op.get_bind().dialect.name != "postgresql":
        return
    for index in _GIN_INDEXES:
        op.execute(f"ALTER INDEX {index} RESET (fastupdate)")
