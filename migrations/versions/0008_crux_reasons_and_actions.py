"""Cruxes keep their reason; actions and decisions get a table of their own.

`cruxes.reason` says why the belief would change the member's mind ("" for
the cruxes named before). `action_items` holds `/action` and `/decision`
entries, per workspace, tied to the meeting they were taken in.

A plain ADD COLUMN and CREATE TABLE on both databases: no batch rebuild, so
SQLite keeps the full-text triggers made by 0004.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add the reason column and the actions table."""
    op.add_column("cruxes", sa.Column("reason", sa.Text(), nullable=False, server_default=""))
    op.create_table(
        "action_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("member_id", sa.String(length=64), nullable=False),
        sa.Column("member_name", sa.String(length=200), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_action_items_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_action_items_meeting_id_meetings"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action_items")),
        sqlite_autoincrement=True,
    )
    op.create_index(
        "ix_action_items_workspace_open",
        "action_items",
        ["workspace_id", "kind", "done_at"],
    )
    op.create_index(op.f("ix_action_items_meeting_id"), "action_items", ["meeting_id"])


def downgrade() -> None:
    """Drop the table and the column again (SQLite 3.35+ drops a column in place)."""
    op.drop_index(op.f("ix_action_items_meeting_id"), table_name="action_items")
    op.drop_index("ix_action_items_workspace_open", table_name="action_items")
    op.drop_table("action_items")
    op.drop_column("cruxes", "reason")
