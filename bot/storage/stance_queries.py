"""Stances and cruxes: where members stand on statements, and what would change their minds.

Every query filters on the repository's workspace (see `bot.storage.scoped`).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import case, func, select

from bot.storage.models import Crux, Stance, Statement
from bot.storage.scoped import Scoped


class StanceRepository(Scoped):
    """The workspace's stances, their tallies, and cruxes."""

    async def of_member(self, statement_id: int, member_id: str) -> Stance | None:
        """A member's stance on a statement, if any."""
        query = select(Stance).where(
            Stance.workspace_id == self.workspace_id,
            Stance.statement_id == statement_id,
            Stance.member_id == member_id,
        )
        return await self.session.scalar(query)

    async def on(self, statement_id: int) -> Sequence[Stance]:
        """All stances on a statement."""
        query = (
            select(Stance)
            .where(Stance.workspace_id == self.workspace_id, Stance.statement_id == statement_id)
            .order_by(Stance.id)
        )
        return (await self.session.scalars(query)).all()

    async def counts(self, reading_id: int | None) -> Sequence[tuple[int, int, int, int]]:
        """(statement id, agree, disagree, unsure) for live statements with stances."""
        agree = func.sum(case((Stance.position == "agree", 1), else_=0))
        disagree = func.sum(case((Stance.position == "disagree", 1), else_=0))
        unsure = func.sum(case((Stance.position == "unsure", 1), else_=0))
        query = (
            select(Stance.statement_id, agree, disagree, unsure)
            .join(Statement, Statement.id == Stance.statement_id)
            .where(Stance.workspace_id == self.workspace_id, Statement.deleted_at.is_(None))
            .group_by(Stance.statement_id)
        )
        if reading_id is not None:
            query = query.where(Statement.reading_id == reading_id)
        return [
            (sid, int(a or 0), int(d or 0), int(u or 0))
            for sid, a, d, u in await self.session.execute(query)
        ]

    async def cruxes(
        self, statement_id: int | None = None, meeting_id: int | None = None
    ) -> Sequence[Crux]:
        """Cruxes, on one statement or named during one meeting, oldest first."""
        query = select(Crux).where(Crux.workspace_id == self.workspace_id)
        if statement_id is not None:
            query = query.where(Crux.statement_id == statement_id)
        if meeting_id is not None:
            query = query.where(Crux.meeting_id == meeting_id)
        return (await self.session.scalars(query.order_by(Crux.id).limit(500))).all()
