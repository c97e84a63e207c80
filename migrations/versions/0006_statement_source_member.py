"""Statements quoting a chat message name its writer apart from their author.

A member who logs someone else's message is the statement's author; the
message's writer is kept in `source_member_id` / `source_member_name` (empty
when the text is not their words, word for word). Existing rows get "": the
old rows credited the writer as author, and which of them were reworded is
not known, so nothing is guessed.

A plain ADD/DROP COLUMN on both databases: no batch rebuild, so SQLite keeps
the full-text triggers made by 0004.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COLUMNS = (("source_member_id", 64), ("source_member_name", 200))


def upgrade() -> None:
    """Add the two columns, empty for every existing statement."""
    for name, length in _COLUMNS:
        op.add_column(
            "statements",
            sa.Column(name, sa.String(length), nullable=False, server_default=""),
        )


def downgrade() -> None:
    """Drop them again (SQLite 3.35+ drops a column in place)."""
    for name, _ in reversed(_COLUMNS):
        op.drop_column("statements", name)
