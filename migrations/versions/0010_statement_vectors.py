"""Statements' embeddings (`statement_vectors`), for asking by meaning.

One row per statement that an embedding provider has embedded: the packed
float32 vector, the model that made it and the statement version it was made
from. A new table only: nothing existing changes, and without a provider it
stays empty.

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the table, its ids never reused on SQLite like every other table's."""
    op.create_table(
        "statement_vectors",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("statement_id", sa.Integer(), nullable=False),
        sa.Column("model", sa.String(200), nullable=False),
        sa.Column("source_updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name="fk_statement_vectors_workspace_id_workspaces",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["statement_id"],
            ["statements.id"],
            name="fk_statement_vectors_statement_id_statements",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_statement_vectors"),
        sa.UniqueConstraint("statement_id", name="uq_statement_vectors_statement_id"),
        sqlite_autoincrement=True,
    )
    op.create_index(
        "ix_statement_vectors_workspace_id", "statement_vectors", ["workspace_id"], unique=False
    )


def downgrade() -> None:
    """Drop the table: asking goes back to words alone until vectors are made again."""
    op.drop_index("ix_statement_vectors_workspace_id", table_name="statement_vectors")
    op.drop_table("statement_vectors")
