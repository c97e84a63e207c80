"""The web view's per-workspace links (`web_links`).

One row per workspace that has a web link: the nonce its token is derived
from and the token's SHA-256, by which a page request finds its workspace.
A new table only: nothing existing changes.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the table, its ids never reused on SQLite like every other table's."""
    op.create_table(
        "web_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("nonce", sa.String(64), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name="fk_web_links_workspace_id_workspaces",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_web_links"),
        sa.UniqueConstraint("workspace_id", name="uq_web_links_workspace_id"),
        sa.UniqueConstraint("token_hash", name="uq_web_links_token_hash"),
        sqlite_autoincrement=True,
    )


def downgrade() -> None:
    """Drop the table: every web link stops working."""
    op.drop_table("web_links")
