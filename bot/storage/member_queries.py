"""Queries about everything one member wrote in a workspace, for /forget-me.

Bulk statements rather than row by row: a long-standing member may own
thousands of rows, and forgetting them must be one short transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import and_, delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import Crux, Revision, Stance, Statement, Steelman

#: Each kind of row a member owns, and the column saying they own it.
OWNED: dict[str, tuple[Any, Any]] = {
    "statements": (Statement, Statement.author_id),
    "steelmen": (Steelman, Steelman.author_id),
    "stances": (Stance, Stance.member_id),
    "cruxes": (Crux, Crux.member_id),
}


class MemberQueries:
    """Part of the unit of work's repositories (see repositories.Repositories)."""

    session: AsyncSession
    workspace_id: int

    async def owned_ids(self, kind: str, member_id: str) -> list[int]:
        """Ids of the member's rows of one kind (a key of `OWNED`) in this workspace."""
        model, column = OWNED[kind]
        query = select(model.id).where(model.workspace_id == self.workspace_id, column == member_id)
        return list((await self.session.scalars(query)).all())

    async def delete_stances_and_cruxes(self, member_id: str) -> None:
        """The member's stances and cruxes, with the log entries that record them."""
        for kind, entity in (("stances", "stance"), ("cruxes", "crux")):
            model, _ = OWNED[kind]
            ids = await self.owned_ids(kind, member_id)
            await self.session.execute(
                delete(Revision).where(
                    Revision.workspace_id == self.workspace_id,
                    Revision.entity_type == entity,
                    Revision.entity_id.in_(ids),
                )
            )
            await self.session.execute(delete(model).where(model.id.in_(ids)))

    async def delete_writings(self, member_id: str) -> None:
        """The member's statements and steelmen, and every log entry by them or about those.

        What answered a deleted statement stays, no longer attached to it.
        """
        ws = self.workspace_id
        statement_ids = await self.owned_ids("statements", member_id)
        await self.session.execute(
            delete(Steelman).where(Steelman.workspace_id == ws, Steelman.author_id == member_id)
        )
        if statement_ids:
            for column in (Statement.target_id, Statement.duplicate_of_id):
                await self.session.execute(
                    update(Statement)
                    .where(Statement.workspace_id == ws, column.in_(statement_ids))
                    .values({column: None})
                )
            await self.session.execute(
                delete(Revision).where(
                    Revision.workspace_id == ws, Revision.statement_id.in_(statement_ids)
                )
            )
            await self.session.execute(delete(Statement).where(Statement.id.in_(statement_ids)))
        await self.session.execute(
            delete(Revision).where(Revision.workspace_id == ws, Revision.actor_id == member_id)
        )
        await self.session.flush()

    async def rename_author(self, member_id: str, new_id: str, new_name: str) -> None:
        """Attribute the member's statements, steelmen and log entries to someone else."""
        ws = self.workspace_id
        for model in (Statement, Steelman):
            await self.session.execute(
                update(model)
                .where(model.workspace_id == ws, model.author_id == member_id)
                .values(author_id=new_id, author_name=new_name)
            )
        await self.session.execute(
            update(Revision)
            .where(Revision.workspace_id == ws, Revision.actor_id == member_id)
            .values(actor_id=new_id, actor_name=new_name)
        )

    async def quoting_ids(self, member_id: str) -> list[int]:
        """Statements by others whose text quotes one of the member's chat messages."""
        query = select(Statement.id).where(
            Statement.workspace_id == self.workspace_id, Statement.source_member_id == member_id
        )
        return list((await self.session.scalars(query)).all())

    async def rename_source(self, member_id: str, new_id: str, new_name: str) -> None:
        """Name someone else (or, with "", nobody) as the member's quoted words' source."""
        await self.session.execute(
            update(Statement)
            .where(Statement.workspace_id == self.workspace_id)
            .where(Statement.source_member_id == member_id)
            .values(source_member_id=new_id, source_member_name=new_name)
        )

    async def revisions_about(
        self, statement_ids: Sequence[int], steelman_ids: Sequence[int]
    ) -> Sequence[Revision]:
        """Log entries whose snapshots hold these statements or steelmen."""
        query = select(Revision).where(
            Revision.workspace_id == self.workspace_id,
            or_(
                and_(Revision.entity_type == "statement", Revision.entity_id.in_(statement_ids)),
                and_(Revision.entity_type == "steelman", Revision.entity_id.in_(steelman_ids)),
            ),
        )
        return (await self.session.scalars(query)).all()
