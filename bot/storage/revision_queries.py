"""The revision log: what changed, by whom, and how to put a row back as it was.

Every query filters on the repository's workspace (see `bot.storage.scoped`);
restoring a row goes through `bot.storage.revisions`, which never writes a row
of another workspace.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TypeVar

from sqlalchemy import select

from bot.storage import activity, revisions
from bot.storage.models import Base, Revision
from bot.storage.scoped import Scoped

ModelT = TypeVar("ModelT", bound=Base)


class RevisionRepository(Scoped):
    """The workspace's revisions, newest change, undo targets and write counts."""

    async def newest(self, statement_id: int | None, offset: int, limit: int) -> Sequence[Revision]:
        """Revisions of a statement (or of the workspace), newest first."""
        query = select(Revision).where(Revision.workspace_id == self.workspace_id)
        if statement_id is not None:
            query = query.where(Revision.statement_id == statement_id)
        query = query.order_by(Revision.id.desc()).offset(offset).limit(limit)
        return (await self.session.scalars(query)).all()

    async def last_change(
        self, actor_id: str | None = None, statement_id: int | None = None
    ) -> Sequence[Revision]:
        """The revisions of the newest undoable change, by an actor or on a statement."""
        query = select(Revision.change_id).where(
            Revision.workspace_id == self.workspace_id,
            Revision.undone.is_(False),
            Revision.action != "undo",
        )
        if actor_id is not None:
            query = query.where(Revision.actor_id == actor_id)
        if statement_id is not None:
            query = query.where(Revision.statement_id == statement_id)
        change_id = await self.session.scalar(query.order_by(Revision.id.desc()).limit(1))
        if change_id is None:
            return []
        rows = select(Revision).where(
            Revision.workspace_id == self.workspace_id, Revision.change_id == change_id
        )
        return (await self.session.scalars(rows.order_by(Revision.id))).all()

    async def later_than(self, revision: Revision, change_id: str) -> Revision | None:
        """A live revision of the same row made after `revision` by another change."""
        query = select(Revision).where(
            Revision.workspace_id == self.workspace_id,
            Revision.entity_type == revision.entity_type,
            Revision.entity_id == revision.entity_id,
            Revision.id > revision.id,
            Revision.change_id != change_id,
            Revision.undone.is_(False),
            Revision.action != "undo",
        )
        return await self.session.scalar(query.order_by(Revision.id).limit(1))

    async def during(self, meeting_id: int) -> Sequence[Revision]:
        """Every live change made during a meeting, oldest first."""
        query = select(Revision).where(
            Revision.workspace_id == self.workspace_id,
            Revision.meeting_id == meeting_id,
            Revision.undone.is_(False),
            Revision.action != "undo",
        )
        return (await self.session.scalars(query.order_by(Revision.id))).all()

    async def writes_since(self, actor_id: str, since: datetime, but: str) -> int:
        """How many changes `actor_id` made since `since`, not counting the change `but`."""
        return await activity.writes_since(self.session, self.workspace_id, actor_id, since, but)

    async def row(self, model: type[ModelT], row_id: int) -> ModelT | None:
        """The row of this id if it belongs to the workspace (see `revisions.row_in_workspace`)."""
        return await revisions.row_in_workspace(self.session, model, self.workspace_id, row_id)

    async def restore(
        self, entity_type: str, entity_id: int, before: revisions.Snapshot | None
    ) -> Base | None:
        """Make the row look as it did in `before` (see `revisions.restore_snapshot`)."""
        return await revisions.restore_snapshot(
            self.session, self.workspace_id, entity_type, entity_id, before
        )
