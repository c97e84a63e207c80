"""Queries about actions and decisions (`/action`, `/decision`), scoped to a workspace."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from bot.storage.models import ActionItem
from bot.storage.scoped import Scoped


class ActionRepository(Scoped):
    """The workspace's actions and decisions."""

    async def by_number(self, item_id: int) -> ActionItem | None:
        """One action or decision of this workspace, by its number."""
        return await self.session.scalar(
            select(ActionItem).where(
                ActionItem.workspace_id == self.workspace_id, ActionItem.id == item_id
            )
        )

    async def open(self, limit: int) -> Sequence[ActionItem]:
        """Actions not done yet, across meetings, oldest first."""
        query = (
            select(ActionItem)
            .where(
                ActionItem.workspace_id == self.workspace_id,
                ActionItem.kind == "action",
                ActionItem.done_at.is_(None),
            )
            .order_by(ActionItem.id)
            .limit(limit)
        )
        return (await self.session.scalars(query)).all()

    async def taken_during(self, meeting_id: int) -> Sequence[ActionItem]:
        """The actions and decisions taken during a meeting, oldest first."""
        query = select(ActionItem).where(
            ActionItem.workspace_id == self.workspace_id, ActionItem.meeting_id == meeting_id
        )
        return (await self.session.scalars(query.order_by(ActionItem.id))).all()
