"""Meetings: the meeting aggregate's queries, always scoped to a workspace."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import Meeting, Workspace
from bot.storage.scoped import Scoped


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


class MeetingRepository(Scoped):
    """The workspace's meetings: the one open in a channel, the last one ended."""

    async def open_in(self, channel_id: str) -> Meeting | None:
        """The channel's meeting that has started and not ended, if any."""
        query = select(Meeting).where(
            Meeting.workspace_id == self.workspace_id,
            Meeting.channel_id == channel_id,
            Meeting.ended_at.is_(None),
        )
        return await self.session.scalar(query.order_by(Meeting.id.desc()).limit(1))

    async def by_id(self, meeting_id: int, *, for_update: bool = False) -> Meeting | None:
        """A meeting of this workspace by id (locked until commit, with `for_update`)."""
        query = select(Meeting).where(
            Meeting.workspace_id == self.workspace_id, Meeting.id == meeting_id
        )
        if for_update:
            query = query.with_for_update()
        return await self.session.scalar(query)

    async def last_ended(self, channel_id: str) -> Meeting | None:
        """The channel's most recently ended meeting."""
        query = select(Meeting).where(
            Meeting.workspace_id == self.workspace_id,
            Meeting.channel_id == channel_id,
            Meeting.ended_at.is_not(None),
        )
        return await self.session.scalar(query.order_by(Meeting.id.desc()).limit(1))
