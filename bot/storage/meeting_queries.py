"""Queries about meetings, cruxes and stance tallies, always scoped to a workspace."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Select, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import Crux, Meeting, Revision, Stance, Statement, Workspace


async def forgotten_meetings(
    session: AsyncSession, platform: str, started_before: datetime
) -> list[tuple[int, str, str]]:
    """(meeting id, workspace's platform id, channel) of open meetings started before a time.

    Across every workspace of one platform: the only query here not scoped to
    a workspace, for the sweeper that closes forgotten meetings.
    """
    query = (
        select(Meeting.id, Workspace.external_id, Meeting.channel_id)
        .join(Workspace, Workspace.id == Meeting.workspace_id)
        .where(
            Workspace.platform == platform,
            Meeting.ended_at.is_(None),
            Meeting.started_at < started_before,
        )
        .order_by(Meeting.id)
    )
    return [(row[0], row[1], row[2]) for row in await session.execute(query)]


class MeetingQueries:
    """Part of the unit of work's repositories (see repositories.Repositories)."""

    session: AsyncSession
    workspace_id: int

    def _statements(self) -> Select[Statement]:
        return select(Statement).where(Statement.workspace_id == self.workspace_id)

    async def open_meeting(self, channel_id: str) -> Meeting | None:
        """The channel's meeting that has started and not ended, if any."""
        query = select(Meeting).where(
            Meeting.workspace_id == self.workspace_id,
            Meeting.channel_id == channel_id,
            Meeting.ended_at.is_(None),
        )
        return await self.session.scalar(query.order_by(Meeting.id.desc()).limit(1))

    async def meeting(self, meeting_id: int, *, for_update: bool = False) -> Meeting | None:
        """A meeting of this workspace by id (locked until commit, with `for_update`)."""
        query = select(Meeting).where(
            Meeting.workspace_id == self.workspace_id, Meeting.id == meeting_id
        )
        if for_update:
            query = query.with_for_update()
        return await self.session.scalar(query)

    async def last_meeting(self, channel_id: str) -> Meeting | None:
        """The channel's most recently ended meeting."""
        query = select(Meeting).where(
            Meeting.workspace_id == self.workspace_id,
            Meeting.channel_id == channel_id,
            Meeting.ended_at.is_not(None),
        )
        return await self.session.scalar(query.order_by(Meeting.id.desc()).limit(1))

    async def meeting_revisions(self, meeting_id: int) -> Sequence[Revision]:
        """Every live change made during a meeting, oldest first."""
        query = select(Revision).where(
            Revision.workspace_id == self.workspace_id,
            Revision.meeting_id == meeting_id,
            Revision.undone.is_(False),
            Revision.action != "undo",
        )
        return (await self.session.scalars(query.order_by(Revision.id))).all()

    async def meeting_statements(self, meeting_id: int) -> Sequence[Statement]:
        """Live statements logged during a meeting, oldest first."""
        query = self._statements().where(
            Statement.meeting_id == meeting_id, Statement.deleted_at.is_(None)
        )
        return (await self.session.scalars(query.order_by(Statement.id))).all()

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

    async def stance_counts(self, reading_id: int | None) -> Sequence[tuple[int, int, int, int]]:
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
